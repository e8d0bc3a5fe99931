"""Word features: what a token is (a word, its trimmed length, a letter, a stop word) depends
only on its text, so it is computed once per distinct token of the batch with Arrow's kernels
(punctuation trimming, `\\pL`, Unicode lower-casing) and summed per document by a numba loop.

A *token* is a whitespace-separated piece; a *word* is a token with at least one character that
is not punctuation, its length measured after trimming surrounding punctuation.
"""

from __future__ import annotations

import string

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.segments import Pieces, safe_ratio

SHORT_WORD = 64  # word lengths below this are counted, not sorted, for the median
PUNCTUATION = string.punctuation + "“”‘’„‚«»‹›…–—―•·¡¿"


def word_features(
    tokens: Pieces,
    ids: np.ndarray,
    distinct: pa.Array,
    stop_words: tuple[str, ...],
    *,
    hashes: np.ndarray,
    ellipses: np.ndarray,
) -> dict[str, np.ndarray]:
    """Word counts, lengths and shares per document; `ids` are the tokens' exact text ids and
    `distinct` the text of each id; `hashes` / `ellipses` count '#' and '...' / '…' per document."""
    trimmed = pc.utf8_trim(distinct, characters=PUNCTUATION)
    trimmed_length = pc.utf8_length(trimmed).to_numpy(zero_copy_only=False).astype(np.int64)
    has_letter = pc.match_substring_regex(distinct, r"\pL").to_numpy(zero_copy_only=False)
    stop_set = pa.array(list(stop_words), pa.string())
    is_stop = pc.is_in(pc.utf8_lower(trimmed), value_set=stop_set).to_numpy(zero_copy_only=False)
    sums, median = _word_sums(
        tokens.bounds, ids, trimmed_length, has_letter.astype(np.bool_), is_stop.astype(np.bool_)
    )
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
