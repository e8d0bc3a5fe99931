"""langdetect's character n-grams of a whole batch of texts, found by one numba kernel.

langdetect walks a text character by character (`NGram.add_char`) and, after each character, emits
the 1-, 2- and 3-grams that end there, with three twists: characters are normalised first (most
punctuation and digits become a space), an n-gram never reaches back past the latest space (words
are framed by one space on each side), and nothing is emitted inside an all-capitals word (from its
second capital on). Before that, a text mostly written in a non-Latin script loses its ASCII
letters (`Detector.cleaning_text`).

`extract_ngrams` runs exactly that walk, with an n-gram held as an integer code (16 bits per
character) and, alongside, as the 6-bit codes of its characters (`dense_ngrams`): an n-gram of the
commonest characters is looked up in a direct-mapped table, any other in the profiles' hash table.
It keeps the profile rows of the n-grams found, in langdetect's order (tested against langdetect's
own `_extract_ngrams`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from pipeline.quality.language.dense_ngrams import CODE_BITS, NEEDS_HASH
from pipeline.quality.language.prepare import CodePoints
from pipeline.quality.language.profiles import (
    BMP_SIZE,
    HASH_MULTIPLIER,
    OUTSIDE_BMP,
    SPACE,
    LanguageProfiles,
)

LATIN_FIRST, LATIN_LAST = 0x41, 0x7A  # langdetect counts 'A' <= ch <= 'z' as Latin
NON_LATIN_FIRST = 0x300  # ... and every character from U+0300 on as non-Latin
_LOW_TWO = np.uint64(0xFFFFFFFF)  # the last two characters of an n-gram code
_SIXTEEN = np.uint64(16)
_DENSE_TRIGRAM = (1 << (3 * CODE_BITS)) - 1  # the codes of an n-gram's last three characters
_DENSE_BIGRAM = (1 << (2 * CODE_BITS)) - 1


@dataclass(frozen=True)
class NgramOccurrences:
    """Profile n-grams found in a batch, in text order, document after document."""

    counts: np.ndarray  # int64, n-grams found in each document
    row: np.ndarray  # int32, row of `LanguageProfiles.keys` / `probs`

    def per_doc(self) -> np.ndarray:
        """Number of profile n-grams found in each document."""
        return self.counts

    def of(self, doc: int) -> np.ndarray:
        """The profile rows of one document's n-grams."""
        start = int(self.counts[:doc].sum())
        return self.row[start : start + int(self.counts[doc])]


def extract_ngrams(texts: CodePoints, profiles: LanguageProfiles) -> NgramOccurrences:
    """All profile n-grams of each text, exactly as langdetect's `Detector._extract_ngrams` finds
    them after `cleaning_text` (`prepare_texts` has done `Detector.append`'s rewrites)."""
    counts, rows = _extract_rows(
        texts.codes,
        texts.starts,
        texts.ends,
        profiles.char_map,
        profiles.char_upper,
        profiles.astral_upper,
        profiles.unigram_rows,
        profiles.slots,
        _hash_shift(profiles.slots),
        profiles.dense_code,
        profiles.dense_bigrams,
        profiles.dense_trigrams,
    )
    return NgramOccurrences(counts=counts, row=rows)


def profile_rows(keys: np.ndarray, profiles: LanguageProfiles) -> np.ndarray:
    """The profile row of each n-gram code (uint64), or -1 where it is not in any profile."""
    shift = _hash_shift(profiles.slots)
    return _rows_of(keys.astype(np.uint64), profiles.slots, shift)


@numba.njit(cache=True, nogil=True)
def _row_of(key: np.uint64, slots: np.ndarray, shift: np.uint64) -> int:
    """Open addressing with linear probing (`profiles._hash_table`); -1: not a profile n-gram."""
    mask = slots.shape[0] - 1
    slot = np.int64((key * HASH_MULTIPLIER) >> shift)
    while True:
        stored = slots[slot, 0]
        if stored == key:
            return np.int64(slots[slot, 1])
        if stored == 0:
            return -1
        slot = (slot + 1) & mask


