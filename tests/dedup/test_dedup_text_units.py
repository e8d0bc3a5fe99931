"""Normalised words, their hashes, character units, shingles and the exact-text hash."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest

from pipeline.dedup.exact_hash import normalised_text_hashes
from pipeline.dedup.hashing import CHAR_SALT, fmix64
from pipeline.dedup.shingles import ngram_shingles
from pipeline.dedup.text_units import Units, character_units, find_words

TEXTS = [
    "Hello, World! Don’t   stop.",
    None,
    "",
    " \n ",
    "Ünïcode—dash café 42x",
    "日本語のテキスト。次",
    "end",
    "start",
    "ab\u00a0cd\tef",
]

MASK64 = (1 << 64) - 1


def words_of(texts: list[str | None], **options: bool) -> list[list[str]]:
    words = find_words(pa.array(texts, pa.string()), **options)
    return [
        [bytes(words.data[s:e]).decode() for s, e in zip(starts, ends, strict=True)]
        for starts, ends in (
            (words.starts[a:b], words.ends[a:b])
            for a, b in zip(words.offsets[:-1], words.offsets[1:], strict=True)
        )
    ]


def test_words_strip_punctuation_and_lowercase() -> None:
    assert words_of(TEXTS, lowercase=True, strip_punctuation=True) == [
        ["hello", "world", "don", "t", "stop"],
        [],
        [],
        [],
        ["ünïcode", "dash", "café", "42x"],
        ["日本語のテキスト", "次"],
        ["end"],
        ["start"],
        ["ab", "cd", "ef"],
    ]


def test_words_split_on_whitespace_only() -> None:
    assert words_of(TEXTS, lowercase=False, strip_punctuation=False) == [
        ["Hello,", "World!", "Don’t", "stop."],
        [],
        [],
        [],
        ["Ünïcode—dash", "café", "42x"],
        ["日本語のテキスト。次"],
        ["end"],
        ["start"],
        ["ab", "cd", "ef"],
    ]


def reference_word_hash(word: str) -> int:
    """The documented word hash, with Python integers."""
    base = 0x9E3779B97F4A7C15
    data = word.encode()
    total, power = 0, 1
    for c in data:
        total = (total + (c + 1) * power) & MASK64
        power = (power * base) & MASK64
    h = (total + len(data) * 0x2545F4914F6CDD1D) & MASK64
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


def test_word_hashes_follow_the_documented_formula() -> None:
    long_word = "x" * 70_000  # crosses the 64 KiB blocks of the prefix sum
    words = find_words(
        pa.array(["Alpha beta, alpha!", long_word + " tail"]),
        lowercase=True,
        strip_punctuation=True,
    )
    expected = [reference_word_hash(w) for w in ["alpha", "beta", "alpha", long_word, "tail"]]
    assert words.hashes.tolist() == expected


def test_word_hashes_around_the_prefix_sum_blocks() -> None:
    """Words and gaps of about a block's length (2^16 bytes), ending on and across its edges."""
    block = 1 << 16
    pieces = [("a" * 10 + " ") * (block // 11 - 1), "b" * (block - 3), ". " * (block // 2 + 1)]
    pieces += ["c" * block, " ", "d" * (block + 1), "!", "é" * 40_000, " e", "f" * 3 * block]
    texts = ["".join(pieces[:3]), "".join(pieces[3:7]), "g", "".join(pieces[7:])]
    words = find_words(pa.array(texts), lowercase=True, strip_punctuation=True)
    expected = [reference_word_hash(w) for text in texts for w in re.findall(r"\w+", text)]
    assert words.hashes.tolist() == expected


def test_a_word_hashes_the_same_anywhere_in_any_batch() -> None:
    first = find_words(pa.array(["zeta"]), lowercase=True, strip_punctuation=True)
    second = find_words(
        pa.array(["a b c", "x " * 40_000 + "Zeta"]), lowercase=True, strip_punctuation=True
    )
    assert second.hashes[-1] == first.hashes[0]


def test_words_do_not_run_across_documents() -> None:
    assert words_of(["end", "start"], lowercase=True, strip_punctuation=True) == [
        ["end"],
        ["start"],
    ]


def test_empty_documents_between_words_add_no_word() -> None:
    texts = ["end", "", None, "start here", "", "x"]
    words = find_words(pa.array(texts), lowercase=True, strip_punctuation=True)
    assert words.counts.tolist() == [1, 0, 0, 2, 0, 1]
    assert (words.ends > words.starts).all()
    alone = find_words(pa.array(["start here"]), lowercase=True, strip_punctuation=True)
    assert words.hashes[1:3].tolist() == alone.hashes.tolist()


def test_sliced_arrow_input_is_read_from_its_offset() -> None:
    array = pa.array(["skip me", "Keep this", "and this"]).slice(1)
    assert words_of(array, lowercase=True, strip_punctuation=True) == [  # type: ignore[arg-type]
        ["keep", "this"],
        ["and", "this"],
    ]


def test_character_units_are_the_normalised_text() -> None:
    words = find_words(pa.array(["Ab, c!", "", "é日"]), lowercase=True, strip_punctuation=True)
    units = character_units(words)
    assert units.offsets.tolist() == [0, 4, 4, 6]
    expected = [int.from_bytes(ch.encode(), "little") for ch in "ab cé日"]
    assert units.hashes.tolist() == fmix64(np.array(expected, dtype=np.uint64) + CHAR_SALT).tolist()


def test_shingles_are_windows_inside_each_document() -> None:
    units = Units(
        hashes=np.arange(1, 10, dtype=np.uint64), offsets=np.array([0, 6, 6, 8, 9], dtype=np.int64)
    )
    shingles = ngram_shingles(units, 3)
    # 6 units -> 4 windows; empty -> none; 2 units and 1 unit (< n) -> one shingle each.
    assert shingles.offsets.tolist() == [0, 4, 4, 5, 6]
    assert shingles.hashes.dtype == np.uint32
    same_window = ngram_shingles(Units(np.arange(2, 5, dtype=np.uint64), np.array([0, 3])), 3)
    assert shingles.hashes[1] == same_window.hashes[0]  # units 2, 3, 4 wherever they are


def test_shingle_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ngram_shingles(Units(np.zeros(1, dtype=np.uint64), np.array([0, 1])), 0)


def test_exact_hash_ignores_case_punctuation_and_spacing_but_not_order() -> None:
    texts = [
        "Oil prices rose 3% on Monday.",
        "oil   PRICES rose 3 on monday",
        "Oil prices rose 4% on Monday.",
        "Monday on rose 3% prices oil.",
        "Oil prices rose 3% on Monday. Oil prices rose 3% on Monday.",
    ]
    hashes = normalised_text_hashes(
        find_words(pa.array(texts), lowercase=True, strip_punctuation=True)
    )
    rows = [tuple(row) for row in hashes.tolist()]
    assert rows[0] == rows[1]
    assert len(set(rows)) == 4
