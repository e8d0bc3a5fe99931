"""Document quality features: typed columns computed once per batch, shared by all rules.

Every feature is an output column `q_<name>` (declared in `FEATURES`, with its Arrow type and the
fixed histogram bins of the stats key `quality.<name>`), so thresholds can be re-applied to the
output without recomputing anything. Definitions:

* words: whitespace-separated tokens that contain at least one character that is not
  punctuation (`word_count`, mean / median length after trimming surrounding punctuation);
  `alpha_word_frac` is over all tokens, as in the Gopher paper;
* lines: non-empty lines stripped of surrounding whitespace; paragraphs: separated by blank lines;
* `removed_char_frac`: `1 - len(text) / original_chars` (0 when `original_chars` is null).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.text_units import utf8_view
from pipeline.quality.interning import piece_ids
from pipeline.quality.repetition import (
    DUPLICATE_NGRAM_SIZES,
    TOP_NGRAM_SIZES,
    duplicate_pieces,
    ngram_repetition,
)
from pipeline.quality.segments import (
    CHARS,
    CURLY,
    DOT_ELLIPSES,
    ELLIPSES,
    HASHES,
    LOREM_IPSUM,
    NEWLINES,
    SENTENCES,
    Pieces,
    safe_ratio,
    split_segments,
)
from pipeline.quality.utf8 import first_code_point, last_code_point
from pipeline.quality.words import word_features

FEATURE_PREFIX = "q_"

FRACTION_EDGES: tuple[float, ...] = (0.0, 0.001, 0.0025, 0.005, 0.0075) + tuple(
    i / 100 for i in range(1, 101)
)
RATIO_EDGES: tuple[float, ...] = FRACTION_EDGES + (1.5, 2.0, 5.0, 10.0, 100.0)
LENGTH_EDGES: tuple[float, ...] = tuple(i / 2 for i in range(0, 41)) + (30.0, 50.0, 100.0)
COUNT_EDGES: tuple[float, ...] = (
    0,
    1,
    2,
    3,
    4,
    5,
    10,
    20,
    30,
    50,
    75,
    100,
    150,
    200,
    300,
    500,
    1000,
    2000,
    5000,
    10_000,
    100_000,
    1_000_000,
)
FLAG_EDGES: tuple[float, ...] = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class Feature:
    """One feature column: name (without prefix), Arrow type, histogram bins, meaning."""

    name: str
    type: pa.DataType
    edges: tuple[float, ...]
    description: str

    @property
    def column(self) -> str:
        return FEATURE_PREFIX + self.name


def _fraction(name: str, description: str) -> Feature:
    return Feature(name, pa.float64(), FRACTION_EDGES, description)


FEATURES: tuple[Feature, ...] = (
    Feature("char_count", pa.int64(), COUNT_EDGES, "characters of the (cleaned) text"),
    Feature("word_count", pa.int32(), COUNT_EDGES, "words (tokens with a non-punctuation char)"),
    Feature("line_count", pa.int32(), COUNT_EDGES, "non-empty lines"),
    Feature("mean_word_length", pa.float64(), LENGTH_EDGES, "mean word length (trimmed)"),
    Feature("median_word_length", pa.float64(), LENGTH_EDGES, "median word length"),
    Feature("hash_word_ratio", pa.float64(), RATIO_EDGES, "'#' characters per word"),
    Feature("ellipsis_word_ratio", pa.float64(), RATIO_EDGES, "'...' and '…' per word"),
    _fraction("bullet_line_frac", "lines starting with a bullet character"),
    _fraction("ellipsis_line_frac", "lines ending with '...' or '…'"),
    _fraction("alpha_word_frac", "tokens containing a letter"),
    Feature("stop_word_count", pa.int32(), COUNT_EDGES, "occurrences of the stop words"),
    _fraction("dup_line_frac", "lines repeating an earlier line"),
    _fraction("dup_para_frac", "paragraphs repeating an earlier paragraph"),
    _fraction("dup_line_char_frac", "characters in repeated lines"),
    _fraction("dup_para_char_frac", "characters in repeated paragraphs"),
    *(
        _fraction(f"top_{n}gram_char_frac", f"characters in the most frequent word {n}-gram")
        for n in TOP_NGRAM_SIZES
    ),
    *(
        _fraction(f"dup_{n}gram_char_frac", f"characters in repeated word {n}-grams")
        for n in DUPLICATE_NGRAM_SIZES
    ),
    _fraction("line_punct_frac", "lines ending with terminal punctuation"),
    _fraction("short_line_frac", "lines of at most short_line_chars characters"),
    Feature("newline_word_ratio", pa.float64(), RATIO_EDGES, "newline characters per word"),
    Feature("sentence_count", pa.int32(), COUNT_EDGES, "sentence ends ('.', '!', '?', '…')"),
    Feature("has_lorem_ipsum", pa.bool_(), FLAG_EDGES, "contains 'lorem ipsum' (any case)"),
    Feature("has_curly_bracket", pa.bool_(), FLAG_EDGES, "contains '{'"),
    _fraction("removed_char_frac", "share of the original characters the clean stages removed"),
)
FEATURES_BY_NAME: dict[str, Feature] = {feature.name: feature for feature in FEATURES}


@dataclass(frozen=True)
class FeatureSettings:
    """Settings that change what a feature measures."""

    stop_words: tuple[str, ...]
    terminal_punctuation: tuple[str, ...]
    bullet_characters: tuple[str, ...]
    short_line_chars: int


def compute_features(
    texts: pa.Array, original_chars: pa.Array | None, settings: FeatureSettings
) -> dict[str, np.ndarray]:
    """All features of a batch (`texts` without nulls), keyed by feature name."""
    n_docs = len(texts)
    data, offsets = utf8_view(texts)
    segments = split_segments(data, offsets)
    marks, words, lines = segments.marks, segments.words, segments.lines
    char_count = marks[:, CHARS]
    word_ids, first_words = piece_ids(data, words)
    out: dict[str, np.ndarray] = {"char_count": char_count}
    out.update(
        word_features(
            data,
            words,
            word_ids,
            first_words,
            settings.stop_words,
            hashes=marks[:, HASHES],
            ellipses=marks[:, DOT_ELLIPSES] + marks[:, ELLIPSES],
        )
    )
    out.update(_line_features(data, lines, settings))
    line_dups = duplicate_pieces(lines, piece_ids(data, lines)[0])
    paragraphs = segments.paragraphs
    para_dups = duplicate_pieces(paragraphs, piece_ids(data, paragraphs)[0])
    out["dup_line_frac"], out["dup_line_char_frac"] = line_dups.frac, line_dups.char_frac
    out["dup_para_frac"], out["dup_para_char_frac"] = para_dups.frac, para_dups.char_frac
    repetition = ngram_repetition(words, word_ids)
    for n, values in repetition.top_char_frac.items():
        out[f"top_{n}gram_char_frac"] = values
    for n, values in repetition.dup_char_frac.items():
        out[f"dup_{n}gram_char_frac"] = values
    out["newline_word_ratio"] = safe_ratio(marks[:, NEWLINES], out["word_count"])
    out["sentence_count"] = marks[:, SENTENCES].astype(np.int32)
    out["has_lorem_ipsum"] = marks[:, LOREM_IPSUM].astype(bool)
    out["has_curly_bracket"] = marks[:, CURLY].astype(bool)
    out["removed_char_frac"] = _removed_fraction(char_count, original_chars, n_docs)
    return {feature.name: out[feature.name] for feature in FEATURES}


def _line_features(data: np.ndarray, lines: Pieces, settings: FeatureSettings) -> dict:
    count = lines.count()
    bullets = _single_code_points(settings.bullet_characters)
    terminal = _single_code_points(settings.terminal_punctuation)
    flags = _line_flags(data, lines.start, lines.end, bullets, terminal)
    is_short = lines.length <= settings.short_line_chars
    return {
        "line_count": count.astype(np.int32),
        "bullet_line_frac": safe_ratio(lines.count(flags[0]), count),
        "ellipsis_line_frac": safe_ratio(lines.count(flags[2]), count),
        "line_punct_frac": safe_ratio(lines.count(flags[1]), count),
        "short_line_frac": safe_ratio(lines.count(is_short), count),
    }


def _single_code_points(characters: Sequence[str]) -> np.ndarray:
    """The code points of the one-character entries (only those can equal a line's first or last
    character)."""
    return np.array(sorted({ord(entry) for entry in characters if len(entry) == 1}), np.int64)


@numba.njit(cache=True, nogil=True)
def _line_flags(
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    bullets: np.ndarray,
    terminal: np.ndarray,
) -> np.ndarray:
    """Per line (columns): starts with a bullet, ends with terminal punctuation, ends with '...'
    or '…' (rows)."""
    flags = np.zeros((3, starts.size), dtype=np.bool_)
    for i in range(starts.size):
        start, end = starts[i], ends[i]
        first = first_code_point(data, start)
        last = last_code_point(data, start, end)
        for bullet in bullets:
            flags[0, i] |= bullet == first
        for character in terminal:
            flags[1, i] |= character == last
        if end - start >= 3:
            a, b, c = data[end - 3], data[end - 2], data[end - 1]
            flags[2, i] = (a == 0x2E and b == 0x2E and c == 0x2E) or (
                a == 0xE2 and b == 0x80 and c == 0xA6
            )
    return flags


def _removed_fraction(
    char_count: np.ndarray, original_chars: pa.Array | None, n_docs: int
) -> np.ndarray:
    if original_chars is None:
        return np.zeros(n_docs, dtype=np.float64)
    original = _numpy(pc.fill_null(original_chars, 0), np.float64)
    removed = safe_ratio(original - char_count, original)
    return np.clip(removed, 0.0, 1.0)


def _numpy(array: pa.Array | pa.ChunkedArray, dtype: type | np.dtype | None = None) -> np.ndarray:
    values = array.to_numpy(zero_copy_only=False)
    return values if dtype is None else values.astype(dtype, copy=False)


def feature_fields(names: Sequence[str] | None = None) -> list[pa.Field]:
    """Arrow fields of the feature columns (all of them, or those named)."""
    chosen = FEATURES if names is None else [FEATURES_BY_NAME[name] for name in names]
    return [pa.field(feature.column, feature.type) for feature in chosen]
