"""n-gram shingles of hashed text units, as 32-bit hashes, for a whole batch at once (numba)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.dedup import text_kernels
from pipeline.dedup.hashing import ngram_weights
from pipeline.dedup.text_units import Units


@dataclass(frozen=True)
class Shingles:
    """32-bit shingle hashes per document, concatenated in document order."""

    hashes: np.ndarray  # uint32
    offsets: np.ndarray  # int64, number of documents + 1

    @property
    def counts(self) -> np.ndarray:
        """Shingles per document."""
        return np.diff(self.offsets)


def ngram_shingles(units: Units, n: int) -> Shingles:
    """Hash every run of `n` consecutive units of a document into one 32-bit shingle.

    A shingle's hash is the high 32 bits of `fmix64(sum_k unit[i + k] * W_k)`; a document with
    fewer than `n` (but at least one) units has one shingle made of all its units, and an empty
    document has none (its signature stays at the maximum value, like an empty datasketch MinHash).
    """
    if n < 1:
        raise ValueError(f"n-gram size must be at least 1, got {n}")
    hashes, offsets = text_kernels.ngram_shingles(units.hashes, units.offsets, ngram_weights(n))
    return Shingles(hashes, offsets)
