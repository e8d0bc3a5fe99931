"""What lies above and below a line on its page, for the `page_furniture` model.

The window features of `line_context_kernels` see a few lines around a line; these see the whole
page on either side of it. Menus and the site header sit above most of the page's prose, related
stories, comments and the footer below it, and the rule hits ("Share this", "Related stories",
"12 comments") that open those blocks are above the lines that follow them. `ABOVE_BELOW_FEATURES`
per non-blank line, counted over the other non-blank lines of its document:

* `log_removed_above` / `_below`: log1p of the lines a rule removes above / below it;
* `prose_words_above` / `_below`: the share of the page's words in prose lines that are above /
  below it (0 on a page without prose);
* `log_dated_above` / `_below`: log1p of the lines holding a date or time (comments, teasers);
* `page_log_prose_words`: log1p of the page's words in prose lines;
* `log_prose_above` / `_below`, `log_short_above` / `_below`: log1p of the prose / short lines;
* `words_above` / `words_below`: the share of the page's words above / below it;
* `removed_above` / `removed_below`: the share of the page's rule-removed lines above / below it.

The line itself is in neither side. Shares are computed in float64 and rounded to float32 once.
"""

from __future__ import annotations

import numba
import numpy as np

from pipeline.clean.page_runs import page_end

# Each "_below" feature is the row after its "_above" one (`_sides` writes the pair).
ABOVE_BELOW_FEATURES: tuple[str, ...] = (
    "log_removed_above",
    "log_removed_below",
    "prose_words_above",
    "prose_words_below",
    "log_dated_above",
    "log_dated_below",
    "page_log_prose_words",
    "log_prose_above",
    "log_prose_below",
    "log_short_above",
    "log_short_below",
    "words_above",
    "words_below",
    "removed_above",
    "removed_below",
)
(
    LOG_REMOVED_ABOVE,
    LOG_REMOVED_BELOW,
    PROSE_WORDS_ABOVE,
    PROSE_WORDS_BELOW,
    LOG_DATED_ABOVE,
    LOG_DATED_BELOW,
    PAGE_LOG_PROSE_WORDS,
    LOG_PROSE_ABOVE,
    LOG_PROSE_BELOW,
    LOG_SHORT_ABOVE,
    LOG_SHORT_BELOW,
    WORDS_ABOVE,
    WORDS_BELOW,
    REMOVED_ABOVE,
    REMOVED_BELOW,
) = range(15)


NONE = -1  # no row: the quantity has no log counts / no shares


@numba.njit(cache=True, nogil=True)
def above_below_features(
    out: np.ndarray,
    index: np.ndarray,
    doc: np.ndarray,
    words: np.ndarray,
    prose: np.ndarray,
    short: np.ndarray,
    hit: np.ndarray,
    dated: np.ndarray,
    log1p: np.ndarray,
) -> None:
    """Write the `ABOVE_BELOW_FEATURES` rows of `out` (float32, a row per feature, a column per
    line) for the lines `index` (non-blank, sorted by document `doc`; `words`, `prose`, `short`,
    `hit` (a rule removes it) and `dated` per line of `index`). `log1p`: the table of
    `line_context`, for counts up to a page's words."""
    n = index.size
    prose_words = words * prose
    a = 0
    while a < n:
        b = page_end(doc, a)
        _sides(out, index, a, b, hit, LOG_REMOVED_ABOVE, REMOVED_ABOVE, log1p)
        _sides(out, index, a, b, dated, LOG_DATED_ABOVE, NONE, log1p)
        _sides(out, index, a, b, prose, LOG_PROSE_ABOVE, NONE, log1p)
        _sides(out, index, a, b, short, LOG_SHORT_ABOVE, NONE, log1p)
        _sides(out, index, a, b, words, NONE, WORDS_ABOVE, log1p)
        total = _sides(out, index, a, b, prose_words, NONE, PROSE_WORDS_ABOVE, log1p)
        for i in range(a, b):
            out[PAGE_LOG_PROSE_WORDS, index[i]] = log1p[total]
        a = b


@numba.njit(cache=True, nogil=True)
def _sides(
    out: np.ndarray,
    index: np.ndarray,
    a: int,
    b: int,
    amount: np.ndarray,
    log_row: int,
    share_row: int,
    log1p: np.ndarray,
) -> int:
    """For each line of the page `a:b`, the sum of `amount` over the lines above it and over those
    below it: log1p of the two into rows `log_row` and `log_row + 1`, their shares of the page's
    sum into `share_row` and `share_row + 1` (0 when the sum is 0), for the rows that are not
    `NONE`. Returns the page's sum."""
    total = 0
    for i in range(a, b):
        total += amount[i]
    above = 0
    for i in range(a, b):
        c = index[i]
        below = total - above - amount[i]
        if log_row != NONE:
            out[log_row, c] = log1p[above]
            out[log_row + 1, c] = log1p[below]
        if share_row != NONE and total:
            out[share_row, c] = above / total
            out[share_row + 1, c] = below / total
        above += amount[i]
    return total
