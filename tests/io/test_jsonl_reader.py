from __future__ import annotations

import functools
import gzip
from pathlib import Path

import pyarrow as pa
import pytest
import zstandard
from input_fixtures import (
    bad_records,
    compress,
    good_table,
    input_file,
    jsonl_bytes,
    news_records,
    positions,
    read_all,
    write_file,
)

from pipeline.io.readers import read_input
from pipeline.schema import CORE_FIELDS, SEQ_FILE_SHIFT, conform
from pipeline.schema_widening import widen_schema

SUFFIXES = {None: "", "gzip": ".gz", "zstd": ".zst"}


@pytest.mark.parametrize("compression", [None, "gzip", "zstd"])
def test_reads_plain_and_compressed_jsonl(tmp_path: Path, compression: str | None) -> None:
    data = compress(jsonl_bytes(news_records(5)), compression)
    path = write_file(tmp_path / f"shard.jsonl{SUFFIXES[compression]}", data)
    chunks = read_all(input_file(path), file_index=3)
    table = good_table(chunks)
    assert bad_records(chunks) == []
    assert table.schema.names == [f.name for f in CORE_FIELDS] + ["lang"]
    assert table.schema.field("id").nullable is False
    assert table["id"].to_pylist() == [f"doc-{i}" for i in range(5)]
    assert table["text"][2].as_py() == "Headline 2\nThe council met on Tuesday to discuss item 2."
    assert table["url"][4].as_py() == "https://news.example.org/4"
    assert table["_source_file"].to_pylist() == [3] * 5
    assert table["_source_row"].to_pylist() == [0, 1, 2, 3, 4]
    assert table["_seq"].to_pylist() == [(3 << SEQ_FILE_SHIFT) + i for i in range(5)]
    assert table["lang"].to_pylist() == ["en"] * 5


def test_chunks_hold_at_most_batch_size_records(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(news_records(10)))
    chunks = read_all(input_file(path), batch_size=3)
    assert [c.table.num_rows for c in chunks] == [3, 3, 3, 1]
    assert all(c.table.schema == chunks[0].table.schema for c in chunks)
    assert good_table(chunks)["_source_row"].to_pylist() == list(range(10))


def test_missing_or_null_ids_are_generated_and_other_ids_become_strings(tmp_path: Path) -> None:
    records = [
        {"text": "a"},
        {"id": None, "text": "b"},
        {"id": 17, "text": "c"},
        {"id": 2.5, "text": "d"},
        {"id": "x-1", "text": "e"},
        {"id": True, "text": "f"},
    ]
    path = write_file(tmp_path / "part-7.jsonl", jsonl_bytes(records))
    table = good_table(read_all(input_file(path)))
    assert table["id"].to_pylist() == [
        "part-7.jsonl:0",
        "part-7.jsonl:1",
        "17",
        "2.5",
        "x-1",
        "true",
    ]
    assert table["id"].null_count == 0


def test_configured_field_names_are_mapped_to_canonical_columns(tmp_path: Path) -> None:
    records = [{"doc_id": "n1", "content": "body", "link": "https://a.example/1", "lang": "de"}]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    chunks = read_all(input_file(path), text_field="content", id_field="doc_id", url_field="link")
    assert good_table(chunks).to_pylist() == [
        {
            "id": "n1",
            "text": "body",
            "url": "https://a.example/1",
            "_source_file": 0,
            "_source_row": 0,
            "_seq": 0,
            "lang": "de",
        }
    ]


def test_input_field_with_a_canonical_name_is_quarantined(tmp_path: Path) -> None:
    records = [{"content": "body", "text": "<html>raw</html>"}]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    chunks = read_all(input_file(path), text_field="content")
    assert good_table_or_none(chunks) is None
    assert positions(chunks) == [
        (
            "line 1",
            "input field 'text' clashes with crawlsieve's own column of that name "
            "(text_field='content', id_field='id', url_field='url'); "
            "rename it or map it with input.*_field",
        )
    ]


def good_table_or_none(chunks: list) -> pa.Table | None:
    tables = [c.table for c in chunks if c.table.num_rows]
    return pa.concat_tables(tables) if tables else None


