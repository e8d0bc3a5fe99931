"""The numba kernels of the fingerprints against plain-Python versions of their definitions."""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.dedup.exact_hash import normalised_text_hashes
from pipeline.dedup.hashing import ngram_weights
from pipeline.dedup.shingles import ngram_shingles
from pipeline.dedup.text_units import Units, character_units, find_words

MASK64 = (1 << 64) - 1
TABLE_SIZE = 0x40000
POOL = list("abcXYZ019 ,.!-'\n\t\x00\x85") + [
    "\u0301",  # combining acute (a mark: part of words)
    "é",
    "ß",
    "İ",  # lowercases to two code points
    "ﬁ",
    "ǅ",
    "Ⅻ",
    "٣",
    "日",
    "。",
    "—",
    "’",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\u200b",
    "😀",
    "\U0003ffff",
    "\U00040000",  # beyond the table
    "\U000e0001",
    "\U000f0000",
]


def fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


def word_hash(word: bytes) -> int:
    total, power = 0, 1
    for c in word:
        total = (total + (c + 1) * power) & MASK64
        power = (power * 0x9E3779B97F4A7C15) & MASK64
    return fmix64((total + len(word) * 0x2545F4914F6CDD1D) & MASK64)


def is_word_character(ch: str, strip_punctuation: bool) -> bool:
    if ord(ch) >= TABLE_SIZE:
        return not strip_punctuation
    if strip_punctuation:
        return unicodedata.category(ch)[0] in "LMN"
    return not ch.isspace()


def reference_words(text: str | None, strip_punctuation: bool) -> list[bytes]:
    words, current = [], ""
    for ch in text or "":
        if is_word_character(ch, strip_punctuation):
            current += ch
        elif current:
            words.append(current.encode())
            current = ""
    return [*words, current.encode()] if current else words


def exact_hash(hashes: list[int]) -> list[int]:
    lanes = []
    for salt in (0x243F6A8885A308D3, 0xB7E151628AED2A6B):
        total = sum(fmix64((h + (i + 1) * salt) & MASK64) for i, h in enumerate(hashes))
        lanes.append(fmix64((total + len(hashes) * 0x9E6C63D0676A9A99) & MASK64))
    return lanes


def char_units(words: list[bytes]) -> list[int]:
    text = b" ".join(words).decode()
    return [
        fmix64((int.from_bytes(ch.encode(), "little") + 0xD1310BA698DFB5AD) & MASK64) for ch in text
    ]


def shingles(units: list[int], n: int) -> list[int]:
    weights = [int(w) for w in ngram_weights(n)]
    windows = [units[i : i + n] for i in range(len(units) - n + 1)] or ([units] if units else [])
    return [
        fmix64(sum(u * w for u, w in zip(window, weights, strict=False)) & MASK64) >> 32
        for window in windows
    ]


def random_texts(seed: int, count: int) -> list[str | None]:
    rng = random.Random(seed)
    texts: list[str | None] = [None, "", "end", "", None, "start", "x" * 70_000 + " é"]
    for _ in range(count):
        size = rng.choice([0, 1, 2, 3, 7, 40, 300])
        texts.append("".join(rng.choice(POOL) for _ in range(size)))
    return texts


@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("strip_punctuation", [True, False])
def test_kernels_follow_the_definitions(lowercase: bool, strip_punctuation: bool) -> None:
    texts = random_texts(seed=int(lowercase) * 2 + int(strip_punctuation), count=300)
    array = pa.array(texts, pa.string())
    words = find_words(array, lowercase=lowercase, strip_punctuation=strip_punctuation)
    chars = character_units(words)
    lowered = pc.utf8_lower(array).to_pylist() if lowercase else texts  # Arrow's lowercase
    expected = [reference_words(text, strip_punctuation) for text in lowered]
    got = [
        [bytes(words.data[s:e]) for s, e in zip(words.starts[a:b], words.ends[a:b], strict=True)]
        for a, b in zip(words.offsets[:-1], words.offsets[1:], strict=True)
    ]
    assert got == expected
    word_hashes = [[word_hash(w) for w in doc] for doc in expected]
    assert words.hashes.tolist() == [h for doc in word_hashes for h in doc]
    assert normalised_text_hashes(words).tolist() == [exact_hash(doc) for doc in word_hashes]
    units = [char_units(doc) for doc in expected]
    assert chars.hashes.tolist() == [u for doc in units for u in doc]
    assert np.diff(chars.offsets).tolist() == [len(doc) for doc in units]
    for n in (1, 2, 5, 9):
        for per_doc, hashed in ((word_hashes, Units(words.hashes, words.offsets)), (units, chars)):
            got_shingles = ngram_shingles(hashed, n)
            expected_shingles = [shingles(doc, n) for doc in per_doc]
            assert got_shingles.hashes.tolist() == [s for doc in expected_shingles for s in doc]
            assert np.diff(got_shingles.offsets).tolist() == [len(s) for s in expected_shingles]


def byte_classes(data: bytes, strip_punctuation: bool) -> list[bool]:
    """The documented byte classes of any bytes, valid UTF-8 or not."""

    def lead(q: int) -> tuple[int, bool]:
        b0 = data[q]
        length = 4 if b0 >= 0xF0 else 3 if b0 >= 0xE0 else 2
        low = [data[q + k] & 0x3F if q + k < len(data) else 0 for k in (1, 2, 3)]
        code = (b0 & (0x7F >> length)) << (6 * (length - 1))
        for k in range(length - 1):
            code |= low[k] << (6 * (length - 2 - k))
        return length, is_word_character(chr(code), strip_punctuation) if code < 0x110000 else (
            not strip_punctuation
        )

    classes = []
    for p, byte in enumerate(data):
        covering = [q for q in range(max(p - 3, 0), p) if data[q] >= 0xC0 and lead(q)[0] > p - q]
        if covering:
            classes.append(lead(covering[0])[1])
        elif byte >= 0xC0:
            classes.append(lead(p)[1])
        else:
            classes.append(byte >= 0x80 or is_word_character(chr(byte), strip_punctuation))
    return classes


@pytest.mark.parametrize("strip_punctuation", [True, False])
def test_invalid_utf8_bytes_are_classified_as_documented(strip_punctuation: bool) -> None:
    rng = random.Random(5)
    alphabet = b"a ,\x80\xa9\xbf\xc3\xcc\xe2\xe6\xf0\xf3\xf8\xff"
    data = bytes(rng.choice(alphabet) for _ in range(3000))
    cuts = sorted(rng.sample(range(1, len(data)), 60))
    offsets = np.array([0, *cuts, len(data)], dtype=np.int32)
    array = pa.Array.from_buffers(
        pa.string(), len(offsets) - 1, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)]
    )
    words = find_words(array, lowercase=False, strip_punctuation=strip_punctuation)
    classes = byte_classes(data, strip_punctuation)
    expected = []
    for begin, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True):
        run = None
        for p in range(begin, end + 1):
            if p < end and classes[p]:
                run = p if run is None else run
            elif run is not None:
                expected.append((run, p))
                run = None
    assert list(zip(words.starts.tolist(), words.ends.tolist(), strict=True)) == expected
    assert words.hashes.tolist() == [word_hash(data[s:e]) for s, e in expected]
