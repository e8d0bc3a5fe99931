"""The second pass's features: how much of a line's vocabulary the page's confident content uses."""

from __future__ import annotations

import math
import re

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.line_content_words import CONTENT_WORD_FEATURES, content_word_matrix
from pipeline.clean.line_context import FEATURES, line_context_features
from pipeline.clean.line_table import LineTable

FIRST_IN_BLOCK = FEATURES.index("first_in_block")
IN_CONTENT, IDF_IN_CONTENT, PAGE_SHARE, LOG_WORDS = range(len(CONTENT_WORD_FEATURES))

# A harbour story as an extractor writes it: a blank line between blocks, a reader's comment and
# a newsletter box after the article. The two paragraphs vouch (the first pass is sure of them).
PAGE = [
    "Harbour wall repairs delayed",  # 0: shares its words with the paragraphs
    "",
    "Repairs to the harbour wall at Porthleven are delayed until spring, the council said.",  # 2
    "",
    "The wall was damaged in the January storms and the repairs need calm seas.",  # 4
    "",
    "Great pictures, my grandad fished from that quay for forty years!",  # 6: a comment
    "Lovely to see it again.",  # 7
    "",
    "Get our weekly newsletter with the best local stories",  # 9
]
VOUCH = {2, 4}


def matrix(texts: list[str], vouching: set[int]) -> np.ndarray:
    lines = LineTable.from_text(pa.array(texts))
    nothing = np.zeros(lines.num_lines, dtype=bool)
    first = line_context_features(lines, nothing, nothing)[:, FIRST_IN_BLOCK]
    confident = np.zeros(lines.num_lines, dtype=bool)
    confident[sorted(vouching)] = True
    return content_word_matrix(lines, first, confident)


def words(line: str) -> set[str]:
    """`line_cohesion`'s words of an ASCII line."""
    found = (w.lower() for w in re.findall(r"[A-Za-z0-9_]+", line))
    return {w for w in found if len(w) >= 2 and not w.isdigit()}


def reference(lines: list[str], vouching: set[int], blocks: list[int]) -> np.ndarray:
    """The features of one page, in plain Python (`blocks`: a block id per line)."""
    text = [i for i, line in enumerate(lines) if line.strip()]
    sets = {i: words(lines[i]) for i in text}
    holders = {w: sum(w in sets[i] for i in text) for i in text for w in sets[i]}
    out = np.zeros((len(lines), len(CONTENT_WORD_FEATURES)))
    for i in text:
        others = set().union(*(sets[j] for j in vouching if blocks[j] != blocks[i]))
        idf = {w: math.log((len(text) + 1) / holders[w]) for w in sets[i]}
        hits = sets[i] & others
        if sets[i]:
            out[i, IN_CONTENT] = len(hits) / len(sets[i])
            total = sum(idf.values())
            out[i, IDF_IN_CONTENT] = sum(idf[w] for w in hits) / total if total else 0.0
        out[i, PAGE_SHARE] = len(vouching) / len(text)
        out[i, LOG_WORDS] = math.log1p(sum(len(sets[j]) for j in vouching))
    return out


def test_the_articles_words_set_its_headline_apart_from_a_comment_and_a_newsletter_box() -> None:
    out = matrix(["\n".join(PAGE)], VOUCH)
    assert out[0, IN_CONTENT] == 1.0  # harbour, wall, repairs, delayed: all in the paragraphs
    assert out[6, IN_CONTENT] < 0.2 and out[9, IN_CONTENT] < 0.2
    assert out[7, IN_CONTENT] == pytest.approx(1 / 5)  # "to"; lovely, see, it, again are not
    # Each paragraph vouches for the other's words, not for its own.
    assert 0.0 < out[4, IN_CONTENT] < 1.0
    assert out[1].tolist() == [0.0] * len(CONTENT_WORD_FEATURES)  # a blank line
    assert out[0, PAGE_SHARE] == pytest.approx(2 / 6)  # of the six non-blank lines


def test_equals_a_plain_reference_with_blocks_and_idf_weights() -> None:
    blocks = np.cumsum([1 if i == 0 or not PAGE[i - 1].strip() else 0 for i in range(len(PAGE))])
    expected = reference(PAGE, VOUCH, blocks.tolist())
    assert matrix(["\n".join(PAGE)], VOUCH) == pytest.approx(expected, abs=1e-6)


def test_a_line_of_the_same_block_as_confident_content_does_not_count_it() -> None:
    page = ["Tide times for Porthleven harbour", "Tide times change daily at the harbour.", ""]
    page += ["Something else entirely about football results."]
    out = matrix(["\n".join(page)], {1})
    assert out[0, IN_CONTENT] == 0.0  # its only vouching neighbour is in its own block
    joined = ["\n\n".join(page[:2] + page[3:])]  # the same lines as blocks of their own
    assert matrix(joined, {2})[0, IN_CONTENT] == pytest.approx(3 / 5)  # tide, times, harbour


def test_a_text_without_blank_lines_makes_each_line_a_block() -> None:
    flat = [line for line in PAGE if line]
    vouching = {flat.index(PAGE[i]) for i in VOUCH}
    expected = reference(flat, vouching, list(range(len(flat))))
    out = matrix(["\n".join(flat)], vouching)
    assert out == pytest.approx(expected, abs=1e-6)
    assert out[0, IN_CONTENT] == 1.0


def test_pages_of_a_batch_are_scored_apart() -> None:
    other = ["Harbour wall repairs delayed", "", "Completely unrelated text about a new bakery."]
    together = matrix(["\n".join(PAGE), "\n".join(other)], VOUCH)
    alone = matrix(["\n".join(other)], set())
    assert together[len(PAGE) :] == pytest.approx(alone)
    assert together[len(PAGE), IN_CONTENT] == 0.0  # the first page's article is not its own
