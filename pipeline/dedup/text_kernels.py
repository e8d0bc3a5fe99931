"""numba kernels of the dedup fingerprints: words, word hashes, exact hashes, character units and
n-gram shingles, each one pass over the UTF-8 buffer (or the unit hashes) of a whole batch.

The definitions are those of docs/dedup.md, all arithmetic on uint64 wrapping modulo 2^64:

* byte classes: an ASCII byte is classified by the code-point table; a lead byte (>= 0xC0) is
  decoded as a character of 2, 3 or 4 bytes (by its high bits; the following bytes' low 6 bits,
  0 past the batch) and the code point classified (beyond the table: `beyond`); every byte of the
  character takes the lead's class, a byte covered by two leads (invalid UTF-8) the earlier lead's;
  a byte no lead covers (a stray continuation byte) belongs to words.
* word: a maximal run of word bytes inside one document; its hash is
  `fmix64(sum_j (c_j + 1) * B**j + l * L)` over its bytes `c_0 .. c_{l-1}`.
* exact hash, lane k: `fmix64(sum_i fmix64(word_i + (i + 1) * S_k) + count * C)`.
* character unit: `fmix64(value + CHAR_SALT)`, `value` the UTF-8 bytes of a character (a word byte
  that is not a continuation byte, and the continuation bytes right after it, at most 3) packed
  little-endian; the words of a document are joined by the unit of " ".
* shingle: the high 32 bits of `fmix64(sum_k unit[i + k] * W_k)` for each window of `n` units inside
  a document; a document of 1 to n - 1 units has one shingle of all its units.
"""

from __future__ import annotations

import numba
import numpy as np

from pipeline.dedup.hashing import (
    CHAR_SALT,
    COUNT_SALT,
    FMIX64_M1,
    FMIX64_M2,
    LANE_SALTS,
    LENGTH_SALT,
    POLY_BASE,
)

_S33 = np.uint64(33)
_S32 = np.uint64(32)
_ONE = np.uint64(1)
_LANE0, _LANE1 = LANE_SALTS
_SPACE = np.uint64(0x20)


@numba.njit(cache=True, nogil=True, inline="always")
def fmix64(h: np.uint64) -> np.uint64:
    """MurmurHash3's 64-bit finalizer of one uint64."""
    h ^= h >> _S33
    h *= FMIX64_M1
    h ^= h >> _S33
    h *= FMIX64_M2
    h ^= h >> _S33
    return h


@numba.njit(cache=True, nogil=True, inline="always")
def _lead_length(b0: int) -> int:
    return 4 if b0 >= 0xF0 else (3 if b0 >= 0xE0 else 2)


@numba.njit(cache=True, nogil=True)
def _lead_class(data: np.ndarray, q: int, table: np.ndarray, beyond: bool) -> bool:
    """The class of the character whose lead byte is `data[q]` (>= 0xC0)."""
    size = len(data)
    b0 = np.int64(data[q])
    b1 = np.int64(data[q + 1]) & 0x3F if q + 1 < size else 0
    b2 = np.int64(data[q + 2]) & 0x3F if q + 2 < size else 0
    b3 = np.int64(data[q + 3]) & 0x3F if q + 3 < size else 0
    length = _lead_length(b0)
    if length == 2:
        code = ((b0 & 0x1F) << 6) | b1
    elif length == 3:
        code = ((b0 & 0x0F) << 12) | (b1 << 6) | b2
    else:
        code = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3
    return table[code] if code < len(table) else beyond


@numba.njit(cache=True, nogil=True)
def _slow_class(
    data: np.ndarray, p: int, ascii_class: np.ndarray, table: np.ndarray, beyond: bool
) -> bool:
    """The class of byte `p` when a lead byte may cover it (within 3 bytes before, or itself)."""
    for k in range(3, 0, -1):
        q = p - k
        if q >= 0 and data[q] >= 0xC0 and _lead_length(data[q]) > k:
            return _lead_class(data, q, table, beyond)
    if data[p] >= 0xC0:
        return _lead_class(data, p, table, beyond)
    return ascii_class[data[p]]


