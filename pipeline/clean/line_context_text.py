"""The per-line text features of `line_context`, read from the lines' UTF-8 bytes with numba.

`text_features` gives, for the chosen lines of a string array, what `line_context` used to get from
a dozen Arrow kernels: capitalised words (`CAPITALISED_WORD` as `count_substring_regex` counts it),
digits, punctuation, the `SEPARATOR`, `COUNT_IN_BRACKETS`, `DATE_OR_TIME` and `LINK_LIKE` patterns,
`utf8_is_upper`, a lower-case start (`^\\p{Ll}`) and a hash of the first word. One pass over a
line's bytes (`_scan`) counts and flags most of them, trying a pattern only at the bytes that can
start or anchor a match (a space for `SEPARATOR`, `(` and `[`, `:` `.` `@`; for `DATE_OR_TIME` a
word that starts with a digit or an `a`). The tests (`line_context_bytes`) follow RE2: `\\d`,
`\\w`, `\\s` and `\\b` are ASCII-only; `\\p{Lu}`, `\\p{Ll}`, `utf8_is_upper` and `(?i)` are
Unicode.

The pass decides a line exactly when every character that matters is ASCII, Latin-1 or general
punctuation (`char_case`). Otherwise -- a Greek capital where a capitalised word may start, `ſ`
or the Kelvin sign `K` (which `(?i)` folds onto `s` and `k`), `İ` (which lower-cases to `i`) --
that feature of that line is undecided (-1) and `text_features` computes it with the Arrow kernel
on those few lines only, so the result always equals the regular expressions'. A new feature is a
name in `TEXT_COLUMNS`, its count or flag in `_scan` (or its own loop in `_text_columns`), and, if
the bytes cannot always decide it, its Arrow kernel in `_ARROW`.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.line_context_bytes import (
    CASE_LOWER,
    CASE_UNKNOWN,
    CASE_UPPER,
    ago_at,
    brackets_at,
    char_case,
    date_at,
    folds_to_ascii,
    is_space,
    is_word,
    link_at,
    spaced_separator,
    width,
)
from pipeline.clean.line_hashes import xxh64_span, xxh64_strings
from pipeline.clean.line_table import arrow_to_numpy
from pipeline.dedup.text_units import utf8_view

# Anything a menu, breadcrumb or pager uses between its items.
SEPARATOR = r"(?:\s[|>/»›·•]\s|\s[-–—]\s.*\s[-–—]\s)"
COUNT_IN_BRACKETS = r"[(\[]\d[\d,.]*[)\]]"
DATE_OR_TIME = (
    r"(?i)(?:\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}:\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\bago\b)"
)
LINK_LIKE = r"(?i)(?:https?://|www\.|\.com\b|@\w)"
CAPITALISED_WORD = r"(?:^|\s)[\p{Lu}\d]"
PUNCTUATION = r"[,;:()\"“”]"
FIRST_WORD = r"^\W*(\w*).*$"  # on the first 32 characters of the lower-cased line, then 24 kept

TEXT_COLUMNS: tuple[str, ...] = (
    "capitalised_words",
    "digits",
    "punctuation",
    "separator",
    "count_in_brackets",
    "date_or_time",
    "link_like",
    "all_upper",
    "starts_lower",
)
CAPITALISED, DIGITS, PUNCT, SEP, BRACKETS, DATE, LINK, UPPER, LOWER_START = range(9)
_UNDECIDED = -1

# What the Arrow kernels say for a line the byte loops leave undecided.
_ARROW: dict[str, Callable[[pa.Array], pa.Array]] = {
    "capitalised_words": lambda s: pc.count_substring_regex(s, pattern=CAPITALISED_WORD),
    "date_or_time": lambda s: pc.match_substring_regex(s, pattern=DATE_OR_TIME),
    "link_like": lambda s: pc.match_substring_regex(s, pattern=LINK_LIKE),
    "all_upper": pc.utf8_is_upper,
    "starts_lower": lambda s: pc.match_substring_regex(s, pattern=r"^\p{Ll}"),
}


def text_features(lines: pa.StringArray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the lines `index` of `lines`: an int64 matrix (`TEXT_COLUMNS` x len(index); flags are
    0 / 1) and the XXH64 of each line's lower-cased first word (what `FIRST_WORD` extracts)."""
    data, offsets = utf8_view(lines)
    values, first_word = _text_columns(data, offsets, index)
    for column, name in enumerate(TEXT_COLUMNS):
        undecided = np.flatnonzero(values[column] == _UNDECIDED)
        if undecided.size:
            subset = lines.take(pa.array(index[undecided]))
            values[column, undecided] = arrow_to_numpy(_ARROW[name](subset), np.int64)
    # Hash 0: undecided (a decided word that hashes to 0 is merely hashed again, to 0).
    undecided = np.flatnonzero(first_word == 0)
    if undecided.size:
        lower = pc.utf8_lower(lines.take(pa.array(index[undecided])))
        head = pc.utf8_slice_codeunits(lower, 0, 32)
        word = pc.replace_substring_regex(head, pattern=FIRST_WORD, replacement=r"\1")
        first_word[undecided] = xxh64_strings(*utf8_view(pc.utf8_slice_codeunits(word, 0, 24)))
    return values, first_word


