"""Shared helpers of the reliability tests: the news config, crawls, runs and output comparison.

The tests run "every stage in configs/news.yaml". Stages whose config cannot build a stage yet
(`build()` raises `NotImplementedError`, or imports a `pipeline` module that does not exist yet,
while a package is being written) are switched off with
`--set stages.<type>.enabled=false`; as soon as a stage lands, the tests run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.config import PipelineConfig, load_config

ROOT = Path(__file__).resolve().parents[2]
NEWS_CONFIG = ROOT / "configs" / "news.yaml"
SAMPLE_CRAWL = ROOT / "examples" / "sample-crawl"
# Output files and directories compared byte for byte between two runs.
COMPARED = ("data", "rejected", "quarantine", "clusters.parquet")
# stats.json sections that depend on the clock, the executor or the run's history.
UNSTABLE_STATS = ("run", "throughput")
CLOCK_KEYS = frozenset({"seconds", "docs_per_second", "mchars_per_second"})


@lru_cache(maxsize=1)
def unbuilt_stage_overrides() -> tuple[str, ...]:
    """`--set` overrides that switch off the stages of news.yaml that cannot be built yet (decided
    once per test session, so that every run of a session, in or out of process, agrees)."""
    overrides: list[str] = []
    for stage in load_config(NEWS_CONFIG).enabled_stages():
        try:
            stage.build()
        except NotImplementedError:
            overrides.append(f"stages.{stage.type}.enabled=false")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("pipeline."):
                raise
            overrides.append(f"stages.{stage.type}.enabled=false")
    return tuple(overrides)


def news_config(overrides: Sequence[str] = ()) -> PipelineConfig:
    """configs/news.yaml with every buildable stage, plus `overrides`."""
    return load_config(NEWS_CONFIG, [*unbuilt_stage_overrides(), *overrides])


def news_stages() -> list[Any]:
    """The built stage objects of news.yaml, in order (batch and global stages)."""
    return [stage.build() for stage in news_config().enabled_stages()]


def copy_sample_crawl(target: Path) -> Path:
    """A copy of the bundled sample crawl's data files in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(SAMPLE_CRAWL.glob("crawl-*.jsonl.gz")):
        shutil.copyfile(path, target / path.name)
    return target


def run_arguments(
    crawl: Path, out: Path, *, config: Path | None = NEWS_CONFIG, extra: Sequence[str] = ()
) -> list[str]:
    """Arguments of `crawlsieve run` on `crawl` into `out` (news.yaml's buildable stages)."""
    arguments = ["run"] if config is None else ["run", str(config)]
    arguments += ["--input", str(crawl), "--output", str(out), "--no-progress"]
    if config == NEWS_CONFIG:
        for override in unbuilt_stage_overrides():
            arguments += ["--set", override]
    return arguments + list(extra)


def run_cli(arguments: Sequence[str]) -> int:
    """`crawlsieve <arguments>` in this process; returns the exit code."""
    return main(["--log-level", "WARNING", *arguments])


def run_subprocess(
    arguments: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline <arguments>` in a new process (and process group)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--log-level", "WARNING", *arguments],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
    )


def output_files(out: Path) -> dict[str, bytes]:
    """Every compared output file's bytes, by path relative to `out`."""
    files = {}
    for name in COMPARED:
        path = out / name
        if path.is_file():
            files[name] = path.read_bytes()
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                files[str(child.relative_to(out))] = child.read_bytes()
    return files


def stable_stats(out: Path) -> dict[str, Any]:
    """stats.json without what depends on the clock or the run's history: the `run` and
    `throughput` sections, timing counters and every per-stage seconds or rate."""
    summary = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    for key in UNSTABLE_STATS:
        summary.pop(key, None)
    summary["counters"] = {
        key: value for key, value in summary["counters"].items() if not key.startswith("timing.")
    }
    return _without_clock(summary)


def _without_clock(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_clock(v) for k, v in value.items() if k not in CLOCK_KEYS}
    if isinstance(value, list):
        return [_without_clock(item) for item in value]
    return value


def assert_same_output(actual: Path, expected: Path) -> None:
    """The compared files of two runs are byte-identical and their stable stats equal."""
    mine, theirs = output_files(actual), output_files(expected)
    assert sorted(mine) == sorted(theirs)
    different = [name for name in mine if mine[name] != theirs[name]]
    assert different == []
    assert stable_stats(actual) == stable_stats(expected)


def assert_only_complete_parquet(out: Path) -> None:
    """Every file under out/data and out/rejected is a complete, readable Parquet part file."""
    for sub in ("data", "rejected"):
        directory = out / sub
        if not directory.exists():
            continue
        for path in directory.iterdir():
            assert path.is_file() and path.name.startswith("part-"), path
            assert path.suffix == ".parquet", path
            pq.read_table(path)  # raises on a partial file


def kept_ids(out: Path, id_field: str = "id") -> list[str]:
    """Ids of the kept records, in output order (files may differ in their other columns)."""
    ids: list[str] = []
    for path in sorted((out / "data").glob("*.parquet")):
        ids += pq.read_table(path, columns=[id_field])[id_field].to_pylist()
    return ids


def quarantine_rows(out: Path) -> list[tuple[str, str, str]]:
    """(source file name, position, error) of every quarantined record, sorted."""
    directory = out / "quarantine"
    if not directory.exists():
        return []
    rows = pq.read_table(directory, columns=["source", "position", "error"]).to_pylist()
    return sorted((Path(r["source"]).name, r["position"], r["error"]) for r in rows)
