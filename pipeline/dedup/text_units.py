"""Normalised words of a batch of texts, found and hashed over the raw UTF-8 bytes with numpy.

Normalisation (documented in docs/dedup.md): lowercase (Arrow's `utf8_lower`, optional), then split
into words. With `strip_punctuation` a word is a maximal run of letters, marks and digits (Unicode
categories L*, M*, N*), so punctuation, symbols and whitespace all separate words and disappear;
without it a word is a maximal run of non-whitespace characters. The normalised text of a document
is its words joined by single spaces; exact dedup hashes that, near dedup shingles it.

Everything works on the Arrow string buffers directly: one pass classifies bytes (an ASCII lookup
table; only non-ASCII lead bytes are decoded), word boundaries are vector comparisons, and every
word is hashed with a polynomial over its bytes evaluated by one blocked prefix sum (no Python
object per word or per document, and no regex).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.hashing import CHAR_SALT, fmix64
from pipeline.dedup.word_hash import hash_words

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
    word_bytes: np.ndarray  # bool per byte: part of a word
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


def word_byte_mask(data: np.ndarray, *, strip_punctuation: bool) -> np.ndarray:
    """True for every byte of a word character (all bytes of a character share its class)."""
    table = word_character_table(strip_punctuation)
    beyond = not strip_punctuation
    # bytes.translate is a C loop over the bytes with a 256-entry table (numpy's fancy indexing
    # would first widen every byte to an 8-byte index).
    mask = np.frombuffer(bytearray(data).translate(_byte_table(strip_punctuation)), dtype=bool)
    leads = np.flatnonzero(data >= 0xC0)
    if len(leads) == 0:
        return mask
    size = len(data)
    b0 = data[leads].astype(np.uint32)
    b1, b2, b3 = (_byte_after(data, leads, k) & np.uint32(0x3F) for k in (1, 2, 3))
    length = np.where(b0 >= 0xF0, 4, np.where(b0 >= 0xE0, 3, 2))
    code = np.select(
        [length == 2, length == 3],
        [((b0 & 0x1F) << 6) | b1, ((b0 & 0x0F) << 12) | (b1 << 6) | b2],
        ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3,
    )
    inside = code < _TABLE_SIZE
    classes = np.full(len(leads), beyond, dtype=bool)
    classes[inside] = table[code[inside]]
    for k in range(4):
        selected = length > k
        positions = leads[selected] + k
        valid = positions < size
        mask[positions[valid]] = classes[selected][valid]
    return mask


def _byte_after(data: np.ndarray, leads: np.ndarray, k: int) -> np.ndarray:
    """`data[leads + k]` as uint32, 0 beyond the end of `data`."""
    positions = leads + k
    values = np.take(data, positions, mode="clip").astype(np.uint32)
    values[positions >= len(data)] = 0
    return values


@lru_cache(maxsize=2)
def _byte_table(strip_punctuation: bool) -> bytes:
    """Class per byte value (0 or 1): ASCII from the table; non-ASCII bytes provisionally words."""
    out = np.ones(256, dtype=np.uint8)
    out[:128] = word_character_table(strip_punctuation)[:128]
    return out.tobytes()


def find_words(
    texts: pa.Array | pa.ChunkedArray, *, lowercase: bool, strip_punctuation: bool
) -> Words:
    """Split every text into normalised words and hash each word."""
    if lowercase:
        texts = pc.utf8_lower(texts)
    data, doc_offsets = utf8_view(texts)
    word_bytes = word_byte_mask(data, strip_punctuation=strip_punctuation)
    starts, ends = _word_bounds(word_bytes, doc_offsets)
    offsets = np.searchsorted(starts, doc_offsets, side="left").astype(np.int64)
    hashes = hash_words(data, word_bytes, starts, ends)
    return Words(data, word_bytes, starts, ends, offsets, hashes)


def _word_bounds(word_bytes: np.ndarray, doc_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end byte positions of maximal runs of word bytes that stay inside one document."""
    padded = np.zeros(len(word_bytes) + 2, dtype=bool)
    padded[1:-1] = word_bytes
    flips = np.flatnonzero(padded[1:] != padded[:-1])
    # A run that crosses a document boundary is cut there (once, even where empty documents
    # share the boundary).
    cuts = doc_offsets[(doc_offsets > 0) & (doc_offsets < len(word_bytes))]
    cuts = np.unique(cuts[word_bytes[cuts] & word_bytes[cuts - 1]])
    return _with_cuts(flips[0::2], cuts), _with_cuts(flips[1::2], cuts)


def _with_cuts(positions: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """`positions` (sorted) with the few `cuts` merged in, as a new contiguous int64 array."""
    if len(cuts) == 0:
        return positions.astype(np.int64)
    pieces = np.split(positions, np.searchsorted(positions, cuts))
    merged = [pieces[0]]
    for cut, piece in zip(np.split(cuts, len(cuts)), pieces[1:], strict=True):
        merged += [cut, piece]
    return np.concatenate(merged).astype(np.int64, copy=False)


def character_units(words: Words) -> Units:
    """The characters of each document's normalised text (words joined by one space), hashed.

    A character's value is its UTF-8 bytes packed into an integer (a bijection with code points);
    the space between two words is the character " ".
    """
    data = words.data
    continuation = (data & np.uint8(0xC0)) == 0x80
    leads = np.flatnonzero(words.word_bytes & ~continuation)
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)]).astype(np.uint64)
    follows_mask = np.concatenate([continuation, np.zeros(3, dtype=bool)])
    value = padded[leads]
    follows = np.ones(len(leads), dtype=bool)
    for k in (1, 2, 3):
        follows &= follows_mask[leads + k]
        value |= (padded[leads + k] * follows) << np.uint64(8 * k)
    docs = len(words.offsets) - 1
    word_of_char = np.searchsorted(words.starts, leads, side="right") - 1
    doc_of_word = np.repeat(np.arange(docs), words.counts)
    word_rank = np.arange(len(words.starts)) - words.offsets[doc_of_word]
    chars_before_word = np.zeros(len(words.starts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(word_of_char, minlength=len(words.starts)), out=chars_before_word[1:])
    chars_before_doc = chars_before_word[words.offsets]
    counts = np.diff(chars_before_doc) + np.maximum(words.counts - 1, 0)
    offsets = np.zeros(docs + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    doc_of_char = doc_of_word[word_of_char]
    slot = (
        offsets[doc_of_char]
        + np.arange(len(leads))
        - chars_before_doc[doc_of_char]
        + word_rank[word_of_char]
    )
    units = np.full(int(offsets[-1]), ord(" "), dtype=np.uint64)
    units[slot] = value
    return Units(fmix64(units + CHAR_SALT), offsets)
