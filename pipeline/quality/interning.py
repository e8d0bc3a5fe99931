"""Exact integer ids of byte spans: equal bytes, equal id (no hash collisions).

One open-addressing hash table per call, over the spans of a batch. A span of at most 8 bytes is
its own key (its bytes packed in a uint64, read with one load), so equal keys and lengths are
equal spans; a longer span's key is a 64-bit hash of its bytes read eight at a time, and it is
only given an existing id when its bytes equal that id's first span. Ids are dense and numbered
in order of first occurrence, like Arrow's `dictionary_encode`; `span_texts` gives the text of
spans (e.g. of an id's first span) as an Arrow array.
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
_HIGH_32 = np.uint64(32)


def piece_ids(data: np.ndarray, pieces: Pieces) -> tuple[np.ndarray, np.ndarray]:
    """Dense id of each piece's text (in order of first occurrence), and each id's first piece."""
    return intern_spans(data, pieces.start, pieces.end)


def span_texts(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The spans `data[starts[i]:ends[i]]` as an Arrow string array."""
    offsets, values = gather_spans(data, starts, ends)
    return pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(values)
    )


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
    """Whether the spans of `length` (more than 8) bytes at `a` and `b` are equal: eight bytes at
    a time, the last eight overlapping the previous ones (no byte loop, every load in bounds)."""
    k = 0
    while k + 8 < length:
        if load_u64(data, a + k) != load_u64(data, b + k):
            return False
        k += 8
    return load_u64(data, a + length - 8) == load_u64(data, b + length - 8)


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(key: np.uint64, length: int, mask: int) -> int:
    return np.int64(fmix64(key + np.uint64(length) * _STEP) >> _HIGH_32) & mask


@numba.njit(cache=True, nogil=True)
def intern_spans(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ids (int32) of the spans `data[starts[i]:ends[i]]`, and for each id the index of its first
    span.

    The table maps a slot to id + 1 (int32, 0 marks an empty slot) and holds at most one id per two
    slots (it doubles as ids are added); each id's key and length sit side by side in `keyed`, so
    a probe reads a small slot and, when the slot is taken, one pair."""
    n = starts.size
    capacity = 1024
    table = np.zeros(capacity, dtype=np.int32)
    keyed = np.empty((max(n, 1), 2), dtype=np.uint64)  # id -> key, length
    first = np.empty(n, dtype=np.int32)
    ids = np.empty(n, dtype=np.int32)
    count = 0
    for i in range(n):
        start, length = starts[i], ends[i] - starts[i]
        key = span_key(data, start, ends[i])
        mask = capacity - 1
        slot = _slot(key, length, mask)
        found = -1
        while table[slot] != 0:
            candidate = table[slot] - 1
            same = keyed[candidate, 0] == key and keyed[candidate, 1] == length
            if same and (
                length <= SHORT_SPAN or _same_bytes(data, start, starts[first[candidate]], length)
            ):
                found = candidate
                break
            slot = (slot + 1) & mask
        if found >= 0:
            ids[i] = found
            continue
        table[slot] = count + 1
        keyed[count, 0], keyed[count, 1] = key, length
        first[count], ids[i] = i, count
        count += 1
        if 2 * count > capacity:
            capacity *= 2
            table = _table_of(keyed, count, capacity)
    return ids, first[:count].copy()


@numba.njit(cache=True, nogil=True)
def _table_of(keyed: np.ndarray, count: int, capacity: int) -> np.ndarray:
    """A table of `capacity` slots holding the ids `0..count-1`."""
    table = np.zeros(capacity, dtype=np.int32)
    mask = capacity - 1
    for g in range(count):
        slot = _slot(keyed[g, 0], np.int64(keyed[g, 1]), mask)
        while table[slot] != 0:
            slot = (slot + 1) & mask
        table[slot] = g + 1
    return table
