"""n-gram shingles of hashed text units, as 32-bit hashes, for a whole batch at once."""

from __future__ import annotations

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
    mixed = np.empty(int(out_offsets[-1]), dtype=np.uint64)
    from_short = np.repeat(short_docs, per_doc)
    mixed[~from_short] = _full_windows(hashes, offsets, counts, weights)
    if short_docs.any():
        mixed[from_short] = _short_documents(hashes, offsets, counts, short_docs, weights)
    return Shingles((fmix64(mixed) >> np.uint64(32)).astype(np.uint32), out_offsets)


def _full_windows(
    hashes: np.ndarray, offsets: np.ndarray, counts: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Weighted sums of every window of `n` units that lies inside one document, in order."""
    n = len(weights)
    windows = len(hashes) - n + 1
    if windows <= 0:
        return np.zeros(0, dtype=np.uint64)
    acc = hashes[:windows] * weights[0]
    for k in range(1, n):
        acc += hashes[k : windows + k] * weights[k]
    doc_end = np.repeat(offsets[1:], counts)[:windows]
    inside = np.arange(n, windows + n) <= doc_end
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
