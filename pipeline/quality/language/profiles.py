"""langdetect's n-gram profiles as dense numpy tables, loaded once per worker process.

langdetect keeps its profiles as a dict from n-gram string to a list of 55 Python floats and
scores a document by multiplying those floats for randomly drawn n-grams. Here the same numbers
live in arrays that the numba kernels of `ngrams` and `trials` read directly:

* `keys`: the sorted integer code of every profile n-gram (1 to 3 UTF-16 code units, 16 bits each);
* `probs`: for each key and language, `P(n-gram | language)` computed with the same floating-point
  operations as langdetect (`count / n_words[len(n-gram) - 1]`), so that replaying langdetect's
  trials on these numbers gives bit-identical probabilities;
* `char_map` / `char_upper`: langdetect's per-character normalisation (`NGram.normalize`) for every
  code point of the Basic Multilingual Plane, and whether the normalised character is upper case;
  `astral_upper`: the sorted upper-case code points outside the BMP (which langdetect leaves as
  they are);
* `unigram_rows` and an open-addressing hash table (`slots`: n-gram code and row side by side, so
  a probe reads one cache line) that find the row of an n-gram code in one or two probes;
* `dense_code`, `dense_bigrams` and `dense_trigrams`: direct-mapped tables that find the row of an
  n-gram of the commonest characters without the hash table (`dense_ngrams`).

The profiles are read from the installed langdetect package, never copied into this repository;
building the tables takes about a second, so they are cached on disk (`profile_cache`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from pipeline.quality.language.dense_ngrams import dense_tables

BMP_SIZE = 0x10000
# Code point that stands in for characters outside the BMP: no profile n-gram contains it.
OUTSIDE_BMP = 0xFFFF
MAX_CODE_POINT = 0x10FFFF
SPACE = 0x20


@dataclass(frozen=True)
class LanguageProfiles:
    """langdetect's profiles and character normalisation as arrays."""

    languages: tuple[str, ...]
    keys: np.ndarray  # uint64
    probs: np.ndarray  # float64, keys x languages
    char_map: np.ndarray  # uint16, BMP
    char_upper: np.ndarray  # bool, BMP
    astral_upper: np.ndarray  # uint32, sorted
    unigram_rows: np.ndarray  # int32, BMP
    slots: np.ndarray  # uint64, (a power of two) x (code, row); code 0: empty
    dense_code: np.ndarray  # uint8, BMP; 0: no code
    dense_bigrams: np.ndarray  # int32, 2**12
    dense_trigrams: np.ndarray  # int32, 2**18

    @property
    def size_bytes(self) -> int:
        """Memory held by the arrays."""
        return sum(int(array.nbytes) for array in self.arrays().values())

    def arrays(self) -> dict[str, np.ndarray]:
        """Every table by field name, the languages as a string array."""
        arrays = {field.name: getattr(self, field.name) for field in fields(self)}
        arrays["languages"] = np.array(self.languages, dtype=np.str_)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LanguageProfiles:
        """The inverse of `arrays`."""
        values = {field.name: arrays[field.name] for field in fields(cls)}
        values["languages"] = tuple(str(lang) for lang in arrays["languages"])
        return cls(**values)


def ngram_key(ngram: str) -> int:
    """The integer code of a 1- to 3-character n-gram (BMP characters only)."""
    key = 0
    for char in ngram:
        key = (key << 16) | ord(char)
    return key


def profile_directory() -> Path:
    """The profile directory of the installed langdetect package."""
    import langdetect

    return Path(langdetect.__file__).resolve().parent / "profiles"


@functools.lru_cache(maxsize=1)
def load_profiles() -> LanguageProfiles:
    """langdetect's profiles as arrays (about 45 MB), once per process: from the disk cache when
    it holds them for the installed langdetect, else built (about a second) and cached."""
    from pipeline.quality.language.profile_cache import read_cached, write_cached

    cached = read_cached()
    if cached is not None:
        return LanguageProfiles.from_arrays(cached)
    profiles = build_profiles()
    write_cached(profiles.arrays())
    return profiles


