"""The 128-bit hash of a document's normalised text, from its word hashes, for exact dedup."""

from __future__ import annotations

import numpy as np

from pipeline.dedup import text_kernels
from pipeline.dedup.text_units import Words


def normalised_text_hashes(words: Words) -> np.ndarray:
    """(documents x 2) uint64: two independent 64-bit lanes over the sequence of word hashes.

    Lane `k` is `fmix64(sum_i fmix64(word_i + (i + 1) * S_k) + count * C)`: position mixing makes
    it order-sensitive, and two documents get the same pair only if their normalised texts (words
    joined by single spaces) are equal, up to a 2^-128 chance per pair of distinct texts (given
    collision-free word hashes). Documents without words hash to a constant; callers skip them.
    """
    return text_kernels.exact_hashes(words.hashes, words.offsets)
