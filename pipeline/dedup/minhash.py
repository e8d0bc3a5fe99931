"""MinHash signatures of a whole batch, bit-identical to `datasketch.MinHash`.

For the same 32-bit shingle hashes, `signatures(...)[d]` equals the `hashvalues` of a
`datasketch.MinHash(num_perm, seed=seed, scheme=scheme)` updated with document `d`'s hashes
(through a `hashfunc` that returns them unchanged). Two datasketch schemes are reproduced:

* `affine32` (datasketch >= 2.0 default): `h' = fmix32(h)`, then `a * h' + b mod 2^32`, `a` odd.
* `legacy` (datasketch < 2.0, and `scheme="legacy"` since): `((a * h + b) mod 2^64) mod (2^61 - 1)`,
  truncated to 32 bits. The `mod 2^64` is numpy's uint64 wrap-around, which datasketch also has.

Permutation parameters come from `numpy.random.RandomState(seed)` drawn exactly as datasketch draws
them. The shingles are taken a chunk of 2^16 at a time (256 KiB of uint32, so the working set stays
in the core's cache) and the permutations one at a time, each as a few numpy passes over the whole
chunk (long contiguous rows, so numpy's per-call cost is spread over many values), reduced per
document with `np.minimum.reduceat`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from pipeline.dedup.hashing import fmix32
from pipeline.dedup.shingles import Shingles

Scheme = Literal["affine32", "legacy"]
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_MERSENNE = (1 << 61) - 1
_SHIFT61, _LOW61, _LOW32, _ONE = (np.uint64(x) for x in (61, _MERSENNE, 0xFFFFFFFF, 1))
# Shingles permuted at a time: 256 KiB of uint32 (512 KiB of uint64 for legacy).
CHUNK_SHINGLES = 1 << 16


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
    offsets = shingles.offsets
    docs = len(offsets) - 1
    out = np.full((docs, permutations.num_perm), EMPTY_VALUE, dtype=np.uint32)
    total = len(shingles.hashes)
    if total == 0:
        return out
    if permutations.scheme == "affine32":
        values = fmix32(shingles.hashes)
        permute: _Permute = _Affine32(permutations, min(total, CHUNK_SHINGLES))
    else:
        values = shingles.hashes.astype(np.uint64)
        permute = _Legacy(permutations, min(total, CHUNK_SHINGLES))
    for begin in range(0, total, CHUNK_SHINGLES):
        end = min(begin + CHUNK_SHINGLES, total)
        # Documents with a shingle in the chunk; one that began in an earlier chunk starts at 0.
        first = int(np.searchsorted(offsets, begin, side="right")) - 1
        last = int(np.searchsorted(offsets, end - 1, side="right")) - 1
        starts = np.maximum(offsets[first : last + 1], begin) - begin
        minima = np.empty((permutations.num_perm, last + 1 - first), dtype=permute.dtype)
        permute.minima(values[begin:end], starts, minima)
        # A document spanning two chunks gets the minimum of both.
        rows = out[first : last + 1]
        np.minimum(rows, minima.T, out=rows, casting="unsafe")
    # An empty document's reduceat slot held its successor's first value: reset it.
    out[offsets[1:] == offsets[:-1]] = EMPTY_VALUE
    return out


class _Permute(Protocol):
    dtype: type[np.unsignedinteger]

    def minima(self, values: np.ndarray, starts: np.ndarray, out: np.ndarray) -> None:
        """`out[k, i]`: minimum of permutation `k` over `values[starts[i]:starts[i + 1]]`."""


class _Affine32:
    """`a * h + b mod 2^32` of (pre-mixed) values, one permutation at a time in a reused buffer."""

    dtype = np.uint32

    def __init__(self, permutations: Permutations, size: int) -> None:
        self._pairs = list(zip(permutations.a, permutations.b, strict=True))
        self._buffer = np.empty(size, dtype=np.uint32)

    def minima(self, values: np.ndarray, starts: np.ndarray, out: np.ndarray) -> None:
        permuted = self._buffer[: len(values)]
        for row, (a, b) in zip(out, self._pairs, strict=True):
            np.multiply(values, a, out=permuted)
            permuted += b
            np.minimum.reduceat(permuted, starts, out=row)


class _Legacy:
    """`((a * h + b) mod 2^64) mod (2^61 - 1)` truncated to 32 bits, in reused buffers."""

    dtype = np.uint64

    def __init__(self, permutations: Permutations, size: int) -> None:
        self._pairs = list(zip(permutations.a, permutations.b, strict=True))
        self._buffer = np.empty(size, dtype=np.uint64)
        self._high = np.empty(size, dtype=np.uint64)

    def minima(self, values: np.ndarray, starts: np.ndarray, out: np.ndarray) -> None:
        permuted, high = self._buffer[: len(values)], self._high[: len(values)]
        for row, (a, b) in zip(out, self._pairs, strict=True):
            np.multiply(values, a, out=permuted)
            permuted += b
            # x mod (2^61 - 1) for any uint64 x: fold the top 3 bits onto the low 61, then one
            # conditional subtraction without a branch: r + ((r + 1) >> 61) keeps r < P and maps
            # P..P+7 to 0..7 after the final 32-bit mask (which also keeps only bits below 61).
            np.right_shift(permuted, _SHIFT61, out=high)
            permuted &= _LOW61
            permuted += high
            np.add(permuted, _ONE, out=high)
            high >>= _SHIFT61
            permuted += high
            permuted &= _LOW32
            np.minimum.reduceat(permuted, starts, out=row)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Fraction of equal signature positions, row by row (datasketch's `MinHash.jaccard`)."""
    return np.count_nonzero(left == right, axis=1) / left.shape[1]
