"""Repetition features (Gopher, table A1), per document in one numba pass over exact integer ids.

Pieces and words are first turned into exact integer ids (`interning.piece_ids`: equal bytes,
equal id). Per document, an n-gram is identified by the id of its (n-1)-gram prefix and the id
of its last word, made dense again by a small hash table; n-grams never cross documents. Only
positions whose (n-1)-gram repeats can start a repeated n-gram, so each n looks at what is left
after the previous one (words that occur once are never looked at again).

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

import numba
import numpy as np

from pipeline.quality.segments import Pieces, safe_ratio

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


def duplicate_pieces(pieces: Pieces, ids: np.ndarray) -> DuplicatePieces:
    """Fractions of pieces (lines or paragraphs) that repeat an earlier piece of their document;
    `ids` are the pieces' exact text ids."""
    sums = _repeat_sums(ids, pieces.doc, pieces.length, pieces.n_docs, int(ids.max(initial=-1)) + 1)
    return DuplicatePieces(
        frac=safe_ratio(sums[1], sums[0]), char_frac=safe_ratio(sums[3], sums[2])
    )


@numba.njit(cache=True, nogil=True)
def _repeat_sums(
    ids: np.ndarray, doc: np.ndarray, length: np.ndarray, n_docs: int, n_ids: int
) -> np.ndarray:
    """Per document (columns): pieces, pieces repeating an earlier one of the document, and the
    characters of each (rows)."""
    sums = np.zeros((4, n_docs), dtype=np.int64)
    last_doc = np.full(n_ids, -1, dtype=np.int64)
    for i in range(ids.size):
        d = doc[i]
        repeated = last_doc[ids[i]] == d
        last_doc[ids[i]] = d
        sums[0, d] += 1
        sums[1, d] += repeated
        sums[2, d] += length[i]
        sums[3, d] += length[i] * repeated
    return sums


def ngram_repetition(
    words: Pieces,
    ids: np.ndarray,
    *,
    top_sizes: Sequence[int] = TOP_NGRAM_SIZES,
    duplicate_sizes: Sequence[int] = DUPLICATE_NGRAM_SIZES,
) -> NgramRepetition:
    """Top and duplicate word n-gram character fractions for every document (`ids`: the words'
    exact text ids)."""
    top = np.asarray(top_sizes, dtype=np.int64)
    duplicate = np.asarray(duplicate_sizes, dtype=np.int64)
    n_ids = int(ids.max(initial=-1)) + 1
    top_chars, dup_chars, word_chars = _ngram_chars(
        ids, words.length, words.bounds, n_ids, top, duplicate
    )
    result = NgramRepetition()
    for row, n in enumerate(top_sizes):
        result.top_char_frac[n] = safe_ratio(top_chars[row], word_chars)
    for row, n in enumerate(duplicate_sizes):
        result.dup_char_frac[n] = safe_ratio(dup_chars[row], word_chars)
    return result