def _hash_shift(slots: np.ndarray) -> np.uint64:
    """64 minus log2 of the table's (power of two) size: the shift of Fibonacci hashing."""
    return np.uint64(65 - slots.shape[0].bit_length())


@numba.njit(cache=True, nogil=True)
def _rows_of(keys: np.ndarray, slots: np.ndarray, shift: np.uint64) -> np.ndarray:
    rows = np.empty(keys.size, dtype=np.int32)
    for index in range(keys.size):
        rows[index] = _row_of(keys[index], slots, shift)
    return rows


@numba.njit(cache=True, nogil=True)
def _mostly_non_latin(codes: np.ndarray, begin: int, end: int) -> bool:
    """`cleaning_text`'s test: non-Latin characters outnumber Latin ones more than two to one."""
    latin = 0
    non_latin = 0
    for index in range(begin, end):
        code = codes[index]
        if LATIN_FIRST <= code <= LATIN_LAST:
            latin += 1
        elif code >= NON_LATIN_FIRST:
            non_latin += 1
    return latin * 2 < non_latin


@numba.njit(cache=True, nogil=True)
def _keep(rows: np.ndarray, found: int, row: int) -> int:
    """Write `row` at `found` and count it if it is a profile row (no branch to mispredict)."""
    rows[found] = row
    return found + (1 if row >= 0 else 0)


@numba.njit(cache=True, nogil=True)
def _extract_rows(
    codes: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    char_map: np.ndarray,
    char_upper: np.ndarray,
    astral_upper: np.ndarray,
    unigram_rows: np.ndarray,
    slots: np.ndarray,
    shift: np.uint64,
    dense_code: np.ndarray,
    dense_bigrams: np.ndarray,
    dense_trigrams: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(n-grams per document, their profile rows): `NGram.add_char` and `_extract_ngrams`, with
    the buffer `grams` held as an n-gram code of `length` characters and as `dense`, the 6-bit
    codes of its characters."""
    counts = np.zeros(starts.size, dtype=np.int64)
    # `_keep` writes (but does not count) the misses too: at most three rows per character.
    rows = np.empty(3 * (ends - starts).sum(), dtype=np.int32)
    found = 0
    space_code = np.int64(dense_code[SPACE])
    for doc in range(starts.size):
        begin, end = starts[doc], ends[doc]
        drop_latin = _mostly_non_latin(codes, begin, end)
        grams, dense, length = np.uint64(SPACE), space_code, 1
        last, last_upper, capital_word = SPACE, False, False
        start = found
        for index in range(begin, end):
            code = codes[index]
            if drop_latin and LATIN_FIRST <= code <= LATIN_LAST:
                continue
            if code < BMP_SIZE:
                char, upper = np.int64(char_map[code]), char_upper[code]
            else:  # left as it is by langdetect, and in no profile n-gram
                position = np.searchsorted(astral_upper, code)
                upper = position < astral_upper.size and astral_upper[position] == code
                char = OUTSIDE_BMP
            if last == SPACE:
                grams, dense, length, capital_word = np.uint64(SPACE), space_code, 1, False
                if char == SPACE:
                    continue
            elif length == 3:
                grams, length = grams & _LOW_TWO, 2
            grams, length = (grams << _SIXTEEN) | np.uint64(char), length + 1
            dense = ((dense << CODE_BITS) | dense_code[char]) & _DENSE_TRIGRAM
            if upper:
                if last_upper:
                    capital_word = True
            else:
                capital_word = False
            last, last_upper = char, upper
            if capital_word:
                continue
            found = _keep(rows, found, unigram_rows[char] if char != SPACE else -1)
            row = dense_bigrams[dense & _DENSE_BIGRAM]
            if row == NEEDS_HASH:
                row = _row_of(grams & _LOW_TWO, slots, shift)
            found = _keep(rows, found, row)
            if length == 3:
                row = dense_trigrams[dense]
                if row == NEEDS_HASH:
                    row = _row_of(grams, slots, shift)
                found = _keep(rows, found, row)
        counts[doc] = found - start
    return counts, rows[:found]  # a view: copying costs more than the unused tail
