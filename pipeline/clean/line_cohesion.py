"""Lexical cohesion of a line with the rest of its page, for the `page_furniture` model.

A heading or a caption of an article shares its words with the article's prose ("Why social
commerce matters" above paragraphs about social commerce); a menu entry, a login prompt or the
title of another story mostly does not ("Careers", "Track your order"). The layout features of
`line_context` cannot tell a menu of titled links from a list of subheadings; the words can, in any
language that separates words with spaces, with no word list.

For each non-blank line, over the distinct words of the line (a word: a run of ASCII letters,
digits and `_` or of non-ASCII characters other than Latin-1 signs and general or CJK punctuation;
ASCII lower-cased; at least two bytes; not only digits), `COHESION_FEATURES` are:

* `words_in_prose`: the share found in another prose line of the page (`prose` as in
  `line_context`);
* `words_on_page`: the share found in another line of the page;
* `log_word_lines`: log1p of the mean number of other lines of the page holding each word.

The same pass counts, per line, how many of its distinct words are words of the page's URL
(`url_words`), for `line_title`.

Only lines no rule removed count as the page: a brand name is not made content by the copyright
line that repeats it. Words are 64-bit FNV-1a keys counted per page in an open-addressing table
(no Python object per line or word); zeros for a line with no word. Cost: 0.3-0.5 CPU seconds
per 10,000 pages of the benchmark corpus (36 MB, 5.4 million words; the VM's speed varies), about
60% of it splitting and hashing, which is branch-bound.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.page_runs import page_end, table_size
from pipeline.dedup.text_units import utf8_view

COHESION_FEATURES: tuple[str, ...] = ("words_in_prose", "words_on_page", "log_word_lines")
IN_PROSE, ON_PAGE, WORD_LINES = range(3)
MIN_WORD_BYTES = 2

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


def cohesion_features(
    out: np.ndarray,
    lines: pa.StringArray,
    index: np.ndarray,
    doc: np.ndarray,
    prose: np.ndarray,
    hit: np.ndarray,
    url_keys: np.ndarray,
    url_offsets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Write the `COHESION_FEATURES` rows of `out` (float32, a row per feature, a column per line
    of `lines`) for the lines `index` (non-blank, sorted by document `doc`; `prose`: which of them
    are prose; `hit`: which a rule removes, whose words are not counted). Return, per line of
    `index`, how many of its distinct words are words of its document's URL (`url_keys`,
    `url_offsets` as `url_words.url_word_keys` gives them) and how many distinct words it has."""
    if index.size == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    data, offsets = utf8_view(lines)
    starts, ends = offsets[index], offsets[index + 1]
    # A bound on the words of the wordiest page (a word is 2+ bytes and a separator): it sizes
    # the kernel's scratch and hash table once per batch.
    bounds = (ends - starts + 1) // (MIN_WORD_BYTES + 1) + 1
    most = int(np.bincount(doc, weights=bounds).max())
    url_hits = np.zeros(index.size, dtype=np.int32)
    distinct = np.zeros(index.size, dtype=np.int32)
    counts = (url_hits, distinct)
    _cohesion(
        out, data, starts, ends, index, doc, prose & ~hit, ~hit, most, url_keys, url_offsets, counts
    )
    return url_hits, distinct


