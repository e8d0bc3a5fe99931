"""The context features of `line_context`: compiled loops over a batch's lines, page by page.

`context_features` takes per-line facts of the non-blank lines of a batch (sorted by document, as
a `LineTable` holds them: the document, words, whether the line is prose, short or removed by a
rule, and two 64-bit keys) and writes their `CONTEXT_FEATURES` straight into the rows of the
caller's float32 feature matrix (line `i` is column `index[i]`): neighbours, window shares, runs,
the distance to the nearest prose line, the densest prose region, how often the line (and its
first word) recurs on the page, page shares. Features named `log_*` are `log1p` of a count, read
from a table numpy computed (`log1p_table`), so they are the float32 of numpy's logarithm, the one
the model was trained with. Other values are computed in float64 and rounded to float32 once, as
numpy's cast does. A new context feature is a name in `CONTEXT_FEATURES`, its index in the
constants below (same order) and the line of `context_features` (or its helper) that writes it.

Recurrence is counted on keys: equal text gives equal keys; two different lines of one page
share a 64-bit hash with probability about n^2 / 2^65 for a page of n lines (below 1e-12 for
n = 5,000), so the counts are those of the texts.
"""

from __future__ import annotations

import numba
import numpy as np

from pipeline.clean.page_runs import page_end, table_size

CONTEXT_FEATURES: tuple[str, ...] = (
    "prev_log_words",
    "next_log_words",
    "prev_prose",
    "next_prose",
    "prev_matched",
    "next_matched",
    "prose_share_w2",
    "prose_share_w5",
    "short_share_w2",
    "short_share_w5",
    "matched_share_w5",
    "log_short_run",
    "relative_position",
    "log_lines_before",
    "log_lines_after",
    "before_first_prose",
    "after_last_prose",
    "log_distance_to_prose",
    "in_densest_region",
    "log_distance_to_region",
    "log_same_line_count",
    "log_same_first_word",
    "page_prose_share",
    "page_short_share",
    "page_matched_share",
    "page_log_lines",
)
(
    PREV_WORDS,
    NEXT_WORDS,
    PREV_PROSE,
    NEXT_PROSE,
    PREV_MATCHED,
    NEXT_MATCHED,
    PROSE_W2,
    PROSE_W5,
    SHORT_W2,
    SHORT_W5,
    MATCHED_W5,
    SHORT_RUN,
    RELATIVE_POSITION,
    LINES_BEFORE,
    LINES_AFTER,
    BEFORE_FIRST_PROSE,
    AFTER_LAST_PROSE,
    DISTANCE_TO_PROSE,
    IN_REGION,
    DISTANCE_TO_REGION,
    SAME_LINE,
    SAME_FIRST_WORD,
    PAGE_PROSE,
    PAGE_SHORT,
    PAGE_MATCHED,
    PAGE_LINES,
) = range(26)
MAX_DISTANCE = 1000  # the distance to prose is capped here (also when a page has no prose)
_LOG1P_SIZE = 1 << 18  # counts below this (all of them in a usual batch) use the shared table
_LOG1P = np.log1p(np.arange(_LOG1P_SIZE, dtype=np.float64)).astype(np.float32)


def log1p_table(size: int) -> np.ndarray:
    """float32 `log1p(k)` for the counts `k < size` (at least), as numpy computes and casts it."""
    if size <= _LOG1P_SIZE:
        return _LOG1P
    return np.log1p(np.arange(size, dtype=np.float64)).astype(np.float32)


