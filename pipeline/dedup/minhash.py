"""MinHash signatures of a whole batch, bit-identical to `datasketch.MinHash`.

For the same 32-bit shingle hashes, `signatures(...)[d]` equals the `hashvalues` of a
`datasketch.MinHash(num_perm, seed=seed, scheme=scheme)` updated with document `d`'s hashes
(through a `hashfunc` that returns them unchanged). Two datasketch schemes are reproduced:

* `affine32` (datasketch >= 2.0 default): `h' = fmix32(h)`, then `a * h' + b mod 2^32`, `a` odd.
* `legacy` (datasketch < 2.0, and `scheme="legacy"` since): `((a * h + b) mod 2^64) mod (2^61 - 1)`,
  truncated to 32 bits. The `mod 2^64` is numpy's uint64 wrap-around, which datasketch also has.

Permutation parameters come from `numpy.random.RandomState(seed)` drawn exactly as datasketch draws
them. The permutations are applied to a (num_perm x chunk) block of shingles at a time and reduced
per document with `np.minimum.reduceat`, so the working set stays in cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.dedup.hashing import fmix32
from pipeline.dedup.shingles import Shingles

Scheme = Literal["affine32", "legacy"]
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_MERSENNE = (1 << 61) - 1
_CHUNK = 8192


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
        block = np.empty((permutations.num_perm, _CHUNK), dtype=np.uint32)
        a, b = permutations.a[:, None], permutations.b[:, None]
        permute = _affine32_block
    else:
        values = shingles.hashes.astype(np.uint64)
        block = np.empty((permutations.num_perm, _CHUNK), dtype=np.uint64)
        a, b = permutations.a[:, None], permutations.b[:, None]
        permute = _legacy_block
    for begin in range(0, total, _CHUNK):
        end = min(begin + _CHUNK, total)
        view = block[:, : end - begin]
        permute(values[begin:end], a, b, view)
        first = int(np.searchsorted(offsets, begin, side="right")) - 1
        last = int(np.searchsorted(offsets, end - 1, side="right")) - 1
        members = np.arange(first, last + 1)
        members = members[offsets[members + 1] > offsets[members]]
        starts = np.maximum(offsets[members], begin) - begin
        minima = np.minimum.reduceat(view, starts, axis=1).T.astype(np.uint32)
        # A document spanning two chunks gets the minimum of both; members are distinct.
        out[members] = np.minimum(out[members], minima)
    return out


def _affine32_block(values: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, values[None, :], out=out)
    out += b


def _legacy_block(values: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, values[None, :], out=out)
    out += b
    # x mod (2^61 - 1) for any uint64 x: fold the top 3 bits onto the low 61, then one conditional
    # subtraction, done without a branch: r + ((r + 1) >> 61) keeps r < P and maps P..P+7 to 0..7
    # after the final 32-bit mask (which also keeps only bits below 61).
    high = out >> np.uint64(61)
    out &= np.uint64(_MERSENNE)
    out += high
    high = out + np.uint64(1)
    high >>= np.uint64(61)
    out += high
    out &= np.uint64(0xFFFFFFFF)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Fraction of equal signature positions, row by row (datasketch's `MinHash.jaccard`)."""
    return np.count_nonzero(left == right, axis=1) / left.shape[1]
