"""LSH banding: how many bands of how many rows, and one 64-bit hash per band per document."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from pipeline.dedup.hashing import fmix64, ngram_weights

_BAND_SALT = np.uint64(0x94D049BB133111EB)


@lru_cache(maxsize=32)
def optimal_bands_rows(
    threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int]:
    """(bands, rows) from datasketch's optimiser (the one `MinHashLSH(threshold=...)` uses).

    It minimises `fp_weight * FP + fn_weight * FN`, the areas under the S-curve below and above the
    threshold, over every `bands * rows <= num_perm` (the first minimum in datasketch's order);
    datasketch's own default weights are (0.5, 0.5). The areas are integrated here with numpy
    (composite Gauss-Legendre, 16 x 32 nodes) instead of datasketch's `scipy.integrate.quad`,
    whose import alone costs seconds; the tests check the answers are datasketch's.
    """
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in pairs], dtype=np.float64)[:, None]
    rows = np.array([r for _, r in pairs], dtype=np.float64)[:, None]
    below, below_weights = _quadrature(0.0, threshold)
    above, above_weights = _quadrature(threshold, 1.0)
    false_positive = (1.0 - (1.0 - below**rows) ** bands) @ below_weights
    false_negative = ((1.0 - above**rows) ** bands) @ above_weights
    error = false_positive * weights[0] + false_negative * weights[1]
    return pairs[int(np.argmin(error))]


def _quadrature(low: float, high: float, pieces: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Nodes (a row) and weights of a composite 32-point Gauss-Legendre rule on [low, high]."""
    nodes, weights = np.polynomial.legendre.leggauss(32)
    edges = np.linspace(low, high, pieces + 1)
    half, middle = (edges[1:] - edges[:-1]) / 2, (edges[1:] + edges[:-1]) / 2
    points = (middle[:, None] + half[:, None] * nodes[None, :]).ravel()
    return points[None, :], (half[:, None] * weights[None, :]).ravel()


def candidate_probability(similarity: np.ndarray | float, bands: int, rows: int) -> np.ndarray:
    """The S-curve: probability that two documents of Jaccard `similarity` share a bucket."""
    s = np.asarray(similarity, dtype=np.float64)
    return 1.0 - (1.0 - s**rows) ** bands


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(documents x bands) uint64: band `k` hashes signature positions `k*rows .. (k+1)*rows - 1`.

    Each band is `fmix64(sum_j sig[k*rows + j] * W_j + k * S)`; equal band values give equal hashes,
    and different ones collide with probability about 2^-64.
    """
    if bands * rows > signatures.shape[1]:
        raise ValueError(
            f"{bands} bands x {rows} rows need {bands * rows} hash values, "
            f"the signatures have {signatures.shape[1]}"
        )
    docs = signatures.shape[0]
    weights = ngram_weights(rows)
    acc = np.zeros((docs, bands), dtype=np.uint64)
    blocks = signatures[:, : bands * rows].reshape(docs, bands, rows)
    for j in range(rows):
        acc += blocks[:, :, j].astype(np.uint64) * weights[j]
    acc += np.arange(bands, dtype=np.uint64) * _BAND_SALT
    return fmix64(acc)
