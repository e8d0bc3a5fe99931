"""The 64-bit hash of every word of a batch, from one blocked prefix sum over the raw bytes.

A word `w` of bytes `c_0 .. c_{l-1}` hashes to `fmix64(sum_j (c_j + 1) * B**j + l * L)` mod 2^64
(`B = POLY_BASE`, odd): the same value wherever the word occurs, in any batch.

The polynomial is evaluated for all words at once, without a Python object per word. The bytes
outside words are zeroed, each byte is weighted by `B**i` (`i` its position in a block of at most
2^16 bytes that no word crosses) and the block is summed cumulatively, so the sum over a word is its
prefix value at its last byte minus the previous word's (the bytes between contribute nothing).
Multiplying by `B**-start` (B is invertible mod 2^64) moves it to the word's own origin, and
`R(l) = sum_{k<l} B**k` adds the `+ 1`s. A word longer than a block is summed block by block.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from pipeline.dedup.hashing import POLY_BASE, fmix64, powers

_BLOCK = 1 << 16
_LENGTH_SALT = 0x2545F4914F6CDD1D
_MODULUS = 1 << 64


def hash_words(
    data: np.ndarray, word_bytes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """The hash of each run `data[start:end]`; runs are the maximal runs of `word_bytes`.

    Runs must be sorted, disjoint and non-empty, and every byte inside a run must be a word byte
    and every other byte not (a run may end where the next begins: a cut between documents).
    """
    count = len(starts)
    polynomial = np.empty(count, dtype=np.uint64)
    if count == 0:
        return polynomial
    tables = _power_tables()
    masked = np.empty(min(len(data), _BLOCK), dtype=np.uint8)
    prefix = np.empty(min(len(data), _BLOCK), dtype=np.uint64)
    low = first = 0
    while first < count:
        # A block ends before the first word that would not fit, or at 2^16 bytes.
        stop = int(np.searchsorted(ends, low + _BLOCK, side="right"))
        if stop == first:
            if starts[first] > low:  # nothing ends within 2^16 bytes: start the block at the word
                low = int(starts[first])
                continue
            polynomial[first] = _long_word_polynomial(data[starts[first] : ends[first]], tables)
            low, first = int(ends[first]), first + 1
            continue
        high = min(int(starts[stop]) if stop < count else len(data), low + _BLOCK)
        size = high - low
        np.multiply(data[low:high], word_bytes[low:high], out=masked[:size])
        block = prefix[:size]
        np.multiply(masked[:size], tables.forward[:size], out=block)
        np.cumsum(block, out=block)
        at_last = block.take(ends[first:stop] - (low + 1))
        words = polynomial[first:stop]
        words[0] = at_last[0]
        np.subtract(at_last[1:], at_last[:-1], out=words[1:])
        words *= tables.inverse[starts[first:stop] - low]
        low, first = high, stop
    polynomial += _length_terms(ends - starts, tables)
    return fmix64(polynomial, copy=False)


def _long_word_polynomial(word: np.ndarray, tables: _PowerTables) -> np.uint64:
    """`sum_j (c_j) * B**j` mod 2^64 of a word longer than a block, block by block."""
    total, scale = 0, 1
    for low in range(0, len(word), _BLOCK):
        chunk = word[low : low + _BLOCK]
        terms = chunk * tables.forward[: len(chunk)]
        total = (total + scale * int(terms.sum(dtype=np.uint64))) % _MODULUS
        scale = (scale * int(tables.forward_block)) % _MODULUS
    return np.uint64(total)


def _length_terms(lengths: np.ndarray, tables: _PowerTables) -> np.ndarray:
    """`R(l) + l * L` mod 2^64 for each length (a table below 2^16, beyond by doubling)."""
    out = tables.length_terms[np.minimum(lengths, _BLOCK - 1)]
    if lengths.max() >= _BLOCK:
        for index in np.flatnonzero(lengths >= _BLOCK).tolist():
            length = int(lengths[index])
            out[index] = (_power_sum(length) + length * _LENGTH_SALT) % _MODULUS
    return out


def _power_sum(length: int) -> int:
    """`sum_{k<length} B**k` mod 2^64 with Python integers, by binary doubling of the length."""
    base = int(POLY_BASE)
    total, power = 0, 1  # R(m), B**m for the leading bits m of `length` read so far
    for bit in bin(length)[2:]:
        total, power = (total + power * total) % _MODULUS, (power * power) % _MODULUS
        if bit == "1":
            total, power = (total + power) % _MODULUS, (power * base) % _MODULUS
    return total


@dataclass(frozen=True)
class _PowerTables:
    forward: np.ndarray  # B**l for l < 2^16
    inverse: np.ndarray  # B**-l for l < 2^16
    length_terms: np.ndarray  # R(l) + l * L, R(l) = sum_{k<l} B**k, for l < 2^16
    forward_block: np.uint64  # B**(2^16)


@lru_cache(maxsize=1)
def _power_tables() -> _PowerTables:
    base = int(POLY_BASE)
    forward = powers(POLY_BASE, _BLOCK)
    length_terms = np.zeros(_BLOCK, dtype=np.uint64)
    np.cumsum(forward[:-1], out=length_terms[1:])
    length_terms += np.arange(_BLOCK, dtype=np.uint64) * np.uint64(_LENGTH_SALT)
    return _PowerTables(
        forward=forward,
        inverse=powers(np.uint64(pow(base, -1, _MODULUS)), _BLOCK),
        length_terms=length_terms,
        forward_block=np.uint64(pow(base, _BLOCK, _MODULUS)),
    )
