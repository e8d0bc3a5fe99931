"""Candidate pairs from equal keys by sorting: each member of a bucket is paired with its head.

A bucket is a run of equal keys (a band hash, or a 128-bit text hash) after a stable sort. Its head
is its smallest document, and every other member gives exactly one edge `(member, head)`, so a
bucket of k documents costs k - 1 edges, never k * (k - 1) / 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BucketEdges:
    """Edges `(members[i], heads[i])` with `heads[i] < members[i]`, and the largest bucket size."""

    members: np.ndarray  # int64 document numbers
    heads: np.ndarray  # int64 document numbers
    largest_bucket: int


def bucket_edges(keys: np.ndarray, documents: np.ndarray) -> BucketEdges:
    """Pair every document with the smallest document that has the same key.

    `keys` is (n,) or (n, k) (compared row-wise); `documents` are ascending document numbers, one
    per key. The sort is stable, so documents stay ascending within a run: the first is its head.
    """
    count = len(documents)
    if count == 0:
        empty = np.zeros(0, dtype=np.int64)
        return BucketEdges(empty, empty, 0)
    if keys.ndim == 1:
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        new_run = np.empty(count, dtype=bool)
        new_run[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=new_run[1:])
    else:
        order = np.lexsort(keys.T[::-1])
        ordered = keys[order]
        new_run = np.empty(count, dtype=bool)
        new_run[0] = True
        new_run[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    del ordered
    run_starts = np.flatnonzero(new_run)
    largest = int(np.diff(np.append(run_starts, count)).max())
    if largest == 1:
        empty = np.zeros(0, dtype=np.int64)
        return BucketEdges(empty, empty, 1)
    head_position = run_starts[np.cumsum(new_run) - 1]
    followers = ~new_run
    members = documents[order[followers]]
    heads = documents[order[head_position[followers]]]
    return BucketEdges(members.astype(np.int64), heads.astype(np.int64), largest)
