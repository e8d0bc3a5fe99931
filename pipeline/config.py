"""The pipeline configuration: pydantic models, YAML loading, dotted overrides, clear errors.

Every error names the key path and the offending value; unknown keys and unknown stage types get a
"did you mean" hint. Loading never executes code: YAML is read with `yaml.safe_load`, and stages are
chosen from a fixed table of types, never from class paths.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from pipeline.clean.config import (
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    RepeatedBlocksConfig,
    SiteBoilerplateConfig,
)
from pipeline.config_base import StageConfig, StrictModel
from pipeline.dedup.config import DedupConfig
from pipeline.quality.config import LanguageConfig, QualityConfig

STAGE_TYPES: dict[str, type[StageConfig]] = {
    "normalize": NormalizeConfig,
    "block_rules": BlockRulesConfig,
    "line_rules": LineRulesConfig,
    "repeated_blocks": RepeatedBlocksConfig,
    "site_boilerplate": SiteBoilerplateConfig,
    "quality": QualityConfig,
    "language": LanguageConfig,
    "dedup": DedupConfig,
}
# The order stages must run in (see DESIGN.md, "Order matters"); equal ranks may be swapped.
STAGE_RANK: dict[str, int] = {
    "normalize": 0,
    "block_rules": 1,
    "line_rules": 2,
    "repeated_blocks": 3,
    "site_boilerplate": 4,
    "quality": 5,
    "language": 5,
    "dedup": 6,
}
AnyStageConfig = Annotated[
    Union[tuple(STAGE_TYPES.values())],  # noqa: UP007 - a runtime-built union
    Field(discriminator="type"),
]
CREDENTIAL_WORDS = ("secret", "password", "token", "key", "credential")
# YAML aliases can make a small file stand for a huge (or endless) structure ("billion laughs").
MAX_CONFIG_VALUES = 100_000


class ConfigError(ValueError):
    """A configuration problem, reported before any work starts (exit code 2)."""


class InputConfig(StrictModel):
    """Where records come from and how their fields are named."""

    paths: list[str] = Field(
        default_factory=list,
        description="files, directories, globs or URIs (s3://, gs://, file://); --input adds to it",
    )
    format: Literal["auto", "jsonl", "parquet", "warc", "txt"] = Field(
        default="auto", description="auto: from each file's extension (.jsonl.gz, .parquet, ...)"
    )
    text_field: str = Field(default="text", description="input field holding the text")
    id_field: str = Field(
        default="id", description="input field holding the id; generated (file:row) when absent"
    )
    url_field: str = Field(
        default="url",
        description=(
            "input field holding the URL (sites, site boilerplate, the title line for "
            "page_furniture)"
        ),
    )
    batch_size: int = Field(
        default=1000, ge=1, le=1_000_000, description="records per Arrow batch a stage sees"
    )
    max_record_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1024, description="larger records are quarantined"
    )
    storage_options: dict[str, Any] = Field(
        default_factory=dict,
        description="fsspec options for remote paths (region, endpoint_url); never credentials",
    )

    @field_validator("storage_options")
    @classmethod
    def _no_credentials(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if any(word in key.lower() for word in CREDENTIAL_WORDS):
                raise ValueError(
                    f"credentials do not belong in the config ({key!r}); use the environment "
                    "(AWS_ACCESS_KEY_ID, AWS_PROFILE, GOOGLE_APPLICATION_CREDENTIALS, ...)"
                )
        return value


class OutputConfig(StrictModel):
    """Where and how kept and rejected records are written."""

    path: str | None = Field(default=None, description="output directory; --output sets it")
    rows_per_file: int = Field(default=100_000, ge=1, description="rows per Parquet file at most")
    row_group_rows: int = Field(
        default=20_000, ge=1, le=100_000, description="rows per Parquet row group at most"
    )
    compression: Literal["zstd", "snappy", "gzip", "none"] = Field(
        default="zstd", description="Parquet codec of data/ and rejected/"
    )
    compression_level: int = Field(default=3, ge=1, le=22, description="zstd / gzip level")
    write_rejected: bool = Field(
        default=True, description="write dropped records with drop_reason to rejected/"
    )
    keep_removed_lines: bool = Field(
        default=True, description="keep the removed_lines column (rule and text of each line)"
    )
    feature_columns: list[str] | Literal["all"] = Field(
        default="all", description="feature columns kept in the output: all, or a list of names"
    )


class RunConfig(StrictModel):
    """How the run executes."""

    workers: int = Field(default=0, ge=0, description="0 means one per core")
    max_errors: float = Field(
        default=0.01,
        ge=0,
        description="unreadable records tolerated: a count if >= 1, else a fraction of read",
    )
    keep_work: bool = Field(
        default=False, description="keep _work/ (intermediate files, fingerprints) after success"
    )


class PipelineConfig(StrictModel):
    """The whole run: input, stages in order, output."""

    input: InputConfig = Field(default_factory=InputConfig)
    stages: list[AnyStageConfig] = Field(default_factory=list)
    output: OutputConfig = Field(default_factory=OutputConfig)
    run: RunConfig = Field(default_factory=RunConfig)

    @model_validator(mode="after")
    def _stage_order(self) -> PipelineConfig:
        seen: set[str] = set()
        last_rank, last_type = -1, ""
        for index, stage in enumerate(self.stages):
            if stage.type in seen:
                raise ValueError(f"stages[{index}]: stage type {stage.type!r} appears twice")
            seen.add(stage.type)
            rank = STAGE_RANK[stage.type]
            if rank < last_rank:
                raise ValueError(
                    f"stages[{index}]: {stage.type!r} must come before {last_type!r} "
                    f"(stage order: {', '.join(STAGE_TYPES)})"
                )
            last_rank, last_type = rank, stage.type
        return self

    def enabled_stages(self) -> list[StageConfig]:
        return [stage for stage in self.stages if stage.enabled]


def load_config(
    path: str | os.PathLike[str] | None, overrides: list[str] | None = None
) -> PipelineConfig:
    """Load a YAML config (or the defaults when `path` is None) and apply `key=value` overrides."""
    raw: Any = {}
    if path is not None:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: the top level must be a mapping, got {type(raw).__name__}")
    for override in overrides or []:
        apply_override(raw, override)
    source = str(path) if path else "<defaults>"
    check_expanded_size(raw, source=source)
    return validate_config(raw, source=source)


def check_expanded_size(raw: Any, *, source: str) -> None:
    """Refuse a config whose YAML aliases expand to more than `MAX_CONFIG_VALUES` values."""
    stack, seen = [raw], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_CONFIG_VALUES:
            raise ConfigError(
                f"{source}: the configuration expands to more than {MAX_CONFIG_VALUES:,} values "
                "(YAML aliases that repeat or contain each other?)"
            )
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def validate_config(raw: dict[str, Any], *, source: str = "<config>") -> PipelineConfig:
    """Validate a plain mapping, turning pydantic's errors into readable `ConfigError`s."""
    try:
        return PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        lines = [describe_error(error, raw) for error in exc.errors()]
        unique = list(dict.fromkeys(lines))
        raise ConfigError(f"{source}: invalid configuration\n  " + "\n  ".join(unique)) from None


