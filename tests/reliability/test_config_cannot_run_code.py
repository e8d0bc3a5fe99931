"""The config cannot execute code or hang the command: YAML is loaded safely (no Python tags, in a
file or in `--set`), stages come from a fixed table (no class paths), unknown keys are errors, and
aliases cannot expand a small file into a huge structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import (
    MAX_CONFIG_VALUES,
    STAGE_TYPES,
    ConfigError,
    PipelineConfig,
    load_config,
)
from pipeline.config_base import StrictModel

PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_a_config_file_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    config = tmp_path / "evil.yaml"
    config.write_text(f"input:\n  paths: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"evil.yaml: not valid YAML: could not determine a "):
        load_config(config)
    assert not marker.exists()


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_set_overrides_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    override = f"input.paths={tag.format(marker=marker)}"
    with pytest.raises(ConfigError, match=r"value is not valid YAML: could not determine a "):
        load_config(None, [override])
    assert not marker.exists()


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (
            {"type": "pipeline.dedup.stage.DedupStage"},
            "stages[0].type: unknown stage type 'pipeline.dedup.stage.DedupStage'",
        ),
        ({"type": "os.system"}, "stages[0].type: unknown stage type 'os.system'"),
        ({"type": "dedup", "class": "os.system"}, "stages[0].class: unknown key"),
        ({"type": "dedup", "callable": "builtins.eval"}, "stages[0].callable: unknown key"),
    ],
)
def test_stages_come_from_a_fixed_table(stage: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, [f"stages=[{stage}]"])
    assert message in str(info.value)


def test_every_config_section_rejects_unknown_keys() -> None:
    models: list[type[StrictModel]] = [PipelineConfig, *STAGE_TYPES.values()]
    seen: set[type] = set()
    while models:
        model = models.pop()
        if model in seen:
            continue
        seen.add(model)
        assert model.model_config.get("extra") == "forbid", model.__name__
        for field in model.model_fields.values():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, StrictModel):
                models.append(annotation)
    assert len(seen) > len(STAGE_TYPES)


BILLION_LAUGHS = """input:
  storage_options:
    a: &a [x, x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
"""


def test_aliases_that_expand_to_a_huge_config_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "laughs.yaml"
    config.write_text(BILLION_LAUGHS, encoding="utf-8")
    expected = f"laughs.yaml: the configuration expands to more than {MAX_CONFIG_VALUES:,} values"
    with pytest.raises(ConfigError, match=expected):
        load_config(config)
    nested = "input.storage_options={a: &a [x, x, x, x, x, x, x, x, x, x], b: [*a, *a]}"
    assert load_config(None, [nested]).input.storage_options["b"][1] == ["x"] * 10


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "loop.yaml"
    config.write_text("input:\n  storage_options:\n    a: &a [*a]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expands to more than"):
        load_config(config)


def test_a_refused_config_exits_2_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "evil.yaml"
    config.write_text("stages:\n  - type: os.system\n", encoding="utf-8")
    code = main(["run", str(config), "--input", str(tmp_path), "--output", str(tmp_path / "o")])
    assert code == 2
    assert "stages[0].type: unknown stage type 'os.system'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