@numba.njit(cache=True, nogil=True)
def _ngram_chars(
    ids: np.ndarray,
    length: np.ndarray,
    bounds: np.ndarray,
    n_ids: int,
    top: np.ndarray,
    duplicate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per size (rows) and document: characters of the top n-gram times its count, and characters
    of the words covered by repeated n-grams; per document, the characters of its words."""
    n_docs = bounds.size - 1
    word_chars = np.zeros(n_docs, dtype=np.float64)
    top_chars = np.zeros((top.size, n_docs), dtype=np.float64)
    dup_chars = np.zeros((duplicate.size, n_docs), dtype=np.float64)
    largest = max(top.max() if top.size else 1, duplicate.max() if duplicate.size else 1)
    most = np.max(bounds[1:] - bounds[:-1]) if n_docs else 0
    word_count = np.zeros(max(n_ids, 1), dtype=np.int64)
    capacity = 16
    while capacity < 2 * most:
        capacity *= 2
    table = np.full(capacity, -1, dtype=np.int64)  # slot -> dense n-gram id
    keys = np.empty(max(most, 1), dtype=np.int64)  # dense n-gram id -> key
    counts = np.zeros(max(most, 1), dtype=np.int64)  # dense n-gram id -> occurrences
    slots = np.empty(max(most, 1), dtype=np.int64)  # dense n-gram id -> its slot
    starts = np.empty(max(most, 1), dtype=np.int64)
    prefix = np.empty(max(most, 1), dtype=np.int64)  # dense id of each start's (n-1)-gram
    cover = np.zeros(most + 1, dtype=np.int64)
    chars = np.zeros(most + 1, dtype=np.int64)  # characters of the document's first k words
    for d in range(n_docs):
        a, m = bounds[d], bounds[d + 1] - bounds[d]
        for k in range(m):
            chars[k + 1] = chars[k] + length[a + k]
            word_count[ids[a + k]] += 1
        word_chars[d] = chars[m]
        size = 0
        for k in range(m):  # a repeated n-gram starts with a repeated word
            if word_count[ids[a + k]] > 1:
                starts[size], prefix[size] = k, ids[a + k]
                size += 1
        for k in range(m):
            word_count[ids[a + k]] = 0
        for n in range(2, largest + 1):
            kept = 0
            for s in range(size):  # starts whose n-gram fits in the document
                if starts[s] + n <= m:
                    starts[kept], prefix[kept] = starts[s], prefix[s]
                    kept += 1
            size = kept
            if size == 0:
                break
            used = 16  # the table's first `used` slots, enough for this document and n
            while used < 2 * size:
                used *= 2
            mask = used - 1
            distinct = 0
            for s in range(size):
                key = prefix[s] * n_ids + ids[a + starts[s] + n - 1]
                slot = ((key * 0x2545F4914F6CDD1D) >> 24) & mask
                while table[slot] >= 0 and keys[table[slot]] != key:
                    slot = (slot + 1) & mask
                if table[slot] < 0:
                    table[slot], keys[distinct], slots[distinct] = distinct, key, slot
                    counts[distinct] = 0
                    distinct += 1
                prefix[s] = table[slot]
                counts[prefix[s]] += 1
            for t in range(top.size):
                if top[t] == n:
                    top_chars[t, d] = _top_ngram_chars(starts, prefix, counts, chars, size, n)
            kept = 0
            for s in range(size):  # only repeated n-grams can start a repeated (n+1)-gram
                if counts[prefix[s]] > 1:
                    starts[kept], prefix[kept] = starts[s], prefix[s]
                    kept += 1
            size = kept
            for t in range(duplicate.size):
                if duplicate[t] == n:
                    dup_chars[t, d] = _covered_chars(starts, size, n, chars, cover, m)
            for g in range(distinct):
                table[slots[g]] = -1
    return top_chars, dup_chars, word_chars


@numba.njit(cache=True, nogil=True)
def _top_ngram_chars(
    starts: np.ndarray, dense: np.ndarray, counts: np.ndarray, chars: np.ndarray, size: int, n: int
) -> float:
    """Characters of the most frequent n-gram (the longest among ties) times its count; 0 when
    no n-gram occurs twice."""
    most = 0
    for s in range(size):
        most = max(most, counts[dense[s]])
    if most < 2:
        return 0.0
    best = 0.0
    for s in range(size):
        if counts[dense[s]] == most:
            best = max(best, float(chars[starts[s] + n] - chars[starts[s]]) * most)
    return best


@numba.njit(cache=True, nogil=True)
def _covered_chars(
    starts: np.ndarray, size: int, n: int, chars: np.ndarray, cover: np.ndarray, m: int
) -> float:
    """Characters of the words covered by the n-grams at `starts[:size]` (overlaps once)."""
    for s in range(size):
        cover[starts[s]] += 1
        cover[starts[s] + n] -= 1
    total = 0
    depth = 0
    for k in range(m):
        depth += cover[k]
        if depth > 0:
            total += chars[k + 1] - chars[k]
    cover[: m + 1] = 0
    return float(total)
