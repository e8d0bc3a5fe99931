"""Byte-level tests for `line_context_text`: RE2's character classes and the patterns of
`line_context`, at one position of a line's UTF-8 bytes (`data[s:e]`, `p` a position in it).

The one-line tests (`is_*`, `word_at`, `run`, `starts_with`, `char_case`) are inlined into their
callers (`inline="always"`): a call to a compiled function that takes an array counts a reference
up and down, which costs more than the test. The pattern tests run only at the few bytes that can
start a match and stay calls (inlining them too doubled their compile time for no measurable gain).

RE2's `\\d`, `\\w`, `\\s` (tab, newline, form feed, carriage return, space: not vertical tab) and
`\\b` are ASCII-only, so they are byte tests here. Case (`\\p{Lu}`, `\\p{Ll}`, `utf8_is_upper`) is
Unicode: `char_case` knows ASCII's neighbours, Latin-1 and U+2000-U+206F, and says `CASE_UNKNOWN`
for the rest, which the caller then leaves to Arrow.
"""

from __future__ import annotations

import numba
import numpy as np

CASE_UNKNOWN, CASE_NONE, CASE_UPPER, CASE_LOWER = -1, 0, 1, 2
_MONTHS = np.frombuffer(b"janfebmaraprmayjunjulaugsepoctnovdec", dtype=np.uint8)
# Literals as arrays: numba freezes a global array as a constant (a `bytes` argument would be
# built again at every call).
_HTTP, _HTTPS, _SLASHES = (np.frombuffer(t, dtype=np.uint8) for t in (b"http", b"https", b"://"))
_WWW, _COM, _AGO = (np.frombuffer(t, dtype=np.uint8) for t in (b"www", b"com", b"ago"))


@numba.njit(cache=True, nogil=True, inline="always")
def is_space(b: int) -> bool:
    return b == 0x20 or b == 0x09 or b == 0x0A or b == 0x0C or b == 0x0D


@numba.njit(cache=True, nogil=True, inline="always")
def is_digit(b: int) -> bool:
    return 0x30 <= b <= 0x39


@numba.njit(cache=True, nogil=True, inline="always")
def is_letter(b: int) -> bool:
    return 0x41 <= (b & 0xDF) <= 0x5A


@numba.njit(cache=True, nogil=True, inline="always")
def is_word(b: int) -> bool:
    return is_digit(b) or is_letter(b) or b == 0x5F


@numba.njit(cache=True, nogil=True, inline="always")
def word_at(data: np.ndarray, p: int, e: int) -> bool:
    """Whether `data[p]` is an ASCII word character (False at the end: `\\b` holds there)."""
    return p < e and is_word(data[p])


@numba.njit(cache=True, nogil=True, inline="always")
def width(b: int) -> int:
    """Bytes of the UTF-8 character whose first byte is `b`."""
    return 1 if b < 0x80 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4


@numba.njit(cache=True, nogil=True, inline="always")
def run(data: np.ndarray, p: int, e: int, digits: bool) -> int:
    """Length of the run of ASCII digits (or letters) starting at `p`."""
    q = p
    while q < e and (is_digit(data[q]) if digits else is_letter(data[q])):
        q += 1
    return q - p


@numba.njit(cache=True, nogil=True, inline="always")
def starts_with(data: np.ndarray, p: int, e: int, text: np.ndarray) -> bool:
    """Whether `data[p:]` starts with the lower-case ASCII `text`, ignoring ASCII case."""
    if p < 0 or p + text.size > e:
        return False
    for k in range(text.size):
        b = data[p + k]
        if (b | 0x20 if is_letter(b) else b) != text[k]:
            return False
    return True


