"""Words, lines and paragraphs of a batch of documents, as byte spans of the batch's UTF-8 buffer,
found in one walk over the bytes that also counts the characters and sentence ends the features
need.

Each kind of piece is a `Pieces`: the non-empty pieces of every document, in document order, as
start and end byte offsets into the text buffer, with each piece's document and its length in code
points, so that per-document features are `np.bincount` reductions or numba loops, never Python
objects. Definitions (the same as Python's `str.split()` / `str.strip()` and Arrow's kernels):

* words: maximal runs of non-whitespace characters (`text.split()`);
* lines: the text split at '\\n', each line stripped of surrounding whitespace;
* paragraphs: the text split at every match of the regular expression `\\n[\\t\\n\\f\\r ]*\\n`
  (leftmost, greedy: RE2's `\\n\\s*\\n`), each stripped of surrounding whitespace.

Line and paragraph breaks are whitespace, so a stripped line or paragraph runs from the start of
its first word to the end of its last one, and one without words is empty: the walk finds all
three from the word boundaries, the '\\n's, and whether only RE2 spaces came since the last '\\n'
(then a '\\n' completes a paragraph break).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.utf8 import NEWLINE, space_width

# Columns of `Segments.marks`: per document, counts as Arrow's `utf8_length` / `count_substring`
# / `match_substring` give them.
CHARS, NEWLINES, HASHES, DOT_ELLIPSES, ELLIPSES, CURLY, SENTENCES, LOREM_IPSUM = range(8)

# Byte classes: one table lookup per byte instead of a chain of tests.
_FIRST_BYTE, _SPACE, _RE2_SPACE, _MAYBE_WIDE, _MARKED, _MAY_END_SENTENCE = (
    1 << bit for bit in range(6)
)
_BYTE_CLASS = np.zeros(256, dtype=np.int64)
_BYTE_CLASS[:0x80] |= _FIRST_BYTE
_BYTE_CLASS[0xC0:] |= _FIRST_BYTE
_BYTE_CLASS[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] |= _SPACE  # str.isspace() in ASCII
_BYTE_CLASS[[9, 10, 12, 13, 32]] |= _RE2_SPACE
_BYTE_CLASS[[0xC2, 0xE1, 0xE2, 0xE3]] |= _MAYBE_WIDE  # first bytes of wider spaces and '…'
_DOT, _HASH, _CURLY = ord("."), ord("#"), ord("{")
_LOREM = np.frombuffer(b"lorem", dtype=np.uint8)
_BYTE_CLASS[[_DOT, _HASH, _CURLY]] |= _MARKED  # counted
_BYTE_CLASS[[0x2E, 0x21, 0x3F, 0xA6, 0x22, 0x27, 0x29, 0x5D, 0xBB, 0x9D, 0x99]] |= (
    _MAY_END_SENTENCE  # last bytes of marks and closers (see `_ends_sentence`)
)
_STOP = _SPACE | _MAYBE_WIDE | _MARKED  # bytes a word's loop must look at


@dataclass(frozen=True)
class Pieces:
    """The non-empty pieces of a batch of documents, in document order."""

    start: np.ndarray  # int32 byte offset of each piece in the batch's text buffer
    end: np.ndarray  # int32 byte offset just after each piece
    doc: np.ndarray  # int32, non-decreasing
    length: np.ndarray  # int32, characters (code points) of each piece
    n_docs: int

    @property
    def size(self) -> int:
        return int(self.doc.size)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Index of each document's first piece, plus the number of pieces (n_docs + 1 values)."""
        return np.searchsorted(self.doc, np.arange(self.n_docs + 1)).astype(np.int64)

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Number of pieces (where `mask` holds) per document, as int64."""
        doc = self.doc if mask is None else self.doc[mask]
        return np.bincount(doc, minlength=self.n_docs).astype(np.int64)


@dataclass(frozen=True)
class Segments:
    """Words, lines and paragraphs of a batch, and per-document character counts (`marks`:
    columns CHARS, NEWLINES, HASHES ('#'), DOT_ELLIPSES (non-overlapping '...'), ELLIPSES ('…'),
    SENTENCES (see `_ends_sentence`), LOREM_IPSUM (1 when "lorem ipsum" occurs in any case),
    CURLY (1 when '{' occurs))."""

    words: Pieces
    lines: Pieces
    paragraphs: Pieces
    marks: np.ndarray


def as_text_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous string array with nulls replaced by the empty string."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "")


def split_segments(data: np.ndarray, offsets: np.ndarray) -> Segments:
    """Words (as they are, punctuation attached), stripped non-empty lines and paragraphs, and
    the character counts of every document of the batch (pieces are int32 byte offsets: the text
    of a batch is an Arrow string array, under 2 GiB)."""
    if data.size > np.iinfo(np.int32).max:
        raise ValueError(f"a batch of {data.size} text bytes: split it (at most 2 GiB)")
    words, lines, paragraphs, marks = _walk(data, offsets, _BYTE_CLASS)
    n_docs = offsets.size - 1
    return Segments(
        *(
            Pieces(rows[0], rows[1], rows[2], rows[3], n_docs)
            for rows in (words, lines, paragraphs)
        ),
        marks=marks,
    )


@numba.njit(cache=True, nogil=True)
def _walk(
    data: np.ndarray, offsets: np.ndarray, byte_class: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows start, end, document, code points of the words, lines and paragraphs; the marks.

    A document of n bytes has at most (n + 1) // 2 words, and no more lines or paragraphs than
    words: the outputs are allocated at that bound once (pages never written cost nothing)."""
    n_docs = offsets.size - 1
    marks = np.zeros((n_docs, 8), dtype=np.int64)
    bound = (data.size + n_docs) // 2 + 1
    words = np.empty((4, bound), dtype=np.int32)
    lines = np.empty((4, bound), dtype=np.int32)
    paragraphs = np.empty((4, bound), dtype=np.int32)
    n_words = n_lines = n_paragraphs = 0
    for d in range(n_docs):
        i, finish = offsets[d], offsets[d + 1]
        chars = newlines = hashes = dot_runs = ellipses = curly = sentences = lorem_ipsum = 0
        line = paragraph = -1  # start of the open line and paragraph (-1: none open)
        line_chars = paragraph_chars = 0  # code points before that start
        last_end = last_chars = 0  # end of the last word, code points up to it
        blank = False  # only RE2 spaces since the last '\n'
        while i < finish:
            b = data[i]
            c = byte_class[b]
            width = 0
            if c & _SPACE:
                width = 1
            elif c & _MAYBE_WIDE:
                second = data[i + 1] if i + 1 < finish else 0
                width = space_width(b, second, data[i + 2] if i + 2 < finish else 0)
            if width:  # a whitespace character
                chars += 1
                if b == NEWLINE:
                    newlines += 1
                    if line >= 0:
                        n_lines = _add(lines, n_lines, line, last_end, d, last_chars - line_chars)
                        line = -1
                    if blank and paragraph >= 0:
                        length = last_chars - paragraph_chars
                        n_paragraphs = _add(
                            paragraphs, n_paragraphs, paragraph, last_end, d, length
                        )
                        paragraph = -1
                    blank = True
                elif not c & _RE2_SPACE:
                    blank = False
                i += width
                continue
            word, word_chars = i, chars
            blank = False
            while i < finish:  # the word's bytes, up to the next whitespace character
                b = data[i]
                c = byte_class[b]
                if c & _STOP == 0:
                    chars += c & _FIRST_BYTE
                    i += 1
                    continue
                if c & _SPACE:
                    break
                if c & _MAYBE_WIDE:
                    second = data[i + 1] if i + 1 < finish else 0
                    third = data[i + 2] if i + 2 < finish else 0
                    if space_width(b, second, third):
                        break
                    ellipses += b == 0xE2 and second == 0x80 and third == 0xA6
                elif b == _DOT:
                    run = i
                    while i < finish and data[i] == _DOT:
                        i += 1
                    dot_runs += (i - run) // 3
                    chars += i - run
                    continue
                elif b == _HASH:
                    hashes += 1
                else:
                    curly = 1
                chars += c & _FIRST_BYTE
                i += 1
            n_words = _add(words, n_words, word, i, d, chars - word_chars)
            if byte_class[data[i - 1]] & _MAY_END_SENTENCE and (
                i == finish or byte_class[data[i]] & _RE2_SPACE
            ):
                sentences += _ends_sentence(data, word, i)
            if (data[i - 1] | 0x20) == 0x6D and i + 5 < finish and data[i] == 0x20:  # 'm '
                lorem_ipsum |= i - word >= 5 and _lorem_ipsum_at(data, i, finish)
            if line < 0:
                line, line_chars = word, word_chars
            if paragraph < 0:
                paragraph, paragraph_chars = word, word_chars
            last_end, last_chars = i, chars
        if line >= 0:
            n_lines = _add(lines, n_lines, line, last_end, d, last_chars - line_chars)
        if paragraph >= 0:
            length = last_chars - paragraph_chars
            n_paragraphs = _add(paragraphs, n_paragraphs, paragraph, last_end, d, length)
        marks[d, CHARS], marks[d, NEWLINES], marks[d, HASHES] = chars, newlines, hashes
        marks[d, DOT_ELLIPSES], marks[d, ELLIPSES], marks[d, CURLY] = dot_runs, ellipses, curly
        marks[d, SENTENCES], marks[d, LOREM_IPSUM] = sentences, lorem_ipsum
    return words[:, :n_words], lines[:, :n_lines], paragraphs[:, :n_paragraphs], marks


