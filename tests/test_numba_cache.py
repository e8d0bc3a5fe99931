"""Cached kernels follow the sources (`pipeline/kernel_cache.py`): numba checks a cached kernel
against its own file only, so editing a kernel that another module's kernel calls must drop the
cache, or the caller keeps the old machine code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.kernel_cache import PACKAGE, STAMP, drop_stale_kernels, sources_digest

CALLEE = "import numba\n\n\n@numba.njit(cache=True)\ndef step():\n    return {value}\n"
CALLER = (
    "import numba\nfrom callee import step\n\n\n@numba.njit(cache=True)\n"
    "def total():\n    return step() + 10\n"
)


def run_total(package: Path) -> int:
    """`total()` in a new Python, with numba's default cache next to the sources."""
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", "from caller import total; print(total())"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def cache_files(package: Path) -> list[Path]:
    return sorted(package.glob("__pycache__/*.nb[ic]"))


def test_an_edited_callee_drops_the_cache_its_caller_was_served_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    package = tmp_path / "kernels"
    package.mkdir()
    (package / "callee.py").write_text(CALLEE.format(value=1))
    (package / "caller.py").write_text(CALLER)
    assert drop_stale_kernels(package) == 0  # nothing cached yet; the stamp is written
    assert (package / "__pycache__" / STAMP).read_text() == sources_digest(package)
    assert run_total(package) == 11
    assert cache_files(package)
    (package / "callee.py").write_text(CALLEE.format(value=2))
    # numba's own check serves `total` compiled with the old `step` ...
    assert run_total(package) == 11
    # ... until the package's cached kernels are dropped, as importing crawlsieve does.
    cached = len(cache_files(package))
    assert drop_stale_kernels(package) == cached > 0
    assert cache_files(package) == []
    assert run_total(package) == 12
    # Sources unchanged since: the new cache stays.
    assert drop_stale_kernels(package) == 0
    assert cache_files(package)


def test_a_user_cache_dir_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "__pycache__").mkdir()
    cached = tmp_path / "__pycache__" / "a.f-1.py311.nbi"
    cached.write_bytes(b"index")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert drop_stale_kernels(tmp_path) == 0
    assert cached.exists() and not (tmp_path / "__pycache__" / STAMP).exists()
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    assert drop_stale_kernels(tmp_path) == 1 and not cached.exists()


def test_sources_digest_follows_contents_and_names(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("not a source\n")
    first = sources_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("changed\n")
    assert sources_digest(tmp_path) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    second = sources_digest(tmp_path)
    assert second != first
    (tmp_path / "a.py").rename(tmp_path / "b.py")
    assert sources_digest(tmp_path) not in (first, second)


def test_importing_crawlsieve_stamps_its_sources() -> None:
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    subprocess.run([sys.executable, "-c", "import pipeline"], env=env, check=True)
    assert (PACKAGE / "__pycache__" / STAMP).read_text() == sources_digest(PACKAGE)
