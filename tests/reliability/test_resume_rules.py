"""What --resume accepts and refuses, and what it does with a run that had already finished."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reliability_harness import kept_ids, run_cli

from pipeline.run.faults import fault_point


def write_crawl(crawl: Path, files: int = 3) -> Path:
    crawl.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        lines = [
            json.dumps({"id": f"f{index}-{i}", "text": f"Story {i} of file {index}."})
            for i in range(4)
        ]
        (crawl / f"part-{index}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return crawl


def arguments(crawl: Path, out: Path, *extra: str) -> list[str]:
    workers = [] if "--workers" in extra else ["--workers", "1"]
    return ["run", "--input", str(crawl), "--output", str(out), "--no-progress", *workers, *extra]


def interrupt(out: Path) -> None:
    """Make a finished run look interrupted before its last unit (keep_work runs only)."""
    for marker in sorted((out / "_work" / "pass0" / "done").glob("*.json"))[-1:]:
        marker.unlink()
    (out / "_SUCCESS").unlink()
    (out / "stats.json").unlink()


def test_resume_may_change_workers_and_error_budget(tmp_path: Path) -> None:
    crawl, out = write_crawl(tmp_path / "crawl"), tmp_path / "out"
    keep = ["--set", "run.keep_work=true"]
    assert run_cli(arguments(crawl, out, "--workers", "1", *keep)) == 0
    interrupt(out)
    resumed = arguments(crawl, out, "--workers", "2", "--max-errors", "5", *keep, "--resume")
    assert run_cli(resumed) == 0
    assert "max_errors: 5.0" in (out / "config.resolved.yaml").read_text(encoding="utf-8")
    assert json.loads((out / "stats.json").read_text())["records"]["kept"] == 12


def test_resume_refuses_other_input_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl, out = write_crawl(tmp_path / "crawl"), tmp_path / "out"
    assert run_cli(arguments(crawl, out, "--set", "run.keep_work=true")) == 0
    interrupt(out)
    extra = crawl / "part-00.jsonl"  # sorts first: every unit name would shift
    extra.write_text('{"text": "new"}\n', encoding="utf-8")
    capsys.readouterr()
    recorded = (out / "config.resolved.yaml").read_bytes()
    refused = arguments(crawl, out, "--set", "run.keep_work=true", "--max-errors", "9", "--resume")
    assert run_cli(refused) == 2
    assert (out / "config.resolved.yaml").read_bytes() == recorded  # a refusal changes nothing
    assert (
        f"--resume: the input files differ from the interrupted run's ({extra} is new)"
        in capsys.readouterr().err
    )
    extra.unlink()
    grown = crawl / "part-2.jsonl"
    size = grown.stat().st_size
    with open(grown, "a", encoding="utf-8") as handle:
        handle.write('{"text": "appended"}\n')
    assert run_cli(arguments(crawl, out, "--set", "run.keep_work=true", "--resume")) == 2
    assert f"{grown} was {size} bytes, now {size + 21}" in capsys.readouterr().err


def test_resume_of_a_finished_run_does_nothing(tmp_path: Path) -> None:
    crawl, out = write_crawl(tmp_path / "crawl"), tmp_path / "out"
    assert run_cli(arguments(crawl, out)) == 0
    data = sorted((out / "data").iterdir())
    identity = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in data]
    (out / "_work.removed" / "pass0").mkdir(parents=True)  # as left by a kill while deleting
    assert run_cli(arguments(crawl, out, "--resume")) == 0
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in data] == identity
    assert not (out / "_work.removed").exists()
    assert (out / "_SUCCESS").exists()
    assert len(kept_ids(out)) == 12


def test_fault_point_is_inert_when_unset() -> None:
    fault_point("pass0", "unit", "00000", "mid")  # no CRAWLSIEVE_FAULT in the test environment
