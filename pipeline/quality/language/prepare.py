"""What langdetect does to a text before it looks at n-grams, on the code points of a batch.

`Detector.append` replaces URLs and e-mail addresses by a space, composes Vietnamese base letters
with their combining marks (`NGram.normalize_vi`) and keeps the first 10,000 characters. Here the
texts of an Arrow string array are decoded to code points by a numba kernel, which also finds the
few documents those rewrites can change (an `http`, an `@` or a Vietnamese mark); only those go
through langdetect's own regular expressions in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa

from pipeline.quality.utf8 import first_code_point

MAX_TEXT_CHARS = 10_000  # Detector.max_text_length
VIETNAMESE_MARKS = (0x0300, 0x0301, 0x0303, 0x0309, 0x0323)  # langdetect's DMARK_CLASS


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
    if pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.string())
    _, offsets, data = texts.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32)[texts.offset : texts.offset + len(texts) + 1]
    data = np.zeros(0, np.uint8) if data is None else np.frombuffer(data, dtype=np.uint8)
    codes, bounds, rewrite = _decode_utf8(data, offsets)
    starts, ends = bounds[:-1].copy(), bounds[1:].copy()
    rows = np.flatnonzero(rewrite)
    if rows.size:
        rewritten = [_append(texts[int(row)].as_py()) for row in rows]
        extra = CodePoints.from_strings(rewritten)
        starts[rows] = extra.starts + codes.size
        ends[rows] = extra.ends + codes.size
        codes = np.concatenate([codes, extra.codes])
    return CodePoints(codes, starts, np.minimum(ends, starts + MAX_TEXT_CHARS))


def _append(text: str) -> str:
    """`Detector.append`'s rewrites, with langdetect's own patterns."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    return NGram.normalize_vi(Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text)))


@numba.njit(cache=True, nogil=True)
def _decode_utf8(
    data: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of each (valid UTF-8) string, where each string begins and ends, and which
    strings hold `http`, `@` or a Vietnamese combining mark (all others `append` keeps)."""
    n_texts = offsets.size - 1
    codes = np.empty(offsets[n_texts] - offsets[0], dtype=np.uint32)
    bounds = np.zeros(n_texts + 1, dtype=np.int64)
    rewrite = np.zeros(n_texts, dtype=np.bool_)
    found = 0
    for text in range(n_texts):
        index, end = offsets[text], offsets[text + 1]
        flagged = False
        while index < end:
            byte = np.uint32(data[index])
            if byte < 0x80:
                codes[found] = byte
                found += 1
                index += 1
                if byte == 0x40:  # @
                    flagged = True
                elif byte == 0x68 and index + 3 <= end:  # h, then t, t, p
                    flagged |= (
                        data[index] == 0x74
                        and data[index + 1] == 0x74
                        and (data[index + 2] == 0x70)
                    )
                continue
            code = first_code_point(data, index)
            codes[found] = code
            found += 1
            index += 2 if byte < 0xE0 else (3 if byte < 0xF0 else 4)
            if VIETNAMESE_MARKS[0] <= code <= VIETNAMESE_MARKS[-1]:
                for mark in VIETNAMESE_MARKS:
                    flagged |= code == mark
        bounds[text + 1] = found
        rewrite[text] = flagged
    return codes[:found], bounds, rewrite
