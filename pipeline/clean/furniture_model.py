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
leaves it reaches: the probability that the line is page furniture (boilerplate).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numba
import numpy as np

from pipeline.clean.line_context import FEATURES

DEFAULT_MODEL = Path(__file__).with_name("furniture_model.json")


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
        """Read a model file; `ValueError` when its features are not `FEATURES`."""
        data = json.loads(Path(path or DEFAULT_MODEL).read_text(encoding="utf-8"))
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict) -> FurnitureModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                "furniture model was trained on other features than line_context.FEATURES; "
                "retrain it with scripts/train_furniture_model.py"
            )
        return cls(
            baseline=float(data["baseline"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            value=np.asarray(data["value"], dtype=np.float64),
        )

    def margin(self, features: np.ndarray) -> np.ndarray:
        """Log-odds of boilerplate for each row of `features` (lines x `FEATURES`)."""
        rows = np.ascontiguousarray(features, dtype=np.float32)
        return self.baseline + forest_margin(
            rows, self.roots, self.feature, self.threshold, self.left, self.right, self.value
        )

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probability of boilerplate for each row of `features`."""
        return 1.0 / (1.0 + np.exp(-self.margin(features)))

    def at_least(self, features: np.ndarray, probability: float) -> np.ndarray:
        """`self.margin(features) >= log(probability / (1 - probability))`, the log-odds form of
        `self.probability(features) >= probability` (the two can differ only by floating-point
        rounding at the boundary), but faster: a row stops walking the trees as soon as even the
        largest leaves of the remaining trees cannot lift it to the threshold (most prose lines
        stop after a few trees)."""
        rows = np.ascontiguousarray(features, dtype=np.float32)
        if probability >= 1.0:
            return np.zeros(rows.shape[0], dtype=bool)
        needed = float(np.log(probability / (1.0 - probability))) - self.baseline
        return forest_at_least(
            rows,
            self.roots,
            self.depth,
            self.feature,
            self.threshold,
            self.left,
            self.right,
            self.value,
            self.remaining_max,
            self.remaining_min,
            needed,
        )

    @cached_property
    def remaining_max(self) -> np.ndarray:
        """For tree t, the largest sum the trees after t can still add (0 after the last)."""
        return self._remaining(np.max)

    @cached_property
    def remaining_min(self) -> np.ndarray:
        """For tree t, the smallest sum the trees after t can still add (0 after the last)."""
        return self._remaining(np.min)

    def _remaining(self, pick: Callable[[np.ndarray], float]) -> np.ndarray:
        ends = np.append(self.roots[1:], self.feature.size)
        best = np.array(
            [
                pick(self.value[a:b][self.feature[a:b] < 0])
                for a, b in zip(self.roots, ends, strict=True)
            ]
        )
        after = np.cumsum(best[::-1])[::-1]
        return np.append(after[1:], 0.0)

    @cached_property
    def depth(self) -> np.ndarray:
        """Per tree, the number of inner nodes on its longest path from the root to a leaf."""
        depth = np.zeros(self.feature.size, dtype=np.int64)
        for node in range(self.feature.size - 1, -1, -1):  # children come after their parent
            if self.feature[node] >= 0:
                depth[node] = 1 + max(depth[self.left[node]], depth[self.right[node]])
        return depth[self.roots]


@numba.njit(cache=True, nogil=True)
def _leaf(
    rows: np.ndarray,
    i: int,
    node: int,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
) -> int:
    """The leaf row `i` reaches from the root `node`."""
    while feature[node] >= 0:
        node = left[node] if rows[i, feature[node]] <= threshold[node] else right[node]
    return node


@numba.njit(cache=True, nogil=True)
def forest_margin(
    rows: np.ndarray,
    roots: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
) -> np.ndarray:
    """Sum over the trees of the leaf value each row reaches (compiled; see `forest_margin_py`)."""
    out = np.zeros(rows.shape[0], dtype=np.float64)
    for i in range(rows.shape[0]):
        total = 0.0
        for root in roots:
            total += value[_leaf(rows, i, root, feature, threshold, left, right)]
        out[i] = total
    return out


BLOCK = 64  # rows walked through a tree together (independent walks overlap in the CPU)
SURE = 1e-9  # margin for an early answer: far above the rounding of a sum of 100 leaves


@numba.njit(cache=True, nogil=True)
def forest_at_least(
    rows: np.ndarray,
    roots: np.ndarray,
    depth: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
    remaining_max: np.ndarray,
    remaining_min: np.ndarray,
    needed: float,
) -> np.ndarray:
    """Per row: does the sum of its leaves (in tree order) reach `needed`?

    A row stops when even the largest leaves of the remaining trees cannot lift it to `needed`
    (no), or when even the smallest leaves cannot pull it below (yes); both with a margin `SURE`
    for rounding, so the answer is always that of the full sum. Rows go through each tree in blocks
    of `BLOCK`, one level at a time, so that their walks are independent and overlap."""
    n = rows.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    active = np.empty(BLOCK, dtype=np.int64)
    total = np.zeros(BLOCK, dtype=np.float64)
    node = np.empty(BLOCK, dtype=np.int64)
    for block in range(0, n, BLOCK):
        count = min(BLOCK, n - block)
        for k in range(count):
            active[k] = block + k
            total[k] = 0.0
        for t in range(roots.size):
            if count == 0:
                break
            for k in range(count):
                node[k] = roots[t]
            for _ in range(depth[t]):
                for k in range(count):
                    at = node[k]
                    f = feature[at]
                    if f >= 0:
                        node[k] = left[at] if rows[active[k], f] <= threshold[at] else right[at]
            kept = 0
            for k in range(count):
                sum_ = total[k] + value[node[k]]
                if t == roots.size - 1:
                    out[active[k]] = sum_ >= needed
                    continue
                # The bounds decide by themselves: `sum_ >= needed` would be wrong here for a
                # model whose remaining leaves are all negative (or all positive).
                if sum_ + remaining_max[t] < needed - SURE:
                    continue  # out is already False
                if sum_ + remaining_min[t] > needed + SURE:
                    out[active[k]] = True
                    continue
                active[kept] = active[k]
                total[kept] = sum_
                kept += 1
            count = kept
    return out


def forest_margin_py(rows: np.ndarray, model: FurnitureModel) -> np.ndarray:
    """The same sum as `forest_margin`, in plain numpy (the reference the tests compare with)."""
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
