"""The local executor: runs the passes of a pipeline with worker processes on one machine."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.config import PipelineConfig, dump_config
from pipeline.io.discover import discover_inputs
from pipeline.io.parquet_writer import copy_atomically, write_bytes_atomically
from pipeline.io.source import InputFile
from pipeline.run.accounting import check_accounting, check_error_budget
from pipeline.run.faults import fault_point
from pipeline.run.layout import RunLayout
from pipeline.run.output_dir import check_inputs, is_finished, prepare_output, record_inputs
from pipeline.run.output_unify import MapFunction, unify_output_schemas
from pipeline.run.plan import Pass
from pipeline.run.progress import Progress
from pipeline.run.units import UnitTask, built_passes, planned_passes, run_unit
from pipeline.stats.bag import Stats
from pipeline.stats.report import write_run_report
from pipeline.stats.summary import build_summary

log = logging.getLogger("crawlsieve")


@dataclass(frozen=True)
class RunOptions:
    """Command-line choices that are not part of the config."""

    output: Path
    overwrite: bool = False
    resume: bool = False
    workers: int = 0
    progress: bool = True


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_local(config: PipelineConfig, options: RunOptions) -> dict:
    """Run the whole pipeline; returns the summary written to `stats.json`."""
    started = time.monotonic()
    layout, inputs, resumed = start_run(config, options)
    finished = finished_summary(layout, resumed)
    if finished is not None:
        return finished
    workers = options.workers or config.run.workers or default_workers()
    config_json = config.model_dump_json()
    # With one worker the units run in this process and share its set-up stages.
    passes = built_passes(config_json)[1] if workers <= 1 else planned_passes(config_json)
    log.info("%d input files, %d passes, %d workers", len(inputs), len(passes), workers)

    tasks = [
        UnitTask(0, f"{i:05d}", config_json, str(layout.root), input_file=f, file_index=i)
        for i, f in enumerate(inputs)
    ]
    with _WorkerPool(workers) as pool:
        label = "read+clean" if len(passes) > 1 else "process"
        total = _execute(tasks, layout, pool, label, options)
        check_error_budget(total, config.run.max_errors)
        for p in passes[:-1]:
            assert p.collect is not None
            total += _resolve(p.collect, p.index, layout)
            work_files = sorted(layout.pass_dir(p.index).glob("*.parquet"))
            tasks = [
                UnitTask(p.index + 1, path.stem, config_json, str(layout.root), work_file=str(path))
                for path in work_files
            ]
            total += _execute(tasks, layout, pool, f"pass {p.index + 1}", options)
        run_info = {
            "crawlsieve_version": __version__,
            "input_files": len(inputs),
            "workers": workers,
            "resumed": resumed,
        }
        executor = pool.executor()
        return finish_run(
            config,
            layout,
            passes,
            total,
            started=started,
            run_info=run_info,
            map_rewrites=executor.map if executor is not None else map,
        )


def start_run(
    config: PipelineConfig, options: RunOptions
) -> tuple[RunLayout, list[InputFile], bool]:
    """Find the inputs and prepare the output directory (shared by every executor).

    Returns the layout, the input files and whether an interrupted run is being resumed.
    """
    layout = RunLayout(options.output)
    config_yaml = dump_config(config)
    inputs = discover_inputs(
        config.input.paths, format=config.input.format, storage_options=config.input.storage_options
    )
    resumed = prepare_output(
        layout, overwrite=options.overwrite, resume=options.resume, config_yaml=config_yaml
    )
    if resumed and is_finished(layout):
        return layout, inputs, resumed  # nothing to do: `finished_summary` takes over
    if resumed:
        check_inputs(layout, inputs)
        layout.success_file.unlink(missing_ok=True)  # a finished run that kept its work dir
    write_bytes_atomically(layout.config_file, config_yaml.encode("utf-8"))
    record_inputs(layout, inputs)
    return layout, inputs, resumed


def finish_run(
    config: PipelineConfig,
    layout: RunLayout,
    passes: Sequence[Pass],
    total: Stats,
    *,
    started: float,
    run_info: dict[str, Any],
    map_rewrites: MapFunction = map,
) -> dict:
    """Check the accounting, write clusters, give each output directory one schema (its rewrites
    run through `map_rewrites`), write stats.json, report and `_SUCCESS`, then remove the work
    directory (every executor).

    `_SUCCESS` comes after every output file. The work directory is then renamed (atomically) and
    deleted: a run killed after the rename is finished, and `--resume` only deletes what is left;
    a run killed before it still has every completion marker, and `--resume` finishes it again.
    """
    for p in passes[:-1]:
        clusters = layout.global_dir(p.index) / "clusters.parquet"
        if clusters.exists():
            copy_atomically(clusters, layout.clusters_file, staging_dir=layout.staging)
    check_accounting(total)
    unified = unify_output_schemas(
        [layout.data_dir, layout.rejected_dir],
        output=config.output,
        staging_dir=layout.staging,
        map_rewrites=map_rewrites,
    )
    summary = build_summary(
        total,
        stage_order=[s.type for s in config.enabled_stages()],
        run_info={
            **run_info,
            "output_schema": unified,
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    fault_point("finish", "before_stats")
    write_bytes_atomically(
        layout.stats_file,
        json.dumps(summary, indent=2, sort_keys=False).encode("utf-8"),
        staging_dir=layout.staging,
    )
    write_run_report(layout.root)
    fault_point("finish", "before_success")
    write_bytes_atomically(layout.success_file, b"", staging_dir=layout.staging)
    fault_point("finish", "before_cleanup")
    if not config.run.keep_work:
        remove_work(layout)
    return summary


def remove_work(layout: RunLayout) -> None:
    """Delete the work directory: renamed first, so that it is either whole or gone."""
    if layout.work.exists():
        shutil.rmtree(layout.removed_work, ignore_errors=True)
        os.replace(layout.work, layout.removed_work)
    fault_point("finish", "mid_cleanup")
    shutil.rmtree(layout.removed_work, ignore_errors=True)


def finished_summary(layout: RunLayout, resumed: bool) -> dict | None:
    """On `--resume` of a run that had finished and removed its work directory: its summary, after
    deleting what a run killed while deleting its work directory left behind; else None."""
    if not resumed or not is_finished(layout):
        return None
    log.info("%s is a finished run: nothing to resume", layout.root)
    shutil.rmtree(layout.removed_work, ignore_errors=True)
    return json.loads(layout.stats_file.read_text(encoding="utf-8"))


def _resolve(stage, pass_index: int, layout: RunLayout) -> Stats:
    """Run a global stage's resolve once (or reuse its checkpoint on resume).

    Without a checkpoint, whatever an interrupted resolve left in the work directory is removed
    first, so the stage always starts from an empty directory.
    """
    marker = layout.global_marker(pass_index)
    if marker.exists():
        return Stats.from_json(json.loads(marker.read_text(encoding="utf-8")))
    fingerprints = sorted((layout.pass_dir(pass_index) / "fingerprints").glob("*.parquet"))
    work_dir = layout.global_dir(pass_index)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    log.info("%s: resolving over %d fingerprint files", stage.name, len(fingerprints))
    started, cpu_started = time.perf_counter(), time.process_time()
    stats = stage.resolve(fingerprints, work_dir)
    stats.count(f"timing.{stage.name}.resolve_seconds", time.perf_counter() - started)
    stats.count(f"timing.{stage.name}.resolve_cpu_seconds", time.process_time() - cpu_started)
    fault_point(f"global{pass_index}", "after_resolve")
    write_bytes_atomically(
        marker, json.dumps(stats.to_json(), sort_keys=True).encode(), staging_dir=layout.staging
    )
    return stats


class _WorkerPool:
    """Worker processes shared by every pass of a run, started on first use (spawned, so that
    no pyarrow thread state is forked); with one worker, units run in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor | None:
        if self.workers <= 1:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=get_context("spawn")
            )
        return self._pool

    def __enter__(self) -> _WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _execute(
    tasks: Sequence[UnitTask], layout: RunLayout, pool: _WorkerPool, label: str, options: RunOptions
) -> Stats:
    """Run units (skipping finished ones), in worker processes when more than one is useful."""
    total = Stats()
    pending: list[UnitTask] = []
    for task in tasks:
        marker = layout.unit_marker(task.pass_index, task.name)
        if marker.exists():
            total += Stats.from_json(json.loads(marker.read_text(encoding="utf-8")))
        else:
            pending.append(task)
    progress = Progress(label, len(pending), enabled=options.progress)
    try:
        executor = pool.executor() if len(pending) > 1 else None
        if executor is None:
            for task in pending:
                stats = run_unit(task)
                total += stats
                progress.advance(_records(stats, task))
            return total
        results: dict[str, Stats] = {}
        futures = {executor.submit(run_unit, task): task for task in pending}
        for future in as_completed(futures):
            stats = future.result()
            results[futures[future].name] = stats
            progress.advance(_records(stats, futures[future]))
        for name in sorted(results):
            total += results[name]
        return total
    finally:
        progress.close()


def _records(stats: Stats, task: UnitTask) -> int:
    """Records a finished unit went through: read from input, or carried in its work file."""
    read = int(stats.counters.get("records.read", 0))
    if read or task.work_file is None:
        return read
    try:
        return pq.ParquetFile(task.work_file).metadata.num_rows
    except OSError:  # the progress line is cosmetic; never fail a run over it
        return 0
