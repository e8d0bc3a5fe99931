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

A model may carry a second pass under `"second_pass"`: a forest of the same layout over
`SECOND_PASS_FEATURES` (`FEATURES` and `line_content_words.CONTENT_WORD_FEATURES`, computed from
the lines the first pass scores under `"content_cut"`). It scores again the lines the first pass
is unsure of, those it gives at least `"content_cut"` and under `"sure_cut"` (1 when absent), and
its score is then theirs; the others keep the first pass's (`FurnitureModel.combine`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from pipeline.clean.forest_masks import ForestMasks, forest_sums
from pipeline.clean.line_content_words import CONTENT_WORD_FEATURES
from pipeline.clean.line_context import FEATURES

SECOND_PASS_FEATURES: tuple[str, ...] = FEATURES + CONTENT_WORD_FEATURES

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
    features: tuple[str, ...] = FEATURES
    second_pass: FurnitureModel | None = None
    content_cut: float = 0.0  # first-pass probability under which a line vouches for its words
    sure_cut: float = 1.0  # ... and at or above which the second pass does not score it again

    @classmethod
    def load(cls, path: str | Path | None = None) -> FurnitureModel:
        """Read a model file; `ValueError` when its features are not `FEATURES` or a tree is too
        wide for `forest_masks` (more than `MAX_LEAVES` leaves)."""
        data = json.loads(Path(path or DEFAULT_MODEL).read_text(encoding="utf-8"))
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict, features: tuple[str, ...] = FEATURES) -> FurnitureModel:
        if tuple(data["features"]) != features:
            raise ValueError(
                "furniture model was trained on other features than this version computes "
                "(line_context.FEATURES, and line_content_words' for a second pass); retrain it "
                "with scripts/train_furniture_model.py"
            )
        second = data.get("second_pass")
        model = cls(
            baseline=float(data["baseline"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            value=np.asarray(data["value"], dtype=np.float64),
            features=features,
            second_pass=None if second is None else cls.from_dict(second, SECOND_PASS_FEATURES),
            content_cut=float(second["content_cut"]) if second is not None else 0.0,
            sure_cut=float(second.get("sure_cut", 1.0)) if second is not None else 1.0,
        )
        if second is not None and not 0.0 < model.content_cut < model.sure_cut <= 1.0:
            raise ValueError(
                "second pass: need 0 < content_cut < sure_cut <= 1, got "
                f"{model.content_cut} and {model.sure_cut}"
            )
        model.masks  # noqa: B018 (built now, so that a model it cannot score fails on load)
        return model

    def margin(self, features: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """Log-odds of boilerplate for each row of `features` (lines x `self.features`; or lines x
        the first of them, with `extra` holding the rest: the second pass's content-word
        features, without a copy of the matrix)."""
        return self.baseline + self._sums(features, extra)

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probability of boilerplate for each row of `features`."""
        return 1.0 / (1.0 + np.exp(-self.margin(features)))

    def at_least(self, features: np.ndarray, probability: float) -> np.ndarray:
        """`self.margin(features) >= log(probability / (1 - probability))`: the log-odds form of
        `self.probability(features) >= probability` (the two can differ only by floating-point
        rounding at the boundary)."""
        if probability >= 1.0:
            return np.zeros(features.shape[0], dtype=bool)
        needed = _log_odds(probability) - self.baseline
        return self._sums(features) >= needed

    def vouching(self, first: np.ndarray) -> np.ndarray:
        """Rows whose first-pass log-odds `first` is under `content_cut`'s: the confident content
        whose words the second pass looks for (`line_content_words`)."""
        return first < _log_odds(self.content_cut)

    def undecided(self, first: np.ndarray) -> np.ndarray:
        """Rows whose first-pass log-odds `first` the second pass replaces: from `content_cut`'s
        up to (without) `sure_cut`'s."""
        return (first >= _log_odds(self.content_cut)) & (first < _log_odds(self.sure_cut))

    def combine(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The model's log-odds: the second pass's where the first is `undecided`."""
        return np.where(self.undecided(first), second, first)

    def _sums(self, features: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """Per row, the sum of the leaves it reaches, tree after tree (the baseline left out)."""
        rows = np.ascontiguousarray(features, dtype=np.float32)  # one compiled layout
        if extra is None:
            extra = np.empty((rows.shape[0], 0), dtype=np.float32)
        extra = np.ascontiguousarray(extra, dtype=np.float32)
        width = rows.shape[1] + extra.shape[1] if rows.ndim == extra.ndim == 2 else -1
        if width != len(self.features) or extra.shape[0] != rows.shape[0]:
            shapes = rows.shape if extra.shape[1] == 0 else (rows.shape, extra.shape)
            raise ValueError(f"expected rows of {len(self.features)} features, got {shapes}")
        masks = self.masks
        return forest_sums(
            rows,
            extra,
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


def _log_odds(probability: float) -> float:
    if probability >= 1.0:
        return float("inf")
    return float(np.log(probability / (1.0 - probability)))


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
