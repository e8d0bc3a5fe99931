"""Duplicate-cluster sizes from `out/clusters.parquet`, bucketed for the report.

The file lists clusters of more than one record. Its layout belongs to the dedup stage, so it is
read by column names: a `size` column when there is one (one row per cluster, or per member with
the cluster's id), otherwise one row per member grouped by the first cluster column found
(`cluster_id`, `cluster`, `keeper`, `keeper_id`, `representative`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

CLUSTER_COLUMNS = ("cluster_id", "cluster", "keeper", "keeper_id", "representative")
SIZE_BUCKETS = ((2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100))


@dataclass(frozen=True)
class ClusterSizes:
    """How many clusters have each size bucket, and the records they hold."""

    buckets: list[tuple[str, int, int]]  # (label, clusters, records)
    clusters: int
    records: int
    largest: int


def cluster_sizes(path: Path) -> ClusterSizes | None:
    """Cluster sizes from `path`, or None when there is no file or its layout is not known."""
    if not path.exists():
        return None
    schema = pq.read_schema(path)
    group = next((c for c in CLUSTER_COLUMNS if c in schema.names), None)
    if "size" in schema.names:
        table = pq.read_table(path, columns=[c for c in (group, "size") if c])
        if group:
            table = (
                table.group_by(group).aggregate([("size", "max")]).rename_columns([group, "size"])
            )
        sizes = pc.cast(table["size"], pa.int64())
    elif group:
        table = pq.read_table(path, columns=[group])
        sizes = table.group_by(group).aggregate([([], "count_all")])["count_all"]
    else:
        return None
    return bucket_sizes([int(s) for s in sizes.to_pylist() if s is not None])


def bucket_sizes(sizes: list[int]) -> ClusterSizes:
    """Count clusters (and their records) per size bucket; the last bucket is open-ended."""
    buckets = []
    for low, high in SIZE_BUCKETS:
        inside = [s for s in sizes if low <= s <= high]
        label = str(low) if low == high else f"{low}-{high}"
        buckets.append((label, len(inside), sum(inside)))
    beyond = [s for s in sizes if s > SIZE_BUCKETS[-1][1]]
    buckets.append((f">{SIZE_BUCKETS[-1][1]}", len(beyond), sum(beyond)))
    return ClusterSizes(
        buckets=buckets, clusters=len(sizes), records=sum(sizes), largest=max(sizes, default=0)
    )