@numba.njit(cache=True, nogil=True)
def context_features(
    out: np.ndarray,
    index: np.ndarray,
    doc: np.ndarray,
    words: np.ndarray,
    prose: np.ndarray,
    short: np.ndarray,
    hit: np.ndarray,
    line_key: np.ndarray,
    first_word_key: np.ndarray,
    num_docs: int,
    log1p: np.ndarray,
) -> None:
    """Write the `CONTEXT_FEATURES` of lines sorted by document into `out` (float32, a row per
    feature, zeros where a feature does not apply): line `i` is column `index[i]`.

    Args:
        doc / words: each line's document and words.
        prose / short / hit: prose lines, short lines, lines a rule removes (numpy bool).
        line_key / first_word_key: 64-bit keys of the lower-cased line and of its first word.
        num_docs: documents in the batch (`doc` < `num_docs`).
        log1p: `log1p_table` of at least the number of lines and their largest word count.
    """
    n = doc.size
    own = prose & ~hit
    region_start, region_end = densest_regions(
        doc, _region_scores(words, own, hit, short), num_docs
    )
    cum_prose, cum_short, cum_hit = _cumulative(prose), _cumulative(short), _cumulative(hit)
    nearest = np.empty(n, dtype=np.int64)  # scratch for `_prose_distances`
    line_slot = np.empty(n, dtype=np.int64)  # scratch for `_same_key_counts`
    slot_key = np.empty(max(4 * n, 16), dtype=np.uint64)
    slot_count = np.empty(max(4 * n, 16), dtype=np.int64)
    a = 0
    while a < n:
        b = page_end(doc, a)
        count = b - a
        page_prose = _count(own, a, b) / count
        page_short = (cum_short[b] - cum_short[a]) / count
        page_hit = (cum_hit[b] - cum_hit[a]) / count
        for i in range(a, b):
            c = index[i]
            if i > a:
                out[PREV_WORDS, c] = log1p[words[i - 1]]
                out[PREV_PROSE, c] = prose[i - 1]
                out[PREV_MATCHED, c] = hit[i - 1]
            if i + 1 < b:
                out[NEXT_WORDS, c] = log1p[words[i + 1]]
                out[NEXT_PROSE, c] = prose[i + 1]
                out[NEXT_MATCHED, c] = hit[i + 1]
            out[PROSE_W2, c] = _window_share(cum_prose, i, a, b, 2)
            out[PROSE_W5, c] = _window_share(cum_prose, i, a, b, 5)
            out[SHORT_W2, c] = _window_share(cum_short, i, a, b, 2)
            out[SHORT_W5, c] = _window_share(cum_short, i, a, b, 5)
            out[MATCHED_W5, c] = _window_share(cum_hit, i, a, b, 5)
            out[RELATIVE_POSITION, c] = (i - a) / max(count - 1, 1)
            out[LINES_BEFORE, c] = log1p[i - a]
            out[LINES_AFTER, c] = log1p[b - 1 - i]
            out[PAGE_PROSE, c] = page_prose
            out[PAGE_SHORT, c] = page_short
            out[PAGE_MATCHED, c] = page_hit
            out[PAGE_LINES, c] = log1p[count]
        _short_runs(out, index, short, a, b, log1p)
        _prose_distances(out, index, own, a, b, log1p, nearest)
        _region(out, index, region_start[doc[a]], region_end[doc[a]], a, b, log1p)
        for row, keys in ((SAME_LINE, line_key), (SAME_FIRST_WORD, first_word_key)):
            _same_key_counts(out, index, row, keys, a, b, log1p, slot_key, slot_count, line_slot)
        a = b


@numba.njit(cache=True, nogil=True)
def _cumulative(flag: np.ndarray) -> np.ndarray:
    out = np.zeros(flag.size + 1, dtype=np.int64)
    for i in range(flag.size):
        out[i + 1] = out[i] + flag[i]
    return out


@numba.njit(cache=True, nogil=True)
def _region_scores(
    words: np.ndarray, own: np.ndarray, hit: np.ndarray, short: np.ndarray
) -> np.ndarray:
    """What a line adds to a prose region: its words if it is prose no rule removes, -3 if a rule
    removes it, -1 if it is short, else 0."""
    score = np.zeros(words.size, dtype=np.float64)
    for i in range(words.size):
        if own[i]:
            score[i] = words[i]
        elif hit[i]:
            score[i] = -3.0
        elif short[i]:
            score[i] = -1.0
    return score


@numba.njit(cache=True, nogil=True)
def _count(flag: np.ndarray, a: int, b: int) -> int:
    total = 0
    for i in range(a, b):
        total += flag[i]
    return total


@numba.njit(cache=True, nogil=True, inline="always")
def _window_share(cumulative: np.ndarray, i: int, a: int, b: int, window: int) -> float:
    """Share of flagged lines among the lines within `window` of line `i`, in `a:b`."""
    lo, hi = max(i - window, a), min(i + window + 1, b)
    return (cumulative[hi] - cumulative[lo]) / (hi - lo)