def describe_error(error: dict[str, Any], raw: Any) -> str:
    """One line for one pydantic error: key path, problem, bad value, hint."""
    loc = [part for part in error["loc"] if not _is_union_tag(part, error)]
    path = format_path(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1], raw)
        hint = _did_you_mean(str(loc[-1]), list(parent.model_fields) if parent else [])
        return f"{path}: unknown key{hint}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = error.get("ctx", {}).get("tag")
        if tag is None:
            return f"{path}.type: missing stage type (one of: {', '.join(STAGE_TYPES)})"
        hint = _did_you_mean(str(tag), list(STAGE_TYPES))
        return f"{path}.type: unknown stage type {tag!r}{hint}"
    if kind == "missing":
        return f"{path}: required key is missing"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if "input" in error and kind not in ("model_type", "dict_type") and loc != []:
        return f"{path}: {message} (got {error['input']!r})"
    return f"{path}: {message}" if path else message


def format_path(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _is_union_tag(part: Any, error: dict[str, Any]) -> bool:
    return (
        isinstance(part, str)
        and part in STAGE_TYPES
        and error["type"] not in ("union_tag_invalid",)
    )


def _model_at(loc: list[Any], raw: Any) -> type[StrictModel] | None:
    """The model class that the key path `loc` points into, for "did you mean" hints."""
    model: type[StrictModel] | None = PipelineConfig
    node = raw
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            stage_type = node.get("type") if isinstance(node, dict) else None
            model = STAGE_TYPES.get(str(stage_type))
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        node = node.get(part) if isinstance(node, dict) else None
        annotation = field.annotation
        is_model = isinstance(annotation, type) and issubclass(annotation, StrictModel)
        model = annotation if is_model else (model if part == "stages" else None)
    return model


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def apply_override(raw: dict[str, Any], override: str) -> None:
    """Apply `dotted.key=value` to the raw mapping. `stages.<type>.key` addresses a stage by type;
    `stages.<n>.key` by position. The value is parsed as YAML (`true`, `0.7`, `[en, de]`)."""
    key, sep, value_text = override.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"--set {override!r}: expected dotted.key=value")
    try:
        value = yaml.safe_load(value_text) if value_text.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"--set {override!r}: value is not valid YAML: {exc}") from None
    parts = key.strip().split(".")
    node: Any = raw
    for depth, part in enumerate(parts[:-1]):
        node = _descend(node, part, parts[: depth + 1], override)
    last = parts[-1]
    if isinstance(node, list):
        node[_list_index(node, last, override)] = value
    else:
        node[last] = value


def _descend(node: Any, part: str, path: list[str], override: str) -> Any:
    if isinstance(node, list):
        return node[_list_index(node, part, override)]
    if not isinstance(node, dict):
        raise ConfigError(f"--set {override!r}: {'.'.join(path[:-1])} is not a mapping")
    if part == "stages" and part not in node:
        node[part] = []
    return node.setdefault(part, {})


def _list_index(items: list[Any], part: str, override: str) -> int:
    if part.isdigit():
        index = int(part)
        if index >= len(items):
            raise ConfigError(f"--set {override!r}: there are only {len(items)} stages")
        return index
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("type") == part:
            return index
    types = [item.get("type") for item in items if isinstance(item, dict)]
    hint = _did_you_mean(part, [str(t) for t in types])
    raise ConfigError(f"--set {override!r}: no stage of type {part!r} in the config{hint}")


def dump_config(config: PipelineConfig) -> str:
    """The resolved configuration as YAML, every default written out."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
