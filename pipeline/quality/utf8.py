"""UTF-8 bytes of a batch of texts, read in place by numba kernels.

A string array is its byte buffer plus one offset per document; the kernels here walk those bytes
directly (no Python object per word or line). Whitespace is Python's `str.isspace()`, which is also
Arrow's `utf8_split_whitespace` / `utf8_trim_whitespace` (29 code points, tested against both);
a character's length is its number of code points, as Arrow's `utf8_length` counts them.
"""

from __future__ import annotations

import numba
import numpy as np

NEWLINE = 0x0A


@numba.njit(cache=True, nogil=True)
def space_width(b0: int, b1: int, b2: int) -> int:
    """Bytes of the whitespace character whose encoding starts with the bytes `b0 b1 b2` (0 past
    the end of the text), 0 if it is not whitespace. Scalars, not the array: a per-byte call with
    an array argument is not inlined by numba and costs ten times the test."""
    if b0 < 0x80:
        return 1 if (9 <= b0 <= 13 or 28 <= b0 <= 32) else 0
    if b0 == 0xC2:  # U+0085, U+00A0
        return 2 if b1 == 0x85 or b1 == 0xA0 else 0
    if b0 == 0xE1:  # U+1680
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if b0 == 0xE2:  # U+2000..U+200A, U+2028, U+2029, U+202F; U+205F
        if b1 == 0x80 and (0x80 <= b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF):
            return 3
        return 3 if b1 == 0x81 and b2 == 0x9F else 0
    if b0 == 0xE3:  # U+3000
        return 3 if b1 == 0x80 and b2 == 0x80 else 0
    return 0


@numba.njit(cache=True, nogil=True)
def space_width_before(c3: int, c2: int, c1: int) -> int:
    """Bytes of the whitespace character that ends with the bytes `c3 c2 c1` (`c1` the last; 0
    before the start of the span), 0 if the span does not end with whitespace."""
    if c1 < 0x80:
        return 1 if (9 <= c1 <= 13 or 28 <= c1 <= 32) else 0
    if c2 == 0xC2:  # a first byte: the two bytes are one character
        return 2 if c1 == 0x85 or c1 == 0xA0 else 0
    return 3 if space_width(c3, c2, c1) == 3 else 0


@numba.njit(cache=True, nogil=True)
def code_points(data: np.ndarray, start: int, end: int) -> int:
    """Number of code points in `data[start:end]` (bytes that are not continuation bytes)."""
    count = 0
    for i in range(start, end):
        count += (data[i] & 0xC0) != 0x80
    return count


@numba.njit(cache=True, nogil=True)
def first_code_point(data: np.ndarray, start: int) -> int:
    """The code point whose encoding starts at `data[start]`."""
    b = np.int64(data[start])
    if b < 0x80:
        return b
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (data[start + 1] & 0x3F)
    if b < 0xF0:
        return ((b & 0x0F) << 12) | ((data[start + 1] & 0x3F) << 6) | (data[start + 2] & 0x3F)
    return (
        ((b & 0x07) << 18)
        | ((data[start + 1] & 0x3F) << 12)
        | ((data[start + 2] & 0x3F) << 6)
        | (data[start + 3] & 0x3F)
    )


@numba.njit(cache=True, nogil=True)
def last_code_point(data: np.ndarray, start: int, end: int) -> int:
    """The last code point of the non-empty span `data[start:end]`."""
    i = end - 1
    while i > start and (data[i] & 0xC0) == 0x80:
        i -= 1
    return first_code_point(data, i)


# Byte classes for `character_marks`: one table lookup per byte instead of a chain of tests.
FIRST_BYTE, ASCII_SPACE, LINE_BREAK, HASH, CURLY, DOT, MAYBE_WIDE_SPACE, ELLIPSIS_END = (
    1 << bit for bit in range(8)
)
BYTE_CLASS = np.zeros(256, dtype=np.int64)
BYTE_CLASS[:0x80] |= FIRST_BYTE
BYTE_CLASS[0xC0:] |= FIRST_BYTE
BYTE_CLASS[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] |= ASCII_SPACE
BYTE_CLASS[[NEWLINE, ord("#"), ord("{"), ord(".")]] |= [LINE_BREAK, HASH, CURLY, DOT]
BYTE_CLASS[[0xC2, 0xE1, 0xE2, 0xE3]] |= MAYBE_WIDE_SPACE
BYTE_CLASS[0xA6] |= ELLIPSIS_END