@numba.njit(cache=True, nogil=True)
def _short_runs(
    out: np.ndarray, index: np.ndarray, short: np.ndarray, a: int, b: int, log1p: np.ndarray
) -> None:
    """For each short line of `a:b`, the length of its run of consecutive short lines."""
    i = a
    while i < b:
        if not short[i]:
            i += 1
            continue
        j = i
        while j < b and short[j]:
            j += 1
        for k in range(i, j):
            out[SHORT_RUN, index[k]] = log1p[j - i]
        i = j


@numba.njit(cache=True, nogil=True)
def _prose_distances(
    out: np.ndarray,
    index: np.ndarray,
    own: np.ndarray,
    a: int,
    b: int,
    log1p: np.ndarray,
    distance: np.ndarray,
) -> None:
    """Before the first / after the last prose line of the page, and the distance (in lines,
    capped) to the nearest one (`distance[a:b]` is scratch)."""
    first, last = -1, -1
    for i in range(a, b):
        if own[i]:
            last = i
            if first < 0:
                first = i
    if first < 0:
        for i in range(a, b):
            out[DISTANCE_TO_PROSE, index[i]] = log1p[MAX_DISTANCE]
        return
    previous = -1
    for i in range(a, b):
        if own[i]:
            previous = i
        distance[i] = MAX_DISTANCE if previous < 0 else min(i - previous, MAX_DISTANCE)
        out[BEFORE_FIRST_PROSE, index[i]] = i < first
        out[AFTER_LAST_PROSE, index[i]] = i > last
    following = -1
    for i in range(b - 1, a - 1, -1):
        if own[i]:
            following = i
        if following >= 0 and following - i < distance[i]:
            distance[i] = following - i
        out[DISTANCE_TO_PROSE, index[i]] = log1p[distance[i]]


@numba.njit(cache=True, nogil=True)
def _region(
    out: np.ndarray, index: np.ndarray, start: int, end: int, a: int, b: int, log1p: np.ndarray
) -> None:
    """Inside the page's densest region, or the distance in lines to it (0 if it has none)."""
    if end < 0:
        return
    for i in range(a, b):
        out[IN_REGION, index[i]] = start <= i <= end
        out[DISTANCE_TO_REGION, index[i]] = log1p[start - i if i < start else max(i - end, 0)]


@numba.njit(cache=True, nogil=True)
def _same_key_counts(
    out: np.ndarray,
    index: np.ndarray,
    row: int,
    keys: np.ndarray,
    a: int,
    b: int,
    log1p: np.ndarray,
    slot_key: np.ndarray,
    slot_count: np.ndarray,
    line_slot: np.ndarray,
) -> None:
    """For each line of `a:b`, how many other lines of `a:b` have its key, counted in an
    open-addressing table with linear probing from the key's low bits (XXH64 mixes them well).
    `slot_key` and `slot_count` (`max(16, 4 * (b - a))` slots or more) and `line_slot` are
    scratch."""
    size = table_size(b - a)
    slot_count[:size] = 0
    mask = np.uint64(size - 1)
    for i in range(a, b):
        slot = np.int64(keys[i] & mask)
        while slot_count[slot] and slot_key[slot] != keys[i]:
            slot = (slot + 1) & (size - 1)
        slot_key[slot] = keys[i]
        slot_count[slot] += 1
        line_slot[i] = slot
    for i in range(a, b):
        out[row, index[i]] = log1p[slot_count[line_slot[i]] - 1]


@numba.njit(cache=True, nogil=True)
def densest_regions(
    doc: np.ndarray, score: np.ndarray, num_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per document, the first and last index of its maximum-sum run of `score` (Kadane), over
    lines sorted by document; (-1, -1) when no run has a positive sum. Ties keep the earliest."""
    start = np.full(num_docs, -1, dtype=np.int64)
    end = np.full(num_docs, -1, dtype=np.int64)
    best = np.zeros(num_docs, dtype=np.float64)
    current = 0.0
    current_start = 0
    for i in range(doc.size):
        d = doc[i]
        if i == 0 or doc[i - 1] != d or current <= 0.0:
            current = 0.0
            current_start = i
        current += score[i]
        if current > best[d]:
            best[d] = current
            start[d] = current_start
            end[d] = i
    return start, end
