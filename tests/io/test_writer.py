"""The atomic Parquet writers: no partial file is ever visible, files roll at the row limit."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.io.parquet_writer import WORK_FILE_OPTIONS, RollingShardWriter, ShardWriter

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


def test_rolling_writer_starts_a_new_file_when_its_schema_widens(tmp_path: Path) -> None:
    schema = rows(1).schema
    writer = RollingShardWriter(tmp_path / "out", "part", schema, staging_dir=tmp_path / "staging")
    writer.write(rows(3))
    wider = schema.append(pa.field("author", pa.string()))
    writer.widen(wider)
    writer.widen(wider)  # the same schema again starts nothing
    writer.write(rows(2, start=3).append_column("author", pa.array(["a", "b"])))
    paths = writer.close()
    assert [p.name for p in paths] == ["part-0000.parquet", "part-0001.parquet"]
    first, second = (pq.read_table(p) for p in paths)
    assert first.schema == schema
    assert second.schema == wider
    assert second["author"].to_pylist() == ["a", "b"]
    assert first.num_rows + second.num_rows == 5


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


REMOVED = pa.list_(pa.struct([("rule", pa.string()), ("text", pa.string())]))
WORK_SCHEMA = pa.schema(
    [("id", pa.string()), ("text", pa.string()), ("removed_lines", REMOVED), ("n", pa.int64())]
)


def work_batch(start: int, n: int) -> pa.Table:
    """Records shaped like a pass's intermediate output: multi-byte, empty and null texts,
    removed lines as a list of structs, repeated values a dictionary would catch."""
    texts = ["Überschrift\nZeile 😀", "", None, "短い\n\n記事", "x" * 300, "same", "same"]
    return pa.table(
        {
            "id": [f"d{i}" for i in range(start, start + n)],
            "text": [texts[i % len(texts)] for i in range(start, start + n)],
            "removed_lines": [
                [{"rule": "share_line", "text": f"Share {i} ✓"}] if i % 3 else [] for i in range(n)
            ],
            "n": list(range(start, start + n)),
        },
        schema=WORK_SCHEMA,
    )


def test_work_files_are_lz4_without_statistics_and_read_back_identically(tmp_path: Path) -> None:
    path = tmp_path / "pass-0" / "00000.parquet"
    writer = ShardWriter(
        path, WORK_SCHEMA, staging_dir=tmp_path / "s", row_group_rows=10, **WORK_FILE_OPTIONS
    )
    batches = [work_batch(0, 7), work_batch(7, 1), work_batch(8, 13), work_batch(21, 4)]
    for batch in batches:
        writer.write(batch)
    writer.close()
    expected = pa.concat_tables(batches)
    assert pq.read_table(path).equals(expected)
    read_back = [pa.Table.from_batches([b]) for b in pq.ParquetFile(path).iter_batches(6)]
    assert pa.concat_tables(read_back).equals(expected)
    metadata = pq.ParquetFile(path).metadata
    # 21 rows pending are flushed as 10 + 10 + 1; the last 4 at close.
    assert [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)] == [
        10,
        10,
        1,
        4,
    ]
    for group in range(metadata.num_row_groups):
        for column in range(metadata.num_columns):
            chunk = metadata.row_group(group).column(column)
            assert chunk.compression == "LZ4"
            assert not chunk.is_stats_set
            assert not chunk.has_dictionary_page


def test_final_files_keep_compression_statistics_and_dictionaries(tmp_path: Path) -> None:
    path = tmp_path / "data" / "part-0.parquet"
    writer = ShardWriter(path, WORK_SCHEMA, staging_dir=tmp_path / "s", row_group_rows=10)
    batches = [work_batch(0, 7), work_batch(7, 13)]
    for batch in batches:
        writer.write(batch)
    writer.close()
    assert pq.read_table(path).equals(pa.concat_tables(batches))
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(1)
    assert chunk.compression == "ZSTD"
    assert chunk.is_stats_set
    assert chunk.has_dictionary_page
