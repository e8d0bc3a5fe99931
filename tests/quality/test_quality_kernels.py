"""The numba kernels of the quality features against plain-Python definitions, text by text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from quality_reference import lines_of, paragraphs_of, random_texts, reference_features

from pipeline.dedup.text_units import utf8_view
from pipeline.quality.features import FEATURES, FeatureSettings, compute_features
from pipeline.quality.interning import _same_bytes, intern_spans, piece_ids, span_texts
from pipeline.quality.presets import (
    BULLET_CHARACTERS,
    GOPHER_STOP_WORDS,
    NEWS_TERMINAL_PUNCTUATION,
)
from pipeline.quality.segments import LOREM_IPSUM, SENTENCES, split_segments
from pipeline.quality.utf8 import space_width
from pipeline.quality.words import PUNCTUATION, token_properties

TEXTS = random_texts(400)
SETTINGS = FeatureSettings(
    stop_words=GOPHER_STOP_WORDS,
    terminal_punctuation=NEWS_TERMINAL_PUNCTUATION,
    bullet_characters=(*BULLET_CHARACTERS, "->"),  # a two-character entry never matches
    short_line_chars=12,
)


def buffers(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return utf8_view(pa.array(texts, pa.string()))


def piece_texts(data: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str]:
    raw = data.tobytes()
    return [raw[a:b].decode("utf-8") for a, b in zip(start.tolist(), end.tolist(), strict=True)]


def test_whitespace_is_str_isspace_and_arrows_whitespace() -> None:
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    expected = [len(ch.encode("utf-8")) if ch.isspace() else 0 for ch in characters]
    widths = []
    for ch in characters:
        padded = ch.encode("utf-8") + b"\0\0"
        widths.append(space_width(padded[0], padded[1], padded[2]))
    assert widths == expected
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(pa.array(characters)))
    arrow_spaces = np.asarray(trimmed) == 0
    assert arrow_spaces.tolist() == [width > 0 for width in expected]


def test_segment_marks() -> None:
    data, offsets = buffers(TEXTS)
    marks = split_segments(data, offsets).marks
    expected = [
        [len(t), t.count("\n"), t.count("#"), t.count("..."), t.count("…"), "{" in t] for t in TEXTS
    ]
    assert marks[:, :SENTENCES].tolist() == expected


@pytest.mark.parametrize(
    ("kind", "reference"),
    [("words", str.split), ("lines", lines_of), ("paragraphs", paragraphs_of)],
)
def test_pieces(kind, reference) -> None:
    data, offsets = buffers(TEXTS)
    pieces = getattr(split_segments(data, offsets), kind)
    texts = piece_texts(data, pieces.start, pieces.end)
    expected = [(doc, piece) for doc, text in enumerate(TEXTS) for piece in reference(text)]
    assert list(zip(pieces.doc.tolist(), texts, strict=True)) == expected
    assert pieces.length.tolist() == [len(piece) for _, piece in expected]
    assert pieces.n_docs == len(TEXTS)


def test_piece_ids_are_exact_and_numbered_by_first_occurrence() -> None:
    texts = ["a b a", "b c", "ab a", "c\u00a0a", "日本 日本 本"]
    data, offsets = buffers(texts)
    words = split_segments(data, offsets).words
    ids, first = piece_ids(data, words)
    tokens = [token for text in texts for token in text.split()]
    expected = list(dict.fromkeys(tokens))
    assert span_texts(data, words.start[first], words.end[first]).to_pylist() == expected
    assert ids.tolist() == [expected.index(token) for token in tokens]


def test_many_distinct_pieces_grow_the_table() -> None:
    texts = [" ".join(f"w{i}x{j}" for j in range(300)) + " w0x0" for i in range(20)]
    data, offsets = buffers(texts)
    ids, first = piece_ids(data, split_segments(data, offsets).words)
    assert len(first) == 20 * 300
    assert ids[300] == 0 and ids[-1] == 0


def test_every_feature_equals_its_plain_definition() -> None:
    original = [None if i % 3 else len(t) + i for i, t in enumerate(TEXTS)]
    features = compute_features(
        pa.array(TEXTS, pa.string()), pa.array(original, pa.int64()), SETTINGS
    )
    for row, text in enumerate(TEXTS):
        expected = reference_features(text, SETTINGS, original[row])
        for feature in FEATURES:
            assert features[feature.name][row] == expected[feature.name], (feature.name, text)


def test_sliced_input_reads_only_its_own_documents() -> None:
    texts = pa.array(["first text here", "second one", "third"], pa.string())
    whole = compute_features(texts, None, SETTINGS)
    part = compute_features(texts.slice(1, 2), None, SETTINGS)
    for name, values in part.items():
        assert values.tolist() == whole[name][1:].tolist(), name


def test_span_ids_of_short_and_long_spans_up_to_the_buffer_end() -> None:
    rng = np.random.default_rng(4)
    alphabet = np.frombuffer("abé".encode(), dtype=np.uint8)
    data = rng.choice(alphabet, size=400).astype(np.uint8)
    starts = rng.integers(0, 400, size=3000)
    ends = np.minimum(starts + rng.integers(0, 30, size=3000), 400)
    starts[:40], ends[:40] = 400 - np.arange(40) % 20, 400  # spans that end the buffer
    ids, first = intern_spans(data, starts, ends)
    raw = data.tobytes()
    spans = [raw[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    expected = list(dict.fromkeys(spans))
    assert ids.tolist() == [expected.index(span) for span in spans]
    assert [spans[i] for i in first.tolist()] == expected


def test_sentence_ends_equal_arrows_regex_count() -> None:
    rng = np.random.default_rng(6)
    alphabet = list(".!?…\"'”’»)] \t\n\x0b\x0c\r\x1cab\u00a0\u3000é")
    texts = ["", ".", "a.", "...", ".)", ".).", "?!\"' x", ".\u00a0", "…”", ".\x0b", "a.b.) c"]
    texts += ["".join(rng.choice(alphabet, size=rng.integers(0, 25))) for _ in range(3000)]
    array = pa.array(texts, pa.string())
    expected = pc.count_substring_regex(array, r"[.!?…]+[\"'”’»)\]]*(?:\s|$)")
    marks = split_segments(*utf8_view(array)).marks
    assert marks[:, SENTENCES].tolist() == expected.to_pylist()


@pytest.mark.parametrize("stop_words", [GOPHER_STOP_WORDS, (), ("été", "a.b", "x")])
def test_token_properties_of_ascii_tokens_equal_arrows(stop_words: tuple[str, ...]) -> None:
    rng = np.random.default_rng(8)
    alphabet = list("aZe.,'\"-#(x09@[`{") + ["é", "“", "…"]
    tokens = ["", ".", "The", "THE,", "(the)", "a.b", "été", "Été!", "x", "--"]
    tokens += ["".join(rng.choice(alphabet, size=rng.integers(1, 7))) for _ in range(3000)]
    array = pa.array(tokens, pa.string())
    data, offsets = utf8_view(array)
    length, letter, stop = token_properties(data, offsets[:-1], offsets[1:], stop_words)
    trimmed = [token.strip(PUNCTUATION) for token in tokens]
    assert length.tolist() == [len(token) for token in trimmed]
    assert letter.tolist() == pc.match_substring_regex(array, r"\pL").to_pylist()
    assert stop.tolist() == [token.lower() in stop_words for token in trimmed]


def test_pieces_beyond_the_first_capacity_estimate() -> None:
    texts = ["a\n\n" * 300, "", "b c\n\n\n" * 80 + "d", "e f g h"]
    data, offsets = buffers(texts)
    segments = split_segments(data, offsets)
    for kind, reference in (
        ("words", str.split),
        ("lines", lines_of),
        ("paragraphs", paragraphs_of),
    ):
        pieces = getattr(segments, kind)
        expected = [(doc, piece) for doc, text in enumerate(texts) for piece in reference(text)]
        found = piece_texts(data, pieces.start, pieces.end)
        assert list(zip(pieces.doc.tolist(), found, strict=True)) == expected, kind


def test_long_spans_compare_every_byte() -> None:
    rng = np.random.default_rng(5)
    data = rng.integers(0, 3, size=300).astype(np.uint8)
    for _ in range(3000):
        length = int(rng.integers(9, 40))
        a, b = (int(x) for x in rng.integers(0, 300 - length + 1, size=2))
        if rng.random() < 0.5:  # an equal span, then maybe one byte changed
            data[b : b + length] = data[a : a + length]
            if rng.random() < 0.5 and a != b:
                data[b + int(rng.integers(0, length))] ^= 1
        expected = data[a : a + length].tobytes() == data[b : b + length].tobytes()
        assert _same_bytes(data, a, b, length) == expected


def test_lorem_ipsum_equals_arrows_case_insensitive_match() -> None:
    rng = np.random.default_rng(9)
    parts = ["lorem", "LoReM", "ipsum", "IPſUM", "ipſum", " ", "  ", "\n", "\u00a0", "x", "m", "ip"]
    texts = ["lorem ipsum", "lorem ips", "orem ipsum", "lorem", " ipsum", "LOREM İPSUM"]
    texts += ["lorem ıpsum", "xlorem ipsumx", "lorem\tipsum", "é lorem ipſum"]
    texts += ["".join(rng.choice(parts, size=rng.integers(0, 8))) for _ in range(3000)]
    array = pa.array(texts, pa.string())
    expected = pc.match_substring(array, "lorem ipsum", ignore_case=True).to_pylist()
    marks = split_segments(*utf8_view(array)).marks
    assert marks[:, LOREM_IPSUM].astype(bool).tolist() == expected


def test_a_batch_beyond_int32_offsets_is_refused() -> None:
    data = np.broadcast_to(np.zeros(1, dtype=np.uint8), (2**31,))  # no memory behind it
    with pytest.raises(ValueError, match="2 GiB"):
        split_segments(data, np.array([0, 2**31], dtype=np.int64))
