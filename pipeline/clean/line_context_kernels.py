"""The context features of `line_context`: compiled loops over a batch's lines, page by page.

`context_features` takes per-line facts of the non-blank lines of a batch (sorted by document, as
a `LineTable` holds them: the document, words, whether the line is prose, short or removed by a
rule, and two 64-bit keys) and writes their `CONTEXT_FEATURES`, a row per feature: neighbours,
window shares, runs, the distance to the nearest prose line, the densest prose region, how often
the line (and its first word) recurs on the page, page shares. Features named `log_*` are written
as the count whose `log1p` they are: `line_context` takes the logarithm with numpy, the one the
model was trained with. A new context feature is a name in `CONTEXT_FEATURES`, its index in the
constants below (same order) and the line of `context_features` (or its helper) that writes it.

Recurrence is counted on keys: equal text gives equal keys; two different lines of one page
share a 64-bit hash with probability about n^2 / 2^65 for a page of n lines (below 1e-12 for
n = 5,000), so the counts are those of the texts.
"""

from __future__ import annotations

import numba
import numpy as np

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


@numba.njit(cache=True, nogil=True)
def context_features(
    doc: np.ndarray,
    words: np.ndarray,
    prose: np.ndarray,
    short: np.ndarray,
    hit: np.ndarray,
    line_key: np.ndarray,
    first_word_key: np.ndarray,
    num_docs: int,
) -> np.ndarray:
    """A float64 matrix (`CONTEXT_FEATURES` x lines) for lines sorted by document.

    Args:
        doc / words: each line's document and words.
        prose / short / hit: prose lines, short lines, lines a rule removes (numpy bool).
        line_key / first_word_key: 64-bit keys of the lower-cased line and of its first word.
        num_docs: documents in the batch (`doc` < `num_docs`).
    """
    n = doc.size
    values = np.zeros((len(CONTEXT_FEATURES), n), dtype=np.float64)
    own = prose & ~hit
    region_start, region_end = densest_regions(
        doc, _region_scores(words, own, hit, short), num_docs
    )
    cum_prose, cum_short, cum_hit = _cumulative(prose), _cumulative(short), _cumulative(hit)
    a = 0
    while a < n:
        b = a + 1
        while b < n and doc[b] == doc[a]:
            b += 1
        count = b - a
        own_lines = _count(own, a, b)
        for i in range(a, b):
            if i > a:
                values[PREV_WORDS, i] = words[i - 1]
                values[PREV_PROSE, i] = prose[i - 1]
                values[PREV_MATCHED, i] = hit[i - 1]
            if i + 1 < b:
                values[NEXT_WORDS, i] = words[i + 1]
                values[NEXT_PROSE, i] = prose[i + 1]
                values[NEXT_MATCHED, i] = hit[i + 1]
            values[PROSE_W2, i] = _window_share(cum_prose, i, a, b, 2)
            values[PROSE_W5, i] = _window_share(cum_prose, i, a, b, 5)
            values[SHORT_W2, i] = _window_share(cum_short, i, a, b, 2)
            values[SHORT_W5, i] = _window_share(cum_short, i, a, b, 5)
            values[MATCHED_W5, i] = _window_share(cum_hit, i, a, b, 5)
            values[RELATIVE_POSITION, i] = (i - a) / max(count - 1, 1)
            values[LINES_BEFORE, i] = i - a
            values[LINES_AFTER, i] = b - 1 - i
            values[PAGE_PROSE, i] = own_lines / count
            values[PAGE_SHORT, i] = (cum_short[b] - cum_short[a]) / count
            values[PAGE_MATCHED, i] = (cum_hit[b] - cum_hit[a]) / count
            values[PAGE_LINES, i] = count
        _short_runs(values, short, a, b)
        _prose_distances(values, own, a, b)
        _region(values, region_start[doc[a]], region_end[doc[a]], a, b)
        _same_key_counts(values, SAME_LINE, line_key, a, b)
        _same_key_counts(values, SAME_FIRST_WORD, first_word_key, a, b)
        a = b
    return values


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
def _short_runs(values: np.ndarray, short: np.ndarray, a: int, b: int) -> None:
    """For each short line of `a:b`, the length of its run of consecutive short lines."""
    i = a
    while i < b:
        if not short[i]:
            i += 1
            continue
        j = i
        while j < b and short[j]:
            j += 1
        values[SHORT_RUN, i:j] = j - i
        i = j


@numba.njit(cache=True, nogil=True)
def _prose_distances(values: np.ndarray, own: np.ndarray, a: int, b: int) -> None:
    """Before the first / after the last prose line of the page, and the distance (in lines,
    capped) to the nearest one."""
    first, last = -1, -1
    for i in range(a, b):
        if own[i]:
            last = i
            if first < 0:
                first = i
    if first < 0:
        values[DISTANCE_TO_PROSE, a:b] = MAX_DISTANCE
        return
    previous = -1
    for i in range(a, b):
        if own[i]:
            previous = i
        values[DISTANCE_TO_PROSE, i] = (
            MAX_DISTANCE if previous < 0 else min(i - previous, MAX_DISTANCE)
        )
        values[BEFORE_FIRST_PROSE, i] = i < first
        values[AFTER_LAST_PROSE, i] = i > last
    following = -1
    for i in range(b - 1, a - 1, -1):
        if own[i]:
            following = i
        if following >= 0 and following - i < values[DISTANCE_TO_PROSE, i]:
            values[DISTANCE_TO_PROSE, i] = following - i


@numba.njit(cache=True, nogil=True)
def _region(values: np.ndarray, start: int, end: int, a: int, b: int) -> None:
    """Inside the page's densest region, or the distance in lines to it (0 if it has none)."""
    if end < 0:
        return
    for i in range(a, b):
        values[IN_REGION, i] = start <= i <= end
        values[DISTANCE_TO_REGION, i] = start - i if i < start else max(i - end, 0)


@numba.njit(cache=True, nogil=True)
def _same_key_counts(values: np.ndarray, column: int, keys: np.ndarray, a: int, b: int) -> None:
    """For each line of `a:b`, how many other lines of `a:b` have its key."""
    order = np.argsort(keys[a:b])
    j = 0
    while j < order.size:
        k = j + 1
        while k < order.size and keys[a + order[k]] == keys[a + order[j]]:
            k += 1
        for t in range(j, k):
            values[column, a + order[t]] = k - j - 1
        j = k


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


@numba.njit(cache=True, nogil=True)
def scatter_columns(out: np.ndarray, index: np.ndarray, columns: np.ndarray) -> None:
    """`out[k, index[i]] = columns[k, i]` (float64 to float32, rounded to nearest as numpy does)."""
    for k in range(columns.shape[0]):
        for i in range(index.size):
            out[k, index[i]] = columns[k, i]
