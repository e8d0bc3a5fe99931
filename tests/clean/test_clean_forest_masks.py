"""Leaf-bitmask scoring (`forest_masks`) gives the sums of a plain walk of the trees, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.clean.forest_masks import MAX_LEAVES, round_down_to_float32
from pipeline.clean.furniture_model import FurnitureModel, forest_margin_py
from pipeline.clean.line_context import FEATURES


def add_leaf(rng: np.random.Generator, out: dict[str, list]) -> int:
    """Append a leaf of random value to the node lists; returns its index."""
    out["feature"].append(-1)
    out["threshold"].append(0.0)
    out["left"].append(-1)
    out["right"].append(-1)
    out["value"].append(float(rng.normal()))
    return len(out["feature"]) - 1


def random_tree(rng: np.random.Generator, leaves: int, out: dict[str, list]) -> int:
    """Append a tree of `leaves` leaves of random shape to the node lists; returns its root."""
    root = add_leaf(rng, out)
    open_leaves = [root]
    while len(open_leaves) < leaves:
        node = open_leaves.pop(int(rng.integers(len(open_leaves))))
        out["feature"][node] = int(rng.integers(len(FEATURES)))
        out["threshold"][node] = float(rng.choice([-1.0, 0.0, 0.5, 1.0 / 3.0, 2.0]))
        out["left"][node], out["right"][node] = add_leaf(rng, out), add_leaf(rng, out)
        open_leaves += [out["left"][node], out["right"][node]]
    return root


def random_model(rng: np.random.Generator, leaf_counts: list[int]) -> FurnitureModel:
    nodes: dict[str, list] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
    roots = [random_tree(rng, leaves, nodes) for leaves in leaf_counts]
    return FurnitureModel.from_dict(
        {"features": list(FEATURES), "baseline": 0.0, "roots": roots, **nodes}
    )


def edge_rows(rng: np.random.Generator, count: int) -> np.ndarray:
    """Rows whose values sit on, just below and just above the thresholds, and NaN."""
    picks = np.array([-1.0, 0.0, 0.5, 1.0 / 3.0, 2.0], dtype=np.float32)
    rows = rng.choice(picks, size=(count, len(FEATURES))).astype(np.float32)
    nudge = rng.integers(-1, 2, size=rows.shape)
    rows = np.where(nudge < 0, np.nextafter(rows, np.float32(-np.inf)), rows)
    rows = np.where(nudge > 0, np.nextafter(rows, np.float32(np.inf)), rows)
    rows[rng.random(rows.shape) < 0.02] = np.nan
    return rows


@pytest.mark.parametrize("leaf_counts", [[1, 2, 3], [15] * 20, [16, 17, 32], [33, 64, 5]])
def test_sums_equal_a_plain_walk_bit_for_bit(leaf_counts: list[int]) -> None:
    rng = np.random.default_rng(sum(leaf_counts))
    model = random_model(rng, leaf_counts)
    rows = edge_rows(rng, 700)  # more than one block of rows, and a partial one
    assert np.array_equal(model.margin(rows), forest_margin_py(rows, model))
    assert np.array_equal(model.margin(np.asfortranarray(rows)), model.margin(rows))


def test_a_tree_wider_than_the_masks_is_refused_on_load() -> None:
    with pytest.raises(ValueError, match="at most 64"):
        random_model(np.random.default_rng(1), [MAX_LEAVES + 1])


def test_thresholds_round_down_so_float32_comparisons_stay_exact() -> None:
    thresholds = np.array([0.1, 1.0 / 3.0, 0.5, -0.1, 1e-40, 3.5e38], dtype=np.float64)
    rounded = round_down_to_float32(thresholds)
    assert np.all(rounded.astype(np.float64) <= thresholds)
    with np.errstate(over="ignore"):  # the next float32 after the largest is inf
        above = np.nextafter(rounded, np.float32(np.inf))
    assert np.all(above.astype(np.float64) > thresholds)


def stump_model(leaves: list[tuple[float, float]]) -> FurnitureModel:
    """One depth-1 tree per (left, right) pair, all splitting feature 0 at 0.5."""
    roots, feature, threshold, left, right, value = [], [], [], [], [], []
    for low, high in leaves:
        root = len(feature)
        roots.append(root)
        feature += [0, -1, -1]
        threshold += [0.5, 0.0, 0.0]
        left += [root + 1, -1, -1]
        right += [root + 2, -1, -1]
        value += [0.0, low, high]
    return FurnitureModel.from_dict(
        {
            "features": list(FEATURES),
            "baseline": 0.0,
            "roots": roots,
            "feature": feature,
            "threshold": threshold,
            "left": left,
            "right": right,
            "value": value,
        }
    )


@pytest.mark.parametrize(
    "leaves",
    [
        [(4.0, 5.0), (-9.0, -8.0), (-2.0, -1.0)],  # later trees only pull down
        [(-4.0, -3.0), (6.0, 7.0), (1.0, 2.0)],  # later trees only lift
        [(3.0, -3.0), (-5.0, 5.0), (0.5, -0.5)],  # mixed signs
    ],
)
def test_at_least_answers_from_the_full_sum(leaves: list[tuple[float, float]]) -> None:
    model = stump_model(leaves)
    rows = np.zeros((4, len(FEATURES)), dtype=np.float32)
    rows[:, 0] = [0.0, 1.0, 0.0, 1.0]
    margin = model.margin(rows)
    low, high = sum(pair[0] for pair in leaves), sum(pair[1] for pair in leaves)
    assert margin.tolist() == [low, high, low, high]
    for probability in (0.05, 0.3, 0.5, 0.7, 0.95, 0.99):
        needed = np.log(probability / (1 - probability))
        assert np.array_equal(model.at_least(rows, probability), margin >= needed), probability
