"""The `page_furniture` model: boosted decision trees over `line_context.FEATURES`, as data.

The model is a JSON file (`furniture_model.json` next to this module by default; trained by
`scripts/train_furniture_model.py`, which documents the data and the cross-validation it was
chosen with). It holds the feature names it was trained on (checked against `FEATURES`, so a
model and the code that computes its inputs cannot drift apart silently), a baseline log-odds and
flat node arrays of every tree:

    {"features": [...], "baseline": -0.3, "roots": [0, 31, ...],
     "feature": [...], "threshold": [...], "left": [...], "right": [...], "value": [...]}

A node with `feature` -1 is a leaf with log-odds `value`; otherwise a line goes to `left` when
its feature value is <= `threshold`. The score of a line is the logistic of the baseline plus the
leaves it reaches: the probability that the line is page furniture (boilerplate). The trees are
scored by `forest_masks` (leaf bitmasks rather than walks; at most `MAX_LEAVES` leaves a tree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from pipeline.clean.forest_masks import ForestMasks, forest_sums
from pipeline.clean.line_context import FEATURES

DEFAULT_MODEL = Path(__file__).with_name("furniture_model.json")
# For texts without blank lines between blocks (`scripts/train_furniture_model.py
# --no-blank-copies`: trained on WCXB dev as is and with its blank lines taken out).
FLAT_MODEL = Path(__file__).with_name("furniture_model_flat.json")


@dataclass(frozen=True, eq=False)
class FurnitureModel:
    """A boosted-tree model loaded from JSON (see the module docstring)."""

    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    @classmethod
    def load(cls, path: str | Path | None = None) -> FurnitureModel:
        """Read a model file; `ValueError` when its features are not `FEATURES` or a tree is too
        wide for `forest_masks` (more than `MAX_LEAVES` leaves)."""
        data = json.loads(Path(path or DEFAULT_MODEL).read_text(encoding="utf-8"))
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict) -> FurnitureModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                "furniture model was trained on other features than line_context.FEATURES; "
                "retrain it with scripts/train_furniture_model.py"
            )
        model = cls(
            baseline=float(data["baseline"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            value=np.asarray(data["value"], dtype=np.float64),
        )
        model.masks  # noqa: B018 (built now, so that a model it cannot score fails on load)
        return model

    def margin(self, features: np.ndarray) -> np.ndarray:
        """Log-odds of boilerplate for each row of `features` (lines x `FEATURES`)."""
        return self.baseline + self._sums(features)

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probability of boilerplate for each row of `features`."""
        return 1.0 / (1.0 + np.exp(-self.margin(features)))

    def at_least(self, features: np.ndarray, probability: float) -> np.ndarray:
        """`self.margin(features) >= log(probability / (1 - probability))`: the log-odds form of
        `self.probability(features) >= probability` (the two can differ only by floating-point
        rounding at the boundary)."""
        if probability >= 1.0:
            return np.zeros(features.shape[0], dtype=bool)
        needed = float(np.log(probability / (1.0 - probability))) - self.baseline
        return self._sums(features) >= needed

    def _sums(self, features: np.ndarray) -> np.ndarray:
        """Per row, the sum of the leaves it reaches, tree after tree (the baseline left out)."""
        rows = np.ascontiguousarray(features, dtype=np.float32)  # one compiled layout
        if rows.ndim != 2 or rows.shape[1] != len(FEATURES):
            raise ValueError(f"expected rows of {len(FEATURES)} features, got {rows.shape}")
        masks = self.masks
        return forest_sums(
            rows,
            masks.tree_start,
            masks.feature,
            masks.threshold,
            masks.mask,
            masks.leaf_value,
            masks.leaf_start,
            masks.full,
        )

    @cached_property
    def masks(self) -> ForestMasks:
        """The trees in the form `forest_sums` evaluates (built once per model)."""
        return ForestMasks.of(self)


def forest_margin_py(rows: np.ndarray, model: FurnitureModel) -> np.ndarray:
    """The sum `FurnitureModel.margin` adds to the baseline, by walking the trees in plain numpy
    (the reference the tests compare with; same order of additions, so the same float64 sums)."""
    out = np.zeros(rows.shape[0], dtype=np.float64)
    for root in model.roots:
        node = np.full(rows.shape[0], root, dtype=np.int64)
        while True:
            inner = model.feature[node] >= 0
            if not inner.any():
                break
            at = node[inner]
            goes_left = rows[np.flatnonzero(inner), model.feature[at]] <= model.threshold[at]
            node[inner] = np.where(goes_left, model.left[at], model.right[at])
        out += model.value[node]
    return out
