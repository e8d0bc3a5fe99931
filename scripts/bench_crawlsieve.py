"""Running crawlsieve for the pipeline benchmark: whole runs, and every stage alone.

A whole run is `python -m pipeline run CONFIG` in a child process measured with
`bench_process_tree.run_measured`; the stages alone are measured by
`scripts/bench_stage_isolation.py` (one fresh process per stage and step).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_tables as tables
from bench_process_tree import TreeUsage, run_measured

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402

ISOLATION = ROOT / "scripts" / "bench_stage_isolation.py"
LANGUAGE_OFF = "stages.language.enabled=false"


@dataclass(frozen=True)
class PipelineRun:
    """One measured crawlsieve run."""

    label: str
    docs: int
    workers: int
    language: bool
    usage: TreeUsage
    summary: dict[str, Any]
    load_before: float
    load_after: float


def load_average() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def unavailable_stages(config: Path, overrides: list[str]) -> list[str]:
    """Stage types of the config whose code is not in this checkout (they are switched off)."""
    missing = []
    for stage in load_config(config, overrides).enabled_stages():
        try:
            stage.build()
        except ImportError:
            missing.append(stage.type)
    return missing


def run_pipeline(
    label: str,
    input_dir: Path,
    work: Path,
    *,
    config: Path,
    workers: int,
    language: bool,
    overrides: list[str],
    keep_outputs: bool,
) -> PipelineRun:
    out = work / label
    command = [sys.executable, "-m", "pipeline", "run", str(config), "--input", str(input_dir)]
    command += ["--output", str(out / "out"), "--overwrite", "--no-progress"]
    command += ["--workers", str(workers)]
    for override in [*overrides, *([] if language else [LANGUAGE_OFF])]:
        command += ["--set", override]
    print(f"  {label}: running ...", end="", flush=True)
    before = load_average()
    usage = run_measured(command, log_path=out / "run.log", cwd=ROOT)
    after = load_average()
    if usage.returncode != 0:
        raise SystemExit(f"\ncrawlsieve failed (exit {usage.returncode}); see {out / 'run.log'}")
    stats_file = out / "out" / "stats.json"
    summary = json.loads(stats_file.read_text(encoding="utf-8"))
    shutil.copyfile(stats_file, out / "stats.json")
    if not keep_outputs:
        shutil.rmtree(out / "out")
    docs = tables.run_totals(summary)["read"]
    print(f" {usage.wall_seconds:,.0f} s wall, {usage.cpu_seconds:,.0f} s CPU (load {before:.1f})")
    return PipelineRun(label, docs, workers, language, usage, summary, before, after)


def isolate_stages(
    input_dir: Path, work: Path, *, config: Path, overrides: list[str], docs: int
) -> list[dict[str, Any]]:
    """Prepare every stage's input once, then measure each step in a fresh process."""
    base = [sys.executable, str(ISOLATION)]
    common = ["--config", str(config), "--dir", str(work)]
    for override in overrides:
        common += ["--set", override]
    print("  preparing every stage's input ...", flush=True)
    prepared = subprocess.run(
        [*base, "prepare", *common, "--input", str(input_dir), "--docs", str(docs)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if prepared.returncode != 0:
        raise SystemExit(f"stage isolation failed to prepare:\n{prepared.stderr[-3000:]}")
    manifest = json.loads(prepared.stdout.strip().splitlines()[-1])
    results = []
    # Reading the first stage's input alone: the part of every step's peak that is not the step.
    plan = [(manifest["stages"][0]["stage"], "read")]
    for stage in manifest["stages"]:
        steps = ["collect", "resolve", "apply"] if stage["kind"] == "global" else ["process"]
        plan += [(stage["stage"], step) for step in steps]
    for name, step in plan:
        load = load_average()
        done = subprocess.run(
            [*base, "measure", *common, "--stage", name, "--step", step],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if done.returncode != 0:
            raise SystemExit(f"measuring {name} {step} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["load_average"] = round(load, 2)
        print(
            f"  {name:>17} {step:<8} {result['docs']:>9,} docs "
            f"{result['cpu_seconds']:8.1f} s CPU  peak {result['peak_bytes'] / 2**20:6,.0f} MiB"
        )
        results.append(result)
    return results
