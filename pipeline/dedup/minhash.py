"""MinHash signatures of a whole batch, bit-identical to `datasketch.MinHash`.

For the same 32-bit shingle hashes, `signatures(...)[d]` equals the `hashvalues` of a
`datasketch.MinHash(num_perm, seed=seed, scheme=scheme)` updated with document `d`'s hashes
(through a `hashfunc` that returns them unchanged). Two datasketch schemes are reproduced:

* `affine32` (datasketch >= 2.0 default): `h' = fmix32(h)`, then `a * h' + b mod 2^32`, `a` odd.
* `legacy` (datasketch < 2.0, and `scheme="legacy"` since): `((a * h + b) mod 2^64) mod (2^61 - 1)`,
  truncated to 32 bits. The `mod 2^64` is numpy's uint64 wrap-around, which datasketch also has.

Permutation parameters come from `numpy.random.RandomState(seed)` drawn exactly as datasketch draws
them. A numba kernel per scheme walks each document's shingles once, updating the row of all
`num_perm` minima per shingle (affine32: per four shingles); no intermediate arrays, and the
permutation loop vectorises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numba
import numpy as np

from pipeline.dedup.hashing import FMIX32_M1, FMIX32_M2
from pipeline.dedup.shingles import Shingles

Scheme = Literal["affine32", "legacy"]
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_MERSENNE = (1 << 61) - 1
_SHIFT61, _LOW61, _LOW32, _ONE = (np.uint64(x) for x in (61, _MERSENNE, 0xFFFFFFFF, 1))


@dataclass(frozen=True)
class Permutations:
    """The `num_perm` permutation functions of one (seed, scheme)."""

    scheme: Scheme
    seed: int
    a: np.ndarray  # uint32 (affine32) or uint64 (legacy)
    b: np.ndarray

    @property
    def num_perm(self) -> int:
        return len(self.a)

    @classmethod
    def create(cls, num_perm: int, seed: int, scheme: Scheme) -> Permutations:
        """Draw the parameters exactly as `datasketch.MinHash(num_perm, seed, scheme=...)` does."""
        generator = np.random.RandomState(seed)
        if scheme == "legacy":
            pairs = [
                (
                    generator.randint(1, _MERSENNE, dtype=np.uint64),
                    generator.randint(0, _MERSENNE, dtype=np.uint64),
                )
                for _ in range(num_perm)
            ]
            a, b = np.array(pairs, dtype=np.uint64).T.copy()
        elif scheme == "affine32":
            half = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32)
            a = half * np.uint32(2) + np.uint32(1)
            b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        else:
            raise ValueError(f"unknown MinHash scheme {scheme!r} (affine32 or legacy)")
        return cls(scheme=scheme, seed=seed, a=a, b=b)


def signatures(shingles: Shingles, permutations: Permutations) -> np.ndarray:
    """The (documents x num_perm) uint32 MinHash signatures of every document's shingles."""
    out = np.full((len(shingles.offsets) - 1, permutations.num_perm), EMPTY_VALUE, dtype=np.uint32)
    if permutations.scheme == "affine32":
        _affine32_minima(shingles.hashes, shingles.offsets, permutations.a, permutations.b, out)
    else:
        _legacy_minima(shingles.hashes, shingles.offsets, permutations.a, permutations.b, out)
    return out


@numba.njit(cache=True, nogil=True)
def _affine32_minima(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
) -> None:
    """`out[d, k]`: minimum over document `d`'s shingles `h` of `a[k] * fmix32(h) + b[k] mod 2^32`.

    Four shingles at a time, all permutations at once: the permutation loop vectorises, and the
    row of minima (512 bytes for 128 permutations, in L1) is read and written once per four
    shingles (one at a time took twice as long). Empty documents are left as they are.
    """
    num_perm = len(a)
    minima = np.empty(num_perm, dtype=np.uint32)
    for d in range(len(offsets) - 1):
        begin, end = offsets[d], offsets[d + 1]
        if begin == end:
            continue
        minima[:] = EMPTY_VALUE
        i = begin
        while i + 4 <= end:
            h0, h1 = _fmix32(hashes[i]), _fmix32(hashes[i + 1])
            h2, h3 = _fmix32(hashes[i + 2]), _fmix32(hashes[i + 3])
            for k in range(num_perm):
                ak, bk = a[k], b[k]
                low = min(np.uint32(ak * h0 + bk), np.uint32(ak * h1 + bk))
                high = min(np.uint32(ak * h2 + bk), np.uint32(ak * h3 + bk))
                minima[k] = min(minima[k], min(low, high))
            i += 4
        for j in range(i, end):
            h = _fmix32(hashes[j])
            for k in range(num_perm):
                minima[k] = min(minima[k], np.uint32(a[k] * h + b[k]))
        out[d, :] = minima


@numba.njit(cache=True, nogil=True)
def _legacy_minima(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
) -> None:
    """`out[d, k]`: minimum over document `d`'s shingles `h` of
    `((a[k] * h + b[k]) mod 2^64) mod (2^61 - 1)` truncated to 32 bits; empty documents left alone.
    """
    num_perm = len(a)
    minima = np.empty(num_perm, dtype=np.uint32)
    for d in range(len(offsets) - 1):
        if offsets[d + 1] == offsets[d]:
            continue
        minima[:] = EMPTY_VALUE
        for i in range(offsets[d], offsets[d + 1]):
            h = np.uint64(hashes[i])
            for k in range(num_perm):
                permuted = a[k] * h + b[k]
                # x mod (2^61 - 1) for any uint64 x: fold the top 3 bits onto the low 61, then one
                # conditional subtraction without a branch: r + ((r + 1) >> 61) keeps r < P and
                # maps P..P+7 to 0..7 after the 32-bit truncation (which drops bits 61 and up).
                folded = (permuted & _LOW61) + (permuted >> _SHIFT61)
                folded += (folded + _ONE) >> _SHIFT61
                minima[k] = min(minima[k], np.uint32(folded & _LOW32))
        out[d, :] = minima


@numba.njit(cache=True, nogil=True, inline="always")
def _fmix32(value: np.uint32) -> np.uint32:
    """MurmurHash3's 32-bit finalizer of one value (`pipeline.dedup.hashing.fmix32`)."""
    h = np.uint32(value)
    h ^= h >> np.uint32(16)
    h = np.uint32(h * FMIX32_M1)
    h ^= h >> np.uint32(13)
    h = np.uint32(h * FMIX32_M2)
    h ^= h >> np.uint32(16)
    return h


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Fraction of equal signature positions, row by row (datasketch's `MinHash.jaccard`)."""
    return np.count_nonzero(left == right, axis=1) / left.shape[1]
