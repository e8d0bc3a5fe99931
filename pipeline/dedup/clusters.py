"""Resolve, step 3: components to clusters, one keeper per cluster, similarity of each member.

A cluster is a component of more than one document that contains at least one document of this
corpus (components made only of index documents are not this run's business).

Keeper rule, applied within each cluster, first criterion first:

1. an index document beats a corpus document (indexed documents were kept by an earlier run and
   cannot be removed now);
2. the higher keeper score wins: 0 for every document under `first`, the cleaned text's length in
   characters under `longest`, the `quality_column` value under `best_quality` (missing or NaN
   counts as minus infinity);
3. the smaller canonical number wins: index order, then the smaller `_seq`, i.e. first seen.

Canonical numbers are unique, so the rule never needs a further tie-break (the id would come next).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.dedup.minhash import estimated_jaccard
from pipeline.dedup.npy_files import RandomRowReader


@dataclass(frozen=True)
class Clusters:
    """Cluster members grouped by cluster (clusters ordered by their smallest member)."""

    members: np.ndarray  # canonical numbers, ascending within each cluster
    offsets: np.ndarray  # cluster c is members[offsets[c]:offsets[c + 1]]
    keepers: np.ndarray  # canonical number of each cluster's keeper

    @property
    def count(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def cluster_of_member(self) -> np.ndarray:
        return np.repeat(np.arange(self.count), self.sizes)

    def keeper_of_member(self) -> np.ndarray:
        return np.repeat(self.keepers, self.sizes)


def find_clusters(roots: np.ndarray, index_documents: int) -> tuple[np.ndarray, np.ndarray]:
    """(members, offsets) of the components with >1 document and >=1 corpus document."""
    sizes = np.bincount(roots, minlength=len(roots))
    members = np.flatnonzero(sizes[roots] > 1)
    member_roots = roots[members]
    del sizes
    corpus = np.bincount(member_roots, weights=members >= index_documents, minlength=len(roots))
    keep = corpus[member_roots] > 0
    members, member_roots = members[keep], member_roots[keep]
    order = np.lexsort((members, member_roots))
    members, member_roots = members[order], member_roots[order]
    starts = np.flatnonzero(np.concatenate([[True], member_roots[1:] != member_roots[:-1]]))
    offsets = np.append(starts, len(members)) if len(members) else np.zeros(1, dtype=np.int64)
    return members.astype(np.int64), offsets.astype(np.int64)


def choose_keepers(
    members: np.ndarray, offsets: np.ndarray, scores: np.ndarray, index_documents: int
) -> np.ndarray:
    """The keeper of every cluster by the keeper rule (see the module docstring)."""
    if len(members) == 0:
        return np.zeros(0, dtype=np.int64)
    cluster = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    from_corpus = members >= index_documents
    score = np.where(np.isnan(scores), -np.inf, scores)
    order = np.lexsort((members, -score, from_corpus, cluster))
    return members[order][offsets[:-1]]


def similarity_to_keeper(
    members: np.ndarray,
    keepers: np.ndarray,
    *,
    exact_hashes: RandomRowReader,
    signatures: RandomRowReader | None,
    exact: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(similarity float32, same_text bool) of each member and its keeper.

    The similarity is 1.0 when the normalised texts are equal (exact dedup on), otherwise the
    Jaccard similarity estimated from the two signatures.
    """
    similarity = np.ones(len(members), dtype=np.float32)
    same_text = np.zeros(len(members), dtype=bool)
    chunk = 16_384
    for begin in range(0, len(members), chunk):
        left, right = members[begin : begin + chunk], keepers[begin : begin + chunk]
        equal = (exact_hashes.rows(left) == exact_hashes.rows(right)).all(axis=1)
        same_text[begin : begin + chunk] = equal & exact
        if signatures is not None:
            estimate = estimated_jaccard(signatures.rows(left), signatures.rows(right))
            part = similarity[begin : begin + chunk]
            part[:] = np.where(equal & exact, 1.0, estimate)
    exact_hashes.release()
    if signatures is not None:
        signatures.release()
    return similarity, same_text
