"""The furniture forest's early stop decides from its bounds, whatever the sign of the leaves."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.clean.furniture_model import FurnitureModel
from pipeline.clean.line_context import FEATURES


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
def test_early_stop_gives_the_full_sums_answer(leaves: list[tuple[float, float]]) -> None:
    model = stump_model(leaves)
    rows = np.zeros((4, len(FEATURES)), dtype=np.float32)
    rows[:, 0] = [0.0, 1.0, 0.0, 1.0]
    margin = model.margin(rows)
    for probability in (0.05, 0.3, 0.5, 0.7, 0.95, 0.99):
        needed = np.log(probability / (1 - probability))
        assert np.array_equal(model.at_least(rows, probability), margin >= needed), probability
