"""The atomic Parquet writers: no partial file is ever visible, files roll at the row limit."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.io.parquet_writer import RollingShardWriter, ShardWriter

SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()), ("score", pa.float32())])


def rows(n: int, start: int = 0) -> pa.Table:
    return pa.table(
        {"id": [f"d{i}" for i in range(start, start + n)], "text": ["t"] * n},
    )


def test_file_appears_only_when_closed(tmp_path: Path) -> None:
    final = tmp_path / "data" / "part-0.parquet"
    writer = ShardWriter(final, SCHEMA, staging_dir=tmp_path / "staging", row_group_rows=4)
    writer.write(rows(10))
    assert not final.exists()
    assert writer.close() == final
    table = pq.read_table(final)
    assert table.schema == SCHEMA
    assert table.column("id").to_pylist() == [f"d{i}" for i in range(10)]
    assert table.column("score").null_count == 10
    metadata = pq.ParquetFile(final).metadata
    assert metadata.num_row_groups == 3
    assert metadata.row_group(0).column(0).compression == "ZSTD"
    assert list((tmp_path / "staging").iterdir()) == []


def test_abort_leaves_nothing(tmp_path: Path) -> None:
    final = tmp_path / "data" / "part-0.parquet"
    writer = ShardWriter(final, SCHEMA, staging_dir=tmp_path / "staging")
    writer.write(rows(3))
    writer.abort()
    assert not final.exists()
    assert list((tmp_path / "staging").iterdir()) == []


def test_rolling_writer_splits_files(tmp_path: Path) -> None:
    writer = RollingShardWriter(
        tmp_path / "out", "part-00000", SCHEMA, staging_dir=tmp_path / "s", rows_per_file=4
    )
    writer.write(rows(3))
    writer.write(rows(6, start=3))
    paths = writer.close()
    assert [p.name for p in paths] == [
        "part-00000-0000.parquet",
        "part-00000-0001.parquet",
        "part-00000-0002.parquet",
    ]
    counts = [pq.read_metadata(p).num_rows for p in paths]
    assert counts == [4, 4, 1]
    ids = pa.concat_tables([pq.read_table(p) for p in paths]).column("id").to_pylist()
    assert ids == [f"d{i}" for i in range(9)]


def test_no_file_for_no_rows(tmp_path: Path) -> None:
    writer = RollingShardWriter(tmp_path / "out", "x", SCHEMA, staging_dir=tmp_path / "s")
    writer.write(rows(0))
    assert writer.close() == []
    assert not (tmp_path / "out").exists()


def test_bad_column_type_is_an_error(tmp_path: Path) -> None:
    writer = ShardWriter(tmp_path / "x.parquet", SCHEMA, staging_dir=tmp_path / "s")
    with pytest.raises(pa.ArrowInvalid):
        writer.write(pa.table({"id": ["a"], "score": ["not a number"]}))
    writer.abort()
