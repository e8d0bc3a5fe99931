"""The block a line is in: runs of non-blank lines between blank lines."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from pipeline.clean.line_context import FEATURES, line_context_features
from pipeline.clean.line_table import LineTable

# A forum page as an extractor writes it: the menu as one block, each post a block of its own.
PAGE = [
    "",
    "Home",  # 1: block of 3 after 1 blank line
    "Forums",
    "Log in",
    "",
    "",
    "Re: sea bass bait?",  # 6: block of 2 after 2 blank lines
    "I have had most luck with fresh peeler crab on a rising tide, fished close to the rocks.",
    "",
    "Quote",  # 9: block of 1, removed by a rule, followed by 2 blank lines to the page's end
    "",
    "",
]


def features(texts: list[str], removed: set[int]) -> np.ndarray:
    lines = LineTable.from_text(pa.array(texts))
    matched = np.zeros(lines.num_lines, dtype=bool)
    matched[list(removed)] = True
    return line_context_features(lines, matched, np.zeros_like(matched))


def column(values: np.ndarray, name: str) -> list[float]:
    return values[:, FEATURES.index(name)].tolist()


def log1p(values: list[int]) -> list[float]:
    return np.log1p(values).astype(np.float32).tolist()


def at(values: list[float], rows: list[int]) -> list[float]:
    return [values[i] for i in rows]


TEXT_ROWS = [1, 2, 3, 6, 7, 9]


def test_blocks_are_runs_between_blank_lines() -> None:
    values = features(["\n".join(PAGE)], {9})
    assert at(column(values, "log_block_lines"), TEXT_ROWS) == log1p([3, 3, 3, 2, 2, 1])
    words = [1 + 1 + 2] * 3 + [4 + 18] * 2 + [1]
    assert at(column(values, "log_block_words"), TEXT_ROWS) == log1p(words)
    assert at(column(values, "first_in_block"), TEXT_ROWS) == [1, 0, 0, 1, 0, 1]
    assert at(column(values, "last_in_block"), TEXT_ROWS) == [0, 0, 1, 0, 1, 1]
    # The post's reply is prose, its heading is not; the quote line is removed by a rule.
    assert at(column(values, "block_prose_share"), TEXT_ROWS) == [0, 0, 0, 0.5, 0.5, 0]
    assert at(column(values, "block_removed_share"), TEXT_ROWS) == [0, 0, 0, 0, 0, 1]
    assert all(v == 0.0 for row in (0, 4, 5, 8, 10, 11) for v in values[row])


def test_blank_lines_around_a_block_reach_the_next_block_or_the_page_edge() -> None:
    values = features(["\n".join(PAGE)], set())
    assert at(column(values, "log_blank_before_block"), TEXT_ROWS) == log1p([1, 1, 1, 2, 2, 1])
    assert at(column(values, "log_blank_after_block"), TEXT_ROWS) == log1p([2, 2, 2, 1, 1, 2])


def test_a_page_without_blank_lines_is_one_block_and_pages_stay_apart() -> None:
    dense = ["Home", "Forums", "Log in"]
    values = features(["\n".join(dense), "\n".join(PAGE)], set())
    assert column(values, "log_block_lines")[:3] == log1p([3, 3, 3])
    assert column(values, "log_blank_before_block")[:3] == [0.0] * 3
    assert column(values, "log_blank_after_block")[:3] == [0.0] * 3
    # The second page's first block starts after its own blank line, not the first page's lines.
    assert column(values, "log_blank_before_block")[3 + 1] == np.float32(np.log1p(1))
    assert column(values, "first_in_block")[3 + 1] == 1.0


def test_first_in_block_counts_the_blocks_of_each_document() -> None:
    # `line_rules` counts blocks so. 0: two blocks; 1: one block between blank edges; 2: only a
    # blank line; 3: one line; 4: two lines, its own block (documents never join).
    texts = ["Home\n\nNews\nSport", "\nHome\nNews\n", " ", "Home", "Home\nNews"]
    lines = LineTable.from_text(pa.array(texts))
    first = features(texts, set())[:, FEATURES.index("first_in_block")]
    assert np.bincount(lines.doc, weights=first, minlength=5).tolist() == [2, 1, 0, 1, 1]
