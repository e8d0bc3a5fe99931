"""Normalised words of a batch of texts, found and hashed by numba kernels over the UTF-8 bytes.

Normalisation (documented in docs/dedup.md): lowercase (Arrow's `utf8_lower`, optional), then split
into words. With `strip_punctuation` a word is a maximal run of letters, marks and digits (Unicode
categories L*, M*, N*), so punctuation, symbols and whitespace all separate words and disappear;
without it a word is a maximal run of non-whitespace characters. The normalised text of a document
is its words joined by single spaces; exact dedup hashes that, near dedup shingles it.

Everything works on the Arrow string buffers directly: one kernel pass over the bytes of the whole
batch classifies them (an ASCII lookup table; only non-ASCII lead bytes are decoded), finds the
words and hashes each (see `pipeline/dedup/text_kernels.py`): no Python object per word or document.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup import text_kernels

# Code points classified by table; beyond it: separators when stripping punctuation (tags, private
# use), word characters otherwise.
_TABLE_SIZE = 0x40000


@dataclass(frozen=True)
class Words:
    """The words of a batch of documents, concatenated in document order.

    `starts`/`ends` are byte positions in `data`; words of document `d` are
    `offsets[d]:offsets[d + 1]`; `hashes` is one 64-bit hash per word, equal for equal words.
    """

    data: np.ndarray  # uint8, the (lowercased) UTF-8 bytes of every document
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    offsets: np.ndarray  # int64, number of documents + 1
    hashes: np.ndarray  # uint64

    @property
    def counts(self) -> np.ndarray:
        """Words per document."""
        return np.diff(self.offsets)


@dataclass(frozen=True)
class Units:
    """Hashed text units (words or characters) per document, concatenated in document order."""

    hashes: np.ndarray  # uint64
    offsets: np.ndarray  # int64, number of documents + 1


def utf8_view(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of all texts concatenated (nulls as "") and the int64 offsets (n + 1)."""
    array = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.large_string())
    if array.null_count:
        array = pc.fill_null(array, "")
    buffers = array.buffers()
    offset_type = np.int32 if pa.types.is_string(array.type) else np.int64
    offsets = np.frombuffer(
        buffers[1],
        dtype=offset_type,
        count=len(array) + 1,
        offset=array.offset * np.dtype(offset_type).itemsize,
    )
    offsets = offsets.astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)[first:last]
        if buffers[2] is not None and last > first
        else np.zeros(0, dtype=np.uint8)
    )
    return data, offsets - first


@lru_cache(maxsize=2)
def word_character_table(strip_punctuation: bool) -> np.ndarray:
    """Boolean table over code points: True for characters that belong to words."""
    if strip_punctuation:
        table = np.fromiter(
            (unicodedata.category(chr(c))[0] in "LMN" for c in range(_TABLE_SIZE)),
            dtype=bool,
            count=_TABLE_SIZE,
        )
    else:
        table = np.fromiter(
            (not chr(c).isspace() for c in range(_TABLE_SIZE)), dtype=bool, count=_TABLE_SIZE
        )
    table.setflags(write=False)
    return table


@lru_cache(maxsize=2)
def byte_class_table(strip_punctuation: bool) -> np.ndarray:
    """Class per byte value: ASCII from the code-point table, other bytes provisionally words."""
    out = np.ones(256, dtype=bool)
    out[:128] = word_character_table(strip_punctuation)[:128]
    out.setflags(write=False)
    return out


def find_words(
    texts: pa.Array | pa.ChunkedArray, *, lowercase: bool, strip_punctuation: bool
) -> Words:
    """Split every text into normalised words and hash each word."""
    if lowercase:
        texts = pc.utf8_lower(texts)
    data, doc_offsets = utf8_view(texts)
    starts, ends, offsets, hashes = text_kernels.word_runs(
        data,
        doc_offsets,
        byte_class_table(strip_punctuation),
        word_character_table(strip_punctuation),
        not strip_punctuation,
    )
    return Words(data, starts, ends, offsets, hashes)


def character_units(words: Words) -> Units:
    """The characters of each document's normalised text (words joined by one space), hashed.

    A character's value is its UTF-8 bytes packed into an integer (a bijection with code points);
    the space between two words is the character " ".
    """
    hashes, offsets = text_kernels.character_units(
        words.data, words.starts, words.ends, words.offsets
    )
    return Units(hashes, offsets)
