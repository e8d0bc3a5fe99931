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

import string
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.repetition import (
    DUPLICATE_NGRAM_SIZES,
    TOP_NGRAM_SIZES,
    duplicate_pieces,
    ngram_repetition,
)
from pipeline.quality.segments import (
    Pieces,
    per_doc_median,
    safe_ratio,
    split_lines,
    split_paragraphs,
    split_words,
)

FEATURE_PREFIX = "q_"
PUNCTUATION = string.punctuation + "“”‘’„‚«»‹›…–—―•·¡¿"
SENTENCE_END = r"[.!?…]+[\"'”’»)\]]*(?:\s|$)"

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
    char_count = _numpy(pc.utf8_length(texts), np.int64)
    words = split_words(texts)
    lines = split_lines(texts)
    paragraphs = split_paragraphs(texts)
    out: dict[str, np.ndarray] = {"char_count": char_count}
    out.update(_word_features(texts, words, settings))
    out.update(_line_features(lines, settings))
    line_dups, para_dups = duplicate_pieces(lines), duplicate_pieces(paragraphs)
    out["dup_line_frac"], out["dup_line_char_frac"] = line_dups.frac, line_dups.char_frac
    out["dup_para_frac"], out["dup_para_char_frac"] = para_dups.frac, para_dups.char_frac
    repetition = ngram_repetition(words)
    for n, values in repetition.top_char_frac.items():
        out[f"top_{n}gram_char_frac"] = values
    for n, values in repetition.dup_char_frac.items():
        out[f"dup_{n}gram_char_frac"] = values
    word_count = out["word_count"]
    out["newline_word_ratio"] = safe_ratio(_numpy(pc.count_substring(texts, "\n")), word_count)
    out["sentence_count"] = _numpy(pc.count_substring_regex(texts, SENTENCE_END), np.int32)
    out["has_lorem_ipsum"] = _numpy(pc.match_substring(texts, "lorem ipsum", ignore_case=True))
    out["has_curly_bracket"] = _numpy(pc.match_substring(texts, "{"))
    out["removed_char_frac"] = _removed_fraction(char_count, original_chars, n_docs)
    return {feature.name: out[feature.name] for feature in FEATURES}


def _word_features(
    texts: pa.Array, tokens: Pieces, settings: FeatureSettings
) -> dict[str, np.ndarray]:
    trimmed = pc.utf8_trim(tokens.text, characters=PUNCTUATION)
    trimmed_length = _numpy(pc.utf8_length(trimmed), np.int64)
    is_word = trimmed_length > 0
    word_count = tokens.count(is_word)
    has_letter = _numpy(pc.match_substring_regex(tokens.text, r"\pL"), bool)
    stop_words = pa.array(list(settings.stop_words), pa.string())
    is_stop = _numpy(pc.is_in(pc.utf8_lower(trimmed), value_set=stop_words), bool)
    length_sum = tokens.total(np.where(is_word, trimmed_length, 0))
    hashes = _numpy(pc.count_substring(texts, "#"))
    ellipses = _numpy(pc.count_substring(texts, "...")) + _numpy(pc.count_substring(texts, "…"))
    return {
        "word_count": word_count.astype(np.int32),
        "mean_word_length": safe_ratio(length_sum, word_count),
        "median_word_length": per_doc_median(
            trimmed_length[is_word], tokens.doc[is_word], tokens.n_docs
        ),
        "hash_word_ratio": safe_ratio(hashes, word_count),
        "ellipsis_word_ratio": safe_ratio(ellipses, word_count),
        "alpha_word_frac": safe_ratio(tokens.count(has_letter), tokens.count()),
        "stop_word_count": tokens.count(is_stop).astype(np.int32),
    }


def _line_features(lines: Pieces, settings: FeatureSettings) -> dict[str, np.ndarray]:
    count = lines.count()
    first = pc.utf8_slice_codeunits(lines.text, 0, 1)
    last = pc.utf8_slice_codeunits(lines.text, -1, np.iinfo(np.int32).max)
    bullets = pa.array(list(settings.bullet_characters), pa.string())
    terminal = pa.array(list(settings.terminal_punctuation), pa.string())
    is_bullet = _numpy(pc.is_in(first, value_set=bullets), bool)
    is_terminal = _numpy(pc.is_in(last, value_set=terminal), bool)
    ends_ellipsis = _numpy(
        pc.or_(pc.ends_with(lines.text, "..."), pc.ends_with(lines.text, "…")), bool
    )
    is_short = lines.length <= settings.short_line_chars
    return {
        "line_count": count.astype(np.int32),
        "bullet_line_frac": safe_ratio(lines.count(is_bullet), count),
        "ellipsis_line_frac": safe_ratio(lines.count(ends_ellipsis), count),
        "line_punct_frac": safe_ratio(lines.count(is_terminal), count),
        "short_line_frac": safe_ratio(lines.count(is_short), count),
    }


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