@numba.njit(cache=True, nogil=True)
def _ends_sentence(data: np.ndarray, start: int, end: int) -> bool:
    """Whether the word `data[start:end]` ends with `[.!?…]+["'”’»)\\]]*`.

    Sentence ends are the non-overlapping matches of `[.!?…]+["'”’»)\\]]*(?:\\s|$)` (RE2, whose
    `\\s` is `[\\t\\n\\f\\r ]`), as Arrow's `count_substring_regex` counts them: marks and
    closers are not whitespace, so a match ends a word that an RE2 space or the end of the text
    follows, and such a word holds one match exactly when it ends with marks and closers."""
    while end > start:  # the closers
        b = data[end - 1]
        if b == 0x22 or b == 0x27 or b == 0x29 or b == 0x5D:
            end -= 1
        elif b == 0xBB and end - 2 >= start and data[end - 2] == 0xC2:
            end -= 2
        elif (
            (b == 0x9D or b == 0x99)
            and end - 3 >= start
            and data[end - 2] == 0x80
            and data[end - 3] == 0xE2
        ):
            end -= 3
        else:
            break
    if end == start:
        return False
    b = data[end - 1]
    if b == 0x2E or b == 0x21 or b == 0x3F:
        return True
    return b == 0xA6 and end - 3 >= start and data[end - 2] == 0x80 and data[end - 3] == 0xE2