@numba.njit(cache=True, nogil=True, inline="always")
def char_case(data: np.ndarray, p: int, e: int) -> int:
    """Upper case (Lu, cased), lower case (Ll, cased), neither (not a letter, not cased), or
    unknown, for the non-ASCII character at `p`: Latin-1 letters and signs, U+2000-U+206F."""
    b1 = data[p + 1] if p + 1 < e else 0
    if data[p] == 0xC3 and 0x80 <= b1 <= 0xBF:  # U+00C0-U+00FF; U+00D7, U+00F7 are signs
        if b1 == 0x97 or b1 == 0xB7:
            return CASE_NONE
        return CASE_UPPER if b1 <= 0x9E else CASE_LOWER
    if data[p] == 0xC2 and 0x80 <= b1 <= 0xBF and b1 != 0xAA and b1 != 0xB5 and b1 != 0xBA:
        return CASE_NONE  # U+0080-U+00BF but ª, µ, º
    b2 = data[p + 2] if p + 2 < e else 0
    if data[p] == 0xE2 and (b1 == 0x80 or (b1 == 0x81 and b2 <= 0xAF)) and 0x80 <= b2 <= 0xBF:
        return CASE_NONE  # general punctuation, U+2000-U+206F
    return CASE_UNKNOWN


@numba.njit(cache=True, nogil=True)
def folds_to_ascii(data: np.ndarray, p: int, e: int) -> bool:
    """Whether the character at `p` is `ſ` (U+017F) or `K` (U+212A), which `(?i)` matches as
    `s` / `k`, or `İ` (U+0130), which lower-cases to `i` (the only non-ASCII characters that do
    either)."""
    b1 = data[p + 1] if p + 1 < e else 0
    if (data[p] == 0xC5 and b1 == 0xBF) or (data[p] == 0xC4 and b1 == 0xB0):
        return True
    return data[p] == 0xE2 and b1 == 0x84 and p + 2 < e and data[p + 2] == 0xAA


@numba.njit(cache=True, nogil=True)
def spaced_separator(data: np.ndarray, p: int, e: int) -> tuple[bool, int]:
    """After the `\\s` at `p`, a separator (`|>/»›·•`) or a dash (`-–—`) with a `\\s` after it:
    whether it is a dash, and its end (0 if there is none)."""
    if p + 2 >= e:
        return False, 0
    b = data[p + 1]
    if b < 0x80:
        if b != 0x7C and b != 0x3E and b != 0x2F and b != 0x2D:
            return False, 0  # most spaces: a letter or digit follows
        size = 1
    else:
        b1 = data[p + 2]
        b2 = data[p + 3] if p + 3 < e else 0
        if b == 0xC2 and (b1 == 0xBB or b1 == 0xB7):
            size = 2
        elif b == 0xE2 and b1 == 0x80 and (b2 == 0xBA or b2 == 0xA2 or b2 == 0x93 or b2 == 0x94):
            size = 3
        else:
            return False, 0
    end = p + 1 + size
    if end >= e or not is_space(data[end]):
        return False, 0
    return b == 0x2D or (size == 3 and data[p + 3] < 0x95), end + 1


@numba.njit(cache=True, nogil=True)
def brackets_at(data: np.ndarray, p: int, e: int) -> bool:
    """`COUNT_IN_BRACKETS` at the `(` or `[` at `p`: a digit, digits / commas / points, `)`/`]`."""
    if p + 2 >= e or not is_digit(data[p + 1]):
        return False
    q = p + 2
    while q < e and (is_digit(data[q]) or data[q] == 0x2C or data[q] == 0x2E):
        q += 1
    return q < e and (data[q] == 0x29 or data[q] == 0x5D)


@numba.njit(cache=True, nogil=True)
def link_at(data: np.ndarray, s: int, p: int, e: int) -> bool:
    """`LINK_LIKE` through the `:`, `.` or `@` at `p` (ASCII letters only: `ſ` and `K` are the
    caller's): `http://`, `https://`, `www.`, `.com\\b`, `@\\w`."""
    b = data[p]
    if b == 0x3A:
        return starts_with(data, p, e, _SLASHES) and (
            (p - 4 >= s and starts_with(data, p - 4, e, _HTTP))
            or (p - 5 >= s and starts_with(data, p - 5, e, _HTTPS))
        )
    if b == 0x2E:
        if p - 3 >= s and starts_with(data, p - 3, e, _WWW):
            return True
        return starts_with(data, p + 1, e, _COM) and not word_at(data, p + 4, e)
    return b == 0x40 and word_at(data, p + 1, e)


