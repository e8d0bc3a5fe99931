"""Per-line features for the `page_furniture` model: the line itself, its neighbours, its page.

A menu entry, a breadcrumb or a footer link is rarely recognisable on its own ("Pricing",
"Contact"); it is recognisable from where it sits: in a run of short lines, before the page's
first substantial paragraph or after its last one, outside the page's densest region of prose,
in a page whose lines repeat a shape. `line_context_features` turns a `LineTable` into one row of
`FEATURES` per line (float32; blank lines get a row of zeros and are never scored): the line's
own text features come from byte loops over the batch's UTF-8 buffer (`line_context_text`), its
context from compiled loops over the batch's lines (`line_context_kernels`); both write the
matrix in place, column by column (the model reads it column-major), with no float64 copy. The
features equal, bit for bit, those of the Arrow-kernel definitions and numpy arithmetic the model
was trained on (the regular expressions are in `line_context_text`).

Context is taken over the non-blank lines of the same document, so a blank line between two menu
entries does not hide the run. Last, `line_cohesion` adds how many of the line's words the rest of
the page uses (a heading shares words with the prose below it, a menu entry does not);
`line_title`, where the line is from the title the page's URL spells (menus sit above it);
`line_above_below`, what the whole page holds above and below the line; and `line_blocks`, the
block of lines between blank lines it is in (extractors put blank lines between markup blocks).
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.line_above_below import ABOVE_BELOW_FEATURES, above_below_features
from pipeline.clean.line_blocks import BLOCK_FEATURES, block_features
from pipeline.clean.line_cohesion import COHESION_FEATURES, cohesion_features
from pipeline.clean.line_context_kernels import (
    CONTEXT_FEATURES,
    MAX_DISTANCE,
    context_features,
    log1p_table,
)
from pipeline.clean.line_context_text import (
    BRACKETS,
    CAPITALISED,
    DATE,
    DIGITS,
    LINK,
    LOWER_START,
    PUNCT,
    SEP,
    UPPER,
    text_features,
)
from pipeline.clean.line_hashes import line_hashes
from pipeline.clean.line_table import LineTable
from pipeline.clean.line_title import TITLE_FEATURES, title_features
from pipeline.clean.url_words import url_word_keys

SHORT_WORDS = 4  # a "short" line: at most this many words and no sentence ending

# The line itself; then its context (`CONTEXT_FEATURES`), how its words recur on the page
# (`COHESION_FEATURES`), where it is from the title the URL names (`TITLE_FEATURES`), what lies
# above and below it (`ABOVE_BELOW_FEATURES`) and its block (`BLOCK_FEATURES`). The model reads
# them in this order.
LINE_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_clause",
    "bullet",
    "pattern_matched",
    "structural",
    "capitalised_share",
    "digit_share",
    "punct_share",
    "separator",
    "count_in_brackets",
    "date_or_time",
    "link_like",
    "all_caps",
    "starts_lower",
)
FEATURES: tuple[str, ...] = (
    LINE_FEATURES
    + CONTEXT_FEATURES
    + COHESION_FEATURES
    + TITLE_FEATURES
    + ABOVE_BELOW_FEATURES
    + BLOCK_FEATURES
)


def line_context_features(
    lines: LineTable,
    matched: np.ndarray,
    structural: np.ndarray,
    *,
    urls: pa.Array | pa.ChunkedArray | None = None,
    sentence_min_words: int = 8,
    prose_min_words: int = 20,
) -> np.ndarray:
    """A float32 matrix (lines x `FEATURES`): the features of every line of `lines`.

    Args:
        lines: the batch's lines.
        matched: lines a pattern rule removes.
        structural: lines a structural rule (`page_header`, `page_footer`, ...) removes.
        urls: one URL per document (null or None: no title features).
        sentence_min_words / prose_min_words: what a prose line is (as in `page_structure`).
    """
    # Filled a row per feature, returned transposed: column-major, as the model reads it.
    out = np.zeros((len(FEATURES), lines.num_lines), dtype=np.float32)
    index = np.flatnonzero(~lines.blank)
    if index.size == 0:
        return out.T
    words, chars = lines.words, lines.chars
    # The table covers every count the features take: a line's characters, the batch's lines and
    # the words of its longest page (page and block totals).
    page_words = int(np.bincount(lines.doc, weights=words, minlength=1).max())
    log1p = log1p_table(max(int(chars.max()), page_words, lines.num_lines, MAX_DISTANCE) + 1)
    text, first_word_key = text_features(lines.stripped, index)
    prose, short, hit = _line_columns(
        out,
        index,
        words,
        chars,
        lines.ends_sentence,
        lines.ends_clause,
        lines.bullet,
        matched,
        structural,
        text,
        log1p,
        sentence_min_words,
        prose_min_words,
    )
    doc = lines.doc[index]
    line_words = words[index]
    context_end = len(LINE_FEATURES) + len(CONTEXT_FEATURES)
    context_features(
        out[len(LINE_FEATURES) : context_end],
        index,
        doc,
        line_words,
        prose,
        short,
        hit,
        line_hashes(lines.stripped, ~lines.blank)[index],
        first_word_key,
        lines.num_docs,
        log1p,
    )
    cohesion_end = context_end + len(COHESION_FEATURES)
    url_keys, url_offsets = url_word_keys(urls, lines.num_docs)
    url_hits, distinct_words = cohesion_features(
        out[context_end:cohesion_end], lines.stripped, index, doc, prose, hit, url_keys, url_offsets
    )
    title_end = cohesion_end + len(TITLE_FEATURES)
    title_features(
        out[cohesion_end:title_end],
        index,
        doc,
        url_hits,
        distinct_words,
        np.diff(url_offsets),
        hit,
        log1p,
    )
    above_below_end = title_end + len(ABOVE_BELOW_FEATURES)
    dated = text[DATE] > 0
    above_below_features(
        out[title_end:above_below_end], index, doc, line_words, prose, short, hit, dated, log1p
    )
    block_features(out[above_below_end:], index, doc, lines.offsets, line_words, prose, hit, log1p)
    return out.T


@numba.njit(cache=True, nogil=True)
def _line_columns(
    out: np.ndarray,
    index: np.ndarray,
    words: np.ndarray,
    chars: np.ndarray,
    ends_sentence: np.ndarray,
    ends_clause: np.ndarray,
    bullet: np.ndarray,
    matched: np.ndarray,
    structural: np.ndarray,
    text: np.ndarray,
    log1p: np.ndarray,
    sentence_min_words: int,
    prose_min_words: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Write the `LINE_FEATURES` rows of `out` for the lines `index` (`text`: their
    `text_features`); return which of them are prose, short, removed by a rule."""
    prose = np.empty(index.size, dtype=np.bool_)
    short = np.empty(index.size, dtype=np.bool_)
    hit = np.empty(index.size, dtype=np.bool_)
    for i in range(index.size):
        c = index[i]
        w, n = words[c], chars[c]
        prose[i] = (w >= sentence_min_words and ends_clause[c]) or w >= prose_min_words
        short[i] = w <= SHORT_WORDS and not ends_sentence[c]
        hit[i] = matched[c] or structural[c]
        # One line per feature, in `LINE_FEATURES` order.
        out[0, c] = log1p[w]
        out[1, c] = log1p[n]
        out[2, c] = ends_sentence[c]
        out[3, c] = ends_clause[c]
        out[4, c] = bullet[c]
        out[5, c] = matched[c]
        out[6, c] = structural[c]
        out[7, c] = min(text[CAPITALISED, i] / w, 1.0)
        out[8, c] = text[DIGITS, i] / n
        out[9, c] = text[PUNCT, i] / w
        out[10, c] = text[SEP, i]
        out[11, c] = text[BRACKETS, i]
        out[12, c] = text[DATE, i]
        out[13, c] = text[LINK, i]
        out[14, c] = text[UPPER, i] > 0 and n > 3
        out[15, c] = text[LOWER_START, i]
    return prose, short, hit
