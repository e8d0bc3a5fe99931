"""Tree-ensemble scoring with leaf bitmasks (the QuickScorer idea), for `FurnitureModel`.

Walking a tree costs one unpredictable branch and one dependent load per level. Instead, number the
leaves of each tree from left to right and give every inner node a mask with the bits of the
leaves of its left subtree cleared. A row starts each tree with every bit set and, for every inner
node whose test it fails (`value <= threshold` false, so the walk would go right), ANDs in that
node's mask. The leaf the walk would reach is then the lowest bit left set: every leaf left of it
sits in the left subtree of a node the row fails, and the walk's own leaf is in no such subtree
(Lucchese et al., "QuickScorer", SIGIR 2015). The tests are independent of each other, so the
compiled loop runs over a block of rows per node with no branches to mispredict: ~4x faster than
the walk on the shipped model.

Sums add the trees' leaves in tree order in float64, so they are bit-identical to a walk that does
the same. Thresholds are stored as float32 rounded down, which keeps `x <= threshold` exact for
float32 inputs (the largest float32 not above `t` is at least every float32 `x <= t`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros

if TYPE_CHECKING:
    from pipeline.clean.furniture_model import FurnitureModel

MAX_LEAVES = 64  # leaves per tree: one bit each in a uint64 mask
ROWS_PER_BLOCK = 256  # rows tested together against one node (their features stay in L1)


@dataclass(frozen=True)
class ForestMasks:
    """The inner nodes of every tree as (feature, threshold, mask), and the leaves in order.

    Attributes:
        tree_start: tree `t` owns inner nodes `tree_start[t]:tree_start[t + 1]`.
        feature, threshold, mask: per inner node, its test and its left-subtree-cleared mask.
        leaf_value, leaf_start: tree `t`'s leaves, left to right, are
            `leaf_value[leaf_start[t]:leaf_start[t + 1]]`.
        full: the mask with every bit set, in the masks' unsigned type.
    """

    tree_start: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    mask: np.ndarray
    leaf_value: np.ndarray
    leaf_start: np.ndarray
    full: np.unsignedinteger

    @classmethod
    def of(cls, model: FurnitureModel) -> ForestMasks:
        """The masks of `model`'s trees; `ValueError` for a tree of more than `MAX_LEAVES`."""
        trees = [_tree_masks(model, int(root)) for root in model.roots]
        widest = max((len(leaves) for _, leaves in trees), default=1)
        if widest > MAX_LEAVES:
            raise ValueError(
                f"furniture model has a tree of {widest} leaves; at most {MAX_LEAVES} are supported"
            )
        dtype = np.uint16 if widest <= 16 else np.uint32 if widest <= 32 else np.uint64
        full = int(np.iinfo(dtype).max)
        inner = [node for nodes, _ in trees for node in nodes]
        nodes = np.array([node for node, _ in inner], dtype=np.int64)
        cleared = [full & ~left_bits for _, left_bits in inner]
        return cls(
            tree_start=np.cumsum([0] + [len(nodes_) for nodes_, _ in trees], dtype=np.int64),
            feature=model.feature[nodes].astype(np.int64),
            threshold=round_down_to_float32(model.threshold[nodes]),
            mask=np.array(cleared, dtype=dtype),
            leaf_value=np.array(
                [model.value[leaf] for _, leaves in trees for leaf in leaves], dtype=np.float64
            ),
            leaf_start=np.cumsum([0] + [len(leaves) for _, leaves in trees], dtype=np.int64),
            full=dtype(full),
        )


def _tree_masks(model: FurnitureModel, root: int) -> tuple[list[tuple[int, int]], list[int]]:
    """(inner nodes with the bits of their left subtree's leaves, leaves left to right)."""
    leaves: list[int] = []
    inner: list[tuple[int, int]] = []

    def walk(node: int) -> int:  # returns the bits of the subtree's leaves
        if model.feature[node] < 0:
            leaves.append(node)
            return 1 << (len(leaves) - 1)
        left = walk(int(model.left[node]))
        inner.append((node, left))
        return left | walk(int(model.right[node]))

    walk(root)
    return inner, leaves


def round_down_to_float32(values: np.ndarray) -> np.ndarray:
    """The largest float32 not above each float64 value."""
    with np.errstate(over="ignore"):  # beyond float32's range: inf, stepped down to the largest
        out = values.astype(np.float32)
        above = out.astype(np.float64) > values
        out[above] = np.nextafter(out[above], np.float32(-np.inf))
    return out


@numba.njit(cache=True, nogil=True)
def forest_sums(
    rows: np.ndarray,
    extra: np.ndarray,
    tree_start: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    mask: np.ndarray,
    leaf_value: np.ndarray,
    leaf_start: np.ndarray,
    full: np.unsignedinteger,
) -> np.ndarray:
    """Per row of `rows` (float32, rows x features) and `extra` (float32, the same rows x more
    features: columns after those of `rows`, 0 of them for most models), the sum of its leaves in
    tree order."""
    n, first = rows.shape
    features = first + extra.shape[1]
    out = np.empty(n, dtype=np.float64)
    block = np.empty((features, ROWS_PER_BLOCK), dtype=np.float32)
    bits = np.empty(ROWS_PER_BLOCK, dtype=mask.dtype)
    total = np.empty(ROWS_PER_BLOCK, dtype=np.float64)
    for start in range(0, n, ROWS_PER_BLOCK):
        count = min(ROWS_PER_BLOCK, n - start)
        for f in range(first):
            for k in range(count):
                block[f, k] = rows[start + k, f]
        for f in range(first, features):
            for k in range(count):
                block[f, k] = extra[start + k, f - first]
        total[:count] = 0.0
        for tree in range(tree_start.size - 1):
            bits[:count] = full
            for node in range(tree_start[tree], tree_start[tree + 1]):
                values = block[feature[node]]
                limit, cleared = threshold[node], mask[node]
                for k in range(count):
                    if not values[k] <= limit:  # the walk goes right (NaN too)
                        bits[k] &= cleared
            leaves = leaf_start[tree]
            for k in range(count):
                total[k] += leaf_value[leaves + trailing_zeros(bits[k])]
        out[start : start + count] = total[:count]
    return out
