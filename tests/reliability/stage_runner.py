"""Run built stage objects on small in-memory tables, as the runner would, or forcing every stage to
see every record.

* `run_pipeline` follows the runner: batch stages through `run_batch_stages` (dropped records set
  aside), global stages through collect, resolve (over one fingerprint file) and apply.
* `run_each_stage` gives every stage every record (drop decisions are recorded and then cleared),
  so that a stage late in the order still meets the hostile text an earlier one would drop; it
  times each stage.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.run.batch import EMPTY_TEXT, mark_empty, run_batch_stages, split_dropped
from pipeline.run.plan import is_global, plan_passes
from pipeline.schema import (
    DROP_REASON,
    ID,
    ORIGINAL_CHARS,
    SEQ,
    SOURCE_FILE,
    SOURCE_ROW,
    TEXT,
    URL,
    set_column,
)
from pipeline.stats.bag import Stats


def record_table(texts: Sequence[str], *, urls: Sequence[str | None] | None = None) -> pa.Table:
    """Records as pass 0 hands them to the stages: canonical columns, `original_chars`, an empty
    `drop_reason`, and `empty_text` for records without text."""
    count = len(texts)
    urls = list(urls) if urls is not None else [f"https://news.example/{i}" for i in range(count)]
    table = pa.table(
        {
            ID: pa.array([f"doc-{i:05d}" for i in range(count)], pa.string()),
            TEXT: pa.array(list(texts), pa.string()),
            URL: pa.array(urls, pa.string()),
            SOURCE_FILE: pa.array([0] * count, pa.int32()),
            SOURCE_ROW: pa.array(range(count), pa.int64()),
            SEQ: pa.array(range(count), pa.uint64()),
        }
    )
    lengths = pc.cast(pc.utf8_length(table[TEXT]), pa.int64())
    table = set_column(table, pa.field(ORIGINAL_CHARS, pa.int64()), lengths)
    table = set_column(table, pa.field(DROP_REASON, pa.string()), pa.nulls(count, pa.string()))
    return mark_empty(table, EMPTY_TEXT)


@dataclass
class PipelineOutcome:
    """What the stages made of a table."""

    live: pa.Table
    dropped: list[pa.Table] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)

    def dropped_table(self) -> pa.Table:
        tables = [t for t in self.dropped if t.num_rows]
        return pa.concat_tables(tables, promote_options="default") if tables else self.live[:0]


def setup_all(stages: Sequence[Any]) -> None:
    for stage in stages:
        stage.setup()


def run_pipeline(table: pa.Table, stages: Sequence[Any], work_dir: Path) -> PipelineOutcome:
    """Run `stages` over `table` pass by pass, as the local runner does for one unit."""
    outcome = PipelineOutcome(live=table)
    applied: tuple[Any, Path] | None = None
    for p in plan_passes(stages):
        live = outcome.live
        if applied is not None:
            stage, decision_dir = applied
            result = stage.apply(live, decision_dir)
            outcome.stats += result.stats
            live = result.table
        step = run_batch_stages(live, p.stages)
        outcome.dropped += step.dropped
        outcome.stats += step.stats
        outcome.live = step.live
        if p.collect is not None:
            decision_dir, stats = resolve_global(
                p.collect, outcome.live, work_dir / f"global{p.index}"
            )
            outcome.stats += stats
            applied = (p.collect, decision_dir)
    return outcome


def resolve_global(stage: Any, live: pa.Table, work_dir: Path) -> tuple[Path, Stats]:
    """Collect fingerprints of `live` into one file and resolve them; returns the decision
    directory and the resolve's stats."""
    work_dir.mkdir(parents=True, exist_ok=True)
    fingerprints = work_dir / "fingerprints.parquet"
    pq.write_table(stage.collect(live), fingerprints)
    decision_dir = work_dir / "decision"
    decision_dir.mkdir(exist_ok=True)
    return decision_dir, stage.resolve([fingerprints], decision_dir)


@dataclass
class StageStep:
    """One stage's output in `run_each_stage`, with its reasons and its time."""

    name: str
    table: pa.Table
    reasons: list[str | None]
    seconds: float
    stats: Stats


def run_each_stage(
    table: pa.Table, stages: Sequence[Any], work_dir: Path, *, original_text: bool = False
) -> list[StageStep]:
    """Give every stage every record of `table`; returns each stage's output and time.

    With `original_text`, every stage gets the input's text (not the text its predecessor left),
    so that each one meets the hostile text itself, even when an earlier stage removed it.
    """
    steps = []
    current = table
    for index, stage in enumerate(stages):
        started = time.perf_counter()
        stats = Stats()
        if is_global(stage):
            decision_dir, stats = resolve_global(stage, current, work_dir / f"stage{index}")
            result = stage.apply(current, decision_dir)
        else:
            result = stage.process(current)
        seconds = time.perf_counter() - started
        out = result.table
        reasons = out[DROP_REASON].to_pylist() if DROP_REASON in out.column_names else []
        steps.append(StageStep(stage.name, out, reasons, seconds, stats + result.stats))
        current = set_column(
            out, pa.field(DROP_REASON, pa.string()), pa.nulls(out.num_rows, pa.string())
        )
        if original_text:
            current = set_column(current, table.schema.field(TEXT), table[TEXT])
    return steps


def live_and_dropped_ids(outcome: PipelineOutcome) -> tuple[list[str], list[str]]:
    """Ids of the live records and of the dropped records (which must all have a reason)."""
    dropped = outcome.dropped_table()
    if dropped.num_rows:
        assert pc.all(pc.is_valid(dropped[DROP_REASON])).as_py()
    live, not_dropped = split_dropped(outcome.live)
    assert not_dropped.num_rows == 0
    return live[ID].to_pylist(), dropped[ID].to_pylist()
