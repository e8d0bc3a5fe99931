"""`resolve`: from the fingerprint files of the whole corpus to the duplicates to drop.

Steps (each in its own module): lay the fingerprints out on disk in canonical order
(`corpus_arrays`), link exact then near duplicates in a union-find (`linking`), turn components into
clusters with one keeper each (`clusters`), write `duplicates.parquet` and `clusters.parquet`
(`decisions`), and optionally save or extend a dedup index (`index_writer`).

Memory is bounded per document: the union-find parent array (8 bytes), the eligibility and
representative masks (2 bytes), and while one band is processed its keys, sort order and run
bookkeeping (about 33 bytes per document taking part in LSH). Signatures, band hashes and exact
hashes stay on disk; see docs/dedup.md for the full arithmetic.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.clusters import (
    Clusters,
    SimilaritySource,
    build_clusters,
    find_components,
)
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.corpus_arrays import CorpusLayout, build_corpus_arrays
from pipeline.dedup.decisions import (
    CLUSTERS_FILE,
    DUPLICATES_FILE,
    lookup_ids,
    write_clusters,
    write_duplicates,
)
from pipeline.dedup.fingerprint import FingerprintSpec
from pipeline.dedup.index_store import IndexSegment, open_index, run_key
from pipeline.dedup.index_writer import save_index
from pipeline.dedup.linking import LinkCounts, link_exact_duplicates, link_near_duplicates
from pipeline.dedup.npy_files import RandomRowReader, read_selected
from pipeline.dedup.shingle_sets import ShingleSetReader
from pipeline.dedup.union_find import UnionFind
from pipeline.stats.bag import Stats

log = logging.getLogger("crawlsieve.dedup")

EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
CLUSTER_SIZE_EDGES = (2, 3, 4, 6, 11, 101, 1_001, 10_001, 1e12)
SIMILARITY_EDGES = tuple(round(0.05 * i, 2) for i in range(21))
EXAMPLES = 20


def resolve_duplicates(
    config: DedupConfig,
    spec: FingerprintSpec,
    fingerprint_files: Sequence[Path],
    work_dir: Path,
    *,
    name: str = "dedup",
) -> Stats:
    """Decide which corpus documents are duplicates; write the decision files into `work_dir`."""
    bands, rows = config.lsh_shape() if config.near else (0, 0)
    files = [Path(p) for p in fingerprint_files]
    run = run_key(files, [pq.ParquetFile(p).metadata.num_rows for p in files])
    segments: list[IndexSegment] = []
    for path in config.index.dedup_against:
        segments.extend(open_index(path, spec, skip_run=run))
    arrays_dir = work_dir / "arrays"
    log.info("%s: laying out fingerprints of %d files", name, len(fingerprint_files))
    layout = build_corpus_arrays(
        fingerprint_files,
        segments,
        arrays_dir,
        num_perm=config.num_perm if config.near else None,
        bands=bands,
        rows=rows,
        shingle_sets=config.exact_jaccard,
    )
    try:
        return resolve_layout(config, spec, layout, work_dir, name=name, run=run)
    finally:
        shutil.rmtree(arrays_dir, ignore_errors=True)


def resolve_layout(
    config: DedupConfig,
    spec: FingerprintSpec,
    layout: CorpusLayout,
    work_dir: Path,
    *,
    name: str = "dedup",
    run: str = "",
) -> Stats:
    """Every step after the layout: link, cluster, write decisions, save the index.

    `run` identifies the resolve's input for index segments (`index_store.run_key`)."""
    stats = Stats()
    eligible = read_selected(layout.path("eligible"), np.ones(layout.documents, dtype=bool))
    union_find = UnionFind(layout.documents)
    counts = LinkCounts()
    representative = (
        link_exact_duplicates(layout, eligible, union_find, counts) if config.exact else eligible
    )
    if config.near:
        log.info("%s: LSH over %d bands of %d rows", name, layout.bands, layout.rows)
        with _shingle_sets(layout) as shingle_sets:
            link_near_duplicates(
                layout,
                representative,
                union_find,
                counts,
                threshold=config.threshold,
                verify=config.verify,
                shingle_sets=shingle_sets,
            )
    del representative
    roots = union_find.roots()
    del union_find
    members, component = find_components(roots, layout.index_documents)
    del roots
    clusters = _clusters(config, layout, members, component)
    removed = _write_decisions(layout, clusters, work_dir, stats, name)
    if config.index.save_to or config.index.update:
        keep = eligible.copy()
        keep[: layout.index_documents] = False
        keep[removed] = False
        save_index(config, spec, layout, keep, run=run)
    _count(stats, name, layout, eligible, counts)
    stats.count(f"{name}.link.left_unassigned", clusters.unassigned)
    return stats


