"""Run a sequence of per-batch stages over one table, routing dropped records aside.

Each stage sees only live records. After a stage, records it gave a `drop_reason` are set aside;
records whose text a cleaning stage emptied are dropped as `empty_after_cleaning`. The funnel
(records and characters in and out, seconds) is counted per stage.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.run.text_chars import text_column_chars
from pipeline.schema import DROP_REASON, TEXT, set_column
from pipeline.stage import BatchStage, GlobalStage
from pipeline.stats.bag import Stats
from pipeline.stats.breakdown import count_stage_drops

EMPTY_TEXT = "empty_text"
EMPTY_AFTER_CLEANING = "empty_after_cleaning"


@dataclass
class BatchOutcome:
    """Live records after the stages, the records dropped along the way, and what was counted."""

    live: pa.Table
    dropped: list[pa.Table] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)


def text_chars(table: pa.Table) -> int:
    """Total characters of the text column (nulls count as zero)."""
    if table.num_rows == 0:
        return 0
    return text_column_chars(table[TEXT])


def split_dropped(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(live, dropped) by whether `drop_reason` is set.

    When the dropped records are all at the start or all at the end (as in a later pass, whose
    batches are the records dropped earlier followed by the live ones), both parts are slices of
    `table`: no copy of the live records' text.
    """
    if DROP_REASON not in table.column_names or table.num_rows == 0:
        return table, table.slice(0, 0)
    reasons = table[DROP_REASON]
    live_rows = reasons.null_count
    if live_rows == table.num_rows:
        return table, table.slice(0, 0)
    if live_rows == 0:
        return table.slice(0, 0), table
    dropped_mask = pc.is_valid(reasons)
    dropped_rows = table.num_rows - live_rows
    if pc.all(dropped_mask.slice(0, dropped_rows)).as_py():
        return table.slice(dropped_rows), table.slice(0, dropped_rows)
    if pc.all(dropped_mask.slice(live_rows)).as_py():
        return table.slice(0, live_rows), table.slice(live_rows)
    return table.filter(pc.invert(dropped_mask)), table.filter(dropped_mask)


def dropped_records(table: pa.Table) -> pa.Table:
    """The records of `table` whose `drop_reason` is set (a copy of few rows, not of the live)."""
    if DROP_REASON not in table.column_names or table[DROP_REASON].null_count == table.num_rows:
        return table.slice(0, 0)
    return table.filter(pc.is_valid(table[DROP_REASON]))


def blank_texts(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """True where a text is null, empty or whitespace only.

    `utf8_is_space` stops at the first other character, where trimming would copy every text;
    both use Unicode's White_Space property (the same answer for every code point, tested).
    """
    text = pc.fill_null(text, "")
    return pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text))


def mark_empty(table: pa.Table, reason: str) -> pa.Table:
    """Give records with empty or whitespace-only text the drop reason `reason`."""
    if table.num_rows == 0:
        return table
    empty = blank_texts(table[TEXT])
    if not pc.any(empty).as_py():
        return table
    current = (
        table[DROP_REASON]
        if DROP_REASON in table.column_names
        else pa.nulls(table.num_rows, pa.string())
    )
    reasons = pc.if_else(empty, pa.scalar(reason, pa.string()), current)
    return set_column(table, pa.field(DROP_REASON, pa.string()), reasons)


def edits_text(stage: BatchStage | GlobalStage) -> bool:
    """True when the stage declares that it rewrites the text column."""
    return any(f.name == TEXT for f in stage.output_fields())


def drop_emptied(table: pa.Table, *, text_edited: bool) -> pa.Table:
    """A stage's output with the records whose text it emptied dropped as `empty_after_cleaning`
    (only a stage that edits text, per `edits_text`, can empty one): per-batch stages and a global
    stage's apply alike."""
    return mark_empty(table, EMPTY_AFTER_CLEANING) if text_edited else table


def run_batch_stages(table: pa.Table, stages: Sequence[BatchStage]) -> BatchOutcome:
    """Apply `stages` in order to the live records of `table`."""
    outcome = BatchOutcome(live=table)
    live, dropped = split_dropped(table)
    if dropped.num_rows:
        outcome.dropped.append(dropped)
    chars = text_chars(live) if stages else 0
    for stage in stages:
        if live.num_rows == 0:
            break
        docs_in, chars_in = live.num_rows, chars
        started, cpu_started = time.perf_counter(), time.process_time()
        result = stage.process(live)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        text_edited = edits_text(stage)
        live, dropped = split_dropped(drop_emptied(result.table, text_edited=text_edited))
        if dropped.num_rows:
            outcome.dropped.append(dropped)
        chars = chars_left(live, dropped, chars_in=chars_in, text_edited=text_edited)
        outcome.stats = outcome.stats + result.stats
        record_funnel(
            outcome.stats,
            stage.name,
            docs=(docs_in, live.num_rows),
            chars=(chars_in, chars),
            seconds=elapsed,
            cpu_seconds=cpu,
        )
        count_stage_drops(outcome.stats, stage.name, dropped)
    outcome.live = live
    return outcome


def chars_left(live: pa.Table, dropped: pa.Table, *, chars_in: int, text_edited: bool) -> int:
    """Characters of the live records after a stage that received `chars_in` characters.

    A stage that does not edit text only sets drop reasons, so what it dropped is subtracted
    instead of measuring every live text again.
    """
    if text_edited:
        return text_chars(live)
    return chars_in - text_chars(dropped)


def record_funnel(
    stats: Stats,
    name: str,
    *,
    docs: tuple[int, int],
    chars: tuple[int, int],
    seconds: float,
    cpu_seconds: float,
) -> None:
    """Count one stage's effect on one batch under `funnel.<name>.*` and `timing.<name>`.

    `docs` and `chars` are the live records and their characters (before, after) the stage.
    `seconds` is wall-clock time; `cpu_seconds` is the CPU time of the worker process in the stage,
    which stays meaningful on a machine shared with other jobs.
    """
    stats.count(f"funnel.{name}.docs_in", docs[0])
    stats.count(f"funnel.{name}.chars_in", chars[0])
    stats.count(f"funnel.{name}.docs_out", docs[1])
    stats.count(f"funnel.{name}.chars_out", chars[1])
    stats.count(f"timing.{name}.seconds", seconds)
    stats.count(f"timing.{name}.cpu_seconds", cpu_seconds)


def timed_collect(stage: GlobalStage, live: pa.Table, stats: Stats) -> pa.Table:
    """A global stage's fingerprints of one batch, timed under `timing.<stage>.collect_*`."""
    started, cpu_started = time.perf_counter(), time.process_time()
    fingerprints = stage.collect(live)
    stats.count(f"timing.{stage.name}.collect_seconds", time.perf_counter() - started)
    stats.count(f"timing.{stage.name}.collect_cpu_seconds", time.process_time() - cpu_started)
    return fingerprints