@numba.njit(cache=True, nogil=True)
def character_marks(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per document (rows): code points, '\\n', '#', '...' (non-overlapping), '…', whether
    '{' occurs (as Arrow's `utf8_length` / `count_substring` / `match_substring` count them), and
    whitespace characters."""
    n_docs = offsets.size - 1
    out = np.zeros((n_docs, 7), dtype=np.int64)
    for d in range(n_docs):
        finish = offsets[d + 1]
        chars = newlines = hashes = dot_runs = ellipses = curly = spaces = dots = 0
        for i in range(offsets[d], finish):
            c = BYTE_CLASS[data[i]]
            chars += c & FIRST_BYTE
            spaces += (c & ASCII_SPACE) >> 1
            newlines += (c & LINE_BREAK) >> 2
            hashes += (c & HASH) >> 3
            curly |= (c & CURLY) >> 4
            if c & DOT:
                dots += 1
            elif dots:
                dot_runs += dots // 3
                dots = 0
            if c & MAYBE_WIDE_SPACE:
                second = data[i + 1] if i + 1 < finish else 0
                spaces += space_width(data[i], second, data[i + 2] if i + 2 < finish else 0) > 0
            elif c & ELLIPSIS_END and i - 2 >= offsets[d]:
                ellipses += data[i - 1] == 0x80 and data[i - 2] == 0xE2  # U+2026 is E2 80 A6
        out[d, 0], out[d, 1], out[d, 2], out[d, 3] = chars, newlines, hashes, dot_runs + dots // 3
        out[d, 4], out[d, 5], out[d, 6] = ellipses, curly, spaces
    return out


# Bytes that can start '.', '!', '?' or '…' (E2 80 A6): one table lookup per byte.
MARK_START = np.zeros(256, dtype=np.bool_)
MARK_START[[ord("."), ord("!"), ord("?"), 0xE2]] = True


@numba.njit(cache=True, nogil=True)
def sentence_ends(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per document, the non-overlapping matches of `[.!?…]+["'”’»)\\]]*(?:\\s|$)` (RE2, whose
    `\\s` is `[\\t\\n\\f\\r ]`), as Arrow's `count_substring_regex` counts them.

    A match can only start a run of sentence marks, and the sets of marks, closers and spaces are
    disjoint, so a run matches exactly when its closers are followed by a space or the end; a
    failed run resumes the search where its closers end. (Plain loops: the same steps as small
    inlined functions compile to code several times slower.)"""
    out = np.zeros(offsets.size - 1, dtype=np.int64)
    for d in range(offsets.size - 1):
        i, end = offsets[d], offsets[d + 1]
        count = 0
        while i < end:
            b = data[i]
            if not MARK_START[b]:
                i += 1
                continue
            if b == 0xE2 and not (i + 2 < end and data[i + 1] == 0x80 and data[i + 2] == 0xA6):
                i += 1
                continue
            while i < end:  # the run of marks
                b = data[i]
                if b == 0x2E or b == 0x21 or b == 0x3F:
                    i += 1
                elif b == 0xE2 and i + 2 < end and data[i + 1] == 0x80 and data[i + 2] == 0xA6:
                    i += 3
                else:
                    break
            while i < end:  # its closers
                b = data[i]
                if b == 0x22 or b == 0x27 or b == 0x29 or b == 0x5D:
                    i += 1
                elif b == 0xC2 and i + 1 < end and data[i + 1] == 0xBB:
                    i += 2
                elif (
                    b == 0xE2
                    and i + 2 < end
                    and data[i + 1] == 0x80
                    and (data[i + 2] == 0x9D or data[i + 2] == 0x99)
                ):
                    i += 3
                else:
                    break
            if i == end:
                count += 1
            elif data[i] == 0x20 or data[i] == 0x09 or data[i] == 0x0A or 0x0C <= data[i] <= 0x0D:
                count += 1
                i += 1
        out[d] = count
    return out