@numba.njit(cache=True, nogil=True)
def _lorem_ipsum_at(data: np.ndarray, space: int, end: int) -> bool:
    """Whether "lorem" ends at the ' ' at `space` and "ipsum" follows it, in any case, as RE2's
    case-insensitive match (Arrow's `match_substring(..., ignore_case=True)`) finds them: ASCII
    letters in either case, and 'ſ' (U+017F, whose simple case folding is 's') for the 's'."""
    for k in range(5):
        if (data[space - 5 + k] | 0x20) != _LOREM[k]:
            return False
    if (data[space + 1] | 0x20) != 0x69 or (data[space + 2] | 0x20) != 0x70:  # 'i', 'p'
        return False
    at = space + 3
    if (data[at] | 0x20) == 0x73:  # 's'
        at += 1
    elif data[at] == 0xC5 and data[at + 1] == 0xBF:  # 'ſ'
        at += 2
    else:
        return False
    return at + 1 < end and (data[at] | 0x20) == 0x75 and (data[at + 1] | 0x20) == 0x6D


@numba.njit(cache=True, nogil=True, inline="always")
def _add(rows: np.ndarray, size: int, start: int, end: int, doc: int, length: int) -> int:
    """Write a piece in column `size` of `rows`; the new size."""
    rows[0, size], rows[1, size], rows[2, size], rows[3, size] = start, end, doc, length
    return size + 1


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """`numerator / denominator` as float64, 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