def test_passthrough_columns_keep_names_types_and_nested_values_as_json(tmp_path: Path) -> None:
    records = [
        {"text": "a", "n": 1, "score": 0.5, "ok": True, "meta": {"k": [1, 2]}, "tags": ["x"]},
        {"text": "b", "n": None, "score": 2, "ok": False, "meta": None, "tags": []},
    ]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    table = good_table(read_all(input_file(path)))
    passthrough = table.select(["n", "score", "ok", "meta", "tags"])
    assert passthrough.schema == pa.schema(
        [
            ("n", pa.int64()),
            ("score", pa.float64()),
            ("ok", pa.bool_()),
            ("meta", pa.string()),
            ("tags", pa.string()),
        ]
    )
    assert passthrough.to_pylist() == [
        {"n": 1, "score": 0.5, "ok": True, "meta": '{"k":[1,2]}', "tags": '["x"]'},
        {"n": None, "score": 2.0, "ok": False, "meta": None, "tags": "[]"},
    ]


def test_passthrough_schema_widens_for_late_fields_and_wider_values(tmp_path: Path) -> None:
    records = [
        {"text": "a", "n": 1, "note": "x", "empty": None, "mixed": 1},
        {"text": "b", "n": 2, "note": "y", "empty": None, "mixed": "two"},
        {"text": "c", "n": 3, "note": 4, "empty": 5, "mixed": [3]},
        {"text": "d", "n": "four"},  # the int64 column becomes string
        {"text": "e", "n": 5.5},
        {"text": "f", "author": "new"},  # a field the first chunks did not have
        {"text": "g", "n": 7},  # missing fields are null
    ]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    chunks = read_all(input_file(path), batch_size=2)
    assert positions(chunks) == []
    passthrough = ["n", "note", "empty", "mixed", "author"]
    types = [{f.name: str(f.type) for f in c.table.schema if f.name in passthrough} for c in chunks]
    assert types == [
        {"n": "int64", "note": "string", "empty": "null", "mixed": "string"},
        {"n": "string", "note": "string", "empty": "int64", "mixed": "string"},
        {"n": "string", "note": "string", "empty": "int64", "mixed": "string", "author": "string"},
        {"n": "string", "note": "string", "empty": "int64", "mixed": "string", "author": "string"},
    ]
    schema = functools.reduce(widen_schema, [c.table.schema for c in chunks])
    table = pa.concat_tables([conform(c.table, schema) for c in chunks])
    assert table.select(["text", *passthrough]).to_pylist() == [
        {"text": "a", "n": "1", "note": "x", "empty": None, "mixed": "1", "author": None},
        {"text": "b", "n": "2", "note": "y", "empty": None, "mixed": "two", "author": None},
        {"text": "c", "n": "3", "note": "4", "empty": 5, "mixed": "[3]", "author": None},
        {"text": "d", "n": "four", "note": None, "empty": None, "mixed": None, "author": None},
        {"text": "e", "n": "5.5", "note": None, "empty": None, "mixed": None, "author": None},
        {"text": "f", "n": None, "note": None, "empty": None, "mixed": None, "author": "new"},
        {"text": "g", "n": "7", "note": None, "empty": None, "mixed": None, "author": None},
    ]


def test_integer_column_widens_to_float_and_only_nulls_stay_null_typed(tmp_path: Path) -> None:
    records = [
        {"text": "a", "x": 1, "never": None, "big": 1},
        {"text": "b", "x": 2.5, "never": None, "big": 2**64 - 1},  # beyond int64: string
        {"text": "c", "x": 3, "never": None, "big": 3},
    ]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    chunks = read_all(input_file(path), batch_size=1)
    types = [c.table.schema.field("x").type for c in chunks]
    assert types == [pa.int64(), pa.float64(), pa.float64()]
    assert [c.table["x"].to_pylist() for c in chunks] == [[1], [2.5], [3.0]]
    assert all(c.table.schema.field("never").type == pa.null() for c in chunks)
    assert [c.table["big"].to_pylist() for c in chunks] == [[1], [str(2**64 - 1)], ["3"]]


BAD_LINES: list[tuple[bytes, str]] = [
    (b'{"text": "unterminated', "malformed JSON: unexpected end of data at byte 22"),
    (b'[{"text": "in an array"}]', "not a JSON object (got an array)"),
    (b'"just a string"', "not a JSON object (got a string)"),
    (b'{"id": "no-text"}', "missing text field 'text'"),
    (b'{"text": null}', "text field 'text' is null, not a string"),
    (b'{"text": 42}', "text field 'text' is a number, not a string"),
    (b'{"text": {"html": "x"}}', "text field 'text' is an object, not a string"),
    (b'{"text": "caf\xe9"}', "invalid UTF-8"),
    (b'{"text": "a"} trailing', "malformed JSON: unexpected content after document at byte 14"),
]


