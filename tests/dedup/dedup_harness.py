"""Run the dedup stage's collect / resolve / apply on in-memory records, as the runner would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.decisions import CLUSTERS_FILE, DUPLICATES_FILE
from pipeline.stats.bag import Stats


@dataclass
class DedupOutcome:
    """What one dedup run decided."""

    decisions: dict[str, tuple[str, str, float]]  # removed id -> (reason, keeper id, similarity)
    clusters: list[dict[str, Any]]
    stats: Stats
    applied: pa.Table
    duplicates_file: Path

    def counter(self, key: str) -> float:
        return self.stats.counters.get(f"dedup.{key}", 0)

    def cluster_sets(self) -> list[set[str]]:
        return [set(cluster["member_ids"]) for cluster in self.clusters]


def records_table(
    records: Sequence[tuple[str, str]], *, extra: dict[str, list[Any]] | None = None
) -> pa.Table:
    columns: dict[str, Any] = {
        "id": pa.array([record_id for record_id, _ in records], pa.string()),
        "text": pa.array([text for _, text in records], pa.string()),
        "_seq": pa.array(range(len(records)), pa.uint64()),
    }
    columns.update(extra or {})
    return pa.table(columns)


def run_dedup(
    work: Path,
    records: Sequence[tuple[str, str]] | pa.Table,
    *,
    files: int = 1,
    order: Sequence[int] | None = None,
    **config: Any,
) -> DedupOutcome:
    """Fingerprint `records` split into `files` fingerprint files, resolve, apply to all records.

    `order` lists the fingerprint files in the order they are handed to `resolve`.
    """
    stage = DedupConfig(**config).build()
    stage.setup()
    table = records if isinstance(records, pa.Table) else records_table(records)
    work.mkdir(parents=True, exist_ok=True)
    paths = []
    size = -(-table.num_rows // files)
    for index in range(files):
        path = work / f"fingerprints-{index:03d}.parquet"
        pq.write_table(stage.collect(table.slice(index * size, size)), path)
        paths.append(path)
    if order is not None:
        paths = [paths[i] for i in order]
    decision_dir = work / "global"
    decision_dir.mkdir(exist_ok=True)
    stats = stage.resolve(paths, decision_dir)
    applied = stage.apply(table, decision_dir).table
    decisions = {
        row["id"]: (row["drop_reason"], row["duplicate_of"], row["duplicate_similarity"])
        for row in applied.select(
            ["id", "drop_reason", "duplicate_of", "duplicate_similarity"]
        ).to_pylist()
        if row["drop_reason"] is not None
    }
    clusters = pq.read_table(decision_dir / CLUSTERS_FILE).to_pylist()
    return DedupOutcome(decisions, clusters, stats, applied, decision_dir / DUPLICATES_FILE)
