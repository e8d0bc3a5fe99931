"""How much of a line's vocabulary the page's likely article text uses: the second pass of
`page_furniture`.

The first pass of the model (`FurnitureModel`) scores every line from its layout and context. The
lines it is sure are content (probability of furniture under the model's `content_cut`, 0.3 as
shipped) are, on most pages, the article. A reader comment, a legal notice, an author's bio or
the teaser of another story is prose too, and often sits where prose sits, but it talks about
something else: few of its words are the article's words. Per non-blank line, over its distinct
words (as `line_cohesion` splits and hashes them), `CONTENT_WORD_FEATURES` are:

* `words_in_content`: the share found in a confident content line of another block (blocks are
  the runs of lines between blank lines; a confident line does not vouch for its own block);
* `idf_words_in_content`: the same share with each word weighted by its inverse line frequency
  on the page, `log((lines + 1) / lines holding it)`, so that rare words count most;
* `page_content_share`: the share of the page's non-blank lines that are confident content;
* `log_content_words`: log1p of the distinct words summed over those lines.

The second pass of the model reads `FEATURES` and these. Words are 64-bit keys in an
open-addressing table per page, as in `line_cohesion`; no Python object per line or word.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.line_cohesion import MIN_WORD_BYTES, page_word_keys, word_slot
from pipeline.clean.line_table import LineTable
from pipeline.clean.page_runs import page_end, table_size
from pipeline.dedup.text_units import utf8_view

CONTENT_WORD_FEATURES: tuple[str, ...] = (
    "words_in_content",
    "idf_words_in_content",
    "page_content_share",
    "log_content_words",
)


def content_word_matrix(
    lines: LineTable, first_in_block: np.ndarray, confident: np.ndarray
) -> np.ndarray:
    """A float32 matrix (lines x `CONTENT_WORD_FEATURES`), zero rows for blank lines, given per
    line of `lines` whether it opens a block (`line_blocks`' `first_in_block`) and whether it
    vouches for its words. A text of fewer than two blocks (an extractor that writes no blank
    lines) has no blocks to tell apart: there each line is a block of its own."""
    out = np.zeros((lines.num_lines, len(CONTENT_WORD_FEATURES)), dtype=np.float32)
    index = np.flatnonzero(~lines.blank)
    if index.size == 0:
        return out
    doc = lines.doc[index]
    first = first_in_block[index] > 0
    block = np.cumsum(first)
    flat = np.bincount(doc, weights=first, minlength=lines.num_docs) < 2
    block = np.where(flat[doc], block[-1] + 1 + np.arange(index.size), block)
    out[index] = content_word_features(lines.stripped, index, doc, block, confident[index])
    return out


def content_word_features(
    lines: pa.StringArray,
    index: np.ndarray,
    doc: np.ndarray,
    block: np.ndarray,
    confident: np.ndarray,
) -> np.ndarray:
    """A float32 matrix (len(index) x `CONTENT_WORD_FEATURES`) for the lines `index` of `lines`
    (non-blank, sorted by document `doc`; `block`: a block id per line, equal ids contiguous;
    `confident`: the lines that vouch for their words)."""
    out = np.zeros((index.size, len(CONTENT_WORD_FEATURES)), dtype=np.float32)
    if index.size == 0:
        return out
    data, offsets = utf8_view(lines)
    starts, ends = offsets[index], offsets[index + 1]
    bounds = (ends - starts + 1) // (MIN_WORD_BYTES + 1) + 1
    most = int(np.bincount(doc, weights=bounds).max())
    _content_words(out, data, starts, ends, doc, block, confident, most)
    return out


@numba.njit(cache=True, nogil=True)
def _content_words(
    out: np.ndarray,
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    doc: np.ndarray,
    block: np.ndarray,
    confident: np.ndarray,
    most: int,
) -> None:
    """Page by page: the keys of its words (`page_word_keys`), then `_page_content_words`."""
    n = doc.size
    size = table_size(most)
    table = (
        np.empty(size, dtype=np.uint64),  # key
        np.full(size, -1, dtype=np.int64),  # the page (its first line) that holds the slot
        np.empty(size, dtype=np.int64),  # lines of the page holding the word
        np.empty(size, dtype=np.int64),  # confident lines holding it
        np.full(size, -1, dtype=np.int64),  # the last line that counted or scored it
        np.full(size, -1, dtype=np.int64),  # the block whose confident lines are counted next
        np.zeros(size, dtype=np.int64),  # confident lines of that block holding it
    )
    keys = np.empty(most, dtype=np.uint64)
    line_end = np.empty(n, dtype=np.int64)
    a = 0
    while a < n:
        b = page_end(doc, a)
        page_word_keys(data, starts, ends, a, b, keys, line_end)
        _page_content_words(out, a, b, block, confident, keys, line_end, table)
        a = b


@numba.njit(cache=True, nogil=True)
def _page_content_words(
    out: np.ndarray,
    a: int,
    b: int,
    block: np.ndarray,
    confident: np.ndarray,
    keys: np.ndarray,
    line_end: np.ndarray,
    table: tuple,
) -> None:
    """Count, per word of lines `a:b`, the lines and the confident lines holding it; then, block
    by block, count the block's own confident lines per word and score its lines."""
    slot_key, slot_page, slot_lines, slot_confident, slot_line, slot_block, slot_in_block = table
    words = line_end[b - 1]
    size = table_size(words)
    mask = size - 1
    slots = np.empty(words, dtype=np.int64)
    confident_lines = 0
    confident_words = 0
    first = 0
    for i in range(a, b):
        for j in range(first, line_end[i]):
            slot, new = word_slot(keys[j], mask, a, slot_key, slot_page)
            if new:
                slot_lines[slot] = 0
                slot_confident[slot] = 0
                slot_block[slot] = -1
            slots[j] = slot
            if slot_line[slot] != i:
                slot_line[slot] = i
                slot_lines[slot] += 1
                if confident[i]:
                    slot_confident[slot] += 1
                    confident_words += 1
        confident_lines += confident[i]
        first = line_end[i]
    lines = b - a
    page_share = confident_lines / lines
    log_words = np.log1p(confident_words)
    n = block.size
    start = a
    while start < b:
        stop = start + 1
        while stop < b and block[stop] == block[start]:
            stop += 1
        first = line_end[start - 1] if start > a else 0
        for i in range(start, stop):  # the block's own confident lines, per word
            for j in range(first, line_end[i]):
                slot = slots[j]
                if slot_block[slot] != block[start]:
                    slot_block[slot] = block[start]
                    slot_in_block[slot] = 0
                if confident[i] and slot_line[slot] != n + i:
                    slot_line[slot] = n + i
                    slot_in_block[slot] += 1
            first = line_end[i]
        first = line_end[start - 1] if start > a else 0
        for i in range(start, stop):
            distinct = hits = 0
            weight = weight_hit = 0.0
            for j in range(first, line_end[i]):
                slot = slots[j]
                if slot_line[slot] == 2 * n + i:  # this line's word scored already
                    continue
                slot_line[slot] = 2 * n + i
                distinct += 1
                idf = np.log((lines + 1) / slot_lines[slot])
                weight += idf
                if slot_confident[slot] > slot_in_block[slot]:
                    hits += 1
                    weight_hit += idf
            first = line_end[i]
            out[i, 2] = page_share
            out[i, 3] = log_words
            if distinct:
                out[i, 0] = hits / distinct
                out[i, 1] = weight_hit / weight if weight > 0 else 0.0
        start = stop
