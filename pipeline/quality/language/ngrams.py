"""Vectorised extraction of langdetect's character n-grams for a whole batch of texts.

langdetect walks a text character by character (`NGram.add_char`) and, after each character, emits
the 1-, 2- and 3-grams that end there, with three twists: characters are normalised first (most
punctuation and digits become a space), an n-gram never reaches back past the latest space (words
are framed by one space on each side), and nothing is emitted inside an all-capitals word (from its
second capital on). Before that, a text mostly written in a non-Latin script loses its ASCII
letters (`Detector.cleaning_text`).

`extract_ngrams` reproduces exactly the same sequence of profile n-grams with numpy over the code
points of all texts of a batch at once (tested against langdetect's own `_extract_ngrams`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.quality.language.profiles import OUTSIDE_BMP, SPACE, LanguageProfiles

LATIN_FIRST, LATIN_LAST = 0x41, 0x7A  # langdetect counts 'A' <= ch <= 'z' as Latin
NON_LATIN_FIRST = 0x300  # ... and every character from U+0300 on as non-Latin
CHUNK_CHARS = 1 << 16


@dataclass(frozen=True)
class NgramOccurrences:
    """Profile n-grams found in a batch, in text order: which document, which profile row."""

    doc: np.ndarray  # int32, non-decreasing
    row: np.ndarray  # int32, row of `LanguageProfiles.keys` / `probs`
    n_docs: int

    def per_doc(self) -> np.ndarray:
        """Number of profile n-grams found in each document."""
        return np.bincount(self.doc, minlength=self.n_docs)


def extract_ngrams(
    texts: Sequence[str], profiles: LanguageProfiles, *, chunk_chars: int = CHUNK_CHARS
) -> NgramOccurrences:
    """All profile n-grams of each text, exactly as langdetect's `Detector._extract_ngrams` finds
    them after `cleaning_text` (the caller has already removed URLs and e-mail addresses).

    Texts are processed in groups of about `chunk_chars` characters so that the working arrays
    stay in the CPU cache."""
    n_docs = len(texts)
    docs: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    first, chars = 0, 0
    for index, text in enumerate(texts):
        chars += len(text) + 1
        if chars >= chunk_chars or index == n_docs - 1:
            chunk_docs, chunk_rows = _extract_chunk(texts[first : index + 1], profiles)
            docs.append(chunk_docs + first)
            rows.append(chunk_rows)
            first, chars = index + 1, 0
    if not docs:
        empty = np.zeros(0, dtype=np.int32)
        return NgramOccurrences(doc=empty, row=empty, n_docs=n_docs)
    return NgramOccurrences(doc=np.concatenate(docs), row=np.concatenate(rows), n_docs=n_docs)


def _extract_chunk(
    texts: Sequence[str], profiles: LanguageProfiles
) -> tuple[np.ndarray, np.ndarray]:
    """(document, profile row) of every profile n-gram of a few texts, in text order."""
    n_docs = len(texts)
    # Every text gets a leading space: langdetect's n-gram buffer starts as " ".
    joined = " " + " ".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    segment = np.fromiter((len(text) + 1 for text in texts), dtype=np.int64, count=n_docs)
    starts = np.cumsum(segment) - segment
    doc = np.repeat(np.arange(n_docs, dtype=np.int32), segment)
    prefix = np.zeros(codes.size, dtype=bool)
    prefix[starts] = True

    removed = _latin_removed(codes, starts, doc)
    if removed is not None:
        keep = ~removed
        codes, doc, prefix = codes[keep], doc[keep], prefix[keep]
    chars, upper = _normalise(codes, profiles)

    space = chars == SPACE
    # langdetect ignores a space that follows a space; across documents this drops the next
    # document's leading space when the previous one ended with a space, which changes nothing.
    keep = np.ones(chars.size, dtype=bool)
    keep[1:] = ~(space[1:] & space[:-1])
    chars, upper, space = chars[keep], upper[keep], space[keep]
    doc, prefix = doc[keep], prefix[keep]

    size = chars.size
    index = np.arange(size, dtype=np.int32)
    latest_space = np.maximum.accumulate(np.where(space, index, -1))
    # Length of the n-gram buffer after each character: it never reaches back past the latest
    # space before the character (the space itself included), and holds at most 3 characters.
    reach = np.empty(size, dtype=np.int32)
    reach[0] = 1
    np.subtract(index[1:], latest_space[:-1], out=reach[1:])
    reach[1:] += 1
    emits = ~prefix
    emits[1:] &= ~(upper[1:] & upper[:-1])  # inside an all-capitals word

    # langdetect's order: position by position, the 1-, 2- then 3-gram ending there.
    found = np.full((size, 3), -1, dtype=np.int32)
    found[:, 0] = np.where(emits & ~space, profiles.unigram_rows[chars], -1)
    wide = chars.astype(np.uint64)
    bigram = np.flatnonzero(emits & (reach >= 2))
    bigram_keys = (wide[bigram - 1] << np.uint64(16)) | wide[bigram]
    found[bigram, 1] = profiles.rows_of(bigram_keys)
    trigram = np.flatnonzero(emits & (reach >= 3))
    trigram_keys = (wide[trigram - 2] << np.uint64(32)) | (wide[trigram - 1] << np.uint64(16))
    found[trigram, 2] = profiles.rows_of(trigram_keys | wide[trigram])

    hits = found >= 0
    return np.repeat(doc, hits.sum(axis=1)), found[hits]


def _latin_removed(codes: np.ndarray, starts: np.ndarray, doc: np.ndarray) -> np.ndarray | None:
    """Mask of ASCII letters to drop (None: nothing to drop). langdetect removes them from a text
    whose non-Latin characters outnumber its Latin ones more than two to one."""
    non_latin = codes >= NON_LATIN_FIRST
    if not non_latin.any():
        return None
    latin = (codes >= LATIN_FIRST) & (codes <= LATIN_LAST)
    latin_count = np.add.reduceat(latin.astype(np.int64), starts)
    non_latin_count = np.add.reduceat(non_latin.astype(np.int64), starts)
    mostly_non_latin = latin_count * 2 < non_latin_count
    if not mostly_non_latin.any():
        return None
    return latin & mostly_non_latin[doc]


def _normalise(codes: np.ndarray, profiles: LanguageProfiles) -> tuple[np.ndarray, np.ndarray]:
    """langdetect's character normalisation and upper-case flags for an array of code points."""
    outside = codes > OUTSIDE_BMP
    bmp = np.where(outside, OUTSIDE_BMP, codes)
    chars = profiles.char_map[bmp]
    upper = profiles.char_upper[bmp]
    if outside.any():
        # Rare: astral characters are left as they are by langdetect (no profile n-gram has one);
        # only their case matters, for the all-capitals rule.
        astral = np.unique(codes[outside])
        astral_upper = np.fromiter((chr(c).isupper() for c in astral), dtype=bool)
        upper[outside] = astral_upper[np.searchsorted(astral, codes[outside])]
    return chars, upper