@numba.njit(cache=True, nogil=True)
def word_runs(
    data: np.ndarray,
    doc_offsets: np.ndarray,
    ascii_class: np.ndarray,
    table: np.ndarray,
    beyond: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Words of every document: byte `starts`, `ends`, per-document `offsets` and `hashes`.

    `ascii_class` classifies the 256 byte values (ASCII by the table, the others True), `table`
    the code points below its length; `beyond` is the class of the code points after it.
    """
    docs = len(doc_offsets) - 1
    capacity = (len(data) + docs) // 2 + 1
    starts = np.empty(capacity, dtype=np.int64)
    ends = np.empty(capacity, dtype=np.int64)
    hashes = np.empty(capacity, dtype=np.uint64)
    offsets = np.zeros(docs + 1, dtype=np.int64)
    count = 0
    guard = 0  # bytes before `guard` may be covered by a lead byte
    for d in range(docs):
        begin, end = doc_offsets[d], doc_offsets[d + 1]
        inside = False
        start = 0
        total = np.uint64(0)
        power = np.uint64(1)
        for p in range(begin, end):
            c = data[p]
            if c < 0x80 and p >= guard:
                is_word = ascii_class[c]
            else:
                if c >= 0xC0:
                    guard = p + 4
                is_word = _slow_class(data, p, ascii_class, table, beyond)
            if is_word:
                if not inside:
                    inside, start, total, power = True, p, np.uint64(0), np.uint64(1)
                total += (np.uint64(c) + _ONE) * power
                power *= POLY_BASE
            elif inside:
                inside = False
                starts[count], ends[count] = start, p
                hashes[count] = fmix64(total + np.uint64(p - start) * LENGTH_SALT)
                count += 1
        if inside:
            starts[count], ends[count] = start, end
            hashes[count] = fmix64(total + np.uint64(end - start) * LENGTH_SALT)
            count += 1
        offsets[d + 1] = count
    return starts[:count], ends[:count], offsets, hashes[:count]


@numba.njit(cache=True, nogil=True)
def exact_hashes(hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """(documents x 2) uint64: the two lanes of each document's exact hash."""
    docs = len(offsets) - 1
    out = np.empty((docs, 2), dtype=np.uint64)
    for d in range(docs):
        lane0 = np.uint64(0)
        lane1 = np.uint64(0)
        position = np.uint64(0)
        for i in range(offsets[d], offsets[d + 1]):
            position += _ONE
            lane0 += fmix64(hashes[i] + position * _LANE0)
            lane1 += fmix64(hashes[i] + position * _LANE1)
        count = np.uint64(offsets[d + 1] - offsets[d])
        out[d, 0] = fmix64(lane0 + count * COUNT_SALT)
        out[d, 1] = fmix64(lane1 + count * COUNT_SALT)
    return out


@numba.njit(cache=True, nogil=True)
def character_units(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hashed characters of each document's words joined by " ", and per-document offsets."""
    docs = len(offsets) - 1
    size = len(data)
    capacity = len(starts)
    for w in range(len(starts)):
        capacity += ends[w] - starts[w]
    units = np.empty(capacity, dtype=np.uint64)
    unit_offsets = np.zeros(docs + 1, dtype=np.int64)
    space = fmix64(_SPACE + CHAR_SALT)
    count = 0
    for d in range(docs):
        for w in range(offsets[d], offsets[d + 1]):
            if w > offsets[d]:
                units[count] = space
                count += 1
            for p in range(starts[w], ends[w]):
                if data[p] & 0xC0 == 0x80:
                    continue
                value = np.uint64(data[p])
                for k in range(1, 4):
                    if p + k >= size or data[p + k] & 0xC0 != 0x80:
                        break
                    value |= np.uint64(data[p + k]) << np.uint64(8 * k)
                units[count] = fmix64(value + CHAR_SALT)
                count += 1
        unit_offsets[d + 1] = count
    return units[:count], unit_offsets


@numba.njit(cache=True, nogil=True)
def ngram_shingles(
    hashes: np.ndarray, offsets: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """32-bit shingle hashes of every window of `len(weights)` units, and per-document offsets."""
    n = len(weights)
    docs = len(offsets) - 1
    out_offsets = np.zeros(docs + 1, dtype=np.int64)
    for d in range(docs):
        units = offsets[d + 1] - offsets[d]
        out_offsets[d + 1] = out_offsets[d] + (units - n + 1 if units >= n else min(units, 1))
    out = np.empty(out_offsets[docs], dtype=np.uint32)
    window = np.empty(0, dtype=np.uint64)  # weighted sums of one document's windows
    for d in range(docs):
        begin, end = offsets[d], offsets[d + 1]
        slot = out_offsets[d]
        if end - begin >= n:
            windows = end - begin - n + 1
            if len(window) < windows:
                window = np.empty(max(windows, 2 * len(window)), dtype=np.uint64)
            # Position by position over all windows: loops without a carried dependency.
            for i in range(windows):
                window[i] = hashes[begin + i] * weights[0]
            for k in range(1, n):
                weight = weights[k]
                for i in range(windows):
                    window[i] += hashes[begin + i + k] * weight
            for i in range(windows):
                out[slot + i] = np.uint32(fmix64(window[i]) >> _S32)
        elif end > begin:
            total = np.uint64(0)
            for k in range(end - begin):
                total += hashes[begin + k] * weights[k]
            out[slot] = np.uint32(fmix64(total) >> _S32)
    return out, out_offsets
