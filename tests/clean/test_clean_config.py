"""Cleaning configs: defaults build stages that follow the protocols; bad values fail early."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipeline.clean.config import (
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    RepeatedBlocksConfig,
    SiteBoilerplateConfig,
)
from pipeline.config import ConfigError, validate_config
from pipeline.schema import REMOVED_LINES, TEXT
from pipeline.stage import BatchStage, GlobalStage


def test_default_stages_follow_the_protocols() -> None:
    for config in (
        NormalizeConfig(),
        BlockRulesConfig(),
        LineRulesConfig(),
        RepeatedBlocksConfig(),
    ):
        stage = config.build()
        assert isinstance(stage, BatchStage)
        assert stage.name == config.type
        assert TEXT in {field.name for field in stage.output_fields()}
    site = SiteBoilerplateConfig().build()
    assert isinstance(site, GlobalStage) and site.name == "site_boilerplate"
    assert {f.name for f in site.output_fields()} == {TEXT, REMOVED_LINES}


def test_invalid_pattern_is_a_config_error() -> None:
    raw = {"stages": [{"type": "line_rules", "extra_rules": {"mine": ["(unclosed"]}}]}
    with pytest.raises(ConfigError, match=r"stages\[0\]\.extra_rules.*not a valid RE2 pattern"):
        validate_config(raw)
    with pytest.raises(ValidationError, match="not a valid RE2 pattern"):
        BlockRulesConfig(related_headings=["(?<=lookbehind)"])


def test_rule_names_are_identifiers() -> None:
    with pytest.raises(ValidationError, match="ASCII identifiers"):
        LineRulesConfig(extra_rules={"my rule!": ["x"]})


def test_unknown_key_gets_a_hint() -> None:
    raw = {"stages": [{"type": "repeated_blocks", "min_block_line": 3}]}
    with pytest.raises(ConfigError, match="did you mean 'min_block_lines'"):
        validate_config(raw)


def test_site_thresholds_are_consistent() -> None:
    with pytest.raises(ValidationError, match="min_docs_sentence must be at least min_docs"):
        SiteBoilerplateConfig(min_docs=10, min_docs_sentence=5)


def test_nested_page_structure_override() -> None:
    raw = {"stages": [{"type": "line_rules", "page_structure": {"min_prose_share": 0.5}}]}
    config = validate_config(raw)
    assert config.stages[0].page_structure.min_prose_share == 0.5
    assert config.stages[0].page_structure.zone_min_lines == 6