@pytest.mark.parametrize("compression", [None, "gzip"])
def test_bad_lines_are_unreadable_at_their_line_and_good_lines_all_read(
    tmp_path: Path, compression: str | None
) -> None:
    lines: list[dict | bytes] = []
    expected_bad = []
    for index, (bad, error) in enumerate(BAD_LINES):
        lines.append({"id": f"good-{index}", "text": f"good {index}"})
        lines.append(bad)
        expected_bad.append((f"line {2 * index + 2}", error))
    lines.append({"id": "last", "text": "the end"})
    data = compress(jsonl_bytes(lines), compression)
    path = write_file(tmp_path / f"a.jsonl{SUFFIXES[compression]}", data)
    chunks = read_all(input_file(path), batch_size=4)
    table = good_table(chunks)
    assert positions(chunks) == expected_bad
    assert table["id"].to_pylist() == [f"good-{i}" for i in range(len(BAD_LINES))] + ["last"]
    assert table["_source_row"].to_pylist() == [2 * i for i in range(len(BAD_LINES) + 1)]
    first_bad = bad_records(chunks)[0]
    assert first_bad.source == str(path)
    assert first_bad.raw == '{"text": "unterminated\n'


def test_record_over_max_record_bytes_is_unreadable_and_reading_goes_on(tmp_path: Path) -> None:
    long_text = "word " * 600  # 3000 bytes of text
    lines = [
        {"text": "before"},
        {"text": long_text},
        {"text": "x" * 1000},  # 1013 bytes as JSON: under the limit
        {"text": "after"},
    ]
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(lines))
    chunks = read_all(input_file(path), max_record_bytes=1024)
    assert positions(chunks) == [("line 2", "record over max_record_bytes (3011 bytes)")]
    assert len(bad_records(chunks)[0].raw or "") == 512
    assert good_table(chunks)["text"].to_pylist() == ["before", "x" * 1000, "after"]


def test_blank_lines_bom_crlf_and_nul_bytes(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"text": "first"}\r\n\r\n   \n{"text": "nul\\u0000inside"}\r\n'
    path = write_file(tmp_path / "a.jsonl", data)
    chunks = read_all(input_file(path))
    table = good_table(chunks)
    assert bad_records(chunks) == []
    assert table["text"].to_pylist() == ["first", "nul\x00inside"]
    assert table["_source_row"].to_pylist() == [0, 3]
    assert table["id"].to_pylist() == ["a.jsonl:0", "a.jsonl:3"]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.jsonl.gz", "empty.jsonl.zst"])
def test_empty_file_yields_nothing(tmp_path: Path, name: str) -> None:
    path = write_file(tmp_path / name, b"")
    assert read_all(input_file(path)) == []


