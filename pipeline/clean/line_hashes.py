"""Per-line numbers for `site_boilerplate`, straight from Arrow's string buffers with numba.

`line_hashes` gives the 64-bit xxHash (XXH64, seed 0) of the UTF-8 bytes of each chosen line
after lower-casing, with no Python object per line. A numba loop reads each line eight bytes at a
time, lower-cases ASCII letters on the fly (SWAR) and notes whether the line had any non-ASCII
byte in the same pass; only those lines (a few percent of English text) are lower-cased by Arrow
(`utf8_lower`, full Unicode) and hashed again. Checked against plain references
(`xxhash.xxh64_intdigest`, Arrow's `utf8_lower`) in the tests.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from pipeline.dedup.text_units import utf8_view

_P1 = np.uint64(0x9E3779B185EBCA87)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)
_P3 = np.uint64(0x165667B19E3779F9)
_P4 = np.uint64(0x85EBCA77C2B2AE63)
_P5 = np.uint64(0x27D4EB2F165667C5)
_HIGH_BITS = np.uint64(0x8080808080808080)
_TO_A = np.uint64(0x3F3F3F3F3F3F3F3F)  # byte + 0x3F has its high bit set from "A" (0x41) on
_PAST_Z = np.uint64(0x2525252525252525)  # byte + 0x25 has its high bit set from "[" (0x5B) on


def line_hashes(lines: pa.StringArray, mask: np.ndarray) -> np.ndarray:
    """XXH64 of each line where `mask` is true, after lower-casing (0 elsewhere)."""
    index = np.flatnonzero(mask)
    hashes = np.zeros(len(lines), dtype=np.uint64)
    if index.size == 0:
        return hashes
    data, offsets = utf8_view(lines)
    chosen, non_ascii = _hash_strings(data, offsets, index, True)
    hashes[index] = chosen
    redo = index[non_ascii]
    if redo.size:
        lowered = pc.utf8_lower(lines.take(pa.array(redo)))
        data, offsets = utf8_view(lowered)
        hashes[redo] = _hash_strings(data, offsets, np.arange(redo.size), False)[0]
    return hashes


@intrinsic
def load_u64(typingctx, data, at):  # typingctx: part of numba's intrinsic signature
    """`data[at:at + 8]` as one little-endian uint64 (unaligned; the caller checks bounds)."""

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        pointer = builder.bitcast(builder.gep(array.data, [args[1]]), ir.IntType(64).as_pointer())
        return builder.load(pointer, align=1)

    return types.uint64(data, at), codegen


@numba.njit(cache=True, nogil=True)
def _rotl(x: np.uint64, bits: int) -> np.uint64:
    return (x << np.uint64(bits)) | (x >> np.uint64(64 - bits))


@numba.njit(cache=True, nogil=True)
def _round(acc: np.uint64, lane: np.uint64) -> np.uint64:
    return _rotl(acc + lane * _P2, 31) * _P1


@numba.njit(cache=True, nogil=True)
def _merge_round(acc: np.uint64, lane: np.uint64) -> np.uint64:
    return (acc ^ _round(np.uint64(0), lane)) * _P1 + _P4


@numba.njit(cache=True, nogil=True)
def _lower_word(word: np.uint64) -> np.uint64:
    """ASCII letters A-Z of eight packed bytes lower-cased (exact when no byte is >= 0x80)."""
    upper = (word + _TO_A) & ~(word + _PAST_Z) & _HIGH_BITS
    return word | (upper >> np.uint64(2))


@numba.njit(cache=True, nogil=True)
def _byte(data: np.ndarray, at: int, fold: bool) -> np.uint64:
    value = data[at]
    if fold and 0x41 <= value <= 0x5A:
        value |= 0x20
    return np.uint64(value)


@numba.njit(cache=True, nogil=True)
def _fold(word: np.uint64, fold: bool) -> np.uint64:
    return _lower_word(word) if fold else word


@numba.njit(cache=True, nogil=True)
def xxh64_span(data: np.ndarray, start: int, end: int, fold: bool) -> np.uint64:
    """XXH64 (seed 0) of `data[start:end]`, ASCII-lower-cased first when `fold`."""
    return _xxh64(data, start, end, fold)[0]


@numba.njit(cache=True, nogil=True)
def _xxh64(data: np.ndarray, start: int, end: int, fold: bool) -> tuple[np.uint64, bool]:
    """`xxh64_span`, and whether `data[start:end]` has a byte >= 0x80 (then the ASCII-lower-cased
    hash is not the hash of the lower-cased text)."""
    high = np.uint64(0)
    at = start
    if end - start >= 32:
        v1, v2, v3, v4 = _P1 + _P2, _P2, np.uint64(0), np.uint64(0) - _P1
        while at + 32 <= end:
            w1, w2 = load_u64(data, at), load_u64(data, at + 8)
            w3, w4 = load_u64(data, at + 16), load_u64(data, at + 24)
            high |= w1 | w2 | w3 | w4
            v1 = _round(v1, _fold(w1, fold))
            v2 = _round(v2, _fold(w2, fold))
            v3 = _round(v3, _fold(w3, fold))
            v4 = _round(v4, _fold(w4, fold))
            at += 32
        h = _rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)
        for lane in (v1, v2, v3, v4):
            h = _merge_round(h, lane)
    else:
        h = _P5
    h += np.uint64(end - start)
    while at + 8 <= end:
        word = load_u64(data, at)
        high |= word
        h = _rotl(h ^ _round(np.uint64(0), _fold(word, fold)), 27) * _P1 + _P4
        at += 8
    if at + 4 <= end:
        half = np.uint64(0)
        for k in range(4):
            high |= np.uint64(data[at + k])
            half |= _byte(data, at + k, fold) << np.uint64(8 * k)
        h = _rotl(h ^ (half * _P1), 23) * _P2 + _P3
        at += 4
    while at < end:
        high |= np.uint64(data[at])
        h = _rotl(h ^ (_byte(data, at, fold) * _P5), 11) * _P1
        at += 1
    h = (h ^ (h >> np.uint64(33))) * _P2
    h = (h ^ (h >> np.uint64(29))) * _P3
    return h ^ (h >> np.uint64(32)), (high & _HIGH_BITS) != 0


def xxh64_strings(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """XXH64 of every string of (UTF-8 bytes, int64 offsets), equal to `xxhash.xxh64_intdigest`."""
    return _hash_strings(data, offsets, np.arange(len(offsets) - 1), False)[0]


@numba.njit(cache=True, nogil=True)
def _hash_strings(
    data: np.ndarray, offsets: np.ndarray, index: np.ndarray, fold: bool
) -> tuple[np.ndarray, np.ndarray]:
    """XXH64 of the strings `index` of (UTF-8 bytes, int64 offsets), and, when `fold`, which of
    them have a non-ASCII byte (their hash is not of the lower-cased text: redo them)."""
    out = np.empty(index.size, dtype=np.uint64)
    non_ascii = np.zeros(index.size, dtype=np.bool_)
    for i in range(index.size):
        out[i], high = _xxh64(data, offsets[index[i]], offsets[index[i] + 1], fold)
        non_ascii[i] = fold and high
    return out, non_ascii
