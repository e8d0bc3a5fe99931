"""Which feature thresholds a resolved config applies, for `explain` and the report's histograms.

A stage config tells the statistics tools its thresholds in one of two ways:

1. It defines `feature_thresholds()`, returning items with `feature` (the feature column, also the
   histogram `<stage>.<feature>`), `bound` (`"min"`: values below are dropped; `"max"`: values
   above are dropped), `value` and optionally `reason` (the drop reason it gives). Items may be
   mappings or objects with those attributes. This is the exact way and takes precedence.
2. Otherwise every numeric key of the stage's config named `min_<feature>` or `max_<feature>`,
   at any depth of nesting, is taken as a threshold on the feature `<feature>`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.config import PipelineConfig

BOUND_KEY = re.compile(r"^(?P<bound>min|max)_(?P<feature>\w+)$")


@dataclass(frozen=True)
class FeatureThreshold:
    """One threshold: a document is dropped when `feature` is below `min` / above `max`."""

    stage: str
    feature: str
    bound: str  # "min" | "max"
    value: float
    reason: str | None = None
    key: str | None = None  # the config key it came from, when known

    def passes(self, value: float | None) -> bool | None:
        """True when `value` is within the bound (None when there is no usable value)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return value >= self.value if self.bound == "min" else value <= self.value

    def describe(self) -> str:
        """`>= 5` or `<= 0.3`: the condition a kept document meets."""
        op = ">=" if self.bound == "min" else "<="
        return f"{op} {format_value(self.value)}"


def feature_thresholds(config: PipelineConfig) -> list[FeatureThreshold]:
    """Every threshold of every enabled stage, in stage order."""
    out: list[FeatureThreshold] = []
    for index, stage in enumerate(config.stages):
        if not stage.enabled:
            continue
        stage_type = str(getattr(stage, "type", index))
        hook = getattr(stage, "feature_thresholds", None)
        if callable(hook):
            out.extend(_from_hook(stage_type, hook()))
        else:
            dumped = stage.model_dump(mode="json")
            out.extend(_from_keys(stage_type, dumped, f"stages[{index}]"))
    return out


def thresholds_by_feature(
    thresholds: Iterable[FeatureThreshold],
) -> dict[str, list[FeatureThreshold]]:
    """Group thresholds by feature name."""
    grouped: dict[str, list[FeatureThreshold]] = {}
    for threshold in thresholds:
        grouped.setdefault(threshold.feature, []).append(threshold)
    return grouped


def format_value(value: Any) -> str:
    """A feature value as people read it: integers plainly, floats to four significant digits."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _from_hook(stage: str, items: Iterable[Any]) -> list[FeatureThreshold]:
    out = []
    for item in items:
        bound = str(_field(item, "bound"))
        if bound not in ("min", "max"):
            raise ValueError(f"{stage}.feature_thresholds(): bound must be min or max, not {bound}")
        out.append(
            FeatureThreshold(
                stage=stage,
                feature=str(_field(item, "feature")),
                bound=bound,
                value=float(_field(item, "value")),
                reason=_field(item, "reason"),
                key=_field(item, "key"),
            )
        )
    return out


def _field(item: Any, name: str) -> Any:
    """`item[name]` for a mapping, `item.name` otherwise (None when absent)."""
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _from_keys(stage: str, node: Any, path: str) -> list[FeatureThreshold]:
    out: list[FeatureThreshold] = []
    if not isinstance(node, Mapping):
        return out
    for key, value in node.items():
        where = f"{path}.{key}"
        if isinstance(value, Mapping):
            out.extend(_from_keys(stage, value, where))
            continue
        match = BOUND_KEY.match(str(key))
        if match and isinstance(value, int | float) and not isinstance(value, bool):
            out.append(
                FeatureThreshold(
                    stage=stage,
                    feature=match["feature"],
                    bound=match["bound"],
                    value=float(value),
                    key=where,
                )
            )
    return out