def build_profiles() -> LanguageProfiles:
    """Read langdetect's JSON profiles and build the tables."""
    directory = profile_directory()
    profiles = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        profiles.append(json.loads(path.read_text(encoding="utf-8")))
    profiles.sort(key=lambda profile: profile["name"])
    languages = tuple(profile["name"] for profile in profiles)

    rows: dict[str, int] = {}
    entries_row: list[int] = []
    entries_lang: list[int] = []
    entries_prob: list[float] = []
    for lang_index, profile in enumerate(profiles):
        n_words = profile["n_words"]
        for ngram, count in profile["freq"].items():
            if not 1 <= len(ngram) <= 3:
                continue
            row = rows.setdefault(ngram, len(rows))
            entries_row.append(row)
            entries_lang.append(lang_index)
            entries_prob.append(count / n_words[len(ngram) - 1])
    probs = np.zeros((len(rows), len(languages)), dtype=np.float64)
    probs[np.asarray(entries_row), np.asarray(entries_lang)] = np.asarray(entries_prob)

    keys = np.fromiter((ngram_key(ngram) for ngram in rows), dtype=np.uint64, count=len(rows))
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    char_map, char_upper = _character_tables()
    unigram_rows = np.full(BMP_SIZE, -1, dtype=np.int32)
    unigrams = keys < BMP_SIZE
    unigram_rows[keys[unigrams].astype(np.int64)] = np.flatnonzero(unigrams)
    slots = _hash_table(keys)
    probs = np.ascontiguousarray(probs[order])
    dense_code, dense_bigrams, dense_trigrams = dense_tables(keys, probs, BMP_SIZE)
    return LanguageProfiles(
        languages=languages,
        keys=keys,
        probs=probs,
        char_map=char_map,
        char_upper=char_upper,
        astral_upper=np.array(
            [code for code in range(BMP_SIZE, MAX_CODE_POINT + 1) if chr(code).isupper()],
            dtype=np.uint32,
        ),
        unigram_rows=unigram_rows,
        slots=slots,
        dense_code=dense_code,
        dense_bigrams=dense_bigrams,
        dense_trigrams=dense_trigrams,
    )


HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: 2**64 / golden ratio


def _slot(keys: np.ndarray, capacity: int) -> np.ndarray:
    """Fibonacci hashing of n-gram codes into `capacity` (a power of two) slots (`ngrams.row_of`
    computes the same slot)."""
    bits = capacity.bit_length() - 1
    return (keys * HASH_MULTIPLIER) >> np.uint64(64 - bits)


def _hash_table(keys: np.ndarray) -> np.ndarray:
    """Open addressing with linear probing, load factor at most 1/2 (codes are never 0).

    Keys are inserted in rounds: every pending key tries its current slot; the first key (in key
    order) to claim a free slot takes it and the others move one slot on. Slots are never freed,
    so every key sits after an unbroken run of occupied slots from its hash slot, which is all a
    linear-probing lookup needs."""
    capacity = 1 << max(4, (2 * keys.size).bit_length())
    slot_keys = np.zeros(capacity, dtype=np.uint64)
    slot_rows = np.zeros(capacity, dtype=np.int64)
    slots = _slot(keys, capacity).astype(np.int64)
    pending = np.arange(keys.size, dtype=np.int64)
    while pending.size:
        wanted = slots[pending]
        free = slot_keys[wanted] == 0
        claimants = pending[free]
        _, first = np.unique(wanted[free], return_index=True)
        winners = claimants[first]
        slot_keys[slots[winners]] = keys[winners]
        slot_rows[slots[winners]] = winners
        placed = np.zeros(keys.size, dtype=bool)
        placed[winners] = True
        pending = pending[~placed[pending]]
        slots[pending] = (slots[pending] + 1) & (capacity - 1)
    return np.stack([slot_keys, slot_rows.astype(np.uint64)], axis=1)


def _character_tables() -> tuple[np.ndarray, np.ndarray]:
    """langdetect's `NGram.normalize` and `str.isupper` of the result, for every BMP code point."""
    from langdetect.utils.ngram import NGram

    char_map = np.empty(BMP_SIZE, dtype=np.uint16)
    char_upper = np.zeros(BMP_SIZE, dtype=bool)
    for code in range(BMP_SIZE):
        normalised = NGram.normalize(chr(code))
        char_map[code] = ord(normalised)
        char_upper[code] = normalised.isupper()
    # NUL would break the n-gram codes (a leading zero unit); langdetect maps it to a space anyway.
    assert char_map[0] == SPACE
    return char_map, char_upper
