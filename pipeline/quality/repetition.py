"""Repetition features (Gopher, table A1) for a whole batch at once.

Pieces and words are turned into integer ids with Arrow's `dictionary_encode` (exact, no hash
collisions); an n-gram's id is built from the (n-1)-gram's id and the next word's id and made
dense again with `np.unique`. The document index is part of every id, so counts are per document.
Only positions whose (n-1)-gram repeats can start a repeated n-gram, so after the bigrams each
n sorts a small remainder of the batch.

Definitions (the Gopher paper's wording, as implemented by dolma's Gopher tagger):

* duplicate line / paragraph fraction: pieces equal to an earlier piece of the same document,
  over all pieces; their character fraction: characters of those repeated pieces over the
  characters of all pieces (pieces are stripped of surrounding whitespace, empty ones ignored);
* top n-gram character fraction (n = 2, 3, 4): characters of the most frequent word n-gram times
  its count, over the characters of all words (0 when no n-gram occurs twice; among equally
  frequent n-grams the longest counts);
* duplicate n-gram character fraction (n = 5..10): characters of the words covered by any n-gram
  that occurs more than once (every occurrence, overlaps counted once), over all word characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc

from pipeline.quality.segments import Pieces, per_doc_max, safe_ratio

TOP_NGRAM_SIZES = (2, 3, 4)
DUPLICATE_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)


@dataclass(frozen=True)
class DuplicatePieces:
    """Per document: share of repeated pieces and share of their characters."""

    frac: np.ndarray
    char_frac: np.ndarray


@dataclass
class NgramRepetition:
    """Per document and n: top n-gram and duplicate n-gram character fractions."""

    top_char_frac: dict[int, np.ndarray] = field(default_factory=dict)
    dup_char_frac: dict[int, np.ndarray] = field(default_factory=dict)


def piece_ids(pieces: Pieces) -> tuple[np.ndarray, int]:
    """Dense integer id of each piece's text (equal texts, equal ids) and the number of ids."""
    if pieces.size == 0:
        return np.zeros(0, dtype=np.int64), 0
    encoded = pc.dictionary_encode(pieces.text)
    ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return ids, len(encoded.dictionary)


def duplicate_pieces(pieces: Pieces) -> DuplicatePieces:
    """Fractions of pieces (lines or paragraphs) that repeat an earlier piece of their document."""
    count = pieces.count()
    chars = pieces.total(pieces.length.astype(np.float64))
    if pieces.size == 0:
        zeros = np.zeros(pieces.n_docs, dtype=np.float64)
        return DuplicatePieces(frac=zeros, char_frac=zeros.copy())
    ids, n_ids = piece_ids(pieces)
    _, first = np.unique(pieces.doc * n_ids + ids, return_index=True)
    repeated = np.ones(pieces.size, dtype=bool)
    repeated[first] = False
    return DuplicatePieces(
        frac=safe_ratio(pieces.count(repeated), count),
        char_frac=safe_ratio(pieces.total(pieces.length * repeated), chars),
    )


def ngram_repetition(
    words: Pieces,
    *,
    top_sizes: Sequence[int] = TOP_NGRAM_SIZES,
    duplicate_sizes: Sequence[int] = DUPLICATE_NGRAM_SIZES,
) -> NgramRepetition:
    """Top and duplicate word n-gram character fractions for every document."""
    result = NgramRepetition()
    n_docs, size = words.n_docs, words.size
    largest = max((*top_sizes, *duplicate_sizes), default=1)
    for n in (*top_sizes, *duplicate_sizes):
        target = result.top_char_frac if n in top_sizes else result.dup_char_frac
        target[n] = np.zeros(n_docs, dtype=np.float64)
    if size == 0:
        return result
    word_chars = words.total(words.length.astype(np.float64))
    prefix_chars = np.concatenate(([0], np.cumsum(words.length)))
    ids, n_ids = piece_ids(words)
    counts_per_doc = np.bincount(words.doc, minlength=n_docs)
    doc_end = (np.cumsum(counts_per_doc) - 1)[words.doc]  # last word index of each word's doc

    # An n-gram can only occur twice where the (n-1)-gram starting at the same position does, so
    # each n only looks at the positions whose (n-1)-gram repeats: after the bigrams, few are left.
    starts = np.arange(size, dtype=np.int64)
    if n_docs * n_ids < 2**62 // max(n_ids, 1):
        keys = words.doc * n_ids + ids  # the document is part of every key
    else:  # pragma: no cover - batches with billions of distinct words
        _, keys = np.unique(words.doc * n_ids + ids, return_inverse=True)
    for n in range(2, largest + 1):
        within = starts + n - 1 <= doc_end[starts]
        starts, keys = starts[within], keys[within]
        if starts.size == 0:
            break
        combined = keys * n_ids + ids[starts + n - 1]
        _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
        occurrences = counts[inverse]
        if n in top_sizes:
            chars = (prefix_chars[starts + n] - prefix_chars[starts]).astype(np.float64)
            result.top_char_frac[n] = _top_fraction(
                occurrences, chars, words.doc[starts], word_chars
            )
        repeats = occurrences > 1
        starts, keys = starts[repeats], inverse[repeats].astype(np.int64)
        if n in duplicate_sizes:
            cover = np.bincount(starts, minlength=size + 1) - np.bincount(
                starts + n, minlength=size + 1
            )
            covered = np.cumsum(cover[:size]) > 0
            result.dup_char_frac[n] = safe_ratio(words.total(words.length * covered), word_chars)
    return result


def _top_fraction(
    occurrences: np.ndarray, chars: np.ndarray, doc: np.ndarray, word_chars: np.ndarray
) -> np.ndarray:
    """Characters of each document's most frequent n-gram (times its count) over its word chars."""
    n_docs = word_chars.size
    top_count = per_doc_max(occurrences.astype(np.float64), doc, n_docs)
    is_top = occurrences == top_count[doc]
    best = per_doc_max(np.where(is_top, chars * occurrences, 0.0), doc, n_docs)
    best[top_count < 2] = 0.0
    return safe_ratio(best, word_chars)
