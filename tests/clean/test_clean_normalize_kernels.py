"""`normalize`'s compiled passes against their definitions: the RE2 expressions they replace (run
by Arrow, one after the other) and Python's `unicodedata`."""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.clean.config import NormalizeConfig
from pipeline.clean.normalize import normalize_text
from pipeline.clean.normalize_kernels import (
    BMP,
    composition_seconds,
    needs_unicode_check,
    quick_check_yes,
)
from pipeline.dedup.text_units import utf8_view

PIECES = [
    *"abcXYZ019.,!\"'",
    *"éßñ日本語ж",  # multi-byte letters
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    "\n\n\n\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x00",
    "\x07",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\ufeff",
    "\u00a0",
    "\u1680",
    "\u2000",
    "\u2009",
    "\u200a",
    "\u200b",  # zero-width space: not a space here, kept
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "e\u0301",
    "\u2026",
    "\U0001f600",
]


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = ["", " ", "\n", "\r\n", "x", "  x  ", "\n\nx\n\n", "\t \n \t"]
    for _ in range(count):
        texts.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))))
    return texts


def regex_reference(text: pa.Array, config: NormalizeConfig) -> pa.Array:
    """The whitespace steps as RE2 replacements, one after the other (Unicode step left out)."""
    steps = [
        (r"\r\n|[\r\x0b\x0c\x{85}\x{2028}\x{2029}]", "\n"),
        (r"[\x00-\x08\x0e-\x1f\x7f\x{80}-\x{84}\x{86}-\x{9f}\x{feff}]", ""),
    ]
    if config.unify_spaces:
        steps.append((r"[\x{a0}\x{1680}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]", " "))
    steps.append((r"(?m)[ \t]+$", ""))
    if config.collapse_spaces:
        steps.append((r"(\S) {2,}", r"\1 "))
    k = config.max_blank_lines
    steps.append(("\n{" + str(k + 2) + ",}", "\n" * (k + 1)))
    for pattern, replacement in steps:
        text = pc.replace_substring_regex(text, pattern=pattern, replacement=replacement)
    return pc.utf8_trim(text, characters="\n")


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"unify_spaces": False},
        {"collapse_spaces": False},
        {"max_blank_lines": 0},
        {"max_blank_lines": 3, "unify_spaces": False, "collapse_spaces": False},
    ],
)
def test_whitespace_steps_equal_the_regular_expressions(options: dict[str, object]) -> None:
    config = NormalizeConfig(unicode_form="none", **options)
    texts = pa.array(random_texts(3000, seed=len(options)), pa.string())
    expected = regex_reference(texts, config).to_pylist()
    assert normalize_text(texts, config).to_pylist() == expected
    sliced = texts.slice(5, 50)  # offsets that do not start at zero
    assert normalize_text(sliced, config).to_pylist() == expected[5:55]


def test_invalid_utf8_is_kept_as_it_is_and_does_not_crash() -> None:
    raw = [b"a\xc2  b\r", b"\xe2\x80 \n\n\n\xff", b"\x85\xa0 x  ", b"\xe2"]
    offsets = np.cumsum([0] + [len(r) for r in raw]).astype(np.int32)
    text = pa.Array.from_buffers(
        pa.string(), len(raw), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(raw))]
    )
    got = normalize_text(text, NormalizeConfig(unicode_form="none"))
    assert got.cast(pa.binary()).to_pylist() == [
        b"a\xc2 b",  # a stray lead byte is not whitespace: the run after it shrinks
        b"\xe2\x80\n\n\xff",
        b"\x85\xa0 x",  # continuation bytes alone are neither U+0085 nor U+00A0
        b"\xe2",
    ]


def test_unicode_normalisation_changes_only_what_unicodedata_changes() -> None:
    rng = random.Random(7)
    pool = [*"aeo", "\u0301", "\u0308", "é", "Å", "\u212b", "ﬁ", "한", "\u1100\u1161", "\u0cd5"]
    texts = random_texts(500, seed=9) + [
        "".join(rng.choice(pool) for _ in range(rng.randint(0, 8))) for _ in range(2000)
    ]
    for form in ("NFC", "NFKC"):
        config = NormalizeConfig(unicode_form=form, collapse_spaces=False, max_blank_lines=10)
        got = normalize_text(pa.array(texts, pa.string()), config).to_pylist()
        plain = NormalizeConfig(unicode_form="none", collapse_spaces=False, max_blank_lines=10)
        normalized = pa.array([unicodedata.normalize(form, t) for t in texts], pa.string())
        assert got == normalize_text(normalized, plain).to_pylist()


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_quick_check_clears_only_normalised_texts(form: str) -> None:
    yes = quick_check_yes(form)
    assert yes[:0x300].all() if form == "NFC" else yes[:0xA0].all()
    assert not yes[0xD800:0xE000].any()
    rng = random.Random(3)
    cleared = np.flatnonzero(yes)
    for _ in range(300):  # texts of cleared characters are normalised
        text = "".join(chr(int(c)) for c in rng.choices(cleared, k=20))
        assert unicodedata.is_normalized(form, text)
    for code in np.flatnonzero(~yes)[::7].tolist():  # each other character is looked at
        if not 0xD800 <= code < 0xE000:
            data, offsets = utf8_view(pa.array(["ab" + chr(code)], pa.string()))
            assert needs_unicode_check(data, offsets, yes).tolist() == [True]
    data, offsets = utf8_view(pa.array(["plain ascii", "", "é日本", "\U0001f600"]))
    assert needs_unicode_check(data, offsets, yes).tolist() == [False, False, False, True]


def test_compositions_outside_the_bmp_add_no_bmp_character() -> None:
    everything = composition_seconds(0x110000)
    assert {code for code in everything if code < BMP} == composition_seconds()
