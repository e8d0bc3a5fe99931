"""Exact integer ids of byte spans: equal bytes, equal id (no hash collisions).

One open-addressing hash table per call, over the spans of a batch. A span of at most 8 bytes is
its own key (its bytes packed in a uint64, read with one load), so equal keys and lengths are
equal spans; a longer span's key is a 64-bit hash of its bytes read eight at a time, and it is
only given an existing id when its bytes equal that id's first span. A table row holds the key,
the length and the id, so a look-up reads one row. Ids are dense and numbered in order of first
occurrence, like Arrow's `dictionary_encode`; `piece_ids` also gives the text of each id.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.line_hashes import load_u64
from pipeline.dedup.text_kernels import fmix64
from pipeline.quality.segments import Pieces

SHORT_SPAN = 8  # bytes that fit in one key
_STEP = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xC2B2AE3D27D4EB4F)
_LENGTH_BITS = np.uint64(32)
_LOW_32 = np.uint64(0xFFFFFFFF)


def piece_ids(data: np.ndarray, pieces: Pieces) -> tuple[np.ndarray, pa.Array]:
    """Dense id of each piece's text (in order of first occurrence), and the text of each id."""
    ids, first = intern_spans(data, pieces.start, pieces.end)
    offsets, values = gather_spans(data, pieces.start[first], pieces.end[first])
    texts = pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(values)
    )
    return ids, texts


def span_ids(data: np.ndarray, pieces: Pieces) -> np.ndarray:
    """Dense id of each piece's text, in order of first occurrence (no texts built)."""
    return intern_spans(data, pieces.start, pieces.end)[0]


@numba.njit(cache=True, nogil=True)
def gather_spans(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of the spans laid end to end: int32 offsets and values (an Arrow string array)."""
    offsets = np.zeros(starts.size + 1, dtype=np.int32)
    for i in range(starts.size):
        offsets[i + 1] = offsets[i] + (ends[i] - starts[i])
    values = np.empty(offsets[-1], dtype=np.uint8)
    for i in range(starts.size):
        values[offsets[i] : offsets[i + 1]] = data[starts[i] : ends[i]]
    return offsets, values


@numba.njit(cache=True, nogil=True, inline="always")
def _word_at(data: np.ndarray, at: int, count: int) -> np.uint64:
    """The `count` (1..8) bytes at `at`, little-endian in a uint64, higher bytes zero."""
    if at + 8 <= data.size:
        word = load_u64(data, at)
        if count < 8:
            word &= (np.uint64(1) << np.uint64(8 * count)) - np.uint64(1)
        return word
    word = np.uint64(0)
    for k in range(count):
        word |= np.uint64(data[at + k]) << np.uint64(8 * k)
    return word


@numba.njit(cache=True, nogil=True, inline="always")
def span_key(data: np.ndarray, start: int, end: int) -> np.uint64:
    """The span's bytes when it has at most `SHORT_SPAN` of them, else a hash of its bytes (eight
    at a time; the last eight, overlapping the previous word, end it)."""
    length = end - start
    if length <= SHORT_SPAN:
        return _word_at(data, start, length) if length else np.uint64(0)
    h = np.uint64(length) * _STEP
    at = start
    while at + 8 < end:
        h = ((h ^ load_u64(data, at)) * _MIX) ^ (h >> np.uint64(29))
        at += 8
    h = (h ^ _word_at(data, end - 8, 8)) * _MIX
    return fmix64(h)


@numba.njit(cache=True, nogil=True, inline="always")
def _same_bytes(data: np.ndarray, a: int, b: int, length: int) -> bool:
    k = 0
    while k + 8 <= length:
        if _word_at(data, a + k, 8) != _word_at(data, b + k, 8):
            return False
        k += 8
    while k < length:
        if data[a + k] != data[b + k]:
            return False
        k += 1
    return True


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(key: np.uint64, length: int, mask: int) -> int:
    return np.int64(fmix64(key + np.uint64(length) * _STEP) >> _LENGTH_BITS) & mask


@numba.njit(cache=True, nogil=True)
def intern_spans(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ids of the spans `data[starts[i]:ends[i]]`, and for each id the index of its first span.

    A table row is two uint64: the key, then the length (high 32 bits) and the id + 1 (low 32
    bits; 0 marks an empty row). The table holds at most one id per two rows (it doubles as ids
    are added)."""
    n = starts.size
    capacity = 1024
    table = np.zeros(2 * capacity, dtype=np.uint64)
    first = np.empty(n, dtype=np.int64)
    ids = np.empty(n, dtype=np.int64)
    count = 0
    for i in range(n):
        start, length = starts[i], ends[i] - starts[i]
        key = span_key(data, start, ends[i])
        tag = np.uint64(length) << _LENGTH_BITS
        mask = capacity - 1
        slot = _slot(key, length, mask)
        found = -1
        while True:
            entry = table[2 * slot + 1]
            if entry == 0:
                break
            if table[2 * slot] == key and (entry & ~_LOW_32) == tag:
                candidate = np.int64(entry & _LOW_32) - 1
                if length <= SHORT_SPAN or _same_bytes(
                    data, start, starts[first[candidate]], length
                ):
                    found = candidate
                    break
            slot = (slot + 1) & mask
        if found >= 0:
            ids[i] = found
            continue
        table[2 * slot], table[2 * slot + 1] = key, tag | np.uint64(count + 1)
        first[count], ids[i] = i, count
        count += 1
        if 2 * count > capacity:
            capacity *= 2
            table = _grown(table, capacity)
    return ids, first[:count].copy()


@numba.njit(cache=True, nogil=True)
def _grown(table: np.ndarray, capacity: int) -> np.ndarray:
    """The rows of `table` in a new table of `capacity` rows."""
    out = np.zeros(2 * capacity, dtype=np.uint64)
    mask = capacity - 1
    for row in range(table.size // 2):
        key, entry = table[2 * row], table[2 * row + 1]
        if entry == 0:
            continue
        slot = _slot(key, np.int64(entry >> _LENGTH_BITS), mask)
        while out[2 * slot + 1] != 0:
            slot = (slot + 1) & mask
        out[2 * slot], out[2 * slot + 1] = key, entry
    return out
