"""Where one unit's records go, and how its files follow a schema that widens.

A non-final pass writes every record (live and dropped) to intermediate files; the final pass
writes kept records to `data/` and dropped ones to `rejected/`. A unit's schema is fixed by its
first batch plus every column the pass's stages declare, so files have the same columns even when a
batch had no live records. When a later batch brings a column the first did not have, or values of
a wider type (a JSONL field that first appears deep into the file), the schema widens
(`pipeline.schema_widening`) and the writers start a new file: no value is lost, and the end of the
run gives all files of a directory one schema (`pipeline.run.output_unify`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import PipelineConfig
from pipeline.io.parquet_writer import WORK_FILE_OPTIONS, RollingShardWriter, ShardWriter
from pipeline.run.batch import text_chars
from pipeline.run.layout import RunLayout
from pipeline.run.output_schema import feature_names, final_schema, final_table, unit_schema
from pipeline.run.plan import Pass
from pipeline.schema import DROP_REASON
from pipeline.schema_widening import widen_schema
from pipeline.stats.bag import Stats
from pipeline.stats.breakdown import count_outcomes


class UnitSink:
    """The output of one unit of pass `pass_index`, opened on the first batch's schema and widened
    when a later batch's input schema has more columns or wider types."""

    def __init__(
        self,
        pass_index: int,
        unit: str,
        config: PipelineConfig,
        layout: RunLayout,
        passes: Sequence[Pass],
    ) -> None:
        self.pass_index = pass_index
        self.unit = unit
        self.config = config
        self.layout = layout
        self.passes = passes
        self._input_schema: pa.Schema | None = None
        self._sink: WorkSink | FinalSink | None = None

    def write(
        self, input_schema: pa.Schema, live: pa.Table, dropped: list[pa.Table], stats: Stats
    ) -> None:
        """Write one batch's outcome; `input_schema` is the schema the batch was read with."""
        if self._sink is None:
            self._input_schema = input_schema
            self._sink = self._open(unit_schema(input_schema, self.passes, self.pass_index))
        elif not input_schema.equals(self._input_schema):
            widened = widen_schema(self._input_schema, input_schema)
            if widened is not self._input_schema:
                self._input_schema = widened
                self._sink.widen(unit_schema(widened, self.passes, self.pass_index))
        self._sink.write(live, dropped, stats)

    def _open(self, schema: pa.Schema) -> WorkSink | FinalSink:
        if self.passes[self.pass_index].is_final:
            return FinalSink(
                self.unit, self.config, self.layout, schema, feature_names(self.passes)
            )
        return WorkSink(self.pass_index, self.unit, self.config, self.layout, schema)

    def close(self) -> None:
        if self._sink is not None:
            self._sink.close()

    def abort(self) -> None:
        if self._sink is not None:
            self._sink.abort()


class WorkSink:
    """Intermediate output of a non-final pass: every record, live and dropped, one schema per
    file. Pass 0 rolls over `rows_per_file` files (and starts a new one when its schema widens);
    a later pass reads one of those files, so it writes one file of that file's schema."""

    def __init__(
        self,
        pass_index: int,
        unit: str,
        config: PipelineConfig,
        layout: RunLayout,
        schema: pa.Schema,
    ) -> None:
        out = config.output
        options = {
            "staging_dir": layout.staging,
            "row_group_rows": out.row_group_rows,
            **WORK_FILE_OPTIONS,
        }
        directory = layout.pass_dir(pass_index)
        self.writer: RollingShardWriter | ShardWriter
        if pass_index == 0:
            self.writer = RollingShardWriter(
                directory, unit, schema, rows_per_file=out.rows_per_file, **options
            )
        else:
            self.writer = ShardWriter(directory / f"{unit}.parquet", schema, **options)

    def widen(self, schema: pa.Schema) -> None:
        if not isinstance(self.writer, RollingShardWriter):
            raise AssertionError("a later pass reads one file, whose schema cannot widen")
        self.writer.widen(schema)

    def write(self, live: pa.Table, dropped: list[pa.Table], stats: Stats) -> None:
        for table in [*dropped, live]:
            self.writer.write(table)

    def close(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        self.writer.abort()


class FinalSink:
    """Kept records to `data/`, dropped records to `rejected/`, counted by reason."""

    def __init__(
        self,
        unit: str,
        config: PipelineConfig,
        layout: RunLayout,
        schema: pa.Schema,
        features: list[str],
    ) -> None:
        self.config = config
        self.features = features
        out = config.output
        options = {
            "staging_dir": layout.staging,
            "rows_per_file": out.rows_per_file,
            "compression": out.compression,
            "compression_level": out.compression_level,
            "row_group_rows": out.row_group_rows,
        }
        stem = f"part-{unit}"
        self._set_schemas(schema)
        self.kept = RollingShardWriter(layout.data_dir, stem, self.kept_schema, **options)
        self.rejected = RollingShardWriter(
            layout.rejected_dir, stem, self.rejected_schema, **options
        )

    def _set_schemas(self, schema: pa.Schema) -> None:
        self.kept_schema = final_schema(schema, self.config, self.features, rejected=False)
        self.rejected_schema = final_schema(schema, self.config, self.features, rejected=True)

    def widen(self, schema: pa.Schema) -> None:
        self._set_schemas(schema)
        self.kept.widen(self.kept_schema)
        self.rejected.widen(self.rejected_schema)

    def write(self, live: pa.Table, dropped: list[pa.Table], stats: Stats) -> None:
        stats.count("records.kept", live.num_rows)
        stats.count("records.chars_kept", text_chars(live))
        count_outcomes(stats, live, dropped)
        self.kept.write(final_table(live, self.kept_schema, self.config))
        for table in dropped:
            stats.count("records.dropped", table.num_rows)
            for reason, count in _value_counts(table[DROP_REASON]).items():
                stats.count(f"drop_reasons.{reason}", count)
            if self.config.output.write_rejected:
                self.rejected.write(final_table(table, self.rejected_schema, self.config))

    def close(self) -> None:
        self.kept.close()
        self.rejected.close()

    def abort(self) -> None:
        self.kept.abort()
        self.rejected.abort()


def _value_counts(column: pa.ChunkedArray) -> dict[str, int]:
    counts = pc.value_counts(pc.fill_null(column, "unknown"))
    return {str(item["values"].as_py()): int(item["counts"].as_py()) for item in counts}
