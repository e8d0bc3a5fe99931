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
    Pass `keys` without keeping another reference to it: it is replaced by its sorted copy, so
    peak memory is about 20 bytes per document on top of the 8-byte keys.
    """
    count = len(documents)
    empty = np.zeros(0, dtype=np.int64)
    if count == 0:
        return BucketEdges(empty, empty, 0)
    if keys.ndim == 1:
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        repeats = keys[1:] == keys[:-1]
    else:
        order = np.lexsort(keys.T[::-1])
        keys = keys[order]
        repeats = (keys[1:] == keys[:-1]).all(axis=1)
    del keys
    # Position p (> 0) repeats the key at p - 1; a run of equal keys starts where no repeat does.
    followers = np.flatnonzero(repeats) + 1
    if len(followers) == 0:
        return BucketEdges(empty, empty, 1)
    heads = np.flatnonzero(~repeats[:-1] & repeats[1:]) + 1 if count > 2 else empty
    if repeats[0]:
        heads = np.concatenate([[0], heads])
    del repeats
    run = np.searchsorted(heads, followers, side="right") - 1
    largest = int(np.bincount(run).max()) + 1
    members = documents[order[followers]]
    head_documents = documents[order[heads[run]]]
    return BucketEdges(members.astype(np.int64), head_documents.astype(np.int64), largest)
