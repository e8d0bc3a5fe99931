"""Where a page's title is, from the words of its URL, for the `page_furniture` model.

`line_cohesion` counts, for each line, how many of its distinct words are words of the page's URL
path (`url_words`). The line holding the largest share of the URL's words (at least
`MIN_TITLE_HITS` of them and `MIN_TITLE_MATCH` of all; the first such line on ties; not a line a
rule removes) is taken as the title. `TITLE_FEATURES` per non-blank line:

* `url_title_match`: the share of the URL's words the line holds (0 below `MIN_TITLE_HITS`);
* `url_words_share`: the share of the line's words that are URL words;
* `has_url_title`: whether the page has a title line;
* `log_lines_before_title` / `log_lines_after_title`: log1p of how many non-blank lines the line
  is above / below the title (0 on the title's own line and on pages without one).

A page whose URL has fewer than `MIN_TITLE_HITS` words (a home page, `/p?id=3`) has zeros in all
five, as a page without a URL.
"""

from __future__ import annotations

import numba
import numpy as np

from pipeline.clean.page_runs import page_end

TITLE_FEATURES: tuple[str, ...] = (
    "url_title_match",
    "url_words_share",
    "has_url_title",
    "log_lines_before_title",
    "log_lines_after_title",
)
TITLE_MATCH, URL_SHARE, HAS_TITLE, BEFORE_TITLE, AFTER_TITLE = range(5)
MIN_TITLE_HITS = 2
MIN_TITLE_MATCH = 0.5


@numba.njit(cache=True, nogil=True)
def title_features(
    out: np.ndarray,
    index: np.ndarray,
    doc: np.ndarray,
    url_hits: np.ndarray,
    distinct_words: np.ndarray,
    url_words: np.ndarray,
    hit: np.ndarray,
    log1p: np.ndarray,
) -> None:
    """Write the `TITLE_FEATURES` rows of `out` (float32, a row per feature, a column per line) for
    the lines `index` (non-blank, sorted by document `doc`). Per line of `index`: `url_hits`, its
    distinct words that are URL words; `distinct_words`; `hit`, whether a rule removes it. Per
    document: `url_words`, its URL's distinct words. `log1p`: the table of `line_context`."""
    n = index.size
    a = 0
    while a < n:
        b = page_end(doc, a)
        words = url_words[doc[a]]
        if words < MIN_TITLE_HITS:
            a = b
            continue
        title = -1
        best = 0.0
        for i in range(a, b):
            c = index[i]
            if distinct_words[i]:
                out[URL_SHARE, c] = url_hits[i] / distinct_words[i]
            if url_hits[i] < MIN_TITLE_HITS:
                continue
            match = url_hits[i] / words
            out[TITLE_MATCH, c] = match
            if not hit[i] and match >= MIN_TITLE_MATCH and match > best:
                title, best = i, match
        if title >= 0:
            for i in range(a, b):
                c = index[i]
                out[HAS_TITLE, c] = 1.0
                if i < title:
                    out[BEFORE_TITLE, c] = log1p[title - i]
                elif i > title:
                    out[AFTER_TITLE, c] = log1p[i - title]
        a = b
