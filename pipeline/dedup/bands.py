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
    threshold; datasketch's own default weights are (0.5, 0.5).
    """
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, num_perm, weights[0], weights[1])
    return int(bands), int(rows)


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
