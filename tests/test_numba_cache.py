"""The test session's numba cache (`tests/conftest.py`): keyed by the sources, so that editing a
kernel that another module's kernel calls is never served from the old machine code."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import source_keyed_cache, sources_digest

CALLEE = "import numba\n\n\n@numba.njit(cache=True)\ndef step():\n    return {value}\n"
CALLER = (
    "import numba\nfrom callee import step\n\n\n@numba.njit(cache=True)\n"
    "def total():\n    return step() + 10\n"
)


def run_total(package: Path, cache: Path | None) -> int:
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", "from caller import total; print(total())"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def test_an_edited_callee_is_recompiled_with_a_source_keyed_cache(tmp_path: Path) -> None:
    package = tmp_path / "kernels"
    package.mkdir()
    (package / "callee.py").write_text(CALLEE.format(value=1))
    (package / "caller.py").write_text(CALLER)
    caches = tmp_path / "caches"
    assert run_total(package, source_keyed_cache(caches, sources_digest(package))) == 11
    assert run_total(package, None) == 11  # numba's own cache, next to the sources
    time.sleep(0.01)
    (package / "callee.py").write_text(CALLEE.format(value=2))
    # numba's own cache still serves `total` compiled with the old `step` ...
    assert run_total(package, None) == 11
    # ... the source-keyed one does not.
    assert run_total(package, source_keyed_cache(caches, sources_digest(package))) == 12


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


def test_only_the_newest_caches_are_kept(tmp_path: Path) -> None:
    for age, name in enumerate(["d", "c", "b", "a"]):
        folder = tmp_path / name
        folder.mkdir()
        os.utime(folder, (1_000_000 - age * 10, 1_000_000 - age * 10))
    cache = source_keyed_cache(tmp_path, "new", kept=3)
    assert cache == tmp_path / "new" and cache.is_dir()
    # "new" and the two newest of the others stay.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c", "d", "new"]
