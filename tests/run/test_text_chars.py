"""The runner's character count and record split, against Arrow's own definitions."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.run.batch import dropped_records, split_dropped
from pipeline.run.text_chars import text_column_chars
from pipeline.schema import DROP_REASON, TEXT

TEXTS = ["", "plain ascii", "día\nnoche\n\n", "日本語のテキスト", "emoji 😀 end", None, "x"]


def reference_chars(column: pa.Array | pa.ChunkedArray) -> int:
    return int(pc.sum(pc.utf8_length(column)).as_py() or 0)


@pytest.mark.parametrize("start", range(len(TEXTS)))
def test_chars_match_utf8_length_on_slices(start: int) -> None:
    array = pa.array(TEXTS, pa.string()).slice(start)
    assert text_column_chars(array) == reference_chars(array)


def test_chars_of_chunked_and_empty_columns() -> None:
    chunked = pa.chunked_array(
        [pa.array(TEXTS[:3]), pa.array([], pa.string()), pa.array(TEXTS[3:])]
    )
    assert text_column_chars(chunked) == reference_chars(chunked)
    assert text_column_chars(pa.chunked_array([], pa.string())) == 0


def test_chars_count_invalid_bytes_as_utf8_length_does() -> None:
    raw = pa.array([b"ok\xff\xfe", b"\x80\x80abc", b"\xe6\x97"], pa.binary())
    as_text = raw.view(pa.string())
    assert text_column_chars(as_text) == int(pc.sum(pc.utf8_length(as_text)).as_py())


def table_with(reasons: list[str | None]) -> pa.Table:
    texts = [f"doc {i} ü" for i in range(len(reasons))]
    return pa.table({TEXT: texts, DROP_REASON: pa.array(reasons, pa.string())})


@pytest.mark.parametrize(
    "reasons",
    [
        [None, None, None],
        ["a", "b", "c"],
        ["a", "b", None, None],
        [None, None, "a", "b"],
        [None, "a", None, "b"],
        ["a", None, None, "b"],
        [None],
    ],
)
def test_split_matches_filtering(reasons: list[str | None]) -> None:
    table = table_with(reasons)
    mask = pc.is_valid(table[DROP_REASON])
    live, dropped = split_dropped(table)
    assert live.equals(table.filter(pc.invert(mask)))
    assert dropped.equals(table.filter(mask))
    assert dropped_records(table).equals(table.filter(mask))
