"""The compiled passes of `normalize`, over a batch's UTF-8 buffer (offsets + bytes).

`needs_unicode_check` finds the documents Unicode normalisation might change: a text whose
characters all have the quick-check property "yes" for the form and combining class 0 is already
normalised (Unicode's quick-check algorithm, UAX #15), so only the other documents (a combining
mark, a compatibility character, a character outside the Basic Multilingual Plane ...) are handed
to Python's `unicodedata`.

`normalize_whitespace` applies the line, control-character and space steps in one pass, with the
meaning of the regular expressions they replace (RE2, as Arrow runs them, one after the other):

1. `\\r\\n|[\\r\\x0b\\x0c\\x{85}\\x{2028}\\x{2029}]` becomes `\\n`;
2. `[\\x00-\\x08\\x0e-\\x1f\\x7f\\x{80}-\\x{84}\\x{86}-\\x{9f}\\x{feff}]` is deleted;
3. (`unify_spaces`) `[\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}]` becomes
   a space;
4. `(?m)[ \\t]+$` (spaces and tabs before a line break or the end) is deleted;
5. (`collapse_spaces`) `(\\S) {2,}` becomes `\\1 `: a run of spaces after a character that is not
   RE2 whitespace (`[\\t\\n\\f\\r ]`) shrinks to one, so indentation stays;
6. `\\n{k+2,}` becomes `k + 1` line breaks (`k` blank lines at most), and line breaks at both ends
   of the text go.

Each step only ever shortens the text, so the output fits in the input's buffer size.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numba
import numpy as np

BMP = 0x10000
HANGUL_VOWELS_AND_TRAILS = ((0x1161, 0x1175), (0x11A8, 0x11C2))
SPACE, TAB, NEWLINE = 0x20, 0x09, 0x0A
DELETE, LINE_BREAK, UNIFIED_SPACE = -1, -2, -3


@cache
def quick_check_yes(form: str) -> np.ndarray:
    """Per BMP code point: 1 when a text made only of such characters is already in `form`.

    That is combining class 0, unchanged by `form` alone, and never the second character of a
    canonical composition (those are "maybe" for the composing forms: they can join the
    character before them)."""
    table = np.zeros(BMP, dtype=np.bool_)
    composes_after = composition_seconds() if form in ("NFC", "NFKC") else set()
    for code in range(BMP):
        if 0xD800 <= code < 0xE000 or code in composes_after:
            continue
        character = chr(code)
        table[code] = (
            unicodedata.combining(character) == 0
            and unicodedata.normalize(form, character) == character
        )
    return table


def composition_seconds(limit: int = BMP) -> set[int]:
    """Second characters of the canonical compositions of the characters below `limit`, and the
    Hangul vowels and trailing consonants. (The compositions outside the BMP add no BMP
    character: tested.)"""
    seconds: set[int] = set()
    for code in range(limit):
        mapping = unicodedata.decomposition(chr(code))
        parts = mapping.split()
        canonical_pair = len(parts) == 2 and not mapping.startswith("<")
        if canonical_pair and unicodedata.normalize("NFC", chr(code)) == chr(code):
            seconds.add(int(parts[1], 16))
    for low, high in HANGUL_VOWELS_AND_TRAILS:
        seconds.update(range(low, high + 1))
    return seconds


@numba.njit(cache=True, nogil=True)
def needs_unicode_check(data: np.ndarray, offsets: np.ndarray, yes: np.ndarray) -> np.ndarray:
    """Per document: whether it has a character outside `yes` (a table from `quick_check_yes`;
    characters outside the BMP are never in it). Invalid UTF-8 counts as needing the check."""
    out = np.zeros(offsets.size - 1, dtype=np.bool_)
    for d in range(offsets.size - 1):
        i, end = offsets[d], offsets[d + 1]
        while i < end:
            b = data[i]
            if b < 0x80:
                i += 1
                continue
            if 0xC2 <= b < 0xE0 and i + 1 < end:
                code = ((b & 0x1F) << 6) | (data[i + 1] & 0x3F)
                i += 2
            elif 0xE0 <= b < 0xF0 and i + 2 < end:
                code = ((b & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F)
                i += 3
            else:
                code = BMP
            if code >= BMP or not yes[code]:
                out[d] = True
                break
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _special(data: np.ndarray, i: int, end: int, unify_spaces: bool) -> tuple[int, int]:
    """What the character at a lead byte `i` (>= 0x80) is to the steps, and its bytes:
    `DELETE`, `LINE_BREAK`, `UNIFIED_SPACE`, or 0 (kept as it is; one byte is stepped)."""
    b = data[i]
    b1 = data[i + 1] if i + 1 < end else 0
    b2 = data[i + 2] if i + 2 < end else 0
    if b == 0xC2:
        if b1 == 0x85:
            return LINE_BREAK, 2
        if 0x80 <= b1 <= 0x9F:
            return DELETE, 2
        if b1 == 0xA0 and unify_spaces:
            return UNIFIED_SPACE, 2
    elif b == 0xE2:
        if b1 == 0x80 and (b2 == 0xA8 or b2 == 0xA9):
            return LINE_BREAK, 3
        if unify_spaces and (
            (b1 == 0x80 and (0x80 <= b2 <= 0x8A or b2 == 0xAF)) or (b1 == 0x81 and b2 == 0x9F)
        ):
            return UNIFIED_SPACE, 3
    elif b == 0xEF:
        if b1 == 0xBB and b2 == 0xBF:
            return DELETE, 3
    elif unify_spaces and (
        (b == 0xE1 and b1 == 0x9A and b2 == 0x80) or (b == 0xE3 and b1 == 0x80 and b2 == 0x80)
    ):
        return UNIFIED_SPACE, 3
    return 0, 1


@numba.njit(cache=True, nogil=True, inline="always")
def _collapse_spaces(out: np.ndarray, start: int, end: int) -> int:
    """Shrink to one every run of spaces in `out[start:end]` (one line, no trailing spaces) that
    follows a byte other than a space or a tab; returns the new end."""
    write = start
    i = start
    while i < end:
        b = out[i]
        out[write] = b
        write += 1
        i += 1
        if b != SPACE or write - 2 < start or out[write - 2] == TAB or out[write - 2] == SPACE:
            continue
        while i < end and out[i] == SPACE:
            i += 1
    return write


@numba.njit(cache=True, nogil=True)
def normalize_whitespace(
    data: np.ndarray,
    offsets: np.ndarray,
    unify_spaces: bool,
    collapse_spaces: bool,
    max_blank_lines: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The texts after the steps of the module docstring: int32 offsets and bytes.

    Per line: its characters are written after the line breaks that separate it from the last
    non-empty line (at most `max_blank_lines + 1`, none before the first); at its end trailing
    spaces and tabs go, runs of spaces shrink, and an empty line takes its line breaks back."""
    n_docs = offsets.size - 1
    out = np.empty(offsets[n_docs] - offsets[0], dtype=np.uint8)
    out_offsets = np.zeros(n_docs + 1, dtype=np.int32)
    o = 0
    for d in range(n_docs):
        i, end = offsets[d], offsets[d + 1]
        started = False
        breaks = 0  # line breaks since the last non-empty line
        while True:  # one line per iteration
            reserved = min(breaks, max_blank_lines + 1) if started else 0
            out[o : o + reserved] = NEWLINE
            line_start = o + reserved
            o = line_start
            doubled = False
            at_break = False
            while i < end:
                b = data[i]
                if SPACE < b < 0x7F:  # printable ASCII: the common case first
                    out[o] = b
                    o += 1
                    i += 1
                    continue
                if b < 0x80:
                    i += 1
                    if b == SPACE:
                        doubled |= o > line_start and out[o - 1] == SPACE
                        out[o] = b
                        o += 1
                    elif b == NEWLINE or b == 0x0B or b == 0x0C:
                        at_break = True
                        break
                    elif b == 0x0D:
                        if i < end and data[i] == NEWLINE:
                            i += 1
                        at_break = True
                        break
                    elif b == TAB:
                        out[o] = b
                        o += 1
                    continue
                kind, width = _special(data, i, end, unify_spaces)
                if kind == LINE_BREAK:
                    i += width
                    at_break = True
                    break
                if kind == UNIFIED_SPACE:
                    doubled |= o > line_start and out[o - 1] == SPACE
                    out[o] = SPACE
                    o += 1
                elif kind == 0:
                    out[o] = b
                    o += 1
                i += width
            while o > line_start and (out[o - 1] == SPACE or out[o - 1] == TAB):
                o -= 1
            if doubled and collapse_spaces:
                o = _collapse_spaces(out, line_start, o)
            if o == line_start:
                o -= reserved
                breaks += 1
            else:
                started = True
                breaks = 1
            if not at_break:
                break
        out_offsets[d + 1] = o
    return out_offsets, out[:o]