def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per byte: its flags (`_SEPARATOR`: ASCII other than letters, digits and `_`; `_CHECK`: a
    lead byte of U+0080-U+00BF, U+2000-U+206F, U+3000-U+303F or U+FF00-U+FF0F, decided by the
    next bytes; `_DIGIT`: an ASCII digit; none: a word byte), and the byte as hashed (ASCII
    letters lower-cased)."""
    flags = np.zeros(256, dtype=np.uint8)
    folded = np.arange(256, dtype=np.uint64)
    for b in range(0x80):
        char = chr(b)
        if not (char.isalnum() or char == "_"):
            flags[b] = _SEPARATOR
        elif char.isdigit():
            flags[b] = _DIGIT
        elif char.isupper():
            folded[b] = b | 0x20
    for b in (0xC2, 0xE2, 0xE3, 0xEF):
        flags[b] = _CHECK
    return flags, folded


_SEPARATOR, _CHECK, _DIGIT = 1, 2, 4
_FLAGS, _FOLDED = _byte_tables()


@numba.njit(cache=True, nogil=True, inline="always")
def _separator_width(data: np.ndarray, p: int, e: int, flags: np.ndarray) -> int:
    """Bytes of the character at `p` if it ends a word (ASCII other than letters, digits and `_`;
    U+0080-U+00BF; U+2000-U+206F; U+3000-U+303F; U+FF00-U+FF0F), else 0."""
    b = data[p]
    kind = flags[b]
    if kind & _SEPARATOR:
        return 1
    if not kind & _CHECK:
        return 0
    b1 = data[p + 1] if p + 1 < e else 0
    b2 = data[p + 2] if p + 2 < e else 0
    if b == 0xC2:
        return 2
    if b == 0xE2 and (b1 == 0x80 or (b1 == 0x81 and b2 <= 0xAF)):
        return 3
    if b == 0xE3 and b1 == 0x80:
        return 3
    if b == 0xEF and b1 == 0xBC and b2 <= 0x8F:
        return 3
    return 0


@numba.njit(cache=True, nogil=True)
def page_word_keys(
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    a: int,
    b: int,
    keys: np.ndarray,
    line_end: np.ndarray,
) -> None:
    """The keys of the words of lines `a:b` (repeats included) into `keys`; line `i`'s are
    `keys[line_end[i - 1]:line_end[i]]` (from 0 for line `a`). A key is the FNV-1a hash of the
    word's bytes with ASCII letters lower-cased, its high bits folded onto the low ones (the table
    indexes by them). Byte flags come from tables, so the inner loop branches only where a word
    may end."""
    flags, folded = _FLAGS, _FOLDED
    k = 0
    for i in range(a, b):
        p, e = starts[i], ends[i]
        while p < e:
            kind = flags[data[p]]
            if kind & _SEPARATOR:
                p += 1
                continue
            if kind & _CHECK:
                skip = _separator_width(data, p, e, flags)
                if skip:
                    p += skip
                    continue
            q = p
            not_digit = 0  # _DIGIT is set here once a byte is not an ASCII digit
            h = _FNV_OFFSET
            while q < e:
                byte = data[q]
                kind = flags[byte]
                if kind & (_SEPARATOR | _CHECK) and (
                    kind & _SEPARATOR or _separator_width(data, q, e, flags)
                ):
                    break
                not_digit |= kind ^ _DIGIT
                h = (h ^ folded[byte]) * _FNV_PRIME
                q += 1
            if q - p >= MIN_WORD_BYTES and not_digit & _DIGIT:
                keys[k] = h ^ (h >> np.uint64(32))
                k += 1
            p = q
        line_end[i] = k


@numba.njit(cache=True, nogil=True, inline="always")
def word_slot(
    key: np.uint64, mask: int, page: int, slot_key: np.ndarray, slot_page: np.ndarray
) -> tuple[int, bool]:
    """The slot of `key` in an open-addressing table (power-of-two size `mask + 1`, linear
    probing) whose slots belong to `page` when `slot_page` says so (any other slot is free), and
    whether the key was not in it: a free slot is then claimed for it, and the caller resets the
    slot's counts."""
    slot = np.int64(key & np.uint64(mask))
    while slot_page[slot] == page and slot_key[slot] != key:
        slot = (slot + 1) & mask
    if slot_page[slot] == page:
        return slot, False
    slot_page[slot] = page
    slot_key[slot] = key
    return slot, True


