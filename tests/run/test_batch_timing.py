"""The runner times every per-batch stage in wall-clock and in CPU seconds."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pytest

from pipeline.run.batch import run_batch_stages, timed_collect
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats
from pipeline.stats.summary import stage_seconds


class UpperCase:
    """A stand-in cleaning stage that rewrites the text."""

    name = "upper"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field("text", pa.string())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        upper = pa.array([text.upper() for text in table["text"].to_pylist()], pa.string())
        return StageResult(table.set_column(table.column_names.index("text"), "text", upper))


def test_stage_time_is_counted_in_wall_and_cpu_seconds() -> None:
    table = pa.table({"id": ["a", "b"], "text": ["one", "two"]})
    outcome = run_batch_stages(table, [UpperCase()])
    counters = outcome.stats.counters
    assert outcome.live["text"].to_pylist() == ["ONE", "TWO"]
    assert sorted(key for key in counters if key.startswith("timing.")) == [
        "timing.upper.cpu_seconds",
        "timing.upper.seconds",
    ]
    assert counters["timing.upper.cpu_seconds"] >= 0
    assert counters["funnel.upper.docs_in"] == 2


class Fingerprint:
    """A stand-in global stage whose `collect` does measurable work."""

    name = "prints"

    def collect(self, table: pa.Table) -> pa.Table:
        lengths = [sum(ord(c) for c in text * 2000) for text in table["text"].to_pylist()]
        return pa.table({"length": pa.array(lengths, pa.int64())})


def test_collect_is_timed_and_counted_in_the_stage_time() -> None:
    table = pa.table({"id": ["a", "b"], "text": ["one", "two"]})
    stats = Stats()
    fingerprints = timed_collect(Fingerprint(), table, stats)
    counters = stats.counters
    assert fingerprints["length"].to_pylist() == [644000, 692000]
    assert counters["timing.prints.collect_seconds"] > 0
    assert counters["timing.prints.collect_cpu_seconds"] > 0
    stats.count("timing.prints.seconds", 1.0)
    stats.count("timing.prints.resolve_seconds", 2.0)
    total = stage_seconds(stats.counters, "prints")
    assert total == pytest.approx(3.0 + counters["timing.prints.collect_seconds"], rel=1e-12)
