"""Connected components with a numpy union-find: vectorised hooking and path compression.

Every root is the smallest node of its component (a larger root is always hooked under a smaller
one), so component ids do not depend on the order in which edges arrive.
"""

from __future__ import annotations

import numpy as np


class UnionFind:
    """Union-find over nodes `0 .. size - 1`, stored as one int64 parent array (8 bytes/node)."""

    def __init__(self, size: int) -> None:
        self.parent = np.arange(size, dtype=np.int64)
        self.merges = 0  # successful unions, for statistics and tests

    def find(self, nodes: np.ndarray) -> np.ndarray:
        """The root of every node in `nodes`; the queried nodes are re-pointed at their roots."""
        nodes = np.asarray(nodes, dtype=np.int64)
        roots = self.parent[nodes]
        while True:
            above = self.parent[roots]
            if np.array_equal(above, roots):
                break
            roots = above
        self.parent[nodes] = roots
        return roots

    def union(self, left: np.ndarray, right: np.ndarray) -> int:
        """Merge the components of each pair `(left[i], right[i])`; returns the number of merges."""
        left = np.asarray(left, dtype=np.int64)
        right = np.asarray(right, dtype=np.int64)
        merged = 0
        while len(left):
            a, b = self.find(left), self.find(right)
            differ = a != b
            if not differ.any():
                break
            a, b = a[differ], b[differ]
            left, right = left[differ], right[differ]
            high, low = np.maximum(a, b), np.minimum(a, b)
            # Every root in `high` ends up under a smaller node: one merge per distinct root.
            np.minimum.at(self.parent, high, low)
            merged += len(np.unique(high))
        self.merges += merged
        return merged

    def connected(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """True where `left[i]` and `right[i]` are already in one component."""
        return self.find(left) == self.find(right)

    def roots(self) -> np.ndarray:
        """The root of every node (compresses every path; afterwards `parent` is all roots)."""
        parent = self.parent
        while True:
            above = parent[parent]
            if np.array_equal(above, parent):
                break
            parent = above
        self.parent = parent
        return parent
