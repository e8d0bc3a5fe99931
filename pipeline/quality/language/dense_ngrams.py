"""Direct-mapped tables of the profile n-grams made only of the commonest characters.

Looking an n-gram up in the profiles' hash table (`profiles._hash_table`, 4 MB) costs a probe at a
scattered address for every bigram and trigram of a text, and the extraction kernel (`ngrams`) spent
most of its time there. Nearly all characters of web text are a space or an ASCII letter, so those
53 characters and the `EXTRA_LETTERS` Latin letters that weigh most in the profiles get a 6-bit
code (1 to 63; 0 for every other character), and an n-gram of such characters is found at its
codes' place in a plain array:

* `dense_bigrams[code1 << 6 | code2]` (4,096 entries) and
  `dense_trigrams[code1 << 12 | code2 << 6 | code3]` (262,144 entries, 1 MB) hold the n-gram's
  profile row, -1 when it is in no profile,
* or `NEEDS_HASH` where a code is 0: that n-gram has another character, look it up in the hash
  table.

Both tables are filled from the profile keys themselves, so they answer exactly what the hash table
answers (tested entry by entry).
"""

from __future__ import annotations

import numpy as np

CODE_BITS = 6
CODE_MASK = (1 << CODE_BITS) - 1
EXTRA_LETTERS = 10  # Latin letters beyond ASCII with a code: 53 + 10 fill codes 1 to 63
NEEDS_HASH = -2
_SPACE = 0x20
_LATIN_LETTERS = (0xC0, 0x250)  # Latin-1 Supplement to Latin Extended-B


def dense_alphabet(keys: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """The characters with a code, in code order (code 1 first): the space, a-z, A-Z, then the
    Latin letters with the largest summed unigram probability over all languages."""
    unigrams = np.flatnonzero(keys < (1 << 16))
    weight = probs[unigrams].sum(axis=1)
    latin = (keys[unigrams] >= _LATIN_LETTERS[0]) & (keys[unigrams] < _LATIN_LETTERS[1])
    order = np.argsort(-weight[latin], kind="stable")[:EXTRA_LETTERS]
    extra = keys[unigrams][latin][order].astype(np.int64)
    ascii_letters = [*range(ord("a"), ord("z") + 1), *range(ord("A"), ord("Z") + 1)]
    return np.array([_SPACE, *ascii_letters, *extra.tolist()], dtype=np.int64)


def dense_tables(
    keys: np.ndarray, probs: np.ndarray, bmp_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(`dense_code` for every BMP character, `dense_bigrams`, `dense_trigrams`) for the sorted
    profile keys (16 bits per character) and their probabilities."""
    alphabet = dense_alphabet(keys, probs)
    dense_code = np.zeros(bmp_size, dtype=np.uint8)
    dense_code[alphabet] = np.arange(1, alphabet.size + 1, dtype=np.uint8)
    return dense_code, _direct_table(keys, dense_code, 2), _direct_table(keys, dense_code, 3)


def _direct_table(keys: np.ndarray, dense_code: np.ndarray, length: int) -> np.ndarray:
    """The profile row of every `length`-character n-gram of coded characters, by their codes."""
    index = np.arange(1 << (CODE_BITS * length), dtype=np.int64)
    table = np.full(index.size, -1, dtype=np.int32)
    uncoded = np.zeros(index.size, dtype=bool)
    for position in range(length):
        uncoded |= (index >> (CODE_BITS * position)) & CODE_MASK == 0
    table[uncoded] = NEEDS_HASH

    rows = np.flatnonzero((keys >= 1 << (16 * (length - 1))) & (keys < 1 << (16 * length)))
    place = np.zeros(rows.size, dtype=np.int64)
    coded = np.ones(rows.size, dtype=bool)
    for position in range(length):
        char = ((keys[rows] >> np.uint64(16 * position)) & np.uint64(0xFFFF)).astype(np.int64)
        code = dense_code[char].astype(np.int64)
        coded &= code > 0
        place |= code << (CODE_BITS * position)
    table[place[coded]] = rows[coded]
    return table
