"""The work the Ray runner's workers do, built from the local runner's own functions.

One unit of one pass (an input file in pass 0, an intermediate file afterwards) is split three ways:

* `read_unit_batches` (a Ray Data task): reads the unit exactly as the local runner does, applying
  the previous global stage's decision in later passes, and emits every read batch as an envelope;
* `BatchChain` (a Ray Data actor; its stages are built and set up once per actor): runs the pass's
  per-batch stages and the global stage's `collect` on one batch, and writes the batch's result;
* `publish_unit` (a Ray task): writes the unit's batch results, in batch order, through the local
  runner's writers, so file names, row groups and bytes are the local runner's.

`resolve_global` runs a global stage's `resolve` on a worker. None of these hold the corpus: the
driver only sees small summaries and `Stats`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.config import PipelineConfig
from pipeline.io.parquet_writer import write_bytes_atomically
from pipeline.io.source import InputFile
from pipeline.run.batch import run_batch_stages, timed_collect
from pipeline.run.faults import fault_point
from pipeline.run.layout import RunLayout
from pipeline.run.local import _resolve
from pipeline.run.plan import Pass, plan_passes
from pipeline.run.ray_transport import (
    BatchResult,
    envelope,
    open_envelope,
    read_batch_result,
    result_file,
    stats_from_json,
    stats_to_json,
    write_batch_result,
)
from pipeline.run.unit_sinks import UnitSink
from pipeline.run.units import (
    UnitTask,
    _input_chunks,
    _work_chunks,
    _write_fingerprints,
)
from pipeline.stats.bag import Stats

READ_INFO = "read.json"
SUMMARY_SCHEMA = pa.schema(
    [
        pa.field("unit", pa.string(), nullable=False),
        pa.field("batch", pa.int64(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
    ]
)


def unit_dir(layout: RunLayout, pass_index: int, unit: str) -> Path:
    """The directory that holds one unit's batch results until it is published."""
    return layout.pass_dir(pass_index) / "ray" / unit


@lru_cache(maxsize=2)
def planned_passes(config_json: str) -> tuple[PipelineConfig, list[Pass]]:
    """The passes with their stages built but not set up (enough for schemas and the plan)."""
    config = PipelineConfig.model_validate_json(config_json)
    return config, plan_passes([stage.build() for stage in config.enabled_stages()])


@lru_cache(maxsize=2)
def global_passes(config_json: str) -> tuple[PipelineConfig, list[Pass]]:
    """The passes with only their global stages set up (to resolve and apply decisions)."""
    config = PipelineConfig.model_validate_json(config_json)
    passes = plan_passes([stage.build() for stage in config.enabled_stages()])
    for p in passes:
        if p.collect is not None:
            p.collect.setup()
    return config, passes


def unit_row(
    name: str,
    *,
    input_file: InputFile | None = None,
    file_index: int = 0,
    work_file: str | None = None,
) -> dict[str, object]:
    """A unit as a row of the Ray Data dataset that drives a pass."""
    return {
        "name": name,
        "uri": input_file.uri if input_file else None,
        "format": input_file.format if input_file else None,
        "size": input_file.size if input_file else None,
        "compression": input_file.compression if input_file else None,
        "input_name": input_file.name if input_file else None,
        "file_index": file_index,
        "work_file": work_file,
    }


def unit_task(row: dict, config_json: str, output_dir: str, pass_index: int) -> UnitTask:
    """The local runner's `UnitTask` for a unit row."""
    input_file = None
    if row["uri"] is not None:
        input_file = InputFile(
            uri=row["uri"],
            format=row["format"],
            size=row["size"],
            compression=row["compression"],
            name=row["input_name"],
        )
    return UnitTask(
        pass_index,
        row["name"],
        config_json,
        output_dir,
        input_file=input_file,
        file_index=row["file_index"],
        work_file=row["work_file"],
    )


def read_unit_batches(
    units: pa.Table, *, config_json: str, output_dir: str, pass_index: int
) -> Iterator[pa.Table]:
    """Ray Data UDF: every read batch of the given units, one envelope row each.

    When a unit is read to its end, its reading stats and batch count are written to
    `<unit dir>/read.json`; quarantined records are written as the local runner writes them.
    """
    config, passes = (planned_passes if pass_index == 0 else global_passes)(config_json)
    layout = RunLayout(Path(output_dir))
    for row in units.to_pylist():
        task = unit_task(row, config_json, output_dir, pass_index)
        stats = Stats()
        chunks = (
            _input_chunks(task, config, stats, layout)
            if pass_index == 0
            else _work_chunks(task, config, passes[pass_index], layout, stats)
        )
        batches = 0
        for table in chunks:
            yield envelope(task.name, batches, table)
            batches += 1
        info = {"batches": batches, "stats": stats_to_json(stats)}
        write_bytes_atomically(
            unit_dir(layout, pass_index, task.name) / READ_INFO,
            json.dumps(info).encode("utf-8"),
            staging_dir=layout.staging,
        )


