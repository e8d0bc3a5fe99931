"""Resolve, step 4 and `apply`: the decision files the dedup stage writes and reads.

`duplicates.parquet` (in the work directory) has one row per corpus document to drop, sorted by
`_seq`: `_seq` uint64, `drop_reason` string, `duplicate_of` string (the keeper's id),
`duplicate_similarity` float32. `apply` reads only the row groups overlapping a batch's `_seq`s.

`clusters.parquet` lists every cluster of more than one document (see `CLUSTERS_SCHEMA`); the runner
copies it to `out/clusters.parquet`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.dedup.corpus_arrays import CorpusLayout, fingerprint_batches
from pipeline.dedup.fingerprint import ID_COLUMN
from pipeline.dedup.npy_files import RandomRowReader
from pipeline.schema import DROP_REASON, DUPLICATE_OF, DUPLICATE_SIMILARITY, SEQ

DUPLICATES_FILE = "duplicates.parquet"
CLUSTERS_FILE = "clusters.parquet"
ROW_GROUP_ROWS = 16_384

DUPLICATES_SCHEMA = pa.schema(
    [
        pa.field(SEQ, pa.uint64(), nullable=False),
        pa.field(DROP_REASON, pa.string(), nullable=False),
        pa.field(DUPLICATE_OF, pa.string(), nullable=False),
        pa.field(DUPLICATE_SIMILARITY, pa.float32(), nullable=False),
    ]
)
CLUSTERS_SCHEMA = pa.schema(
    [
        pa.field("cluster_id", pa.int64(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("keeper_id", pa.string(), nullable=False),
        pa.field("keeper_in_index", pa.bool_(), nullable=False),
        pa.field("member_ids", pa.list_(pa.string()), nullable=False),
        pa.field("member_similarity", pa.list_(pa.float32()), nullable=False),
    ]
)


def lookup_ids(layout: CorpusLayout, numbers: np.ndarray) -> pa.Array:
    """The ids of the documents with canonical numbers `numbers` (any order, repeats allowed)."""
    unique, inverse = np.unique(numbers, return_inverse=True)
    index_docs = layout.index_documents
    found: list[tuple[np.ndarray, pa.Array]] = []
    in_index = unique[unique < index_docs]
    if len(in_index):
        bounds = np.cumsum([0, *(segment.documents for segment in layout.index_segments)])
        which = np.searchsorted(bounds, in_index, side="right") - 1
        for s, segment in enumerate(layout.index_segments):
            mine = in_index[which == s]
            if len(mine):
                found.extend(_file_ids(segment.ids, mine, mine - bounds[s]))
    in_corpus = unique[unique >= index_docs]
    if len(in_corpus):
        with RandomRowReader(layout.path("corpus_order")) as order:
            rows = order.rows(in_corpus - index_docs)
        bounds = np.cumsum([0, *layout.file_rows])
        which = np.searchsorted(bounds, rows, side="right") - 1
        for f, path in enumerate(layout.fingerprint_files):
            mine = which == f
            if mine.any():
                found.extend(_file_ids(path, in_corpus[mine], rows[mine] - bounds[f]))
    if not found:
        return pa.array([], pa.string())
    numbers_found = np.concatenate([n for n, _ in found])
    ids_found = pa.concat_arrays([pc.cast(i, pa.string()) for _, i in found])
    # `numbers_found` is a permutation of `unique` (sorted): sort the ids the same way.
    in_unique_order = ids_found.take(pa.array(np.argsort(numbers_found, kind="stable")))
    return in_unique_order.take(pa.array(inverse.reshape(-1)))


def _file_ids(
    path: Path, numbers: np.ndarray, rows: np.ndarray
) -> Iterator[tuple[np.ndarray, pa.Array]]:
    """(numbers, ids) of the rows `rows` of a Parquet file with an id column, batch by batch."""
    order = np.argsort(rows, kind="stable")
    numbers, rows = numbers[order], rows[order]
    for start, batch in fingerprint_batches(path, [ID_COLUMN]):
        first, last = np.searchsorted(rows, [start, start + batch.num_rows])
        if last > first:
            taken = batch.column(0).take(pa.array(rows[first:last] - start))
            yield numbers[first:last], taken


def write_duplicates(
    path: Path,
    seqs: np.ndarray,
    reasons: np.ndarray,
    keeper_ids: pa.Array,
    similarity: np.ndarray,
) -> None:
    """Write the decision file, sorted by `_seq` (callers pass canonical order, which is)."""
    order = np.argsort(seqs, kind="stable")
    table = pa.table(
        {
            SEQ: pa.array(seqs[order], pa.uint64()),
            DROP_REASON: pa.array(reasons[order], pa.string()),
            DUPLICATE_OF: keeper_ids.take(pa.array(order)),
            DUPLICATE_SIMILARITY: pa.array(similarity[order].astype(np.float32)),
        },
        schema=DUPLICATES_SCHEMA,
    )
    _write_atomically(path, table)


def write_clusters(
    path: Path,
    *,
    offsets: np.ndarray,
    member_ids: pa.Array,
    keeper_ids: pa.Array,
    keeper_in_index: np.ndarray,
    member_similarity: np.ndarray,
) -> None:
    """Write `clusters.parquet`: one row per cluster, members in canonical order."""
    arrow_offsets = pa.array(offsets.astype(np.int32))
    table = pa.table(
        {
            "cluster_id": pa.array(np.arange(len(offsets) - 1, dtype=np.int64)),
            "size": pa.array(np.diff(offsets).astype(np.int64)),
            "keeper_id": keeper_ids,
            "keeper_in_index": pa.array(keeper_in_index, pa.bool_()),
            "member_ids": pa.ListArray.from_arrays(arrow_offsets, member_ids),
            "member_similarity": pa.ListArray.from_arrays(
                arrow_offsets, pa.array(member_similarity.astype(np.float32))
            ),
        },
        schema=CLUSTERS_SCHEMA,
    )
    _write_atomically(path, table)


def _write_atomically(path: Path, table: pa.Table) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(
        table, temporary, compression="zstd", row_group_size=ROW_GROUP_ROWS, write_statistics=True
    )
    temporary.replace(path)


class DuplicateLookup:
    """Read access to `duplicates.parquet` by `_seq`, loading only overlapping row groups."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = pq.ParquetFile(path)
        self._ranges = [self._seq_range(i) for i in range(self._file.num_row_groups)]
        self._cache: dict[int, pa.Table] = {}

    def _seq_range(self, group: int) -> tuple[int, int]:
        metadata = self._file.metadata.row_group(group)
        if metadata.num_rows == 0:
            return 1, 0  # overlaps nothing
        column = self._file.schema_arrow.get_field_index(SEQ)
        statistics = metadata.column(column).statistics
        if statistics is None or not statistics.has_min_max:
            return 0, 2**64 - 1
        return int(statistics.min), int(statistics.max)

    def rows_for(self, seqs: np.ndarray) -> pa.Table:
        """The decision rows whose `_seq` is in `seqs` (sorted by `_seq`)."""
        if len(seqs) == 0:
            return DUPLICATES_SCHEMA.empty_table()
        low, high = int(seqs.min()), int(seqs.max())
        groups = [i for i, (a, b) in enumerate(self._ranges) if b >= low and a <= high]
        tables = [self._group(i) for i in groups]
        if not tables:
            return DUPLICATES_SCHEMA.empty_table()
        table = pa.concat_tables(tables)
        keep = pc.is_in(table[SEQ], value_set=pa.array(np.unique(seqs), pa.uint64()))
        return table.filter(keep)

    def _group(self, index: int) -> pa.Table:
        if index not in self._cache:
            if len(self._cache) >= 4:
                self._cache.pop(next(iter(self._cache)))
            self._cache[index] = self._file.read_row_group(index)
        return self._cache[index]


def match_rows(seqs: np.ndarray, decisions: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(found mask over `seqs`, row in `decisions` for each found seq)."""
    decided = decisions[SEQ].to_numpy()
    if len(decided) == 0:
        return np.zeros(len(seqs), dtype=bool), np.zeros(0, dtype=np.int64)
    position = np.clip(np.searchsorted(decided, seqs), 0, len(decided) - 1)
    found = decided[position] == seqs
    return found, position[found]