@numba.njit(cache=True, nogil=True)
def _cohesion(
    out: np.ndarray,
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    index: np.ndarray,
    doc: np.ndarray,
    prose: np.ndarray,
    counted: np.ndarray,
    most: int,
    url_keys: np.ndarray,
    url_offsets: np.ndarray,
    counts: tuple[np.ndarray, np.ndarray],
) -> None:
    """Page by page: the keys of its words, then `_page_scores` (`most`: at least the words of
    any page)."""
    n = doc.size
    size = table_size(most)
    slot_key = np.empty(size, dtype=np.uint64)
    slot_page = np.full(size, -1, dtype=np.int64)  # the page (its first line) that holds the slot
    slot_lines = np.empty(size, dtype=np.int64)  # lines of the page holding the word
    slot_prose = np.empty(size, dtype=np.int64)  # prose lines of the page holding it
    slot_line = np.full(size, -1, dtype=np.int64)  # the last line that counted or scored it
    slot_url = np.full(size, -1, dtype=np.int64)  # the page whose URL holds the word
    tables = (slot_key, slot_page, slot_lines, slot_prose, slot_line, slot_url)
    keys = np.empty(most, dtype=np.uint64)
    line_end = np.empty(n, dtype=np.int64)
    a = 0
    while a < n:
        b = page_end(doc, a)
        page_word_keys(data, starts, ends, a, b, keys, line_end)
        url = url_keys[url_offsets[doc[a]] : url_offsets[doc[a] + 1]]
        _page_scores(out, index, a, b, prose, counted, keys, line_end, tables, url, counts)
        a = b


@numba.njit(cache=True, nogil=True)
def _page_scores(
    out: np.ndarray,
    index: np.ndarray,
    a: int,
    b: int,
    prose: np.ndarray,
    counted: np.ndarray,
    keys: np.ndarray,
    line_end: np.ndarray,
    tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    url: np.ndarray,
    counts: tuple[np.ndarray, np.ndarray],
) -> None:
    """Count the `counted` lines and the `prose` lines (counted too) of lines `a:b` holding each
    word (`keys`, `line_end` as `page_word_keys` gives them), then score each line against the
    other lines. `tables`: an open-addressing table (key, page, lines, prose lines, last line,
    URL page) of at least twice the page's words, power-of-two sized; a slot whose page is not `a`
    is free. `url`: the page's distinct URL words; `counts`: per line, its distinct words that are
    URL words and its distinct words (written)."""
    slot_key, slot_page, slot_lines, slot_prose, slot_line, slot_url = tables
    url_hits, distinct_words = counts
    words = line_end[b - 1] if b > a else 0
    size = table_size(words)
    mask = size - 1
    slots = np.empty(words, dtype=np.int64)
    first = 0
    for i in range(a, b):
        for j in range(first, line_end[i]):
            slot, new = word_slot(keys[j], mask, a, slot_key, slot_page)
            if new:
                slot_lines[slot] = 0
                slot_prose[slot] = 0
            slots[j] = slot
            if counted[i] and slot_line[slot] != i:
                slot_line[slot] = i
                slot_lines[slot] += 1
                slot_prose[slot] += prose[i]
        first = line_end[i]
    for key in url:
        slot = np.int64(key & np.uint64(mask))
        while slot_page[slot] == a and slot_key[slot] != key:
            slot = (slot + 1) & mask
        if slot_page[slot] == a:
            slot_url[slot] = a
    n = index.size
    first = 0
    for i in range(a, b):
        distinct = in_prose = on_page = in_url = 0
        others = 0.0
        own_lines = 1 if counted[i] else 0
        own_prose = 1 if prose[i] else 0
        for j in range(first, line_end[i]):
            slot = slots[j]
            if slot_line[slot] == n + i:  # this line's word scored already
                continue
            slot_line[slot] = n + i
            distinct += 1
            if slot_prose[slot] > own_prose:
                in_prose += 1
            if slot_lines[slot] > own_lines:
                on_page += 1
            others += slot_lines[slot] - own_lines
            in_url += slot_url[slot] == a
        first = line_end[i]
        url_hits[i] = in_url
        distinct_words[i] = distinct
        if distinct:
            c = index[i]
            out[IN_PROSE, c] = in_prose / distinct
            out[ON_PAGE, c] = on_page / distinct
            out[WORD_LINES, c] = np.log1p(others / distinct)