@numba.njit(cache=True, nogil=True)
def _text_columns(
    data: np.ndarray, offsets: np.ndarray, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The byte loops over every chosen line; -1 (or hash 0) where they cannot decide."""
    values = np.empty((len(TEXT_COLUMNS), index.size), dtype=np.int64)
    first_word = np.zeros(index.size, dtype=np.uint64)
    for i in range(index.size):
        s, e = offsets[index[i]], offsets[index[i] + 1]
        folds = _scan(values, i, data, s, e)
        if folds:
            values[DATE, i] = values[LINK, i] = _UNDECIDED
        values[LOWER_START, i] = _starts_lower(data, s, e)
        if not folds:
            start, end = _first_word(data, s, e)
            first_word[i] = xxh64_span(data, start, end, True)
    return values, first_word


@numba.njit(cache=True, nogil=True)
def _scan(values: np.ndarray, i: int, data: np.ndarray, s: int, e: int) -> bool:
    """One pass over `data[s:e]` for column `i` of `values`: capitalised words, digits,
    punctuation, separator, count in brackets, date or time (tried where a word starts with a
    digit or `a`), link-like, all upper case. True if the line holds a character that `(?i)` or
    lower-casing turns into ASCII (`DATE`, `LINK` and the first word are undecided)."""
    capitals = digits = punctuation = 0
    separator = brackets = link = date = folds = False
    lower = upper = unknown_case = unknown_capital = False
    candidate = True  # a capital or digit here counts as a CAPITALISED_WORD match
    after_word = False  # the previous character is an ASCII word character (for `\b`)
    first_dash_end = e + 1  # end of the first spaced dash (SEPARATOR's second branch)
    p = s
    while p < e:
        b = data[p]
        if 0x61 <= b <= 0x7A:  # a-z
            lower = True
            if b == 0x61 and not after_word and p + 2 < e and data[p + 1] | 0x20 == 0x67:
                date |= ago_at(data, p, e)
            candidate = False
            after_word = True
            p += 1
            # The rest of the run changes nothing, nor do a space and a word of lower-case letters
            # that starts with no `a` (no `ago` to try, no separator): skip them in a tight loop.
            while p < e:
                b = data[p]
                if 0x61 <= b <= 0x7A:
                    p += 1
                elif b == 0x20 and p + 1 < e and 0x62 <= data[p + 1] <= 0x7A:
                    p += 2
                else:
                    break
        elif 0x41 <= b <= 0x5A or 0x30 <= b <= 0x39:  # A-Z, 0-9
            if b <= 0x39:
                digits += 1
                if not (after_word or date):
                    date = date_at(data, s, p, e)
            else:
                upper = True
                if b == 0x41 and not after_word and p + 2 < e and data[p + 1] | 0x20 == 0x67:
                    date |= ago_at(data, p, e)
            capitals += candidate  # a counted match leaves `^` to match at the next one
            after_word = True
            p += 1
        elif b < 0x80:
            after_word = b == 0x5F
            candidate = is_space(b)
            if candidate:
                after = data[p + 1] if p + 1 < e else 0x61  # most spaces: a letter follows
                if after >= 0x80 or after in (0x7C, 0x3E, 0x2F, 0x2D):
                    dash, end = spaced_separator(data, p, e)
                    if end and dash:
                        separator |= p >= first_dash_end
                        first_dash_end = min(first_dash_end, end)
                    else:
                        separator |= end > 0
            elif b == 0x2C or b == 0x3B or b == 0x3A or b == 0x28 or b == 0x29 or b == 0x22:
                punctuation += 1
            if b == 0x28 or b == 0x5B:
                brackets |= brackets_at(data, p, e)
            elif b == 0x3A or b == 0x2E or b == 0x40:
                link |= link_at(data, s, p, e)
            p += 1
        else:
            after_word = False
            if b == 0xE2 and p + 2 < e and data[p + 1] == 0x80:
                punctuation += data[p + 2] == 0x9C or data[p + 2] == 0x9D  # curly double quotes
            folds |= folds_to_ascii(data, p, e)
            case = char_case(data, p, e)
            lower |= case == CASE_LOWER
            upper |= case == CASE_UPPER
            unknown_case |= case == CASE_UNKNOWN
            if candidate:
                unknown_capital |= case == CASE_UNKNOWN
                capitals += case == CASE_UPPER
                candidate = case == CASE_UPPER
            p += width(b)
    values[CAPITALISED, i] = _UNDECIDED if unknown_capital else capitals
    values[DIGITS, i] = digits
    values[PUNCT, i] = punctuation
    values[SEP, i] = separator
    values[BRACKETS, i] = brackets
    values[DATE, i] = date
    values[LINK, i] = link
    values[UPPER, i] = 0 if lower else _UNDECIDED if unknown_case else upper
    return folds


@numba.njit(cache=True, nogil=True)
def _starts_lower(data: np.ndarray, s: int, e: int) -> int:
    """`^\\p{Ll}`: the first character is a lower-case letter."""
    b = data[s]
    if b < 0x80:
        return int(0x61 <= b <= 0x7A)
    case = char_case(data, s, e)
    return _UNDECIDED if case == CASE_UNKNOWN else int(case == CASE_LOWER)


@numba.njit(cache=True, nogil=True)
def _first_word(data: np.ndarray, s: int, e: int) -> tuple[int, int]:
    """The bytes `FIRST_WORD` keeps: within the first 32 characters, the run of ASCII word
    characters after the leading non-word ones, at most 24 of them (the caller folds case)."""
    p = s
    chars = 0
    while p < e and chars < 32 and not is_word(data[p]):
        p += width(data[p])
        chars += 1
    start = min(p, e)
    while p < e and chars < 32 and p - start < 24 and is_word(data[p]):
        p += 1
        chars += 1
    return start, max(p, start)
