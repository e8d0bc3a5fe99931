"""What langdetect does to a text before it looks at n-grams, and the bounded sample we classify.

`Detector.append` replaces URLs and e-mail addresses by a space, composes Vietnamese base letters
with their combining marks (`NGram.normalize_vi`) and keeps the first 10,000 characters. Here the
same regular expressions (langdetect's own compiled patterns) run only on the documents that can
match them, found with Arrow's substring kernels, so the common case costs one scan per column.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MAX_TEXT_CHARS = 10_000  # Detector.max_text_length
VIETNAMESE_MARKS = "[\u0300\u0301\u0303\u0309\u0323]"  # langdetect's DMARK_CLASS
# How far a window edge moves to land on whitespace instead of cutting a word.
SNAP_CHARS = 32
_WHITESPACE = re.compile(r"\s")


def prepare_texts(texts: pa.Array) -> list[str]:
    """langdetect's `append` preprocessing for a column without nulls, as Python strings."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    values: list[str] | None = None
    for needle, pattern in (("http", Detector.URL_RE), ("@", Detector.MAIL_RE)):
        rows = np.flatnonzero(pc.match_substring(texts, needle).to_numpy(zero_copy_only=False))
        if rows.size:
            values = texts.to_pylist() if values is None else values
            for row in rows:
                values[row] = pattern.sub(" ", values[row])
    if values is not None:
        texts = pa.array(values, pa.string())
    rows = np.flatnonzero(
        pc.match_substring_regex(texts, VIETNAMESE_MARKS).to_numpy(zero_copy_only=False)
    )
    if rows.size:
        values = texts.to_pylist()
        for row in rows:
            values[row] = NGram.normalize_vi(values[row])
        texts = pa.array(values, pa.string())
    longest = pc.max(pc.utf8_length(texts)).as_py() or 0
    if longest > MAX_TEXT_CHARS:
        texts = pc.utf8_slice_codeunits(texts, 0, MAX_TEXT_CHARS)
    return texts.to_pylist()


def sample_windows(text: str, *, window_chars: int, windows: int) -> str:
    """The first, evenly spaced middle and last `window_chars` characters of a longer text,
    joined by newlines; each window edge moves to nearby whitespace so no word is cut."""
    length = len(text)
    if length <= window_chars * windows:
        return text
    span = length - window_chars
    parts = []
    for index in range(windows):
        start = span * index // (windows - 1) if windows > 1 else 0
        end = start + window_chars
        if start > 0:
            found = _WHITESPACE.search(text, start, min(start + SNAP_CHARS, end))
            if found:
                start = found.end()
        if end < length:
            cut = _last_whitespace(text, max(end - SNAP_CHARS, start), end)
            if cut is not None:
                end = cut
        parts.append(text[start:end])
    return "\n".join(parts)


def _last_whitespace(text: str, low: int, high: int) -> int | None:
    for position in range(high - 1, low - 1, -1):
        if text[position].isspace():
            return position
    return None