@contextmanager
def _shingle_sets(layout: CorpusLayout) -> Iterator[ShingleSetReader | None]:
    if not layout.shingle_sets:
        yield None
        return
    with ShingleSetReader(layout.directory) as reader:
        yield reader


def _clusters(
    config: DedupConfig, layout: CorpusLayout, members: np.ndarray, component: np.ndarray
) -> Clusters:
    with (
        RandomRowReader(layout.path("keeper_score")) as scores,
        RandomRowReader(layout.path("exact_hash")) as exact_hashes,
        _shingle_sets(layout) as shingle_sets,
    ):
        signatures = RandomRowReader(layout.path("signatures")) if config.near else None
        try:
            return build_clusters(
                members,
                component,
                scores.rows(members),
                layout.index_documents,
                SimilaritySource(exact_hashes, signatures, config.exact, shingle_sets),
                threshold=config.threshold,
                split=config.near and config.verify,
            )
        finally:
            if signatures is not None:
                signatures.close()


def _write_decisions(
    layout: CorpusLayout, clusters: Clusters, work_dir: Path, stats: Stats, name: str
) -> np.ndarray:
    """Write duplicates.parquet and clusters.parquet; returns the removed documents."""
    members = clusters.members
    keeper_of = clusters.keeper_of_member()
    is_keeper = members == keeper_of
    removed_mask = ~is_keeper & (members >= layout.index_documents)
    removed = members[removed_mask]
    with RandomRowReader(layout.path("seq")) as seqs:
        removed_seqs = seqs.rows(removed)
    member_ids = lookup_ids(layout, members)
    keeper_ids = member_ids.take(pa.array(np.flatnonzero(is_keeper)))
    cluster_of = np.repeat(np.arange(len(clusters.keepers)), clusters.sizes)
    reasons = np.where(clusters.same_text[removed_mask], EXACT_DUPLICATE, NEAR_DUPLICATE)
    duplicate_of = keeper_ids.take(pa.array(cluster_of[removed_mask]))
    similarity = clusters.similarity[removed_mask]
    write_duplicates(work_dir / DUPLICATES_FILE, removed_seqs, reasons, duplicate_of, similarity)
    write_clusters(
        work_dir / CLUSTERS_FILE,
        offsets=clusters.offsets,
        member_ids=member_ids,
        keeper_ids=keeper_ids,
        keeper_in_index=clusters.keepers < layout.index_documents,
        member_similarity=clusters.similarity,
    )
    exact = reasons == EXACT_DUPLICATE
    stats.count(f"{name}.{EXACT_DUPLICATE}", int(np.count_nonzero(exact)))
    stats.count(f"{name}.{NEAR_DUPLICATE}", int(np.count_nonzero(~exact)))
    against_index = (clusters.keepers < layout.index_documents)[cluster_of[removed_mask]]
    stats.count(f"{name}.duplicates_of_index", int(np.count_nonzero(against_index)))
    stats.count(f"{name}.clusters", len(clusters.keepers))
    stats.observe(f"{name}.cluster_size", clusters.sizes, CLUSTER_SIZE_EDGES)
    stats.observe(f"{name}.near_duplicate_similarity", similarity[~exact], SIMILARITY_EDGES)
    removed_ids = member_ids.filter(pa.array(removed_mask))
    for reason in (EXACT_DUPLICATE, NEAR_DUPLICATE):
        chosen = np.flatnonzero(reasons == reason)[: EXAMPLES * 50]
        stats.add_examples(
            f"{name}.{reason}",
            (
                {
                    "id": removed_ids[int(i)].as_py(),
                    "duplicate_of": duplicate_of[int(i)].as_py(),
                    "similarity": round(float(similarity[i]), 4),
                }
                for i in chosen
            ),
            size=EXAMPLES,
        )
    return removed


def _count(
    stats: Stats,
    name: str,
    layout: CorpusLayout,
    eligible: np.ndarray,
    counts: LinkCounts,
) -> None:
    corpus_eligible = int(np.count_nonzero(eligible[layout.index_documents :]))
    stats.count(f"{name}.documents", layout.corpus_documents)
    stats.count(f"{name}.documents_without_words", layout.corpus_documents - corpus_eligible)
    stats.count(f"{name}.index_documents", layout.index_documents)
    stats.count(f"{name}.lsh.bands", layout.bands)
    stats.count(f"{name}.lsh.rows", layout.rows)
    counts.add_to(stats, f"{name}.link")