@numba.njit(cache=True, nogil=True)
def ago_at(data: np.ndarray, p: int, e: int) -> bool:
    """`ago\\b` at `p` (the caller knows `\\b` holds before `p`)."""
    return starts_with(data, p, e, _AGO) and not word_at(data, p + 3, e)


@numba.njit(cache=True, nogil=True)
def _is_month(data: np.ndarray, p: int, e: int) -> bool:
    """Whether a run of at least three ASCII letters at `p` starts with a month's abbreviation."""
    if p + 3 > e or not (is_letter(data[p + 1]) and is_letter(data[p + 2])):
        return False
    first = data[p] | 0x20
    for m in range(0, _MONTHS.size, 3):
        if (
            first == _MONTHS[m]
            and data[p + 1] | 0x20 == _MONTHS[m + 1]
            and data[p + 2] | 0x20 == _MONTHS[m + 2]
        ):
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _date_at_digits(data: np.ndarray, p: int, e: int) -> bool:
    """The `DATE_OR_TIME` branches that start with digits, at a run of digits that starts at a
    word boundary (a shorter prefix of the run never matches: a digit would follow it)."""
    digits = run(data, p, e, True)
    q = p + digits
    if q >= e:
        return False
    c = data[q]
    if digits == 4 and c == 0x2D:  # \d{4}-\d\d-\d\d\b
        r = q + 1
        if run(data, r, e, True) == 2 and r + 2 < e and data[r + 2] == 0x2D:
            return run(data, r + 3, e, True) == 2 and not word_at(data, r + 5, e)
        return False
    if digits > 2:
        return False
    if c == 0x2F or c == 0x2E or c == 0x2D:  # \d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b
        second = run(data, q + 1, e, True)
        r = q + 1 + second
        if 1 <= second <= 2 and r < e and (data[r] == 0x2F or data[r] == 0x2E or data[r] == 0x2D):
            third = run(data, r + 1, e, True)
            return 2 <= third <= 4 and not word_at(data, r + 1 + third, e)
        return False
    if c == 0x3A:  # \d{1,2}:\d\d\b
        return run(data, q + 1, e, True) == 2 and not word_at(data, q + 3, e)
    if c == 0x20 and q + 1 < e and _is_month(data, q + 1, e):  # \d{1,2} month[a-z]*\b
        return not word_at(data, q + 1 + run(data, q + 1, e, False), e)
    return False


@numba.njit(cache=True, nogil=True)
def _month_before(data: np.ndarray, s: int, p: int, e: int) -> bool:
    """`\\bmonth[a-z]*\\.? \\d{1,2}\\b` ending in the run of digits at `p`: the word before the
    space before `p` (a full stop may end it) is a run of ASCII letters starting at a word
    boundary with a month's abbreviation (`[a-z]*` must reach the `.` or the space)."""
    digits = run(data, p, e, True)
    if not (1 <= digits <= 2) or word_at(data, p + digits, e) or p - 1 <= s or data[p - 1] != 0x20:
        return False
    q = p - 1  # the letters end here
    if data[q - 1] == 0x2E:
        q -= 1
    t = q
    while t > s and is_letter(data[t - 1]):
        t -= 1
    return q - t >= 3 and (t == s or not is_word(data[t - 1])) and _is_month(data, t, e)


@numba.njit(cache=True, nogil=True)
def date_at(data: np.ndarray, s: int, p: int, e: int) -> bool:
    """Whether a `DATE_OR_TIME` branch holds the run of ASCII digits that starts at `p`, the start
    of a word of `data[s:e]` (ASCII letters only: `ſ` and `K` are the caller's). Every branch but
    `ago` holds a run of digits that starts a word, so a caller that tries this at those runs and
    `ago_at` at the words that start with `a` finds every match."""
    return _date_at_digits(data, p, e) or _month_before(data, s, p, e)
