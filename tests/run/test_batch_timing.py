"""The runner times every per-batch stage in wall-clock and in CPU seconds."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from pipeline.run.batch import run_batch_stages
from pipeline.stage import StageResult


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
