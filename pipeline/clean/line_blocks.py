"""The block a line is in, for the `page_furniture` model.

Extractors write a blank line between the blocks of a page's markup (a paragraph, a menu, a
comment, a product card) and none between the lines of one block, so the blank lines of a scraped
text keep part of the page's layout: on WCXB dev 97% of the lines share their label with the
majority of their block. A block here is a run of non-blank lines of one document with no blank
line between them. `BLOCK_FEATURES` per non-blank line:

* `log_block_lines` / `log_block_words`: log1p of its block's lines and words;
* `block_prose_share` / `block_removed_share`: the share of its block's lines that are prose / that
  a rule removes;
* `first_in_block` / `last_in_block`: whether it opens / closes its block;
* `log_blank_before_block` / `log_blank_after_block`: log1p of the blank lines before / after its
  block (up to the document's first / last line).

`line_rules` counts a document's blocks by their `first_in_block` lines and sends a text with
fewer than two to the model trained on text without block breaks.

Only the lines of the `LineTable` given count: a block an earlier stage removed leaves the lines
around it as they are, so the blocks it separated stay apart only if a blank line is left.
"""

from __future__ import annotations

import numba
import numpy as np

BLOCK_FEATURES: tuple[str, ...] = (
    "log_block_lines",
    "log_block_words",
    "block_prose_share",
    "block_removed_share",
    "first_in_block",
    "last_in_block",
    "log_blank_before_block",
    "log_blank_after_block",
)
(
    LOG_BLOCK_LINES,
    LOG_BLOCK_WORDS,
    BLOCK_PROSE_SHARE,
    BLOCK_REMOVED_SHARE,
    FIRST_IN_BLOCK,
    LAST_IN_BLOCK,
    LOG_BLANK_BEFORE,
    LOG_BLANK_AFTER,
) = range(8)


@numba.njit(cache=True, nogil=True)
def block_features(
    out: np.ndarray,
    index: np.ndarray,
    doc: np.ndarray,
    offsets: np.ndarray,
    words: np.ndarray,
    prose: np.ndarray,
    hit: np.ndarray,
    log1p: np.ndarray,
) -> None:
    """Write the `BLOCK_FEATURES` rows of `out` (float32, a row per feature, a column per line)
    for the lines `index` (the non-blank lines of a `LineTable` with document `offsets`, sorted;
    `doc`, `words`, `prose`, `hit` (a rule removes it) per line of `index`). `log1p`: the table
    of `line_context`, for counts up to the table's lines and a page's words."""
    n = index.size
    a = 0
    while a < n:
        b = a + 1
        while b < n and doc[b] == doc[a] and index[b] == index[b - 1] + 1:
            b += 1
        # Lines a:b are one block; the blank lines around it reach the next block or the edge.
        d = doc[a]
        before = index[a] - (index[a - 1] + 1 if a > 0 and doc[a - 1] == d else offsets[d])
        after = (index[b] if b < n and doc[b] == d else offsets[d + 1]) - index[b - 1] - 1
        total_words = prose_lines = hit_lines = 0
        for i in range(a, b):
            total_words += words[i]
            prose_lines += prose[i]
            hit_lines += hit[i]
        count = b - a
        for i in range(a, b):
            c = index[i]
            out[LOG_BLOCK_WORDS, c] = log1p[total_words]
            out[LOG_BLOCK_LINES, c] = log1p[count]
            out[BLOCK_PROSE_SHARE, c] = prose_lines / count
            out[BLOCK_REMOVED_SHARE, c] = hit_lines / count
            out[LOG_BLANK_BEFORE, c] = log1p[before]
            out[LOG_BLANK_AFTER, c] = log1p[after]
        out[FIRST_IN_BLOCK, index[a]] = 1.0
        out[LAST_IN_BLOCK, index[b - 1]] = 1.0
        a = b
