"""Word features: what a token is (a word, its trimmed length, a letter, a stop word) depends
only on its text, so it is computed once per distinct token of the batch and summed per document
by a numba loop. An ASCII token is read by a numba loop (ASCII punctuation trimmed, letters
`A-Za-z`, lower-cased by `| 0x20`); the others go through Arrow's kernels (punctuation trimming,
`\\pL`, Unicode lower-casing), which give the same answers on ASCII text.

A *token* is a whitespace-separated piece; a *word* is a token with at least one character that
is not punctuation, its length measured after trimming surrounding punctuation.
"""

from __future__ import annotations

import string

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.text_units import utf8_view
from pipeline.quality.interning import span_texts
from pipeline.quality.segments import Pieces, safe_ratio

SHORT_WORD = 64  # word lengths below this are counted, not sorted, for the median
PUNCTUATION = string.punctuation + "“”‘’„‚«»‹›…–—―•·¡¿"
ASCII_PUNCTUATION = np.zeros(128, dtype=np.bool_)
ASCII_PUNCTUATION[[ord(c) for c in PUNCTUATION if ord(c) < 128]] = True


def word_features(
    data: np.ndarray,
    tokens: Pieces,
    ids: np.ndarray,
    first: np.ndarray,
    stop_words: tuple[str, ...],
    *,
    hashes: np.ndarray,
    ellipses: np.ndarray,
) -> dict[str, np.ndarray]:
    """Word counts, lengths and shares per document; `ids` are the tokens' exact text ids and
    `first` each id's first token; `hashes` / `ellipses` count '#' and '...' / '…' per document."""
    trimmed_length, has_letter, is_stop = token_properties(
        data, tokens.start[first], tokens.end[first], stop_words
    )
    sums, median = _word_sums(tokens.bounds, ids, trimmed_length, has_letter, is_stop)
    token_count, word_count, length_sum, letter_count, stop_count = sums
    return {
        "word_count": word_count.astype(np.int32),
        "mean_word_length": safe_ratio(length_sum, word_count),
        "median_word_length": median,
        "hash_word_ratio": safe_ratio(hashes, word_count),
        "ellipsis_word_ratio": safe_ratio(ellipses, word_count),
        "alpha_word_frac": safe_ratio(letter_count, token_count),
        "stop_word_count": stop_count.astype(np.int32),
    }


def token_properties(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray, stop_words: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per token `data[starts[i]:ends[i]]`: length in characters once surrounding punctuation is
    trimmed, whether it has a letter, whether its trimmed lower-cased text is a stop word."""
    stops = pa.array(list(stop_words), pa.string())
    stop_data, stop_offsets = utf8_view(stops)
    length, letter, stop, ascii_token = _ascii_properties(
        data, starts, ends, ASCII_PUNCTUATION, stop_data, stop_offsets
    )
    other = np.flatnonzero(~ascii_token)
    if other.size:
        texts = span_texts(data, starts[other], ends[other])
        trimmed = pc.utf8_trim(texts, characters=PUNCTUATION)
        length[other] = np.asarray(pc.utf8_length(trimmed), dtype=np.int64)
        letter[other] = np.asarray(pc.match_substring_regex(texts, r"\pL"), dtype=np.bool_)
        stop[other] = np.asarray(pc.is_in(pc.utf8_lower(trimmed), value_set=stops), np.bool_)
    return length, letter, stop


@numba.njit(cache=True, nogil=True)
def _ascii_properties(
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    punctuation: np.ndarray,
    stop_data: np.ndarray,
    stop_offsets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`token_properties` of the ASCII tokens, and which tokens are ASCII (the others' values
    are left at zero)."""
    n = starts.size
    length = np.zeros(n, dtype=np.int64)
    letter = np.zeros(n, dtype=np.bool_)
    stop = np.zeros(n, dtype=np.bool_)
    ascii_token = np.ones(n, dtype=np.bool_)
    for t in range(n):
        start, end = starts[t], ends[t]
        for i in range(start, end):
            b = data[i]
            if b >= 0x80:
                ascii_token[t] = False
                break
            letter[t] |= 0x61 <= (b | 0x20) <= 0x7A  # A-Z or a-z
        if not ascii_token[t]:
            letter[t] = False
            continue
        while start < end and punctuation[data[start]]:
            start += 1
        while end > start and punctuation[data[end - 1]]:
            end -= 1
        length[t] = end - start
        for w in range(stop_offsets.size - 1):
            if stop_offsets[w + 1] - stop_offsets[w] != end - start:
                continue
            same = True
            for k in range(end - start):
                b = data[start + k]
                lower = b | 0x20 if 0x41 <= b <= 0x5A else b
                if lower != stop_data[stop_offsets[w] + k]:
                    same = False
                    break
            if same:
                stop[t] = True
                break
    return length, letter, stop, ascii_token


@numba.njit(cache=True, nogil=True)
def _word_sums(
    bounds: np.ndarray,
    ids: np.ndarray,
    trimmed_length: np.ndarray,
    has_letter: np.ndarray,
    is_stop: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per document: tokens, words, sum of word lengths, tokens with a letter, stop words (rows);
    and the median word length (mean of the middle pair for an even count, 0 without words)."""
    n_docs = bounds.size - 1
    sums = np.zeros((5, n_docs), dtype=np.int64)
    median = np.zeros(n_docs, dtype=np.float64)
    most = np.max(bounds[1:] - bounds[:-1]) if n_docs else 0
    lengths = np.empty(max(most, 1), dtype=np.int64)
    histogram = np.zeros(SHORT_WORD, dtype=np.int64)
    for d in range(n_docs):
        words = 0
        longest = 0
        for i in range(bounds[d], bounds[d + 1]):
            token = ids[i]
            if trimmed_length[token] > 0:
                lengths[words] = trimmed_length[token]
                longest = max(longest, trimmed_length[token])
                words += 1
            sums[2, d] += trimmed_length[token]
            sums[3, d] += has_letter[token]
            sums[4, d] += is_stop[token]
        sums[0, d] = bounds[d + 1] - bounds[d]
        sums[1, d] = words
        if words:
            low, high = _middle_pair(lengths[:words], longest, histogram)
            median[d] = (low + high) / 2.0
    return sums, median


@numba.njit(cache=True, nogil=True)
def _middle_pair(values: np.ndarray, largest: int, histogram: np.ndarray) -> tuple[int, int]:
    """The values at sorted positions (n-1)//2 and n//2: counted when all are short (the usual
    case), sorted otherwise. `histogram` is zeros on entry and on return."""
    n = values.size
    if largest >= histogram.size:
        ordered = np.sort(values)
        return ordered[(n - 1) // 2], ordered[n // 2]
    for value in values:
        histogram[value] += 1
    low = high = -1
    seen = 0
    for value in range(largest + 1):
        seen += histogram[value]
        if low < 0 and seen > (n - 1) // 2:
            low = value
        if seen > n // 2:
            high = value
            break
    histogram[: largest + 1] = 0
    return low, high
