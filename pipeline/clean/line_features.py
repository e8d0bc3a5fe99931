"""Per-line features of stripped lines in one compiled pass over their UTF-8 bytes.

`LineTable` needs, for every stripped line, its length in code points, its spaces, how it ends
(`SENTENCE_END`, `CLAUSE_END`, `FULL_STOP` on its last `EDGE_CHARS` characters) and whether it
starts with a list marker (`BULLET`). Running one RE2 kernel per feature over Arrow slices costs a
pass over the batch each; here one numba loop reads each line's bytes in place and answers the
same questions exactly (the tests compare every feature with the Arrow kernels it replaces):

* the endings are suffix patterns, so they depend only on the last character, the run of closing
  characters before it and the character before that run, all within the last `EDGE_CHARS`;
* the list marker is at most five characters (`123. `), always inside the `EDGE_CHARS` head;
* RE2's `\\d` and `\\s` are ASCII (`[0-9]`, `[\\t\\n\\f\\r ]`), the other classes are code points.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.line_context_bytes import is_space
from pipeline.dedup.text_units import utf8_view

# A line "ends a sentence" when its last visible character is terminal punctuation, possibly
# followed by closing quotes or brackets, or when it ends in a closing quote: quoted speech such as
# `... go far enough”` is a complete utterance even without a full stop.
SENTENCE_END = r"(?:[.!?…。！？]['\"”’»)\]]*|[\"”’»])$"
# A clause ending: a sentence ending, or a colon / semicolon / closing bracket ending a clause.
CLAUSE_END = r"(?:[.!?…。！？:;]['\"”’»)\]]*|[\"”’»)\]])$"
FULL_STOP = r"(?:^|[^.])\.$"
# Endings and list markers are tested on this many characters at the end / start of a line.
EDGE_CHARS = 8
BULLET = r"^(?:[-*•·–—+o▪►‣◦]|\d{1,3}[.)]|[a-z]\))\s+"

# The character classes of the patterns above, as code points.
SENTENCE_MARKS = np.array([ord(c) for c in ".!?…。！？"], dtype=np.int64)
CLAUSE_MARKS = np.array([ord(c) for c in ".!?…。！？:;"], dtype=np.int64)
CLOSERS = np.array([ord(c) for c in "'\"”’»)]"], dtype=np.int64)
QUOTES = np.array([ord(c) for c in '"”’»'], dtype=np.int64)
CLAUSE_CLOSERS = np.array([ord(c) for c in '"”’»)]'], dtype=np.int64)
BULLET_MARKS = np.array([ord(c) for c in "-*•·–—+o▪►‣◦"], dtype=np.int64)

# Columns of `edge_features`' output.
CHARS, SPACES, ENDS_SENTENCE, ENDS_CLAUSE, ENDS_FULL_STOP, STARTS_BULLET = range(6)


def line_features(stripped: pa.StringArray) -> np.ndarray:
    """Per stripped line (rows): code points, spaces, and the four edge tests (0/1), in the
    column order `CHARS, SPACES, ENDS_SENTENCE, ENDS_CLAUSE, ENDS_FULL_STOP, STARTS_BULLET`."""
    data, offsets = utf8_view(stripped)
    return edge_features(data, offsets)


@numba.njit(cache=True, nogil=True)
def _code_point(data: np.ndarray, start: int, end: int) -> int:
    """The code point encoded by `data[start:end]` (one character; invalid bytes give some value,
    never a read outside the span)."""
    b = np.int64(data[start])
    if b < 0x80 or end - start == 1:
        return b
    value = b & (0x1F if b < 0xE0 else 0x0F if b < 0xF0 else 0x07)
    for i in range(start + 1, end):
        value = (value << 6) | (data[i] & 0x3F)
    return value


@numba.njit(cache=True, nogil=True)
def _char_start(data: np.ndarray, start: int, end: int) -> int:
    """Where the last character of the non-empty span `data[start:end]` begins."""
    i = end - 1
    while i > start and (data[i] & 0xC0) == 0x80:
        i -= 1
    return i


@numba.njit(cache=True, nogil=True)
def _char_end(data: np.ndarray, start: int, end: int) -> int:
    """Where the character that begins at `data[start]` ends (at most `end`)."""
    i = start + 1
    while i < end and (data[i] & 0xC0) == 0x80:
        i += 1
    return i


@numba.njit(cache=True, nogil=True)
def _starts_bullet(data: np.ndarray, start: int, end: int) -> bool:
    """`BULLET` at the start of `data[start:end]` (a stripped, non-empty line)."""
    first_end = _char_end(data, start, end)
    first = _code_point(data, start, first_end)
    if first_end < end and is_space(data[first_end]):
        for mark in BULLET_MARKS:
            if first == mark:
                return True
    digits = 0
    while start + digits < end and digits < 4 and 0x30 <= data[start + digits] <= 0x39:
        digits += 1
    if 1 <= digits <= 3 and start + digits + 1 < end:
        mark = data[start + digits]
        if (mark == 0x2E or mark == 0x29) and is_space(data[start + digits + 1]):
            return True
    return (
        0x61 <= first <= 0x7A
        and start + 2 < end
        and data[start + 1] == 0x29
        and is_space(data[start + 2])
    )


@numba.njit(cache=True, nogil=True)
def _member(value: int, members: np.ndarray) -> bool:
    """Whether `value` is one of the (few) `members`."""
    found = False
    for member in members:
        found |= value == member
    return found


@numba.njit(cache=True, nogil=True)
def edge_features(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """`line_features` over the bytes and int64 offsets of the stripped lines."""
    n = offsets.size - 1
    out = np.zeros((n, 6), dtype=np.int64)
    for line in range(n):
        start, end = offsets[line], offsets[line + 1]
        chars = 0
        spaces = 0
        for i in range(start, end):
            b = data[i]
            chars += (b & 0xC0) != 0x80
            spaces += b == 0x20
        out[line, CHARS] = chars
        out[line, SPACES] = spaces
        if chars == 0:
            continue
        window = min(chars, EDGE_CHARS)
        at = _char_start(data, start, end)
        last = _code_point(data, at, end)
        # The run of closing characters at the end, then the character before it (in the window).
        run = 0
        before = -1
        stop = end
        while run < window:
            at = _char_start(data, start, stop)
            value = _code_point(data, at, stop)
            if not _member(value, CLOSERS):
                before = value
                break
            run += 1
            stop = at
        out[line, ENDS_SENTENCE] = _member(last, QUOTES) or _member(before, SENTENCE_MARKS)
        out[line, ENDS_CLAUSE] = _member(last, CLAUSE_CLOSERS) or _member(before, CLAUSE_MARKS)
        if last == 0x2E:
            at = _char_start(data, start, end)
            out[line, ENDS_FULL_STOP] = at == start or data[at - 1] != 0x2E
        out[line, STARTS_BULLET] = _starts_bullet(data, start, end)
    return out
