"""Exact integer ids of byte spans: equal bytes, equal id (no hash collisions).

One open-addressing hash table per call, over the spans of a batch: a span's 64-bit FNV-1a hash
picks the slot, and a span is only given an existing id when its bytes equal that id's text.
Ids are dense and numbered in order of first occurrence, like Arrow's `dictionary_encode`.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.quality.segments import Pieces

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)


def piece_ids(data: np.ndarray, pieces: Pieces) -> tuple[np.ndarray, pa.Array]:
    """Dense id of each piece's text (in order of first occurrence), and the text of each id."""
    ids, offsets, values = intern_spans(data, pieces.start, pieces.end)
    texts = pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(values)
    )
    return ids, texts


@numba.njit(cache=True, nogil=True)
def intern_spans(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids of the spans `data[starts[i]:ends[i]]`, and the distinct spans' bytes (int32 offsets
    and values, one string per id, as an Arrow string array lays them out).

    Each id keeps its hash, its length and its first 8 bytes, so most comparisons never read the
    text; longer spans compare their remaining bytes with the id's copy. The table holds at most
    one id per two slots (it doubles as ids are added), so it stays small and cached."""
    n = starts.size
    capacity = 1024
    table = np.full(capacity, -1, dtype=np.int64)
    hashes = np.empty(n, dtype=np.uint64)  # per id
    prefixes = np.empty(n, dtype=np.uint64)
    offsets = np.zeros(n + 1, dtype=np.int32)
    values = np.empty(max(ends.max() - starts.min(), 0) if n else 0, dtype=np.uint8)
    ids = np.empty(n, dtype=np.int64)
    count = 0
    for i in range(n):
        start, end = starts[i], ends[i]
        h = FNV_OFFSET
        prefix = np.uint64(0)
        for k in range(start, end):
            h = (h ^ np.uint64(data[k])) * FNV_PRIME
            if k - start < 8:
                prefix |= np.uint64(data[k]) << np.uint64(8 * (k - start))
        mask = np.uint64(capacity - 1)
        slot = h & mask
        while True:
            found = table[slot]
            if found < 0:
                break
            if hashes[found] == h and prefixes[found] == prefix:
                other = offsets[found]
                same = offsets[found + 1] - other == end - start
                k = 8
                while same and k < end - start:
                    same = data[start + k] == values[other + k]
                    k += 1
                if same:
                    break
            slot = (slot + np.uint64(1)) & mask
        if found >= 0:
            ids[i] = found
            continue
        table[slot] = count
        hashes[count], prefixes[count], ids[i] = h, prefix, count
        offsets[count + 1] = offsets[count] + (end - start)
        values[offsets[count] : offsets[count + 1]] = data[start:end]
        count += 1
        if 2 * count > capacity:
            capacity *= 2
            table = _rehash(hashes[:count], capacity)
    return ids, offsets[: count + 1].copy(), values[: offsets[count]].copy()


@numba.njit(cache=True, nogil=True)
def _rehash(hashes: np.ndarray, capacity: int) -> np.ndarray:
    """A table of `capacity` slots holding the ids 0..len(hashes)-1 at their hashes' slots."""
    table = np.full(capacity, -1, dtype=np.int64)
    mask = np.uint64(capacity - 1)
    for found in range(hashes.size):
        slot = hashes[found] & mask
        while table[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        table[slot] = found
    return table
