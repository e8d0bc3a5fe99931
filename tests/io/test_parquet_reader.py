from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from input_fixtures import bad_records, good_table, input_file, positions, read_all, write_file

from pipeline.schema import CORE_FIELDS, SEQ_FILE_SHIFT

CORE_NAMES = [f.name for f in CORE_FIELDS]


def write_parquet(path: Path, table: pa.Table, row_group_size: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_size, compression="zstd")
    return path


def news_table(count: int, start: int = 0) -> pa.Table:
    ids = list(range(start, start + count))
    return pa.table(
        {
            "doc_id": pa.array(ids, pa.int64()),
            "body": [f"Article {i}: the harbour reopened." for i in ids],
            "link": [f"https://port.example/{i}" if i % 2 else None for i in ids],
            "words": pa.array([5 + i for i in ids], pa.int32()),
            "tags": [["port", str(i)] for i in ids],
            "meta": [{"site": "port.example", "rank": i} for i in ids],
        }
    )


def test_reads_row_groups_in_bounded_batches_with_passthrough_types(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "news.parquet", news_table(10), row_group_size=4)
    chunks = read_all(
        input_file(path),
        file_index=2,
        text_field="body",
        id_field="doc_id",
        url_field="link",
        batch_size=3,
    )
    assert [c.table.num_rows for c in chunks] == [3, 1, 3, 1, 2]
    table = good_table(chunks)
    assert bad_records(chunks) == []
    assert table.column_names == CORE_NAMES + ["words", "tags", "meta"]
    assert table.schema.field("words").type == pa.int32()
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert table["id"].to_pylist() == [str(i) for i in range(10)]
    assert table["text"][7].as_py() == "Article 7: the harbour reopened."
    assert table["url"].to_pylist()[:3] == [None, "https://port.example/1", None]
    assert table["_source_row"].to_pylist() == list(range(10))
    assert table["_seq"].to_pylist() == [(2 << SEQ_FILE_SHIFT) + i for i in range(10)]
    assert table["meta"][3].as_py() == {"site": "port.example", "rank": 3}


def test_missing_id_column_gives_generated_ids_and_null_ids_are_filled(tmp_path: Path) -> None:
    table = pa.table({"text": ["a", "b", "c"], "id": ["x", None, "z"]})
    with_ids = write_parquet(tmp_path / "with.parquet", table)
    without_ids = write_parquet(tmp_path / "without.parquet", table.drop_columns(["id"]))
    assert good_table(read_all(input_file(with_ids)))["id"].to_pylist() == [
        "x",
        "with.parquet:1",
        "z",
    ]
    assert good_table(read_all(input_file(without_ids)))["id"].to_pylist() == [
        "without.parquet:0",
        "without.parquet:1",
        "without.parquet:2",
    ]


def test_missing_text_column_is_one_unreadable_for_the_file(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "a.parquet", news_table(3))
    chunks = read_all(input_file(path))
    assert positions(chunks) == [
        ("file", "no text column 'text'; the file has: doc_id, body, link, words, tags, meta")
    ]
    assert [c.table.num_rows for c in chunks] == [0]


def test_non_string_text_column_is_one_unreadable_for_the_file(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "a.parquet", pa.table({"text": [1, 2]}))
    assert positions(read_all(input_file(path))) == [
        ("file", "text column 'text' is int64, not a string")
    ]


def test_column_named_like_a_canonical_column_is_one_unreadable(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "a.parquet", pa.table({"body": ["x"], "_seq": [1]}))
    [(position, error)] = positions(read_all(input_file(path), text_field="body"))
    assert position == "file"
    assert error.startswith("input field '_seq' clashes with crawlsieve's own column")


def test_large_string_and_dictionary_text_are_cast(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": pa.array(["one", "two"], pa.large_string()),
            "kind": pa.array(["x", "y"]).dictionary_encode(),
        }
    )
    path = write_parquet(tmp_path / "a.parquet", table)
    result = good_table(read_all(input_file(path)))
    assert result.schema.field("text").type == pa.string()
    assert result["text"].to_pylist() == ["one", "two"]
    assert result["kind"].to_pylist() == ["x", "y"]


def test_null_and_invalid_utf8_texts_are_unreadable_rows(tmp_path: Path) -> None:
    texts = pa.array([b"good one", None, b"caf\xe9", b"good two", b"good three"], pa.binary())
    path = write_parquet(tmp_path / "a.parquet", pa.table({"text": texts}), row_group_size=3)
    chunks = read_all(input_file(path), batch_size=2)
    assert positions(chunks) == [
        ("row group 0 row 1", "text field 'text' is null"),
        ("row group 0 row 2", "invalid UTF-8"),
    ]
    table = good_table(chunks)
    assert table["text"].to_pylist() == ["good one", "good two", "good three"]
    assert table["_source_row"].to_pylist() == [0, 3, 4]
    assert table["id"].to_pylist() == ["a.parquet:0", "a.parquet:3", "a.parquet:4"]


def test_file_that_is_not_parquet_is_one_unreadable(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.parquet", b'{"text": "json in disguise"}\n')
    [(position, error)] = positions(read_all(input_file(path)))
    assert position == "file"
    assert error.startswith("not a Parquet file (")


def test_corrupt_row_group_is_unreadable_and_reading_goes_on(tmp_path: Path) -> None:
    table = pa.table({"text": [f"record {i} " + "x" * 200 for i in range(9)]})
    path = tmp_path / "a.parquet"
    pq.write_table(table, path, row_group_size=3, compression="none", use_dictionary=False)
    column = pq.ParquetFile(path).metadata.row_group(1).column(0)
    data = bytearray(path.read_bytes())
    start = column.data_page_offset
    data[start : start + 40] = b"\xff" * 40  # destroy the page header
    path.write_bytes(bytes(data))
    chunks = read_all(input_file(path))
    [(position, error)] = positions(chunks)
    assert position == "row group 1"
    assert error.startswith("cannot decode row group (")
    assert good_table(chunks)["_source_row"].to_pylist() == [0, 1, 2, 6, 7, 8]


def test_empty_parquet_file_yields_nothing(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "a.parquet", pa.table({"text": pa.array([], pa.string())}))
    assert [c for c in read_all(input_file(path)) if c.table.num_rows or c.unreadable] == []


@pytest.mark.parametrize("file_index", [0, 5])
def test_several_files_keep_their_own_index_and_rows(tmp_path: Path, file_index: int) -> None:
    first = write_parquet(tmp_path / "p0.parquet", pa.table({"text": ["a", "b"]}))
    second = write_parquet(tmp_path / "p1.parquet", pa.table({"text": ["c"]}))
    tables = [
        good_table(read_all(input_file(first), file_index=file_index)),
        good_table(read_all(input_file(second), file_index=file_index + 1)),
    ]
    combined = pa.concat_tables(tables)
    assert combined["text"].to_pylist() == ["a", "b", "c"]
    assert combined["_source_file"].to_pylist() == [file_index, file_index, file_index + 1]
    assert combined["_source_row"].to_pylist() == [0, 1, 0]
