"""The words of a page's URL path, for the `page_furniture` model's title features.

An article's URL usually spells its headline (`/2025/03/harbour-wall-repairs-delayed/`), so the
line that holds most of those words marks where the article starts: the menus above it are not
content, the byline and the paragraphs below it mostly are (`line_title`).

A URL's path is what follows the host (after `scheme://`, or from the first `/` in a URL without
a scheme) up to `?` or `#`, with `%XX` escapes decoded and `_` read as a space (`harbour_wall`).
Its words are split, folded and hashed exactly as `line_cohesion` does the words of lines (so the
keys compare), and the words a path carries on every kind of page (file suffixes, `index`,
language codes, `news`, `article`; see `URL_STOP_WORDS`) are left out. A page's keys are
distinct; at most `MAX_URL_BYTES` bytes of a URL are read and its first `MAX_URL_WORDS` distinct
words kept (a slug has a few dozen at most: 23 on WCXB dev; the cap bounds what a hostile URL of
short words costs: 0.04 ms, 0.28 ms uncapped). A missing or null URL has no words.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.clean.line_cohesion import MIN_WORD_BYTES, page_word_keys
from pipeline.dedup.text_units import utf8_view

MAX_URL_BYTES = 2048
MAX_URL_WORDS = 64
URL_STOP_WORDS: tuple[str, ...] = (
    "html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cgi", "index", "default", "www", "com",
    "amp", "en", "us", "news", "article", "articles", "story", "post",
)  # fmt: skip


def url_word_keys(
    urls: pa.Array | pa.ChunkedArray | None, num_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct word keys of each document's URL path: `keys[offsets[d]:offsets[d + 1]]` are
    document `d`'s (uint64 keys, int64 offsets; no words for every document when `urls` is
    None)."""
    if urls is None:
        return np.empty(0, dtype=np.uint64), np.zeros(num_docs + 1, dtype=np.int64)
    if len(urls) != num_docs:
        raise ValueError(f"{len(urls)} URLs for {num_docs} documents")
    data, offsets = utf8_view(urls)  # any string-castable type, chunked or not; nulls as ""
    return _url_keys(data, offsets, _STOP_KEYS)


def _stop_keys() -> np.ndarray:
    data = np.frombuffer(" ".join(URL_STOP_WORDS).encode(), dtype=np.uint8)
    keys = np.empty(data.size // (MIN_WORD_BYTES + 1) + 1, dtype=np.uint64)
    line_end = np.zeros(1, dtype=np.int64)
    page_word_keys(data, np.zeros(1, np.int64), np.full(1, data.size), 0, 1, keys, line_end)
    return np.unique(keys[: line_end[0]])


_STOP_KEYS = _stop_keys()


@numba.njit(cache=True, nogil=True)
def _hex_value(byte: int) -> int:
    """The value of an ASCII hex digit, or -1."""
    if 0x30 <= byte <= 0x39:
        return byte - 0x30
    lower = byte | 0x20
    if 0x61 <= lower <= 0x66:
        return lower - 0x61 + 10
    return -1


@numba.njit(cache=True, nogil=True)
def _path_bounds(data: np.ndarray, s: int, e: int) -> tuple[int, int]:
    """Where the path of the URL `data[s:e]` starts (its first `/`) and ends (`?`, `#` or `e`)."""
    start = s
    for p in range(s, e - 2):
        if data[p] == 0x3A and data[p + 1] == 0x2F and data[p + 2] == 0x2F:  # "://"
            start = p + 3
            break
        if data[p] == 0x2F or data[p] == 0x3F or data[p] == 0x23:  # no scheme before a path
            break
    if start == s and e - s >= 2 and data[s] == 0x2F and data[s + 1] == 0x2F:
        start = s + 2  # "//host/path"
    path = e
    for p in range(start, e):
        if data[p] == 0x2F:
            path = p
            break
    end = path
    while end < e and data[end] != 0x3F and data[end] != 0x23:
        end += 1
    return path, end


@numba.njit(cache=True, nogil=True)
def _url_keys(
    data: np.ndarray, offsets: np.ndarray, stop: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = offsets.size - 1
    scratch = np.empty(MAX_URL_BYTES, dtype=np.uint8)
    found = np.empty(MAX_URL_BYTES // (MIN_WORD_BYTES + 1) + 1, dtype=np.uint64)
    line_end = np.zeros(1, dtype=np.int64)
    zero = np.zeros(1, dtype=np.int64)
    length = np.zeros(1, dtype=np.int64)
    total = 0
    for d in range(n):
        total += min(offsets[d + 1] - offsets[d], MAX_URL_BYTES) // (MIN_WORD_BYTES + 1) + 1
    keys = np.empty(total, dtype=np.uint64)
    out = np.zeros(n + 1, dtype=np.int64)
    k = 0
    for d in range(n):
        s = offsets[d]
        e = min(offsets[d + 1], s + MAX_URL_BYTES)
        p, end = _path_bounds(data, s, e)
        m = 0
        while p < end:
            high = _hex_value(data[p + 1]) if p + 2 < end else -1
            low = _hex_value(data[p + 2]) if p + 2 < end else -1
            if data[p] == 0x25 and high >= 0 and low >= 0:  # "%XX"
                scratch[m] = high * 16 + low
                p += 3
            else:
                scratch[m] = 0x20 if data[p] == 0x5F else data[p]  # "_" joins slug words
                p += 1
            m += 1
        length[0] = m
        page_word_keys(scratch, zero, length, 0, 1, found, line_end)
        first = k
        for j in range(line_end[0]):
            if k - first == MAX_URL_WORDS:
                break
            key = found[j]
            at = np.searchsorted(stop, key)
            if at < stop.size and stop[at] == key:
                continue
            seen = False
            for q in range(first, k):
                if keys[q] == key:
                    seen = True
                    break
            if not seen:
                keys[k] = key
                k += 1
        out[d + 1] = k
    return keys[:k].copy(), out
