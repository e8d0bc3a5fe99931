"""n-gram shingles of hashed text units, as 32-bit hashes, for a whole batch at once."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from pipeline.dedup.hashing import fmix64, ngram_weights
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
    hashes, offsets = units.hashes, units.offsets
    counts = np.diff(offsets)
    weights = ngram_weights(n)
    full_docs = counts >= n
    short_docs = (counts > 0) & ~full_docs
    per_doc = np.where(full_docs, counts - n + 1, short_docs.astype(np.int64))
    out_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(per_doc, out=out_offsets[1:])
    mixed = _full_windows(hashes, offsets, weights)
    if short_docs.any():
        from_short = np.repeat(short_docs, per_doc)
        both = np.empty(int(out_offsets[-1]), dtype=np.uint64)
        both[~from_short] = mixed
        both[from_short] = _short_documents(hashes, offsets, counts, short_docs, weights)
        mixed = both
    fmix64(mixed, copy=False)
    # The high 32 bits of each 64-bit hash: every other uint32 of the array's memory.
    high = 1 if sys.byteorder == "little" else 0
    return Shingles(mixed.view(np.uint32)[high::2].copy(), out_offsets)


def _full_windows(hashes: np.ndarray, offsets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted sums of every window of `n` units that lies inside one document, in order."""
    n = len(weights)
    windows = len(hashes) - n + 1
    if windows <= 0:
        return np.zeros(0, dtype=np.uint64)
    acc = hashes[:windows] * weights[0]
    term = np.empty_like(acc)
    for k in range(1, n):
        np.multiply(hashes[k : windows + k], weights[k], out=term)
        acc += term
    if n == 1:
        return acc
    # Windows that start in a document and end past it: the last n - 1 starts of each document.
    crossing = offsets[1:, None] - np.arange(1, n)[None, :]
    crossing = crossing[(crossing >= offsets[:-1, None]) & (crossing < windows)]
    inside = np.ones(windows, dtype=bool)
    inside[crossing] = False
    return acc[inside]


def _short_documents(
    hashes: np.ndarray,
    offsets: np.ndarray,
    counts: np.ndarray,
    short_docs: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """One weighted sum over all units of each document shorter than `n` units."""
    short_counts = counts[short_docs]
    first = np.repeat(offsets[:-1][short_docs], short_counts)
    position = np.arange(len(first)) - np.repeat(
        np.cumsum(short_counts) - short_counts, short_counts
    )
    terms = hashes[first + position] * weights[position]
    return np.add.reduceat(terms, np.cumsum(short_counts) - short_counts)