@lru_cache(maxsize=2)
def pass_with_setup(config_json: str, pass_index: int) -> Pass:
    """One pass with its own stages (and the global stage it collects for) set up.

    An actor of pass 0 does not load what only pass 2 needs (language profiles, say).
    """
    _, passes = planned_passes.__wrapped__(config_json)
    this_pass = passes[pass_index]
    for stage in this_pass.stages:
        stage.setup()
    if this_pass.collect is not None:
        this_pass.collect.setup()
    return this_pass


class BatchChain:
    """Ray Data actor: the pass's per-batch stages, built and set up once per actor."""

    def __init__(self, *, config_json: str, output_dir: str, pass_index: int) -> None:
        self.this_pass = pass_with_setup(config_json, pass_index)
        self.layout = RunLayout(Path(output_dir))

    def __call__(self, envelopes: pa.Table) -> pa.Table:
        units, batches, rows = [], [], []
        for row in range(envelopes.num_rows):
            unit, batch, table = open_envelope(envelopes, row)
            outcome = run_batch_stages(table, self.this_pass.stages)
            result = BatchResult(
                input_schema=table.schema,
                live=outcome.live,
                dropped=outcome.dropped,
                stats=outcome.stats,
            )
            collect = self.this_pass.collect
            if collect is not None and outcome.live.num_rows:
                result.fingerprints.append(timed_collect(collect, outcome.live, result.stats))
            path = result_file(unit_dir(self.layout, self.this_pass.index, unit), batch)
            write_batch_result(path, result)
            units.append(unit)
            batches.append(batch)
            rows.append(table.num_rows)
        return pa.Table.from_arrays(
            [pa.array(units, pa.string()), pa.array(batches, pa.int64()), pa.array(rows)],
            schema=SUMMARY_SCHEMA,
        )


def publish_unit(config_json: str, output_dir: str, pass_index: int, unit: str) -> Stats:
    """Write one unit's output from its batch results, exactly as `run_unit` would have.

    Returns the unit's stats, which are also written as its completion marker. Keep this in step
    with `run_unit` (the same sinks, fingerprints, fault points and marker, in the same order);
    `tests/run/test_ray_runner.py` compares the two executors' output byte for byte.
    """
    config, passes = planned_passes(config_json)
    layout = RunLayout(Path(output_dir))
    marker = layout.unit_marker(pass_index, unit)
    if marker.exists():  # a retried task whose first attempt finished
        return Stats.from_json(json.loads(marker.read_text(encoding="utf-8")))
    this_pass = passes[pass_index]
    directory = unit_dir(layout, pass_index, unit)
    info = json.loads((directory / READ_INFO).read_text(encoding="utf-8"))
    stats = stats_from_json(info["stats"])
    sink = UnitSink(pass_index, unit, config, layout, passes)
    fingerprints: list[pa.Table] = []
    try:
        for batch in range(info["batches"]):
            result = read_batch_result(result_file(directory, batch))
            stats += result.stats
            fingerprints.extend(result.fingerprints)
            sink.write(result.input_schema, result.live, result.dropped, stats)
            if batch == 0:
                fault_point(f"pass{pass_index}", "unit", unit, "mid")
        sink.close()
    except BaseException:
        sink.abort()
        raise
    if this_pass.collect is not None:
        _write_fingerprints(layout.fingerprint_file(pass_index, unit), fingerprints, layout.staging)
    fault_point(f"pass{pass_index}", "unit", unit, "after_publish")
    write_bytes_atomically(
        marker,
        json.dumps(stats.to_json(), sort_keys=True).encode(),
        staging_dir=layout.staging,
    )
    shutil.rmtree(directory, ignore_errors=True)
    return stats


def resolve_global(config_json: str, output_dir: str, pass_index: int) -> Stats:
    """Run the global stage collected in pass `pass_index` over its fingerprint files."""
    _, passes = global_passes(config_json)
    stage = passes[pass_index].collect
    assert stage is not None, f"pass {pass_index} collects no global stage"
    return _resolve(stage, pass_index, RunLayout(Path(output_dir)))


def sees_file(path: str, content: str) -> bool:
    """True when this worker's node reads `content` at `path` (a check of shared storage)."""
    try:
        return Path(path).read_text(encoding="utf-8") == content
    except OSError:
        return False


def call(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)`, as a Ray task (`ray_runner.task_map` runs the calls of a `map` so)."""
    return function(*args)
