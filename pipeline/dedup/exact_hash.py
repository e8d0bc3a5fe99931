"""The 128-bit hash of a document's normalised text, from its word hashes, for exact dedup."""

from __future__ import annotations

import numpy as np

from pipeline.dedup.hashing import LANE_SALTS, fmix64
from pipeline.dedup.text_units import Words

_COUNT_SALT = np.array([0x9E6C63D0676A9A99], dtype=np.uint64)


def normalised_text_hashes(words: Words) -> np.ndarray:
    """(documents x 2) uint64: two independent 64-bit lanes over the sequence of word hashes.

    Lane `k` is `fmix64(sum_i fmix64(word_i + (i + 1) * S_k) + count * C)`: position mixing makes
    it order-sensitive, and two documents get the same pair only if their normalised texts (words
    joined by single spaces) are equal, up to a 2^-128 chance per pair of distinct texts (given
    collision-free word hashes). Documents without words hash to a constant; callers skip them.
    """
    counts = words.counts
    docs = len(counts)
    position = np.arange(1, len(words.hashes) + 1, dtype=np.uint64)
    position -= np.repeat(words.offsets[:-1], counts).astype(np.uint64)
    out = np.empty((docs, 2), dtype=np.uint64)
    with_words = counts > 0
    firsts = words.offsets[:-1][with_words]
    sums = np.zeros(docs, dtype=np.uint64)
    for lane, salt in enumerate(LANE_SALTS):
        terms = position * salt
        terms += words.hashes
        if len(firsts):
            sums[with_words] = np.add.reduceat(fmix64(terms, copy=False), firsts)
        out[:, lane] = fmix64(sums + counts.astype(np.uint64) * _COUNT_SALT, copy=False)
    return out
