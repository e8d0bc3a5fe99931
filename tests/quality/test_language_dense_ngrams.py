"""The direct-mapped n-gram tables answer exactly what the profiles' hash table answers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pytest
from language_fixtures import all_fixture_texts

from pipeline.quality.language.dense_ngrams import CODE_BITS, CODE_MASK, NEEDS_HASH
from pipeline.quality.language.ngrams import extract_ngrams, profile_rows
from pipeline.quality.language.prepare import CodePoints, prepare_texts
from pipeline.quality.language.profiles import LanguageProfiles, load_profiles

# Texts at the edges of the coded alphabet: coded accents next to uncoded ones, other scripts and
# astral characters inside words, capital words, one-character and empty documents.
EDGE_TEXTS = [
    "",
    "é",
    "Ça coûte très cher: l'élève naïve à Zürich, Straße, ÉCOLE, Ñandú, Ölçüm, šťastný.",
    "abcжabc ЖabcЖ aéb éaé ııı ĞİŞ Σaσ",
    "a𝐀b 𝐀𝐀 x🙂y É𝐀É",
    "THE BBC's NASA-funded MRI; McDONALD and iPhone, ÉÉÉ éÉé",
    "x" * 5 + " " + "y" * 3,
]


@pytest.fixture(scope="module")
def profiles() -> LanguageProfiles:
    return load_profiles()


def coded_characters(profiles: LanguageProfiles) -> np.ndarray:
    """The character of each code (index 0: none)."""
    characters = np.zeros(1 << CODE_BITS, dtype=np.uint64)
    coded = np.flatnonzero(profiles.dense_code)
    characters[profiles.dense_code[coded]] = coded
    return characters


def test_the_alphabet_is_the_space_ascii_letters_and_common_latin_letters(
    profiles: LanguageProfiles,
) -> None:
    alphabet = "".join(chr(code) for code in coded_characters(profiles)[1:].tolist())
    letters = "abcdefghijklmnopqrstuvwxyz"
    assert alphabet.startswith(" " + letters + letters.upper())
    extra = alphabet[53:]
    assert len(extra) == 10 and len(set(extra)) == 10
    assert all(profiles.unigram_rows[ord(char)] >= 0 and char.isalpha() for char in extra)
    assert profiles.dense_code[0] == 0 and profiles.dense_code[0xFFFF] == 0


@pytest.mark.parametrize("length", [2, 3])
def test_every_table_entry_equals_the_hash_lookup(profiles: LanguageProfiles, length: int) -> None:
    table = profiles.dense_bigrams if length == 2 else profiles.dense_trigrams
    characters = coded_characters(profiles)
    index = np.arange(table.size, dtype=np.int64)
    keys = np.zeros(table.size, dtype=np.uint64)
    uncoded = np.zeros(table.size, dtype=bool)
    for position in range(length):  # position 0: the last character
        code = (index >> (CODE_BITS * position)) & CODE_MASK
        uncoded |= code == 0
        keys |= characters[code] << np.uint64(16 * position)
    assert table.size == 1 << (CODE_BITS * length)
    assert (table[uncoded] == NEEDS_HASH).all()
    expected = profile_rows(keys[~uncoded], profiles)
    assert np.array_equal(table[~uncoded], expected)
    assert (expected >= 0).sum() > 1000  # the tables do hold the common n-grams


def hash_only(profiles: LanguageProfiles) -> LanguageProfiles:
    """The same profiles with every n-gram sent to the hash table (the slow path)."""
    return dataclasses.replace(
        profiles,
        dense_bigrams=np.full_like(profiles.dense_bigrams, NEEDS_HASH),
        dense_trigrams=np.full_like(profiles.dense_trigrams, NEEDS_HASH),
    )


def test_extraction_through_the_tables_equals_hash_lookups_only(
    profiles: LanguageProfiles,
) -> None:
    texts = [*EDGE_TEXTS, *all_fixture_texts(), *EDGE_TEXTS]
    prepared = prepare_texts(pa.array(texts, pa.string()))
    fast = extract_ngrams(prepared, profiles)
    slow = extract_ngrams(prepared, hash_only(profiles))
    assert fast.per_doc().tolist() == slow.per_doc().tolist()
    assert np.array_equal(fast.row, slow.row)
    assert fast.per_doc()[:2].tolist() == [0, 2]  # "": nothing; "é": "é" and " é"


def test_extraction_of_each_text_alone_equals_the_batch(profiles: LanguageProfiles) -> None:
    batch = extract_ngrams(CodePoints.from_strings(EDGE_TEXTS), profiles)
    for index, text in enumerate(EDGE_TEXTS):
        alone = extract_ngrams(CodePoints.from_strings([text]), profiles)
        assert alone.row.tolist() == batch.of(index).tolist(), text
