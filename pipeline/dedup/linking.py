"""Resolve, step 2: link duplicates into a union-find, exact copies first, then LSH candidates.

Exact: documents with the same 128-bit normalised-text hash are linked to the group's smallest
document; only that representative goes on to LSH.

Near: one band at a time, the band hashes of the representatives are read from disk, sorted, and
every bucket member is paired with the bucket's smallest document. Pairs already in one component
are skipped; with `verify`, a pair is linked only if the Jaccard similarity estimated from the two
signatures (read from disk on demand) reaches the threshold. Pairs between two index documents are
never linked: indexes are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pipeline.dedup.buckets import bucket_edges
from pipeline.dedup.corpus_arrays import CorpusLayout
from pipeline.dedup.minhash import estimated_jaccard
from pipeline.dedup.npy_files import RandomRowReader, read_selected
from pipeline.dedup.shingle_sets import ShingleSetReader, exact_jaccard
from pipeline.dedup.union_find import UnionFind
from pipeline.stats.bag import Stats

VERIFY_CHUNK = 4_096
# Estimates are multiples of 1/num_perm; this absorbs float rounding in `threshold * num_perm`.
_TOLERANCE = 1e-9


@dataclass
class LinkCounts:
    """Operation counts of the linking step (reported as `dedup.link.*` counters)."""

    exact_pairs: int = 0
    candidate_pairs: int = 0
    already_linked: int = 0
    verified_pairs: int = 0
    rejected_pairs: int = 0
    linked_pairs: int = 0
    largest_bucket: int = 0

    def add_to(self, stats: Stats, prefix: str) -> None:
        for item in fields(self):
            stats.count(f"{prefix}.{item.name}", getattr(self, item.name))


def link_exact_duplicates(
    layout: CorpusLayout, eligible: np.ndarray, union_find: UnionFind, counts: LinkCounts
) -> np.ndarray:
    """Link equal normalised texts; returns the mask of documents that represent their text."""
    documents = np.flatnonzero(eligible)
    edges = bucket_edges(read_selected(layout.path("exact_hash"), eligible), documents)
    representative = eligible.copy()
    representative[edges.members] = False
    writable = edges.members >= layout.index_documents
    counts.exact_pairs += int(np.count_nonzero(writable))
    union_find.union(edges.members[writable], edges.heads[writable])
    return representative


def link_near_duplicates(
    layout: CorpusLayout,
    documents: np.ndarray,
    union_find: UnionFind,
    counts: LinkCounts,
    *,
    threshold: float,
    verify: bool,
    shingle_sets: ShingleSetReader | None = None,
) -> None:
    """Link LSH candidates among `documents` (a mask over canonical numbers), band by band.

    With `shingle_sets`, a pair is verified by its exact Jaccard similarity instead of the
    estimate from the signatures."""
    numbers = np.flatnonzero(documents)
    with RandomRowReader(layout.path("signatures")) as signatures:
        for band in range(layout.bands):
            edges = bucket_edges(read_selected(layout.band_path(band), documents), numbers)
            counts.largest_bucket = max(counts.largest_bucket, edges.largest_bucket)
            writable = edges.members >= layout.index_documents
            members, heads = edges.members[writable], edges.heads[writable]
            counts.candidate_pairs += len(members)
            linked = union_find.connected(members, heads)
            counts.already_linked += int(np.count_nonzero(linked))
            members, heads = members[~linked], heads[~linked]
            if verify and len(members):
                accepted = (
                    exact_jaccard(shingle_sets, members, heads) >= threshold - _TOLERANCE
                    if shingle_sets is not None
                    else similar_pairs(signatures, members, heads, threshold)
                )
                counts.verified_pairs += len(members)
                counts.rejected_pairs += int(np.count_nonzero(~accepted))
                members, heads = members[accepted], heads[accepted]
            counts.linked_pairs += len(members)
            union_find.union(members, heads)


def similar_pairs(
    signatures: RandomRowReader, left: np.ndarray, right: np.ndarray, threshold: float
) -> np.ndarray:
    """True where the estimated Jaccard similarity of `left[i]` and `right[i]` is >= threshold."""
    accepted = np.empty(len(left), dtype=bool)
    for begin in range(0, len(left), VERIFY_CHUNK):
        end = begin + VERIFY_CHUNK
        similarity = estimated_jaccard(
            signatures.rows(left[begin:end]), signatures.rows(right[begin:end])
        )
        accepted[begin:end] = similarity >= threshold - _TOLERANCE
    return accepted
