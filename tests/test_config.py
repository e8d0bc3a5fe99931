"""Config loading: every error names the key path, the bad value, and a hint where one exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ConfigError, apply_override, load_config, validate_config


def error_of(raw: dict) -> str:
    with pytest.raises(ConfigError) as info:
        validate_config(raw, source="test.yaml")
    return str(info.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"stages": [{"type": "normalize"}, {"type": "dedupe"}]},
            "stages[1].type: unknown stage type 'dedupe'; did you mean 'dedup'?",
        ),
        (
            {"input": {"batch_sise": 10}},
            "input.batch_sise: unknown key; did you mean 'batch_size'?",
        ),
        ({"inptu": {}}, "inptu: unknown key; did you mean 'input'?"),
        (
            {"stages": [{"type": "quality", "enabeld": False}]},
            "stages[0].enabeld: unknown key; did you mean 'enabled'?",
        ),
        (
            {"input": {"batch_size": 0}},
            "input.batch_size: Input should be greater than or equal to 1 (got 0)",
        ),
        (
            {"input": {"batch_size": "many"}},
            "input.batch_size: Input should be a valid integer, unable to parse string as an "
            "integer (got 'many')",
        ),
        (
            {"output": {"compression": "lz4"}},
            "output.compression: Input should be 'zstd', 'snappy', 'gzip' or 'none' (got 'lz4')",
        ),
        (
            {"stages": [{"type": "dedup"}, {"type": "normalize"}]},
            "stages[1]: 'normalize' must come before 'dedup'",
        ),
        (
            {"stages": [{"type": "normalize"}, {"type": "normalize"}]},
            "stages[1]: stage type 'normalize' appears twice",
        ),
        (
            {"input": {"storage_options": {"aws_secret_access_key": "x"}}},
            "input.storage_options: credentials do not belong in the config "
            "('aws_secret_access_key')",
        ),
        ({"stages": [{}]}, "stages[0].type: missing stage type (one of: normalize,"),
    ],
)
def test_bad_config_names_key_and_value(raw: dict, message: str) -> None:
    text = error_of(raw)
    assert text.startswith("test.yaml: invalid configuration\n  ")
    assert message in text


def test_yaml_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("input: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml: not valid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match=r"config file not found: .*missing.yaml"):
        load_config(tmp_path / "missing.yaml")
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="the top level must be a mapping, got list"):
        load_config(listing)


def test_yaml_cannot_construct_python_objects(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("input: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(evil)


def test_overrides_by_stage_type_index_and_section(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("stages:\n  - type: normalize\n  - type: quality\n", encoding="utf-8")
    config = load_config(
        path,
        ["input.batch_size=250", "stages.quality.enabled=false", "stages.0.enabled=false"],
    )
    assert config.input.batch_size == 250
    assert [s.enabled for s in config.stages] == [False, False]


def test_override_errors() -> None:
    raw: dict = {"stages": [{"type": "normalize"}]}
    with pytest.raises(ConfigError, match="no stage of type 'dedup' in the config"):
        apply_override(raw, "stages.dedup.threshold=0.5")
    with pytest.raises(ConfigError, match="expected dotted.key=value"):
        apply_override(raw, "input.batch_size")
    with pytest.raises(ConfigError, match="there are only 1 stages"):
        apply_override(raw, "stages.3.enabled=false")
    with pytest.raises(ConfigError, match=r"input.batch_size: Input should be greater"):
        load_config(None, ["input.batch_size=-1"])


def test_defaults_are_valid() -> None:
    config = load_config(None)
    assert config.input.batch_size == 1000
    assert config.output.compression == "zstd"
    assert config.run.max_errors == 0.01
