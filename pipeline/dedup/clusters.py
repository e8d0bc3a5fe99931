"""Resolve, step 3: components to clusters, each cluster a keeper and the duplicates it replaces.

Linking is transitive: A~B and B~C put A, B and C in one component even when A and C are not
similar. So a component is split into clusters around keepers:

1. among the component's unassigned documents, the keeper rule picks a keeper;
2. every unassigned document whose similarity to that keeper reaches the threshold joins its
   cluster (with `verify: false`, every document joins: plain connected components);
3. repeat with the documents left, at most `MAX_ROUNDS` times; documents still unassigned then are
   kept (they duplicate something only through a chain).

Each round is one vectorised pass over all components, so the work is linear in the number of
documents in components. A cluster is reported if it has more than one document and at least one
document of this corpus.

Keeper rule, first criterion first:

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
from pipeline.dedup.shingle_sets import ShingleSetReader, exact_jaccard

MAX_ROUNDS = 8
_CHUNK = 4_096
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Clusters:
    """Clusters (ordered by their smallest member) and, per member, its keeper and similarity."""

    members: np.ndarray  # canonical numbers, ascending within each cluster
    offsets: np.ndarray  # cluster c is members[offsets[c]:offsets[c + 1]]
    keepers: np.ndarray  # canonical number of each cluster's keeper
    similarity: np.ndarray  # float32 per member: similarity to its keeper (1.0 for the keeper)
    same_text: np.ndarray  # bool per member: normalised text equal to the keeper's (exact dedup)
    unassigned: int  # documents left out after MAX_ROUNDS rounds

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def keeper_of_member(self) -> np.ndarray:
        return np.repeat(self.keepers, self.sizes)


@dataclass
class SimilaritySource:
    """Reads what similarity to a keeper needs: exact hashes and (near dedup) signatures."""

    exact_hashes: RandomRowReader
    signatures: RandomRowReader | None
    exact: bool
    shingle_sets: ShingleSetReader | None = None

    def compare(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(similarity, same_text): 1.0 for equal normalised texts (exact dedup on), otherwise
        the Jaccard similarity: exact from the shingle sets when they are stored, else estimated
        from the signatures."""
        similarity = np.ones(len(left), dtype=np.float32)
        same_text = np.zeros(len(left), dtype=bool)
        for begin in range(0, len(left), _CHUNK):
            a, b = left[begin : begin + _CHUNK], right[begin : begin + _CHUNK]
            equal = (self.exact_hashes.rows(a) == self.exact_hashes.rows(b)).all(axis=1)
            same = equal & self.exact
            same_text[begin : begin + _CHUNK] = same
            if self.shingle_sets is not None:
                value = exact_jaccard(self.shingle_sets, a, b)
                similarity[begin : begin + _CHUNK] = np.where(same, 1.0, value)
            elif self.signatures is not None:
                estimate = estimated_jaccard(self.signatures.rows(a), self.signatures.rows(b))
                similarity[begin : begin + _CHUNK] = np.where(same, 1.0, estimate)
        return similarity, same_text


def find_components(roots: np.ndarray, index_documents: int) -> tuple[np.ndarray, np.ndarray]:
    """(members, component number per member) of the components with >1 document and >=1 corpus
    document; members ascending within a component, components ordered by smallest member."""
    sizes = np.bincount(roots, minlength=len(roots))
    members = np.flatnonzero(sizes[roots] > 1)
    member_roots = roots[members]
    del sizes
    corpus = np.bincount(member_roots, weights=members >= index_documents, minlength=len(roots))
    keep = corpus[member_roots] > 0
    members, member_roots = members[keep], member_roots[keep]
    order = np.lexsort((members, member_roots))
    members, member_roots = members[order], member_roots[order]
    component = np.cumsum(np.concatenate([[True], member_roots[1:] != member_roots[:-1]])) - 1
    return members.astype(np.int64), component.astype(np.int64)


def keeper_order(
    members: np.ndarray, component: np.ndarray, scores: np.ndarray, index_documents: int
) -> np.ndarray:
    """Positions sorted by component, then by the keeper rule (best candidate first)."""
    score = np.where(np.isnan(scores), -np.inf, scores)
    return np.lexsort((members, -score, members >= index_documents, component))


def build_clusters(
    members: np.ndarray,
    component: np.ndarray,
    scores: np.ndarray,
    index_documents: int,
    source: SimilaritySource,
    *,
    threshold: float,
    split: bool,
) -> Clusters:
    """Split components into keeper-centred clusters (see the module docstring)."""
    count = len(members)
    keeper_position = np.full(count, -1, dtype=np.int64)
    similarity = np.ones(count, dtype=np.float32)
    same_text = np.zeros(count, dtype=bool)
    remaining = np.ones(count, dtype=bool)
    rounds = 0
    while remaining.any() and rounds < (MAX_ROUNDS if split else 1):
        active = np.flatnonzero(remaining)
        ordered = active[
            keeper_order(members[active], component[active], scores[active], index_documents)
        ]
        first = np.concatenate([[True], component[ordered][1:] != component[ordered][:-1]])
        best = np.full(int(component.max()) + 1, -1, dtype=np.int64)
        best[component[ordered[first]]] = ordered[first]
        candidate = best[component[active]]
        value, same = source.compare(members[active], members[candidate])
        joins = (value >= threshold - _TOLERANCE) | (active == candidate) | (not split)
        keeper_position[active[joins]] = candidate[joins]
        similarity[active[joins]] = np.where(active[joins] == candidate[joins], 1.0, value[joins])
        same_text[active[joins]] = same[joins] & (active[joins] != candidate[joins])
        remaining[active[joins]] = False
        rounds += 1
    unassigned = int(np.count_nonzero(remaining))
    keeper_position[remaining] = np.flatnonzero(remaining)  # left alone: their own keeper
    return _group(members, keeper_position, similarity, same_text, index_documents, unassigned)


def _group(
    members: np.ndarray,
    keeper_position: np.ndarray,
    similarity: np.ndarray,
    same_text: np.ndarray,
    index_documents: int,
    unassigned: int,
) -> Clusters:
    """Clusters = members grouped by keeper; keep groups of >1 with a corpus document."""
    keeper = members[keeper_position]
    sizes = np.bincount(keeper_position, minlength=len(members))
    corpus = np.bincount(
        keeper_position, weights=members >= index_documents, minlength=len(members)
    )
    keep = (sizes[keeper_position] > 1) & (corpus[keeper_position] > 0)
    positions = np.flatnonzero(keep)
    group_first = np.full(len(members), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(group_first, keeper_position[positions], members[positions])
    order = positions[np.lexsort((members[positions], group_first[keeper_position[positions]]))]
    grouped_keeper = keeper[order]
    starts = np.flatnonzero(np.concatenate([[True], grouped_keeper[1:] != grouped_keeper[:-1]]))
    offsets = (
        np.append(starts, len(order)).astype(np.int64) if len(order) else np.zeros(1, np.int64)
    )
    return Clusters(
        members=members[order],
        offsets=offsets,
        keepers=grouped_keeper[starts] if len(order) else np.zeros(0, dtype=np.int64),
        similarity=similarity[order],
        same_text=same_text[order],
        unassigned=unassigned,
    )
