"""The work of one unit of one pass, run in a worker process.

A unit reads its input (an input file in pass 0, an intermediate file afterwards), runs the pass's
stages batch by batch, and writes its outputs atomically: intermediate records and fingerprints for
a non-final pass, or kept / rejected shards for the final pass. Its stats are written last, as the
unit's completion marker, so a resumed run knows which units are done.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.config import PipelineConfig
from pipeline.io.parquet_writer import (
    WORK_FILE_OPTIONS,
    publish,
    write_bytes_atomically,
)
from pipeline.io.quarantine_writer import QuarantineWriter
from pipeline.io.readers import read_configured_input
from pipeline.io.source import InputFile
from pipeline.run.batch import (
    EMPTY_TEXT,
    drop_emptied,
    dropped_records,
    edits_text,
    mark_empty,
    record_funnel,
    run_batch_stages,
    split_dropped,
    text_chars,
    timed_collect,
)
from pipeline.run.faults import fault_point
from pipeline.run.layout import RunLayout
from pipeline.run.plan import Pass, is_global, plan_passes
from pipeline.run.unit_sinks import UnitSink
from pipeline.schema import DROP_REASON, ORIGINAL_CHARS, TEXT, set_column
from pipeline.stage import GlobalStage
from pipeline.stats.bag import Stats
from pipeline.stats.breakdown import count_stage_drops


@dataclass(frozen=True)
class UnitTask:
    """What a worker needs to run one unit; small and picklable."""

    pass_index: int
    name: str
    config_json: str
    output_dir: str
    input_file: InputFile | None = None  # pass 0
    file_index: int = 0
    work_file: str | None = None  # later passes


@lru_cache(maxsize=2)
def built_passes(config_json: str) -> tuple[PipelineConfig, list[Pass]]:
    """Build and set up the stages once per worker process."""
    config = PipelineConfig.model_validate_json(config_json)
    stages = [stage_config.build() for stage_config in config.enabled_stages()]
    for stage in stages:
        stage.setup()
    return config, plan_passes(stages)


def planned_passes(config_json: str) -> list[Pass]:
    """The passes as a driver that runs no unit itself needs them: every stage built, only the
    global stages set up (the driver runs their `resolve`). Per-batch stages are set up by the
    workers that run them, so the driver does not load what they load (language profiles)."""
    config = PipelineConfig.model_validate_json(config_json)
    stages = [stage_config.build() for stage_config in config.enabled_stages()]
    for stage in stages:
        if is_global(stage):
            stage.setup()
    return plan_passes(stages)


def run_unit(task: UnitTask) -> Stats:
    """Run one unit and return its stats (also written as its completion marker)."""
    config, passes = built_passes(task.config_json)
    layout = RunLayout(Path(task.output_dir))
    this_pass = passes[task.pass_index]
    stats = Stats()
    chunks = (
        _input_chunks(task, config, stats, layout)
        if task.pass_index == 0
        else _work_chunks(task, config, this_pass, layout, stats)
    )
    sink = UnitSink(task.pass_index, task.name, config, layout, passes)
    fingerprints: list[pa.Table] = []
    first_batch = True
    try:
        for table in chunks:
            outcome = run_batch_stages(table, this_pass.stages)
            stats += outcome.stats
            if this_pass.collect is not None and outcome.live.num_rows:
                fingerprints.append(timed_collect(this_pass.collect, outcome.live, stats))
            sink.write(table.schema, outcome.live, outcome.dropped, stats)
            if first_batch:
                fault_point(f"pass{task.pass_index}", "unit", task.name, "mid")
                first_batch = False
        sink.close()
    except BaseException:
        sink.abort()
        raise
    if this_pass.collect is not None:
        _write_fingerprints(
            layout.fingerprint_file(task.pass_index, task.name), fingerprints, layout.staging
        )
    fault_point(f"pass{task.pass_index}", "unit", task.name, "after_publish")
    write_bytes_atomically(
        layout.unit_marker(task.pass_index, task.name),
        json.dumps(stats.to_json(), sort_keys=True).encode(),
        staging_dir=layout.staging,
    )
    return stats


def _input_chunks(
    task: UnitTask, config: PipelineConfig, stats: Stats, layout: RunLayout
) -> Iterator[pa.Table]:
    """Pass 0: read the input file, quarantine bad records, drop empty texts."""
    assert task.input_file is not None
    quarantine = QuarantineWriter(layout.quarantine_file(task.name), staging_dir=layout.staging)
    try:
        for chunk in read_configured_input(task.input_file, task.file_index, config.input):
            quarantine.write(chunk.unreadable)
            stats.count("records.read", chunk.table.num_rows + len(chunk.unreadable))
            stats.count("records.unreadable", len(chunk.unreadable))
            if chunk.table.num_rows == 0:
                continue
            yield _with_decision_columns(chunk.table, stats)
    except BaseException:
        quarantine.abort()
        raise
    quarantine.close()
    if quarantine.count:
        stats.count(f"unreadable_files.{task.input_file.uri}", quarantine.count)


def _with_decision_columns(table: pa.Table, stats: Stats) -> pa.Table:
    """Add `original_chars` and an empty `drop_reason`; drop records that have no text."""
    lengths = pc.fill_null(pc.utf8_length(table[TEXT]), 0)
    table = set_column(table, pa.field(ORIGINAL_CHARS, pa.int64()), pc.cast(lengths, pa.int64()))
    table = set_column(
        table, pa.field(DROP_REASON, pa.string()), pa.nulls(table.num_rows, pa.string())
    )
    stats.count("records.chars_read", int(pc.sum(lengths).as_py() or 0))
    return mark_empty(table, EMPTY_TEXT)


def _work_chunks(
    task: UnitTask, config: PipelineConfig, this_pass: Pass, layout: RunLayout, stats: Stats
) -> Iterator[pa.Table]:
    """Later passes: read an intermediate file and apply the previous global stage's decision."""
    assert task.work_file is not None and this_pass.apply is not None
    decision_dir = layout.global_dir(this_pass.index - 1)
    parquet = pq.ParquetFile(task.work_file)
    for batch in parquet.iter_batches(batch_size=config.input.batch_size):
        table = pa.Table.from_batches([batch])
        live, dropped = split_dropped(table)
        if live.num_rows:
            live = _timed_apply(this_pass.apply, live, decision_dir, stats)
        yield (
            pa.concat_tables([dropped, live], promote_options="default")
            if dropped.num_rows
            else live
        )


