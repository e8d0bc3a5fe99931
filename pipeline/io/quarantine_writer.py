"""Unreadable records go to `out/quarantine/` with their source, position and error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from pipeline.io.parquet_writer import ShardWriter
from pipeline.io.source import Unreadable

QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string()),
        pa.field("position", pa.string()),
        pa.field("error", pa.string()),
        pa.field("raw", pa.string()),
    ]
)


class QuarantineWriter:
    """Streams one unit's unreadable records to one Parquet file (created only if there are any)."""

    def __init__(self, path: Path, *, staging_dir: Path) -> None:
        self.path = path
        self.staging_dir = staging_dir
        self.count = 0
        self._writer: ShardWriter | None = None

    def write(self, records: Sequence[Unreadable]) -> None:
        if not records:
            return
        if self._writer is None:
            self._writer = ShardWriter(
                self.path, QUARANTINE_SCHEMA, staging_dir=self.staging_dir, row_group_rows=10_000
            )
        table = pa.Table.from_pylist(
            [
                {"source": r.source, "position": r.position, "error": r.error, "raw": r.raw}
                for r in records
            ],
            schema=QUARANTINE_SCHEMA,
        )
        self._writer.write(table)
        self.count += len(records)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()
