"""Every rule at, just below and just above its threshold, with the exact drop reason."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from quality_fixtures import good_article

from pipeline.quality.config import QualityConfig
from pipeline.quality.features import FeatureSettings, compute_features
from pipeline.quality.presets import PRESETS
from pipeline.quality.rules import KEEP, REASONS, RULES, Rule, decide, threshold_of

# Every rule on, at its published value (Gopher, C4's code, FineWeb), plus an opt-in removed share.
PUBLISHED = {**PRESETS["gopher"]}
PUBLISHED.update({key: PRESETS["c4"][key] for key in PRESETS["c4"] if key.startswith("c4_")})
PUBLISHED.update({k: PRESETS["fineweb"][k] for k in PRESETS["fineweb"] if k.startswith("fineweb_")})
SETTINGS = QualityConfig(**{**PUBLISHED, "max_removed_char_frac": 0.5}).model_dump()
INTEGER_FEATURES = {"word_count", "stop_word_count", "sentence_count"}


def baseline() -> dict[str, np.ndarray]:
    """Features of a good article, which passes every rule."""
    config = QualityConfig(preset="news")
    settings = FeatureSettings(
        stop_words=tuple(config.stop_words),
        terminal_punctuation=tuple(config.terminal_punctuation),
        bullet_characters=tuple(config.bullet_characters),
        short_line_chars=config.short_line_chars,
    )
    text = pa.array([good_article()], pa.string())
    return compute_features(text, pa.array([len(good_article())], pa.int64()), settings)


def reason_for(features: dict[str, np.ndarray], settings=SETTINGS) -> str | None:
    first, _ = decide(features, settings)
    return None if first[0] == KEEP else REASONS[first[0]]


def with_value(feature: str, value: float) -> dict[str, np.ndarray]:
    features = {name: values.copy() for name, values in baseline().items()}
    features[feature] = np.asarray([value], dtype=features[feature].dtype)
    return features


def test_baseline_article_passes_every_rule() -> None:
    first, failing = decide(baseline(), SETTINGS)
    assert first.tolist() == [KEEP]
    assert not any(mask.any() for mask in failing.values())


THRESHOLD_RULES = [rule for rule in RULES if rule.comparison != "flag"]


def only(rule: Rule, value: object | None = None) -> dict[str, object]:
    """Settings with every rule disabled except `rule` (at its news-preset value, or `value`)."""
    settings = QualityConfig(preset="none", drop_empty=False).model_dump()
    settings[rule.key] = SETTINGS[rule.key] if value is None else value
    return settings


@pytest.mark.parametrize("rule", THRESHOLD_RULES, ids=lambda rule: f"{rule.reason}-{rule.key}")
def test_rule_at_below_and_above_threshold(rule: Rule) -> None:
    settings = only(rule)
    threshold = threshold_of(rule, settings)
    assert threshold is not None
    if rule.feature in INTEGER_FEATURES:
        below, above = threshold - 1, threshold + 1
    else:
        below, above = np.nextafter(threshold, -np.inf), np.nextafter(threshold, np.inf)
    failing_value = below if rule.comparison == "below" else above
    passing_value = above if rule.comparison == "below" else below
    assert reason_for(with_value(rule.feature, threshold), settings) is None
    assert reason_for(with_value(rule.feature, passing_value), settings) is None
    assert reason_for(with_value(rule.feature, failing_value), settings) == rule.reason


@pytest.mark.parametrize("rule", [r for r in RULES if r.comparison == "flag"], ids=str)
def test_flag_rules(rule: Rule) -> None:
    assert reason_for(with_value(rule.feature, True), only(rule)) == rule.reason
    assert reason_for(with_value(rule.feature, False), only(rule)) is None
    assert reason_for(with_value(rule.feature, True), only(rule, False)) is None


@pytest.mark.parametrize("rule", THRESHOLD_RULES, ids=lambda rule: f"{rule.reason}-{rule.key}")
def test_null_threshold_disables_rule(rule: Rule) -> None:
    largest = 2_000_000_000 if rule.feature in INTEGER_FEATURES else 1e12
    extreme = -1 if rule.comparison == "below" else largest
    settings = only(rule)
    settings[rule.key] = False if rule.key == "drop_empty" else None
    assert reason_for(with_value(rule.feature, extreme), settings) is None


def test_news_preset_differs_from_the_published_values_only_where_documented() -> None:
    news = QualityConfig(preset="news").model_dump()
    published = QualityConfig(**PUBLISHED).model_dump()
    changed = {key: news[key] for key in news if news[key] != published[key]}
    assert changed == {
        "terminal_punctuation": [".", "'", '"', "!", "?", "”", "’", "»", "…"],
        "c4_min_sentences": 3,
        "fineweb_max_dup_line_char_frac": None,
    }
    disabled = [rule.reason for rule in RULES if threshold_of(rule, news) is None]
    assert disabled == ["fineweb_dup_line_char_frac", "cleaning_removed_char_frac"]


def test_published_thresholds_in_rule_order() -> None:
    expected = [
        ("empty_doc", 1.0),
        ("gopher_short_doc", 50.0),
        ("gopher_long_doc", 100_000.0),
        ("gopher_mean_word_length", 3.0),
        ("gopher_mean_word_length", 10.0),
        ("gopher_symbol_ratio", 0.1),
        ("gopher_symbol_ratio", 0.1),
        ("gopher_bullet_lines", 0.9),
        ("gopher_ellipsis_lines", 0.3),
        ("gopher_alpha_words", 0.8),
        ("gopher_stop_words", 2.0),
        ("gopher_dup_line_frac", 0.3),
        ("gopher_dup_para_frac", 0.3),
        ("gopher_dup_line_char_frac", 0.2),
        ("gopher_dup_para_char_frac", 0.2),
        ("gopher_top_2gram", 0.2),
        ("gopher_top_3gram", 0.18),
        ("gopher_top_4gram", 0.16),
        ("gopher_dup_5gram", 0.15),
        ("gopher_dup_6gram", 0.14),
        ("gopher_dup_7gram", 0.13),
        ("gopher_dup_8gram", 0.12),
        ("gopher_dup_9gram", 0.11),
        ("gopher_dup_10gram", 0.1),
        ("c4_lorem_ipsum", 1.0),
        ("c4_curly_bracket", 1.0),
        ("c4_too_few_sentences", 5.0),
        ("fineweb_line_punct_ratio", 0.12),
        ("fineweb_short_lines", 0.67),
        ("fineweb_dup_line_char_frac", 0.01),
        ("fineweb_newline_ratio", 0.3),
        ("cleaning_removed_char_frac", 0.5),
    ]
    assert [(rule.reason, threshold_of(rule, SETTINGS)) for rule in RULES] == expected


def test_first_failing_rule_wins_and_all_failures_are_reported() -> None:
    features = with_value("word_count", 10)
    features["has_curly_bracket"] = np.array([True])
    first, failing = decide(features, SETTINGS)
    assert REASONS[first[0]] == "gopher_short_doc"
    assert failing["gopher_short_doc"].tolist() == [True]
    assert failing["c4_curly_bracket"].tolist() == [True]


def test_applies_mask_restricts_a_reason() -> None:
    features = with_value("stop_word_count", 0)
    first, failing = decide(features, SETTINGS, applies={"gopher_stop_words": np.array([False])})
    assert first.tolist() == [KEEP]
    assert failing["gopher_stop_words"].tolist() == [False]
