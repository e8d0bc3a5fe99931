"""Exact feature values on hand-made texts (expected values worked out by hand)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.quality.features import FEATURES, FeatureSettings, compute_features
from pipeline.quality.presets import (
    BULLET_CHARACTERS,
    FINEWEB_TERMINAL_PUNCTUATION,
    GOPHER_STOP_WORDS,
    NEWS_TERMINAL_PUNCTUATION,
)

SETTINGS = FeatureSettings(
    stop_words=GOPHER_STOP_WORDS,
    terminal_punctuation=FINEWEB_TERMINAL_PUNCTUATION,
    bullet_characters=BULLET_CHARACTERS,
    short_line_chars=30,
)


def features_of(texts: list[str], settings: FeatureSettings = SETTINGS, original=None):
    original_array = None if original is None else pa.array(original, pa.int64())
    return compute_features(pa.array(texts, pa.string()), original_array, settings)


def test_word_features() -> None:
    text = "The cat, the dog... and #tags — 123 be!"
    f = features_of([text])
    # tokens: The | cat, | the | dog... | and | #tags | — | 123 | be!  (the dash is no word)
    assert f["word_count"].tolist() == [8]
    assert f["mean_word_length"].tolist() == [3.0]  # 3+3+3+3+3+4+3+2 = 24 over 8
    assert f["median_word_length"].tolist() == [3.0]
    assert f["hash_word_ratio"].tolist() == [1 / 8]
    assert f["ellipsis_word_ratio"].tolist() == [1 / 8]
    assert f["alpha_word_frac"].tolist() == [7 / 9]  # all tokens but "—" and "123"
    assert f["stop_word_count"].tolist() == [4]  # The, the, and, be
    assert f["sentence_count"].tolist() == [2]  # "dog... " and "be!" at the end
    assert f["char_count"].tolist() == [len(text)]
    assert f["newline_word_ratio"].tolist() == [0.0]


def test_median_of_even_count_is_mean_of_middle_pair() -> None:
    f = features_of(["a bb cccc dddddd"])
    assert f["median_word_length"].tolist() == [3.0]
    assert f["mean_word_length"].tolist() == [13 / 4]


def test_line_features_and_typographic_quotes() -> None:
    text = (
        "• first bullet line\n- second bullet\nA normal line that ends with a stop.\n"
        "He said “yes”\nWait for it...\n\n   \nshort\nEnds with ellipsis char…"
    )
    fineweb = features_of([text])
    assert fineweb["line_count"].tolist() == [7]
    assert fineweb["bullet_line_frac"].tolist() == [2 / 7]
    assert fineweb["ellipsis_line_frac"].tolist() == [2 / 7]
    assert fineweb["short_line_frac"].tolist() == [6 / 7]
    assert fineweb["line_punct_frac"].tolist() == [2 / 7]  # "stop." and "it..."
    news_settings = FeatureSettings(
        stop_words=GOPHER_STOP_WORDS,
        terminal_punctuation=NEWS_TERMINAL_PUNCTUATION,
        bullet_characters=BULLET_CHARACTERS,
        short_line_chars=30,
    )
    news = features_of([text], news_settings)
    assert news["line_punct_frac"].tolist() == [4 / 7]  # plus “yes” and char…
    assert news["newline_word_ratio"].tolist() == [8 / 24]


def test_duplicate_lines_and_paragraphs() -> None:
    lines = "alpha beta gamma\nsecond line\nalpha beta gamma\n\nsecond line\nalpha beta gamma"
    paragraphs = "One para here.\n\nAnother para.\n\n\n  \nOne para here."
    f = features_of([lines, paragraphs])
    assert f["dup_line_frac"].tolist() == [3 / 5, 1 / 3]
    assert f["dup_line_char_frac"].tolist() == [43 / 70, 14 / 41]
    assert f["dup_para_frac"].tolist() == [0.0, 1 / 3]
    assert f["dup_para_char_frac"].tolist() == [0.0, 14 / 41]


def test_top_ngram_fractions() -> None:
    f = features_of(["the cat sat the cat ran the cat"])
    assert f["top_2gram_char_frac"].tolist() == [18 / 24]  # "the cat" x3, 6 chars each
    assert f["top_3gram_char_frac"].tolist() == [0.0]  # no 3-gram occurs twice
    assert f["top_4gram_char_frac"].tolist() == [0.0]


def test_duplicate_ngram_fractions_and_ties() -> None:
    f = features_of(["one two three four five zz one two three four five"])
    # total word characters 40; the 5-gram (19 chars) occurs twice
    assert f["dup_5gram_char_frac"].tolist() == [38 / 40]
    for n in range(6, 11):
        assert f[f"dup_{n}gram_char_frac"].tolist() == [0.0]
    # ties among 2-grams that occur twice: the longest ("three four", 9 chars) counts
    assert f["top_2gram_char_frac"].tolist() == [18 / 40]
    assert f["top_3gram_char_frac"].tolist() == [26 / 40]  # "three four five"
    assert f["top_4gram_char_frac"].tolist() == [32 / 40]  # "two three four five"


def test_ngrams_never_cross_documents() -> None:
    f = features_of(["a b c d e", "a b c d e", ""])
    assert f["dup_5gram_char_frac"].tolist() == [0.0, 0.0, 0.0]
    assert f["top_2gram_char_frac"].tolist() == [0.0, 0.0, 0.0]


def test_flags_and_removed_characters() -> None:
    texts = ["Lorem Ipsum dolor sit amet", "var x = {a: 1}", "abcd", "abcd"]
    f = features_of(texts, original=[None, 0, 10, 2])
    assert f["has_lorem_ipsum"].tolist() == [True, False, False, False]
    assert f["has_curly_bracket"].tolist() == [False, True, False, False]
    assert f["removed_char_frac"].tolist() == [0.0, 0.0, 0.6, 0.0]
    assert features_of(["abcd"])["removed_char_frac"].tolist() == [0.0]


def test_empty_batch_and_empty_texts() -> None:
    empty = features_of([])
    assert all(values.size == 0 for values in empty.values())
    blank = features_of(["", "   \n\n  "])
    assert blank["word_count"].tolist() == [0, 0]
    assert blank["line_count"].tolist() == [0, 0]
    assert blank["mean_word_length"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("feature", FEATURES, ids=lambda feature: feature.name)
def test_every_feature_has_its_declared_dtype(feature) -> None:
    values = features_of(["Some text here.\nAnd more!"])[feature.name]
    assert pa.array(values, feature.type).type == feature.type
    assert np.all(np.isfinite(values.astype(np.float64)))
