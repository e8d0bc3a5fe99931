"""`line_features`: the compiled per-line features equal the Arrow kernels they replace."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.line_features import (
    BULLET,
    CLAUSE_END,
    EDGE_CHARS,
    ENDS_FULL_STOP,
    FULL_STOP,
    SENTENCE_END,
    SPACES,
    STARTS_BULLET,
    edge_features,
)
from pipeline.clean.line_table import LineTable, subset

LINES = [
    "",
    " ",
    "\t \u3000",
    "A sentence.",
    "A sentence...",
    "A question?”",
    "He said “no”",
    "Ellipsis…",
    "。",
    "End of a clause:",
    "(aside)",
    "[1]",
    "'quoted'",
    ".",
    "..",
    "x.",
    "a.)''''''''",
    "a.)'''''''",
    "a.)''''''",
    "))))))))",
    "».”’)]'\"",
    "- item",
    "-item",
    "• bullet point",
    "·\tmiddle dot",
    "— dash",
    "o option",
    "oh no",
    "1. first",
    "12) second",
    "123. third",
    "1234. fourth",
    "1.\u000bvertical tab",
    "1.\u000cform feed",
    "a) letter",
    "B) capital",
    "ä) umlaut",
    "▪ square",
    "‣",
    "◦ ",
    "word word  word",
    "Ünïcödé wörds hère",
    "日本語の文章です。",
    "emoji 🎉 line!",
    "🎉",
    'Ends in a quote"',
    "Ends with semicolon;",
    "tab\tseparated\twords",
]


def reference(lines: list[str]) -> dict[str, np.ndarray]:
    """The features as the Arrow kernels compute them (the definitions before `line_features`)."""
    stripped = pc.utf8_trim_whitespace(pa.array(lines, pa.string()))
    tail = pc.utf8_slice_codeunits(stripped, start=-EDGE_CHARS)
    head = pc.utf8_slice_codeunits(stripped, start=0, stop=EDGE_CHARS)
    chars = np.asarray(pc.utf8_length(stripped), dtype=np.int64)
    spaces = np.asarray(pc.count_substring(stripped, pattern=" "), dtype=np.int64)

    def matches(strings: pa.Array, pattern: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(strings, pattern=pattern), dtype=bool)

    return {
        "chars": chars,
        "blank": chars == 0,
        "words": np.where(chars == 0, 0, spaces + 1),
        "ends_sentence": matches(tail, SENTENCE_END),
        "ends_clause": matches(tail, CLAUSE_END),
        "ends_full_stop": matches(tail, FULL_STOP),
        "bullet": matches(head, BULLET),
    }


def assert_same_features(table: LineTable, lines: list[str]) -> None:
    expected = reference(lines)
    for name, values in expected.items():
        np.testing.assert_array_equal(getattr(table, name), values, err_msg=name)
    assert table.chars.dtype == np.int64 and table.words.dtype == np.int64
    assert table.bullet.dtype == bool and table.ends_sentence.dtype == bool


def test_features_equal_the_arrow_kernels_on_edge_cases() -> None:
    table = LineTable.from_text(pa.array(["\n".join(LINES)]))
    assert_same_features(table, LINES)


def test_features_equal_the_arrow_kernels_on_random_lines() -> None:
    alphabet = list("ab o-*•·–—+▪►‣◦1239.)];:!?…。！？'\"”’»([ \t\u000b\u000c\u00a0\u3000é日🎉")
    rng = random.Random(7)
    lines = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14))) for _ in range(5000)
    ]
    table = LineTable.from_text(pa.array(["\n".join(lines)]))
    assert_same_features(table, lines)


def test_features_of_many_documents_and_a_sliced_batch() -> None:
    docs = ["", "One line.", "\n\n", "- a\n- b\n\nEnd.”", "1) x\n日本語。\n"] * 40
    texts = pa.array(["skipped"] + docs).slice(1)
    table = LineTable.from_text(texts)
    lines = [line for doc in docs for line in doc.split("\n")]
    assert table.num_lines == len(lines)
    assert_same_features(table, lines)


def test_subset_carries_the_features_over() -> None:
    table = LineTable.from_text(pa.array(["\n".join(LINES[:20]), "\n".join(LINES[20:])]))
    keep = np.arange(table.num_lines) % 3 != 0
    assert table.features.shape == (table.num_lines, 6)  # computed before the subset is taken
    kept, index = subset(table, keep)
    assert "features" in kept.__dict__
    assert_same_features(kept, [LINES[i] for i in index.tolist()])


def test_invalid_utf8_does_not_crash() -> None:
    """Arrow refuses to trim invalid UTF-8, but the kernel itself must stay inside each line."""
    lines = [b"\xff\xfe ok.", b"\xe2\x80", b"- \xc3", b"12. \x80\x80", b"\xf0"]
    data = np.frombuffer(b"".join(lines), dtype=np.uint8)
    offsets = np.cumsum([0] + [len(line) for line in lines]).astype(np.int64)
    out = edge_features(data, offsets)
    assert out[:, SPACES].tolist() == [1, 0, 1, 1, 0]
    assert out[:, STARTS_BULLET].tolist() == [0, 0, 1, 1, 0]
    assert out[0, ENDS_FULL_STOP] == 1