def test_compressed_empty_content_yields_nothing(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.jsonl.gz", gzip.compress(b""))
    assert read_all(input_file(path)) == []


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_truncated_stream_yields_records_before_the_damage_then_one_unreadable(
    tmp_path: Path, compression: str
) -> None:
    # Two members / frames: the first is whole, the second is cut off after a few bytes.
    whole = compress(jsonl_bytes(news_records(5)), compression)
    cut = compress(jsonl_bytes(news_records(5, start=5)), compression)[:14]
    path = write_file(tmp_path / f"a.jsonl{SUFFIXES[compression]}", whole + cut)
    chunks = read_all(input_file(path), batch_size=2)
    assert good_table(chunks)["id"].to_pylist() == [f"doc-{i}" for i in range(5)]
    assert positions(chunks) == [
        ("after line 5", f"truncated {compression} stream after line 5"),
    ]


def test_corrupt_data_after_a_good_member_yields_the_good_lines_then_one_unreadable(
    tmp_path: Path,
) -> None:
    whole = compress(jsonl_bytes(news_records(4)), "gzip")
    damaged = whole[:10] + b"\xff" * 30 + whole[40:]  # valid gzip header, garbage deflate data
    path = write_file(tmp_path / "a.jsonl.gz", whole + damaged)
    chunks = read_all(input_file(path))
    assert good_table(chunks)["id"].to_pylist() == [f"doc-{i}" for i in range(4)]
    [(position, error)] = positions(chunks)
    assert position == "after line 4"
    assert error.startswith("corrupt gzip stream (")
    assert error.endswith(") after line 4")


def test_truncated_single_member_gzip_keeps_every_complete_line(tmp_path: Path) -> None:
    data = gzip.compress(jsonl_bytes(news_records(200)), mtime=0)
    path = write_file(tmp_path / "a.jsonl.gz", data[: len(data) // 2])
    chunks = read_all(input_file(path))
    ids = good_table(chunks)["id"].to_pylist()
    read_lines = len(ids)
    assert 0 < read_lines < 200
    assert ids == [f"doc-{i}" for i in range(read_lines)]
    assert positions(chunks) == [
        (f"after line {read_lines}", f"truncated gzip stream after line {read_lines}")
    ]


def test_multi_member_gzip_and_multi_frame_zstd_are_read_whole(tmp_path: Path) -> None:
    first, second = jsonl_bytes(news_records(3)), jsonl_bytes(news_records(3, start=3))
    gz = write_file(tmp_path / "a.jsonl.gz", gzip.compress(first) + gzip.compress(second))
    zst = write_file(
        tmp_path / "b.jsonl.zst",
        zstandard.ZstdCompressor().compress(first) + zstandard.ZstdCompressor().compress(second),
    )
    for path in (gz, zst):
        chunks = read_all(input_file(path))
        assert bad_records(chunks) == []
        assert good_table(chunks)["id"].to_pylist() == [f"doc-{i}" for i in range(6)]


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        (
            "garbage.jsonl.gz",
            bytes(range(256)) * 8,
            "not a gzip stream (Error -3 while decompressing data: incorrect header check",
        ),
        (
            "garbage.jsonl.zst",
            b"plain text, not zstd\n" * 10,
            "not a zstd stream (zstd decompress",
        ),
        (
            "mislabelled.jsonl",
            gzip.compress(b'{"text": "x"}\n'),
            "not JSON Lines: the file is gzip data",
        ),
        ("table.jsonl", b"PAR1\x15\x04", "not JSON Lines: the file is a Parquet file"),
        (
            "array.json",
            b'[\n  {"text": "a"},\n  {"text": "b"}\n]\n',
            "not JSON Lines: the file is one JSON array (write one object per line)",
        ),
    ],
)
def test_file_that_is_not_what_its_name_says_is_one_unreadable(
    tmp_path: Path, name: str, data: bytes, error: str
) -> None:
    # `error` is exact for our own messages; the decompressor's own wording may vary by version.
    path = write_file(tmp_path / name, data)
    chunks = read_all(input_file(path))
    [(position, message)] = positions(chunks)
    assert position == "file"
    assert message.startswith(error)
    assert message.endswith(")") if error.startswith("not a") else message == error
    assert all(c.table.num_rows == 0 for c in chunks)


def test_missing_file_is_one_unreadable_for_the_file(tmp_path: Path) -> None:
    chunks = read_all(input_file(tmp_path / "gone.jsonl"))
    assert [(u.position, u.error.split(":")[0]) for u in bad_records(chunks)] == [
        ("file", "read error")
    ]


def test_many_bad_lines_are_spread_over_bounded_chunks(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.jsonl", b"not json\n" * 25)
    chunks = read_all(input_file(path), batch_size=10)
    assert [len(c.unreadable) for c in chunks] == [10, 10, 5]
    assert [c.table.num_rows for c in chunks] == [0, 0, 0]


def test_read_input_is_lazy_and_rejects_bad_batch_size(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(news_records(3)))
    iterator = read_input(input_file(path), 0, batch_size=1)
    assert next(iter(iterator)).table.num_rows == 1
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        read_input(input_file(path), 0, batch_size=0)


def test_a_chunk_closes_early_once_it_holds_chunk_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.io.jsonl_reader as jsonl_reader

    monkeypatch.setattr(jsonl_reader, "CHUNK_BYTES", 250)
    records = [{"text": "x" * 100} for _ in range(7)]  # 114 bytes per line
    path = write_file(tmp_path / "a.jsonl", jsonl_bytes(records))
    chunks = read_all(input_file(path), batch_size=1000)
    assert [c.table.num_rows for c in chunks] == [3, 3, 1]
