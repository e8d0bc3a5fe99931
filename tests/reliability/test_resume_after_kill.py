"""Crash and resume: a run killed with SIGKILL at seeded points, resumed with --resume, gives the
same output bytes as an uninterrupted run, never shows a partial file under out/data or
out/rejected, and never redoes a unit that had finished."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_harness import (
    ROOT,
    assert_only_complete_parquet,
    assert_same_output,
    copy_sample_crawl,
    news_stages,
    run_arguments,
    run_cli,
    run_subprocess,
)

from pipeline.run.faults import FAULT_ENV
from pipeline.run.plan import plan_passes

# Small batches and files, so that units have several batches and write several files each.
RUN_OPTIONS = [
    "--set",
    "input.batch_size=40",
    "--set",
    "output.rows_per_file=30",
    "--max-errors",
    "10",
]
# Kill points in the order a run reaches them, with the workers of that attempt: each resume is
# killed at the next point. The second kill hits a worker process of a pool (the runner survives
# it and fails with exit code 1), every other one the runner itself (units run in its process).
# The pool's kill comes second because its other worker races it: it may finish any of the units
# still pending, so a later kill point inside pass 0 could never be reached; here both pending
# units start at once, so the one named is always reached.
KILL_CHAIN = [
    ("pass0:unit:00001:after_publish", 1),
    ("pass0:unit:00002:mid", 2),
    ("global0:after_resolve", 1),
    ("pass1:unit:00000-0001:after_publish", 1),
    ("finish:before_success", 1),
    ("finish:mid_cleanup", 1),
]
BAD_LINES = b'{"id": "bad-1", "text": \n\xff\xfe not utf-8\n'


def make_crawl(root: Path) -> Path:
    """The sample crawl plus one file with two unreadable lines, so quarantine/ has content."""
    crawl = copy_sample_crawl(root / "crawl")
    good = b"".join(
        json.dumps({"id": f"extra-{i}", "text": f"Extra story {i}.\nIt has two lines."}).encode()
        + b"\n"
        for i in range(5)
    )
    (crawl / "crawl-003.jsonl").write_bytes(good + BAD_LINES)
    return crawl


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_crawl(tmp_path_factory.mktemp("resume"))


@pytest.fixture(scope="module")
def reference(crawl: Path) -> Path:
    """An uninterrupted run."""
    out = crawl.parent / "reference"
    assert run_cli(run_arguments(crawl, out, extra=[*RUN_OPTIONS, "--workers", "1"])) == 0
    return out


def final_pass() -> int:
    return len(plan_passes(news_stages())) - 1


def finished_files(out: Path) -> dict[Path, tuple[int, int]]:
    """(inode, mtime) of every unit marker and of the output files of finished units."""
    last = final_pass()
    files: dict[Path, tuple[int, int]] = {}
    for marker in sorted((out / "_work").glob("pass*/done/*.json")):
        unit, pass_index = marker.stem, int(marker.parent.parent.name.removeprefix("pass"))
        owned = [marker]
        if pass_index == 0:
            owned += list((out / "quarantine").glob(f"part-{unit}.parquet"))
        if pass_index == last:
            owned += list((out / "data").glob(f"part-{unit}-*.parquet"))
            owned += list((out / "rejected").glob(f"part-{unit}-*.parquet"))
        for path in owned:
            stat = path.stat()
            files[path] = (stat.st_ino, stat.st_mtime_ns)
    return files


def assert_untouched(before: dict[Path, tuple[int, int]], *, work_removed: bool) -> None:
    """Files of units that had finished were neither rewritten nor removed."""
    for path, identity in before.items():
        if work_removed and "_work" in path.parts:
            continue
        stat = path.stat()
        assert (stat.st_ino, stat.st_mtime_ns) == identity, path


def garble_resolve_artifacts(out: Path) -> None:
    """Make the global stage's artifacts look like a resolve that died half-way through."""
    for path in sorted((out / "_work" / "global0").rglob("*")):
        if path.is_file():
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.slow
def test_a_run_killed_again_and_again_resumes_to_the_same_bytes(
    crawl: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    arguments = run_arguments(crawl, out, extra=RUN_OPTIONS)
    for index, (point, workers) in enumerate(KILL_CHAIN):
        before = finished_files(out) if index else {}
        options = ["--workers", str(workers), *(["--resume"] if index else [])]
        result = run_subprocess([*arguments, *options], env={FAULT_ENV: point})
        if workers > 1:
            assert result.returncode == 1, (point, result.stderr)
            assert "crawlsieve: failed: BrokenProcessPool" in result.stderr
        else:
            assert result.returncode == -signal.SIGKILL, (point, result.stderr)
        assert_only_complete_parquet(out)
        assert_untouched(before, work_removed=point == "finish:mid_cleanup")
        assert (out / "_SUCCESS").exists() == (point == "finish:mid_cleanup")
        if point == "global0:after_resolve":
            garble_resolve_artifacts(out)
    assert (out / "_work.removed").exists()
    before = finished_files(out)
    assert run_cli([*arguments, "--resume"]) == 0
    assert_untouched(before, work_removed=True)
    assert (out / "_SUCCESS").exists()
    assert not (out / "_work").exists() and not (out / "_work.removed").exists()
    assert_same_output(out, reference)


# Moments to kill a run from outside: when a directory first holds this many files.
OUTSIDE_TRIGGERS = [
    ("_work/pass0/done", 1),
    ("_work/pass0/done", 3),
    ("_work/global0", 1),
    ("_work/pass1/done", 2),
    ("data", 4),
    ("rejected", 6),
]


def watch_until(process: subprocess.Popen[bytes], out: Path, trigger: tuple[str, int]) -> None:
    """Poll until `trigger` (a directory holding at least N files) or the end of `process`, and
    read every file that appears under out/data and out/rejected meanwhile: each must be whole."""
    directory, count = out / trigger[0], trigger[1]
    seen: set[Path] = set()
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if directory.is_dir() and sum(1 for _ in directory.iterdir()) >= count:
            return
        for sub in ("data", "rejected"):
            new = set((out / sub).glob("*")) - seen if (out / sub).exists() else set()
            if new:
                assert_only_complete_parquet(out)
                seen |= new
        time.sleep(0.01)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "workers"), [(3, 2), (11, 1)])
def test_kill_from_outside_at_a_seeded_moment(
    crawl: Path, reference: Path, tmp_path: Path, seed: int, workers: int
) -> None:
    """SIGKILL the whole process group (the runner and its workers) at a seeded moment."""
    out = tmp_path / "out"
    arguments = run_arguments(crawl, out, extra=[*RUN_OPTIONS, "--workers", str(workers)])
    trigger = random.Random(seed).choice(OUTSIDE_TRIGGERS)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--log-level", "WARNING", *arguments],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        watch_until(process, out, trigger)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, trigger
    assert_only_complete_parquet(out)
    assert run_cli([*arguments, "--workers", "1", "--resume"]) == 0
    assert_same_output(out, reference)
