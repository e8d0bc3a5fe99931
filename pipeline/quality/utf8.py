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
