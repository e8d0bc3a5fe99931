"""Presets, overrides, null, the resolved config and readable errors for both stages."""

from __future__ import annotations

import pyarrow as pa
import pytest
import yaml

from pipeline.config import ConfigError, dump_config, load_config, validate_config
from pipeline.quality.config import QualityConfig
from pipeline.quality.presets import DEFAULT_PRESET, PRESETS
from pipeline.quality.rules import RULES
from pipeline.stats.thresholds import feature_thresholds

NEWS_DISABLED = {"fineweb_dup_line_char_frac", "cleaning_removed_char_frac"}


def quality_of(stage: dict) -> QualityConfig:
    config = validate_config({"stages": [{"type": "quality", **stage}]})
    return config.stages[0]


def test_field_defaults_are_the_default_preset() -> None:
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in QualityConfig.model_fields.items()
        if name in PRESETS[DEFAULT_PRESET]
    }
    assert defaults == PRESETS[DEFAULT_PRESET]
    assert QualityConfig().model_dump() == QualityConfig(preset=DEFAULT_PRESET).model_dump()


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_fills_every_key_and_survives_the_resolved_dump(preset: str) -> None:
    config = quality_of({"preset": preset})
    for key, value in PRESETS[preset].items():
        assert getattr(config, key) == value
    resolved = yaml.safe_load(
        dump_config(validate_config({"stages": [{"type": "quality", "preset": preset}]}))
    )
    assert validate_config(resolved).stages[0] == config


def test_override_and_disable_one_threshold() -> None:
    config = quality_of({"preset": "gopher", "gopher_min_words": 30, "gopher_max_words": None})
    assert (config.gopher_min_words, config.gopher_max_words) == (30, None)
    assert config.gopher_max_dup_line_frac == 0.3  # the rest stays Gopher's
    assert config.c4_min_sentences is None


def test_dotted_override_from_the_command_line(tmp_path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("stages:\n  - type: quality\n    preset: c4\n", encoding="utf-8")
    config = load_config(path, ["stages.quality.c4_min_sentences=null"])
    assert config.stages[0].c4_min_sentences is None
    assert config.stages[0].c4_drop_curly_bracket is True


def test_readable_errors() -> None:
    with pytest.raises(ConfigError, match="did you mean 'gopher_min_words'"):
        quality_of({"gopher_min_word": 10})
    with pytest.raises(ConfigError, match="preset"):
        quality_of({"preset": "gophr"})
    with pytest.raises(ConfigError, match="gopher_min_words must not exceed"):
        quality_of({"gopher_min_words": 200, "gopher_max_words": 100})
    with pytest.raises(ConfigError, match="single character"):
        quality_of({"terminal_punctuation": ["..."]})
    with pytest.raises(ConfigError, match="did you mean 'en'"):
        validate_config({"stages": [{"type": "language", "languages": ["eng"]}]})


def test_empty_batches() -> None:
    empty = pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
    quality = QualityConfig().build().process(empty)
    assert quality.table.num_rows == 0
    assert quality.stats.counters["quality.docs"] == 0
    language = validate_config({"stages": [{"type": "language"}]}).stages[0].build()
    language.setup()
    assert language.process(empty).table.column_names[-3:] == ["lang", "lang_score", "drop_reason"]


def test_thresholds_for_the_statistics_tools() -> None:
    config = load_config(
        None,
        [
            "stages=[{type: language, min_score: 0.65}, {type: quality, preset: c4}]",
            "stages.quality.c4_drop_curly_bracket=false",
        ],
    )
    found = feature_thresholds(config)
    assert [(t.stage, t.feature, t.bound, t.value, t.reason) for t in found] == [
        ("language", "lang_score", "min", 0.65, "language_low_score"),
        ("quality", "q_word_count", "min", 1.0, "empty_doc"),
        ("quality", "q_has_lorem_ipsum", "max", 0.0, "c4_lorem_ipsum"),
        ("quality", "q_sentence_count", "min", 5.0, "c4_too_few_sentences"),
    ]
    assert [t.passes(v) for t, v in zip(found[1:], [1, True, 4], strict=True)] == [
        True,
        False,
        False,
    ]
    news = QualityConfig().feature_thresholds()
    assert {item["reason"] for item in news} == {
        rule.reason for rule in RULES if rule.reason not in NEWS_DISABLED
    }
