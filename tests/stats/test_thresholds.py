"""Thresholds from a resolved config: the `feature_thresholds()` hook, else min_/max_ keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pipeline.config import load_config
from pipeline.quality.config import QualityConfig
from pipeline.stats.thresholds import FeatureThreshold, _from_keys, feature_thresholds


@dataclass
class Item:
    feature: str
    bound: str
    value: float
    reason: str | None = None


def test_min_and_max_keys_at_any_depth() -> None:
    config: dict[str, Any] = {
        "type": "quality",
        "min_words": 50,
        "gopher": {"max_symbol_word_ratio": 0.1, "enabled": True, "min_flag": True},
        "max_name": "text",
        "minimum": 3,
    }
    assert _from_keys("quality", config, "stages[0]") == [
        FeatureThreshold("quality", "words", "min", 50.0, key="stages[0].min_words"),
        FeatureThreshold(
            "quality", "symbol_word_ratio", "max", 0.1, key="stages[0].gopher.max_symbol_word_ratio"
        ),
    ]


def test_the_hook_takes_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    def hook(self: QualityConfig) -> list[Any]:
        return [
            {"feature": "word_count", "bound": "min", "value": 50, "reason": "gopher_short_doc"},
            Item("symbol_ratio", "max", 0.1),
        ]

    monkeypatch.setattr(QualityConfig, "feature_thresholds", hook, raising=False)
    config = load_config(None, ["stages=[{type: quality}, {type: dedup, enabled: false}]"])
    found = feature_thresholds(config)
    assert found == [
        FeatureThreshold("quality", "word_count", "min", 50.0, "gopher_short_doc"),
        FeatureThreshold("quality", "symbol_ratio", "max", 0.1),
    ]
    assert [t.passes(v) for t, v in zip(found, [49, 0.1], strict=True)] == [False, True]
    assert found[0].passes(None) is None and found[0].describe() == ">= 50"


def test_a_bad_bound_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        QualityConfig,
        "feature_thresholds",
        lambda self: [{"feature": "x", "bound": "above", "value": 1}],
        raising=False,
    )
    config = load_config(None, ["stages=[{type: quality}]"])
    with pytest.raises(ValueError, match="bound must be min or max, not above"):
        feature_thresholds(config)
