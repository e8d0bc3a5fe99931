"""Measure each stage of a pipeline alone, in a fresh process: CPU time and peak memory.

    python scripts/bench_stage_isolation.py prepare --config C --input DIR --dir WORK [--set K=V]
    python scripts/bench_stage_isolation.py measure --config C --dir WORK --stage NAME --step STEP

`prepare` runs the pipeline once over the input, the way the local runner does (per-batch stages
in order on the live records of each batch, a global stage's `collect`, then its `resolve` over
the whole corpus before the next pass, then its `apply`), and writes what each stage received:

    WORK/inputs/<stage>.parquet        the live records that entered the stage, batch by batch
    WORK/fingerprints/<stage>/*.parquet a global stage's fingerprints (one file per 25,000 rows)
    WORK/decisions/<stage>/            a global stage's resolved decision
    WORK/manifest.json                 the stages in run order, their kind and input size

`measure` then runs one step of one stage over its own input in a fresh interpreter, so that the
process's peak resident set size (`VmHWM`) is that step's alone: `process` for a per-batch stage,
`collect`, `resolve` or `apply` for a global one. It prints one JSON object: documents, characters,
CPU and wall seconds of the step (reading the input is not timed), the setup time, the peak RSS
after imports and setup (the baseline) and at the end; `resolve` counts the stage's input
documents (its fingerprint rows are reported too). `--step read` only reads a stage's input, the
reference for what reading costs the other steps' peaks. `--profile FILE` also profiles the step
alone (cProfile on CPU time; the profiler slows Python-heavy code, so take its shares, not its
seconds).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import PipelineConfig, load_config  # noqa: E402
from pipeline.io.discover import discover_inputs  # noqa: E402
from pipeline.io.readers import read_configured_input  # noqa: E402
from pipeline.run.batch import EMPTY_TEXT, mark_empty, run_batch_stages, split_dropped  # noqa: E402
from pipeline.run.plan import is_global, plan_passes  # noqa: E402
from pipeline.schema import DROP_REASON, ORIGINAL_CHARS, TEXT, conform, set_column  # noqa: E402

FINGERPRINT_ROWS = 25_000
STEPS = ("process", "collect", "resolve", "apply", "read")


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def text_chars(table: pa.Table) -> int:
    return int(pc.sum(pc.utf8_length(pc.fill_null(table[TEXT], ""))).as_py() or 0)


def built_stages(config: PipelineConfig) -> list[Any]:
    return [stage_config.build() for stage_config in config.enabled_stages()]


# ---- prepare -------------------------------------------------------------------------------


class TableFile:
    """A Parquet file written batch by batch; later batches are conformed to the first schema."""

    def __init__(self, path: Path, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.chars = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(
                self.path, table.schema, compression="zstd", compression_level=1
            )
        elif table.schema != self.writer.schema:
            table = conform(table, self.writer.schema)
        self.writer.write_table(table, row_group_size=self.batch_size)
        self.rows += table.num_rows
        self.chars += text_chars(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def corpus_batches(config: PipelineConfig, input_path: str, limit: int) -> Iterator[pa.Table]:
    """Live records of the input in batches, with the columns the runner adds when reading."""
    cfg = config.input
    remaining = limit or -1
    inputs = discover_inputs([input_path], format=cfg.format)
    for index, input_file in enumerate(inputs):
        for chunk in read_configured_input(input_file, index, cfg):
            table = chunk.table
            if remaining >= 0:
                if remaining == 0:
                    return
                table = table.slice(0, remaining)
                remaining -= table.num_rows
            lengths = pc.fill_null(pc.utf8_length(table[TEXT]), 0)
            table = set_column(
                table, pa.field(ORIGINAL_CHARS, pa.int64()), pc.cast(lengths, pa.int64())
            )
            table = set_column(
                table, pa.field(DROP_REASON, pa.string()), pa.nulls(table.num_rows, pa.string())
            )
            live, _ = split_dropped(mark_empty(table, EMPTY_TEXT))
            if live.num_rows:
                yield live


def file_batches(path: Path, batch_size: int) -> Iterator[pa.Table]:
    if not path.exists():
        return
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
        yield pa.Table.from_batches([batch])


def prepare(config: PipelineConfig, input_path: str, work: Path, limit: int) -> dict[str, Any]:
    """Write every stage's input (see the module docstring); return the manifest."""
    batch_size = config.input.batch_size
    stages = built_stages(config)
    for stage in stages:
        stage.setup()
    manifest: list[dict[str, Any]] = []
    batches: Iterator[pa.Table] = corpus_batches(config, input_path, limit)
    for this_pass in plan_passes(stages):
        pass_stages = [*this_pass.stages, *([this_pass.collect] if this_pass.collect else [])]
        files = {
            s.name: TableFile(work / "inputs" / f"{s.name}.parquet", batch_size)
            for s in pass_stages
        }
        carried = TableFile(work / "passes" / f"pass-{this_pass.index}.parquet", batch_size)
        fingerprints: list[pa.Table] = []
        fingerprint_files: list[Path] = []
        for table in batches:
            live = table
            if this_pass.apply is not None:
                applied = this_pass.apply.apply(live, work / "decisions" / this_pass.apply.name)
                live, _ = split_dropped(applied.table)
            for stage in this_pass.stages:
                files[stage.name].write(live)
                live = run_batch_stages(live, [stage]).live
            if this_pass.collect is not None and live.num_rows:
                files[this_pass.collect.name].write(live)
                carried.write(live)
                fingerprints.append(this_pass.collect.collect(live))
                if sum(t.num_rows for t in fingerprints) >= FINGERPRINT_ROWS:
                    fingerprint_files.append(_write_fingerprints(work, this_pass, fingerprints))
                    fingerprints = []
        if fingerprints:
            fingerprint_files.append(_write_fingerprints(work, this_pass, fingerprints))
        carried.close()
        for stage in pass_stages:
            file = files[stage.name]
            file.close()
            kind = "global" if is_global(stage) else "batch"
            manifest.append(
                {"stage": stage.name, "kind": kind, "docs": file.rows, "chars": file.chars}
            )
        if this_pass.collect is not None:
            decision_dir = work / "decisions" / this_pass.collect.name
            decision_dir.mkdir(parents=True, exist_ok=True)
            this_pass.collect.resolve(fingerprint_files, decision_dir)
            batches = file_batches(carried.path, batch_size)
    result = {"input": input_path, "stages": manifest}
    (work / "manifest.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def _write_fingerprints(work: Path, this_pass: Any, tables: list[pa.Table]) -> Path:
    directory = work / "fingerprints" / this_pass.collect.name
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"part-{len(list(directory.glob('*.parquet'))):05d}.parquet"
    combined = pa.concat_tables(tables, promote_options="default")
    pq.write_table(combined, path, compression="zstd", compression_level=1)
    return path


# ---- measure -------------------------------------------------------------------------------


def measure(
    config: PipelineConfig, work: Path, name: str, step: str, profile: Path | None = None
) -> dict[str, Any]:
    """Run one step of one stage over its prepared input; see the module docstring.

    With `profile`, the step's calls (and nothing else) are profiled with cProfile on CPU time,
    and the statistics are written there (read them with `python -m pstats`).
    """
    stages = {stage.name: stage for stage in built_stages(config)}
    if name not in stages:
        raise SystemExit(f"bench_stage_isolation: no enabled stage named {name!r}")
    stage = stages[name]
    started = time.perf_counter()
    if step != "read":
        stage.setup()
    setup_seconds = time.perf_counter() - started
    batch_size = config.input.batch_size
    docs = chars = fingerprint_rows = 0
    cpu = wall = 0.0
    profiler = cProfile.Profile(time.process_time) if profile else contextlib.nullcontext()
    baseline = peak_rss_bytes()
    if step == "resolve":
        files = sorted((work / "fingerprints" / name).glob("*.parquet"))
        fingerprint_rows = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
        docs = pq.ParquetFile(work / "inputs" / f"{name}.parquet").metadata.num_rows
        with tempfile.TemporaryDirectory(prefix="resolve-", dir=work) as decision_dir:
            cpu_started, started = time.process_time(), time.perf_counter()
            with profiler:
                stage.resolve(files, Path(decision_dir))
            cpu, wall = time.process_time() - cpu_started, time.perf_counter() - started
    else:
        for table in file_batches(work / "inputs" / f"{name}.parquet", batch_size):
            docs += table.num_rows
            chars += text_chars(table)
            cpu_started, started = time.process_time(), time.perf_counter()
            with profiler:
                if step == "process":
                    stage.process(table)
                elif step == "collect":
                    stage.collect(table)
                elif step == "apply":
                    stage.apply(table, work / "decisions" / name)
            cpu += time.process_time() - cpu_started
            wall += time.perf_counter() - started
    if profile:
        profiler.dump_stats(profile)
    return {
        "stage": name,
        "step": step,
        "docs": docs,
        "chars": chars,
        "fingerprint_rows": fingerprint_rows,
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "setup_seconds": setup_seconds,
        "baseline_bytes": baseline,
        "peak_bytes": peak_rss_bytes(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("prepare", "measure"))
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--dir", type=Path, required=True, help="work directory")
    parser.add_argument("--input", help="prepare: input file, directory or glob")
    parser.add_argument("--docs", type=int, default=0, help="prepare: at most this many records")
    parser.add_argument("--stage", help="measure: the stage's name")
    parser.add_argument("--step", choices=STEPS, default="process", help="measure: which step")
    parser.add_argument("--profile", type=Path, help="measure: write cProfile statistics here")
    args = parser.parse_args(argv)
    config = load_config(args.config, args.overrides)
    if args.command == "prepare":
        if not args.input:
            parser.error("prepare needs --input")
        shutil.rmtree(args.dir, ignore_errors=True)
        args.dir.mkdir(parents=True)
        print(json.dumps(prepare(config, args.input, args.dir, args.docs)))
    else:
        if not args.stage:
            parser.error("measure needs --stage")
        print(json.dumps(measure(config, args.dir, args.stage, args.step, args.profile)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
