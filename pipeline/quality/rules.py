"""The decide step: thresholds applied to feature columns, in a fixed documented order.

A document is dropped by the first rule (in `RULES` order) it fails; the rule's `reason` is
written to `drop_reason`. A rule whose threshold is None is disabled. Comparisons are strict, as in
the published filters: `below` drops `value < threshold`, `above` drops `value > threshold`, `flag`
drops a true feature when its setting is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.quality.repetition import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES

Comparison = Literal["below", "above", "flag"]
KEEP = -1


@dataclass(frozen=True)
class Rule:
    """Drop with `reason` when feature `feature` compares with the threshold at config `key`."""

    reason: str
    feature: str
    comparison: Comparison
    key: str


RULES: tuple[Rule, ...] = (
    Rule("empty_doc", "word_count", "below", "drop_empty"),
    Rule("gopher_short_doc", "word_count", "below", "gopher_min_words"),
    Rule("gopher_long_doc", "word_count", "above", "gopher_max_words"),
    Rule("gopher_mean_word_length", "mean_word_length", "below", "gopher_min_mean_word_length"),
    Rule("gopher_mean_word_length", "mean_word_length", "above", "gopher_max_mean_word_length"),
    Rule("gopher_symbol_ratio", "hash_word_ratio", "above", "gopher_max_symbol_word_ratio"),
    Rule("gopher_symbol_ratio", "ellipsis_word_ratio", "above", "gopher_max_symbol_word_ratio"),
    Rule("gopher_bullet_lines", "bullet_line_frac", "above", "gopher_max_bullet_line_frac"),
    Rule("gopher_ellipsis_lines", "ellipsis_line_frac", "above", "gopher_max_ellipsis_line_frac"),
    Rule("gopher_alpha_words", "alpha_word_frac", "below", "gopher_min_alpha_word_frac"),
    Rule("gopher_stop_words", "stop_word_count", "below", "gopher_min_stop_words"),
    Rule("gopher_dup_line_frac", "dup_line_frac", "above", "gopher_max_dup_line_frac"),
    Rule("gopher_dup_para_frac", "dup_para_frac", "above", "gopher_max_dup_para_frac"),
    Rule(
        "gopher_dup_line_char_frac",
        "dup_line_char_frac",
        "above",
        "gopher_max_dup_line_char_frac",
    ),
    Rule(
        "gopher_dup_para_char_frac",
        "dup_para_char_frac",
        "above",
        "gopher_max_dup_para_char_frac",
    ),
    *(
        Rule(
            f"gopher_top_{n}gram",
            f"top_{n}gram_char_frac",
            "above",
            f"gopher_max_top_{n}gram_char_frac",
        )
        for n in TOP_NGRAM_SIZES
    ),
    *(
        Rule(
            f"gopher_dup_{n}gram",
            f"dup_{n}gram_char_frac",
            "above",
            f"gopher_max_dup_{n}gram_char_frac",
        )
        for n in DUPLICATE_NGRAM_SIZES
    ),
    Rule("c4_lorem_ipsum", "has_lorem_ipsum", "flag", "c4_drop_lorem_ipsum"),
    Rule("c4_curly_bracket", "has_curly_bracket", "flag", "c4_drop_curly_bracket"),
    Rule("c4_too_few_sentences", "sentence_count", "below", "c4_min_sentences"),
    Rule("fineweb_line_punct_ratio", "line_punct_frac", "below", "fineweb_min_line_punct_frac"),
    Rule("fineweb_short_lines", "short_line_frac", "above", "fineweb_max_short_line_frac"),
    Rule(
        "fineweb_dup_line_char_frac",
        "dup_line_char_frac",
        "above",
        "fineweb_max_dup_line_char_frac",
    ),
    Rule("fineweb_newline_ratio", "newline_word_ratio", "above", "fineweb_max_newline_word_ratio"),
    Rule("cleaning_removed_char_frac", "removed_char_frac", "above", "max_removed_char_frac"),
)
REASONS: tuple[str, ...] = tuple(dict.fromkeys(rule.reason for rule in RULES))


def threshold_of(rule: Rule, settings: Mapping[str, object]) -> float | None:
    """The rule's threshold from config values, or None when the rule is disabled."""
    value = settings.get(rule.key)
    if rule.key == "drop_empty":
        return 1.0 if value else None
    if rule.comparison == "flag":
        return 1.0 if value else None
    return None if value is None else float(value)  # type: ignore[arg-type]


def rule_failures(rule: Rule, features: Mapping[str, np.ndarray], threshold: float) -> np.ndarray:
    """Boolean mask of the documents that fail `rule` at `threshold`."""
    values = features[rule.feature]
    if rule.comparison == "flag":
        return values.astype(bool)
    if rule.comparison == "below":
        return values < threshold
    return values > threshold


def decide(
    features: Mapping[str, np.ndarray],
    settings: Mapping[str, object],
    *,
    applies: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Index into `REASONS` of the first failing rule per document (`KEEP` = -1 when none),
    and per reason the mask of documents failing it regardless of order.

    `applies` optionally restricts a reason to some documents (e.g. the stop-word rule to the
    languages it is meant for)."""
    n_docs = len(next(iter(features.values()))) if features else 0
    first = np.full(n_docs, KEEP, dtype=np.int16)
    failing: dict[str, np.ndarray] = {}
    for rule in RULES:
        threshold = threshold_of(rule, settings)
        if threshold is None:
            continue
        fails = rule_failures(rule, features, threshold)
        if applies is not None and rule.reason in applies:
            fails &= applies[rule.reason]
        failing[rule.reason] = failing[rule.reason] | fails if rule.reason in failing else fails
        first[(first == KEEP) & fails] = REASONS.index(rule.reason)
    return first, failing
