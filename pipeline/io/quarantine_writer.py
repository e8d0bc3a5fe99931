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


def write_quarantine(path: Path, records: Sequence[Unreadable], *, staging_dir: Path) -> None:
    """Write the unreadable records of one unit as one Parquet file."""
    table = pa.Table.from_pylist(
        [
            {"source": r.source, "position": r.position, "error": r.error, "raw": r.raw}
            for r in records
        ],
        schema=QUARANTINE_SCHEMA,
    )
    writer = ShardWriter(path, QUARANTINE_SCHEMA, staging_dir=staging_dir)
    writer.write(table)
    writer.close()
