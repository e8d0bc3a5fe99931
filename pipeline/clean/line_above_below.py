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
    a = 0
    while a < n:
        b = a + 1
        while b < n and doc[b] == doc[a]:
            b += 1
        total_words = total_prose_words = total_hit = total_dated = 0
        total_prose = total_short = 0
        for i in range(a, b):
            total_words += words[i]
            total_prose_words += words[i] * prose[i]
            total_hit += hit[i]
            total_dated += dated[i]
            total_prose += prose[i]
            total_short += short[i]
        above_words = above_prose_words = above_hit = above_dated = above_prose = above_short = 0
        for i in range(a, b):
            c = index[i]
            out[PAGE_LOG_PROSE_WORDS, c] = log1p[total_prose_words]
            below_hit = total_hit - above_hit - hit[i]
            out[LOG_REMOVED_ABOVE, c] = log1p[above_hit]
            out[LOG_REMOVED_BELOW, c] = log1p[below_hit]
            if total_hit:
                out[REMOVED_ABOVE, c] = above_hit / total_hit
                out[REMOVED_BELOW, c] = below_hit / total_hit
            if total_prose_words:
                below = total_prose_words - above_prose_words - words[i] * prose[i]
                out[PROSE_WORDS_ABOVE, c] = above_prose_words / total_prose_words
                out[PROSE_WORDS_BELOW, c] = below / total_prose_words
            if total_words:
                below = total_words - above_words - words[i]
                out[WORDS_ABOVE, c] = above_words / total_words
                out[WORDS_BELOW, c] = below / total_words
            out[LOG_DATED_ABOVE, c] = log1p[above_dated]
            out[LOG_DATED_BELOW, c] = log1p[total_dated - above_dated - dated[i]]
            out[LOG_PROSE_ABOVE, c] = log1p[above_prose]
            out[LOG_PROSE_BELOW, c] = log1p[total_prose - above_prose - prose[i]]
            out[LOG_SHORT_ABOVE, c] = log1p[above_short]
            out[LOG_SHORT_BELOW, c] = log1p[total_short - above_short - short[i]]
            above_words += words[i]
            above_prose_words += words[i] * prose[i]
            above_hit += hit[i]
            above_dated += dated[i]
            above_prose += prose[i]
            above_short += short[i]
        a = b