def _timed_apply(stage: GlobalStage, live: pa.Table, decision_dir: Path, stats: Stats) -> pa.Table:
    """A global stage's decision applied to live records, counted like a batch stage."""
    docs_in, chars_in = live.num_rows, text_chars(live)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = stage.apply(live, decision_dir)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    stats += result.stats
    text_edited = edits_text(stage)
    table = drop_emptied(result.table, text_edited=text_edited)
    # Only counted here: the batch is split again before the pass's batch stages.
    newly_dropped = dropped_records(table)
    chars_out = (text_chars(table) if text_edited else chars_in) - text_chars(newly_dropped)
    record_funnel(
        stats,
        stage.name,
        docs=(docs_in, result.table.num_rows - newly_dropped.num_rows),
        chars=(chars_in, chars_out),
        seconds=elapsed,
        cpu_seconds=cpu,
    )
    count_stage_drops(stats, stage.name, newly_dropped)
    return table


def _write_fingerprints(
    path: Path, tables: list[pa.Table], staging_dir: Path | None = None
) -> None:
    """Write a unit's fingerprints durably (staged, fsynced, renamed into place)."""
    if not tables:
        return
    combined = pa.concat_tables(tables, promote_options="default")
    staging = staging_dir or path.parent
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / f".{path.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(combined, tmp, **WORK_FILE_OPTIONS)
    publish(tmp, path)
