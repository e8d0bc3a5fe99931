"""What langdetect does to a text before it looks at n-grams, on the code points of a batch.

`Detector.append` replaces URLs and e-mail addresses by a space, composes Vietnamese base letters
with their combining marks (`NGram.normalize_vi`) and keeps the first 10,000 characters. Here the
texts of an Arrow string array are decoded to code points by a numba kernel, which also finds the
few documents those rewrites can change and which of the three rewrites each needs (an `http`, an
`@`, a Vietnamese mark); only those go through langdetect's own regular expressions in Python, only
through the ones they need, and the slow e-mail pattern only over the runs of e-mail characters
around each `@`. A rewrite never lengthens a text, so the rewritten code points replace the
original ones in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa

from pipeline.dedup.text_units import utf8_view
from pipeline.quality.utf8 import first_code_point

MAX_TEXT_CHARS = 10_000  # Detector.max_text_length
VIETNAMESE_MARKS = (0x0300, 0x0301, 0x0303, 0x0309, 0x0323)  # langdetect's DMARK_CLASS
# Which of `Detector.append`'s rewrites a text needs (bits of `_decode_utf8`'s `rewrites`).
URL_REWRITE, MAIL_REWRITE, VIETNAMESE_REWRITE = 1, 2, 4
_AT, _P = 0x40, 0x70
# The characters of `Detector.MAIL_RE`'s classes, and the `@`.
_MAIL_CHARACTERS = frozenset("-_.@0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class CodePoints:
    """Texts as Unicode code points: text `i` is `codes[starts[i]:ends[i]]`."""

    codes: np.ndarray  # uint32
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64

    def __len__(self) -> int:
        return int(self.starts.size)

    def lengths(self) -> np.ndarray:
        """Characters of each text."""
        return self.ends - self.starts

    def text(self, index: int) -> str:
        """Text `index` as a Python string."""
        return self.codes[self.starts[index] : self.ends[index]].tobytes().decode("utf-32-le")

    def take(self, rows: np.ndarray) -> CodePoints:
        """The texts of `rows` (sharing the code point array)."""
        return CodePoints(self.codes, self.starts[rows], self.ends[rows])

    @classmethod
    def from_strings(cls, texts: list[str]) -> CodePoints:
        """Python strings as code points."""
        codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), np.int64, count=len(texts)), out=bounds[1:])
        return cls(codes, bounds[:-1], bounds[1:])


def prepare_texts(texts: pa.Array) -> CodePoints:
    """langdetect's `append` preprocessing of a string column without nulls, as code points."""
    data, offsets = utf8_view(texts)
    codes, bounds, rewrites = _decode_utf8(data, offsets)
    starts, ends = bounds[:-1], bounds[1:].copy()
    rows = np.flatnonzero(rewrites)
    if rows.size:
        rewritten = CodePoints.from_strings(
            [_append(texts[row].as_py(), int(rewrites[row])) for row in rows.tolist()]
        )
        if (rewritten.lengths() > ends[rows] - starts[rows]).any():
            raise RuntimeError("langdetect's rewrites never lengthen a text")
        for row, first, last in zip(rows, rewritten.starts, rewritten.ends, strict=True):
            codes[starts[row] : starts[row] + last - first] = rewritten.codes[first:last]
        ends[rows] = starts[rows] + rewritten.lengths()
    return CodePoints(codes, starts, np.minimum(ends, starts + MAX_TEXT_CHARS))


def _append(text: str, rewrites: int) -> str:
    """`Detector.append`'s rewrites, with langdetect's own patterns; those a text cannot match
    (no `http`, no `@`, no Vietnamese mark) are skipped."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    if rewrites & URL_REWRITE:
        text = Detector.URL_RE.sub(" ", text)
    if rewrites & MAIL_REWRITE:
        text = _replace_mail_addresses(text)
    if rewrites & VIETNAMESE_REWRITE:
        text = NGram.normalize_vi(text)
    return text


def _replace_mail_addresses(text: str) -> str:
    """`Detector.MAIL_RE.sub(" ", text)`, run only on the runs of e-mail characters around each
    `@`: every character of a match is an e-mail character, so no match leaves such a run, and the
    pattern, which backtracks at every letter, is about ten times faster on them."""
    from langdetect.detector import Detector

    pieces = []
    done = 0
    at = text.find("@")
    while at >= 0:
        start, end = at, at + 1
        while start > done and text[start - 1] in _MAIL_CHARACTERS:
            start -= 1
        while end < len(text) and text[end] in _MAIL_CHARACTERS:
            end += 1
        pieces += [text[done:start], Detector.MAIL_RE.sub(" ", text[start:end])]
        done = end
        at = text.find("@", end)
    pieces.append(text[done:])
    return "".join(pieces)


@numba.njit(cache=True, nogil=True)
def _ends_http(data: np.ndarray, end: int) -> bool:
    """Whether the four bytes before `end` are `http` (tested after a `p`, the rarest of them)."""
    return data[end - 4] == 0x68 and data[end - 3] == 0x74 and data[end - 2] == 0x74


@numba.njit(cache=True, nogil=True)
def _decode_utf8(
    data: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of each UTF-8 string (a byte that starts no complete sequence: U+FFFD), where
    each string begins and ends, and which of `append`'s rewrites each string may need
    (`URL_REWRITE` ...; 0: `append` keeps it as is)."""
    n_texts = offsets.size - 1
    codes = np.empty(offsets[n_texts] - offsets[0], dtype=np.uint32)
    bounds = np.zeros(n_texts + 1, dtype=np.int64)
    rewrites = np.zeros(n_texts, dtype=np.uint8)
    found = 0
    for text in range(n_texts):
        begin, end = offsets[text], offsets[text + 1]
        index, needs = begin, 0
        while index < end:
            byte = np.uint32(data[index])
            if byte < 0x80:
                codes[found] = byte
                found += 1
                index += 1
                if byte == _AT:
                    needs |= MAIL_REWRITE
                elif byte == _P and index - 4 >= begin and _ends_http(data, index):
                    needs |= URL_REWRITE
                continue
            width = 2 if byte < 0xE0 else (3 if byte < 0xF0 else 4)
            if byte < 0xC0 or index + width > end:
                # Not UTF-8 (a stray continuation byte, or a sequence cut by the end of the text):
                # one U+FFFD per byte, as a lenient decoder gives, and never a read past `end`.
                codes[found] = 0xFFFD
                found += 1
                index += 1
                continue
            code = first_code_point(data, index)
            codes[found] = code
            found += 1
            index += width
            if VIETNAMESE_MARKS[0] <= code <= VIETNAMESE_MARKS[-1]:
                for mark in VIETNAMESE_MARKS:
                    if code == mark:
                        needs |= VIETNAMESE_REWRITE
        bounds[text + 1] = found
        rewrites[text] = needs
    return codes[:found], bounds, rewrites
