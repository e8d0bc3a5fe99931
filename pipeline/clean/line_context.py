"""Per-line features for the `page_furniture` model: the line itself, its neighbours, its page.

A menu entry, a breadcrumb or a footer link is rarely recognisable on its own ("Pricing",
"Contact"); it is recognisable from where it sits: in a run of short lines, before the page's
first substantial paragraph or after its last one, outside the page's densest region of prose,
in a page whose lines repeat a shape. `line_context_features` turns a `LineTable` into one row of
`FEATURES` per line (float32; blank lines get a row of zeros and are never scored), all computed
with Arrow kernels and numpy over the whole batch, plus one compiled loop (the densest prose
region of each page, `densest_regions`).

Context is taken over the non-blank lines of the same document, so a blank line between two menu
entries does not hide the run.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow.compute as pc

from pipeline.clean.line_table import LineTable, _numpy

# Anything a menu, breadcrumb or pager uses between its items.
SEPARATOR = r"(?:\s[|>/»›·•]\s|\s[-–—]\s.*\s[-–—]\s)"
COUNT_IN_BRACKETS = r"[(\[]\d[\d,.]*[)\]]"
DATE_OR_TIME = (
    r"(?i)(?:\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}:\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\bago\b)"
)
LINK_LIKE = r"(?i)(?:https?://|www\.|\.com\b|@\w)"
CAPITALISED_WORD = r"(?:^|\s)[\p{Lu}\d]"
SHORT_WORDS = 4  # a "short" line: at most this many words and no sentence ending
WINDOWS = (2, 5)  # context windows (non-blank lines either side)

FEATURES: tuple[str, ...] = (
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


def line_context_features(
    lines: LineTable,
    matched: np.ndarray,
    structural: np.ndarray,
    *,
    sentence_min_words: int = 8,
    prose_min_words: int = 20,
) -> np.ndarray:
    """A float32 matrix (lines x `FEATURES`): the features of every line of `lines`.

    Args:
        lines: the batch's lines.
        matched: lines a pattern rule removes.
        structural: lines a structural rule (`page_header`, `page_footer`, ...) removes.
        sentence_min_words / prose_min_words: what a prose line is (as in `page_structure`).
    """
    # Column-major: each feature is written as one contiguous column.
    out = np.zeros((len(FEATURES), lines.num_lines), dtype=np.float32).T
    index = np.flatnonzero(~lines.blank)
    if index.size == 0:
        return out
    column = {name: i for i, name in enumerate(FEATURES)}

    def put(name: str, values: np.ndarray) -> None:
        out[index, column[name]] = values

    stripped = lines.stripped.take(index)
    doc = lines.doc[index]
    words = lines.words[index].astype(np.float64)
    chars = lines.chars[index].astype(np.float64)
    ends_sentence = lines.ends_sentence[index]
    ends_clause = lines.ends_clause[index]
    hit = matched[index] | structural[index]
    prose = ((words >= sentence_min_words) & ends_clause) | (words >= prose_min_words)
    short = (words <= SHORT_WORDS) & ~ends_sentence
    log_words = np.log1p(words)

    put("log_words", log_words)
    put("log_chars", np.log1p(chars))
    put("ends_sentence", ends_sentence)
    put("ends_clause", ends_clause)
    put("bullet", lines.bullet[index])
    put("pattern_matched", matched[index])
    put("structural", structural[index])
    capitals = _numpy(pc.count_substring_regex(stripped, pattern=CAPITALISED_WORD), np.float64)
    put("capitalised_share", np.minimum(capitals / words, 1.0))
    digits = _numpy(pc.count_substring_regex(stripped, pattern=r"\d"), np.float64)
    put("digit_share", digits / chars)
    punct = _numpy(pc.count_substring_regex(stripped, pattern=r"[,;:()\"“”]"), np.float64)
    put("punct_share", punct / words)
    put("separator", _numpy(pc.match_substring_regex(stripped, pattern=SEPARATOR), bool))
    put("count_in_brackets", _numpy(pc.match_substring_regex(stripped, COUNT_IN_BRACKETS), bool))
    put("date_or_time", _numpy(pc.match_substring_regex(stripped, pattern=DATE_OR_TIME), bool))
    put("link_like", _numpy(pc.match_substring_regex(stripped, pattern=LINK_LIKE), bool))
    upper = _numpy(pc.utf8_is_upper(stripped), bool)
    put("all_caps", upper & (chars > 3))
    put("starts_lower", _numpy(pc.match_substring_regex(stripped, pattern=r"^\p{Ll}"), bool))

    same_doc_prev = np.concatenate([[False], doc[1:] == doc[:-1]])
    same_doc_next = np.concatenate([doc[:-1] == doc[1:], [False]])
    put("prev_log_words", np.where(same_doc_prev, _shift(log_words, 1), 0.0))
    put("next_log_words", np.where(same_doc_next, _shift(log_words, -1), 0.0))
    put("prev_prose", same_doc_prev & _shift(prose, 1))
    put("next_prose", same_doc_next & _shift(prose, -1))
    put("prev_matched", same_doc_prev & _shift(hit, 1))
    put("next_matched", same_doc_next & _shift(hit, -1))
    for window in WINDOWS:
        put(f"prose_share_w{window}", _window_mean(prose, doc, window))
        put(f"short_share_w{window}", _window_mean(short, doc, window))
    put("matched_share_w5", _window_mean(hit, doc, 5))
    put("log_short_run", np.log1p(_run_lengths(short, doc)))

    first = lines.offsets[:-1]
    nonblank_per_doc = np.bincount(doc, minlength=lines.num_docs)
    starts = np.concatenate([[0], np.cumsum(nonblank_per_doc)[:-1]])
    position = np.arange(index.size) - starts[doc]
    count = nonblank_per_doc[doc]
    put("relative_position", position / np.maximum(count - 1, 1))
    put("log_lines_before", np.log1p(position))
    put("log_lines_after", np.log1p(count - 1 - position))
    del first

    own = prose & ~hit
    far = np.int64(1 << 30)
    first_prose = np.full(lines.num_docs, far, dtype=np.int64)
    last_prose = np.full(lines.num_docs, -1, dtype=np.int64)
    np.minimum.at(first_prose, doc[own], position[own])
    np.maximum.at(last_prose, doc[own], position[own])
    has_prose = last_prose[doc] >= 0
    put("before_first_prose", has_prose & (position < first_prose[doc]))
    put("after_last_prose", has_prose & (position > last_prose[doc]))
    distance = np.minimum(_gap(own, doc, forward=False), _gap(own, doc, forward=True))
    put("log_distance_to_prose", np.log1p(np.minimum(distance, 1000)))

    score = np.where(own, words, np.where(hit, -3.0, np.where(short, -1.0, 0.0)))
    region_start, region_end = densest_regions(doc, score, lines.num_docs)
    start, end = region_start[doc], region_end[doc]
    inside = (np.arange(index.size) >= start) & (np.arange(index.size) <= end)
    put("in_densest_region", inside)
    outside = np.where(
        np.arange(index.size) < start, start - np.arange(index.size), np.arange(index.size) - end
    )
    outside = np.where(inside | (end < 0), 0, np.maximum(outside, 0))
    put("log_distance_to_region", np.log1p(outside))

    lower = pc.utf8_lower(stripped)
    put("log_same_line_count", np.log1p(_count_in_doc(lower, doc) - 1))
    head = pc.utf8_slice_codeunits(lower, 0, 32)  # the first word is near the start
    first_word = pc.utf8_slice_codeunits(
        pc.replace_substring_regex(head, pattern=r"^\W*(\w*).*$", replacement=r"\1"), 0, 24
    )
    put("log_same_first_word", np.log1p(_count_in_doc(first_word, doc) - 1))

    per_doc = np.maximum(nonblank_per_doc, 1)
    put("page_prose_share", (np.bincount(doc, own, lines.num_docs) / per_doc)[doc])
    put("page_short_share", (np.bincount(doc, short, lines.num_docs) / per_doc)[doc])
    put("page_matched_share", (np.bincount(doc, hit, lines.num_docs) / per_doc)[doc])
    put("page_log_lines", np.log1p(count))
    return out


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


def _shift(values: np.ndarray, by: int) -> np.ndarray:
    """`values` moved `by` places (positive: each element gets its predecessor's value)."""
    out = np.zeros_like(values)
    if by > 0:
        out[by:] = values[:-by]
    else:
        out[:by] = values[-by:]
    return out


def _window_mean(flag: np.ndarray, doc: np.ndarray, window: int) -> np.ndarray:
    """Share of flagged lines among the lines within `window` of each line, in its document."""
    n = flag.size
    cumulative = np.concatenate([[0], np.cumsum(flag, dtype=np.int64)])
    doc_start = np.searchsorted(doc, doc, side="left")
    doc_end = np.searchsorted(doc, doc, side="right")
    lo = np.maximum(np.arange(n) - window, doc_start)
    hi = np.minimum(np.arange(n) + window + 1, doc_end)
    return (cumulative[hi] - cumulative[lo]) / (hi - lo)


def _run_lengths(member: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each member line, the length of its run of consecutive members in one document."""
    if not member.any():
        return np.zeros(member.size, dtype=np.int64)
    start = member.copy()
    start[1:] &= ~(member[:-1] & (doc[1:] == doc[:-1]))
    run_id = np.cumsum(start) - 1
    lengths = np.bincount(run_id[member], minlength=int(start.sum()))
    return np.where(member, lengths[np.maximum(run_id, 0)], 0)


def _gap(flag: np.ndarray, doc: np.ndarray, *, forward: bool) -> np.ndarray:
    """Lines to the previous (or next) flagged line of the same document (1 << 30 if none)."""
    if forward:
        return _gap(flag[::-1], doc[::-1], forward=False)[::-1]
    position = np.arange(flag.size)
    previous = np.maximum.accumulate(np.where(flag, position, -1))
    valid = previous >= 0
    valid[valid] = doc[previous[valid]] == doc[valid]
    return np.where(valid, position - previous, 1 << 30)


def _count_in_doc(keys: object, doc: np.ndarray) -> np.ndarray:
    """For each line, how many lines of its document have the same key (an Arrow string array)."""
    encoded = pc.dictionary_encode(keys)
    codes = _numpy(encoded.indices, np.int64)
    pair = doc * (int(codes.max()) + 1 if codes.size else 1) + codes
    _, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    return counts[inverse]
