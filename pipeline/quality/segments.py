"""Words, lines and paragraphs of a batch of documents, as byte spans of the batch's UTF-8 buffer.

Each splitter returns `Pieces`: the non-empty pieces of every document, in document order, as
start and end byte offsets into the text buffer, with each piece's document and its length in code
points, so that per-document features are `np.bincount` reductions or numba loops, never Python
objects. Definitions (the same as Python's `str.split()` / `str.strip()` and Arrow's kernels):

* words: maximal runs of non-whitespace characters (`text.split()`);
* lines: the text split at '\\n', each line stripped of surrounding whitespace;
* paragraphs: the text split at every match of the regular expression `\\n[\\t\\n\\f\\r ]*\\n`
  (leftmost, greedy: RE2's `\\n\\s*\\n`), each stripped of surrounding whitespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.utf8 import NEWLINE, code_points, space_width, space_width_before


@dataclass(frozen=True)
class Pieces:
    """The non-empty pieces of a batch of documents, in document order."""

    start: np.ndarray  # int64 byte offset of each piece in the batch's text buffer
    end: np.ndarray  # int64 byte offset just after each piece
    doc: np.ndarray  # int64, non-decreasing
    length: np.ndarray  # int64, characters (code points) of each piece
    n_docs: int

    @property
    def size(self) -> int:
        return int(self.doc.size)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Index of each document's first piece, plus the number of pieces (n_docs + 1 values)."""
        counts = np.bincount(self.doc, minlength=self.n_docs)
        return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Number of pieces (where `mask` holds) per document, as int64."""
        doc = self.doc if mask is None else self.doc[mask]
        return np.bincount(doc, minlength=self.n_docs).astype(np.int64)

    def total(self, values: np.ndarray) -> np.ndarray:
        """Sum of `values` (one per piece) per document, as float64."""
        return np.bincount(self.doc, weights=values, minlength=self.n_docs)


def as_text_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous string array with nulls replaced by the empty string."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "")


def split_words(data: np.ndarray, offsets: np.ndarray, spaces: int) -> Pieces:
    """Whitespace-separated tokens, as they are (punctuation attached); `spaces`: the number of
    whitespace characters of the batch (with one per document, it bounds the number of tokens)."""
    out = _split_words(data, offsets, spaces + offsets.size - 1)
    return Pieces(out[0], out[1], out[2], out[3], n_docs=offsets.size - 1)


def split_lines(data: np.ndarray, offsets: np.ndarray, newlines: int) -> Pieces:
    """Non-empty lines, stripped of surrounding whitespace; `newlines`: the batch's '\\n' count."""
    out = _split_separated(data, offsets, newlines + offsets.size - 1, False)
    return Pieces(out[0], out[1], out[2], out[3], n_docs=offsets.size - 1)


def split_paragraphs(data: np.ndarray, offsets: np.ndarray, newlines: int) -> Pieces:
    """Non-empty paragraphs (separated by blank lines), stripped of surrounding whitespace."""
    out = _split_separated(data, offsets, newlines + offsets.size - 1, True)
    return Pieces(out[0], out[1], out[2], out[3], n_docs=offsets.size - 1)


@numba.njit(cache=True, nogil=True)
def _split_words(data: np.ndarray, offsets: np.ndarray, capacity: int) -> np.ndarray:
    """(start, end, document, code points) of each maximal run of non-whitespace characters."""
    out = np.empty((4, capacity), dtype=np.int64)
    size = 0
    for d in range(offsets.size - 1):
        finish = offsets[d + 1]
        start = -1
        chars = 0
        i = offsets[d]
        while i < finish:
            b = data[i]
            if b < 0x80:
                width = 1 if (9 <= b <= 13 or 28 <= b <= 32) else 0
            else:  # continuation bytes are never whitespace: stepping a byte is safe
                second = data[i + 1] if i + 1 < finish else 0
                width = space_width(b, second, data[i + 2] if i + 2 < finish else 0)
            if width == 0:
                if start < 0:
                    start, chars = i, 0
                chars += (b & 0xC0) != 0x80
                i += 1
                continue
            if start >= 0:
                out[0, size], out[1, size], out[2, size], out[3, size] = start, i, d, chars
                size += 1
                start = -1
            i += width
        if start >= 0:
            out[0, size], out[1, size], out[2, size], out[3, size] = start, finish, d, chars
            size += 1
    return out[:, :size]


@numba.njit(cache=True, nogil=True)
def _split_separated(
    data: np.ndarray, offsets: np.ndarray, capacity: int, paragraphs: bool
) -> np.ndarray:
    """The parts between line breaks, or between paragraph breaks: a '\\n', a run of ASCII
    whitespace, and the run's last '\\n' (what `\\n\\s*\\n` matches, leftmost and greedy);
    stripped, empty ones left out. Rows: start, end, document, code points."""
    out = np.empty((4, capacity), dtype=np.int64)
    size = 0
    for d in range(offsets.size - 1):
        finish = offsets[d + 1]
        part = offsets[d]
        i = part
        while i <= finish:
            if i < finish and data[i] != NEWLINE:
                i += 1
                continue
            last = i
            if paragraphs and i < finish:
                last = -1
                j = i + 1
                while j < finish and (data[j] == 32 or 9 <= data[j] <= 13) and data[j] != 11:
                    if data[j] == NEWLINE:
                        last = j
                    j += 1
                if last < 0:  # no paragraph break starts here, nor anywhere before `j`
                    i = j
                    continue
            start, end = _strip(data, part, i)
            if start < end:
                out[0, size], out[1, size], out[2, size] = start, end, d
                out[3, size] = code_points(data, start, end)
                size += 1
            part = last + 1
            i = last + 1
    return out[:, :size]


@numba.njit(cache=True, nogil=True)
def _strip(data: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while start < end:
        second = data[start + 1] if start + 1 < end else 0
        width = space_width(data[start], second, data[start + 2] if start + 2 < end else 0)
        if width == 0:
            break
        start += width
    while end > start:
        second = data[end - 2] if end - 2 >= start else 0
        width = space_width_before(data[end - 3] if end - 3 >= start else 0, second, data[end - 1])
        if width == 0:
            break
        end -= width
    return start, end


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """`numerator / denominator` as float64, 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
