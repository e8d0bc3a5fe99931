"""`site_boilerplate`'s `resolve`: which (site, line) pairs are frequent, in bounded memory.

Input: the fingerprint files of `collect`, rows of (`site`, `pair`, `sentence`), one row per
distinct line per document plus one marker row (`pair` = 0) per document. A pair is frequent when
the number of rows that carry it (its documents) reaches `min_docs` (`min_docs_sentence` for a
sentence line) and, when `min_site_share` > 0, that share of its site's documents.

Memory is one array of 8 bytes per line row of the partition being counted, and the partitions
are chosen so that it fits `memory_bytes` (plus the read buffers of one batch, `READ_BATCH_ROWS`
rows, and of one Parquet row group). The files are streamed: a first pass counts the rows of each
partition (`pair % partitions`, uniform because pairs are well-mixed hashes), then each partition
is read from the files again into an array of exactly its size, sentence pairs filled from the
back and the others from the front, both halves sorted in place and counted by run length (numba).
A partition holds every row of its pairs, so the counts, and the pairs found frequent, do not
depend on the number of partitions. A pair's `sentence` flag depends only on its line, so its
rows all sit in one half. The site share needs the documents per site (16 bytes per distinct site)
and the site of each frequent pair: one more pass, only when `min_site_share` > 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

BYTES_PER_ROW = 8
READ_BATCH_ROWS = 1 << 16
DOC_MARKER = np.uint64(0)


@dataclass(frozen=True)
class Thresholds:
    """When a pair is frequent (see `SiteBoilerplateConfig`)."""

    min_docs: int
    min_docs_sentence: int
    min_site_share: float


@dataclass(frozen=True)
class FrequentPairs:
    """The frequent pairs (sorted uint64) and what it took to find them."""

    pairs: np.ndarray
    rows: int
    distinct_pairs: int
    partitions: int


def frequent_pairs(
    paths: Sequence[Path], thresholds: Thresholds, *, memory_bytes: int
) -> FrequentPairs:
    """Count documents per pair over all fingerprint files; keep the frequent pairs."""
    rows = sum(_row_count(path) for path in paths)
    partitions = max(1, math.ceil(rows * BYTES_PER_ROW / memory_bytes))
    sizes = _partition_sizes(paths, partitions) if partitions > 1 else [rows]
    found: list[tuple[np.ndarray, np.ndarray, int]] = []
    for partition, size in enumerate(sizes):
        found.extend(_count_partition(paths, partition, partitions, size, thresholds))
    pairs = np.concatenate([chosen for chosen, _, _ in found])
    pair_counts = np.concatenate([counts for _, counts, _ in found])
    distinct = sum(runs for _, _, runs in found)
    order = np.argsort(pairs)
    pairs, pair_counts = pairs[order], pair_counts[order]
    if thresholds.min_site_share > 0 and pairs.size:
        site_docs = _site_docs_of_pairs(paths, pairs)
        pairs = pairs[pair_counts >= thresholds.min_site_share * site_docs]
    return FrequentPairs(np.unique(pairs), rows, distinct, partitions)


@numba.njit(cache=True, nogil=True)
def frequent_runs(values: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The values of a sorted array that occur at least `min_count` times, their counts, and the
    number of distinct values."""
    runs = frequent = 0
    start = 0
    for i in range(1, values.size + 1):
        if i == values.size or values[i] != values[start]:
            runs += 1
            frequent += i - start >= min_count
            start = i
    chosen = np.empty(frequent, dtype=values.dtype)
    counts = np.empty(frequent, dtype=np.int64)
    start = k = 0
    for i in range(1, values.size + 1):
        if i == values.size or values[i] != values[start]:
            if i - start >= min_count:
                chosen[k] = values[start]
                counts[k] = i - start
                k += 1
            start = i
    return chosen, counts, runs


def _count_partition(
    paths: Sequence[Path], partition: int, partitions: int, size: int, thresholds: Thresholds
) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """The frequent plain pairs and the frequent sentence pairs of one partition: (pairs, counts,
    distinct pairs) each. The partition's buffer is freed on return."""
    buffer = np.empty(size, dtype=np.uint64)
    plain, sentence = _fill(buffer, paths, partition, partitions)
    plain_pairs, sentence_pairs = buffer[:plain], buffer[size - sentence :]
    plain_pairs.sort()
    sentence_pairs.sort()
    return [
        frequent_runs(plain_pairs, thresholds.min_docs),
        frequent_runs(sentence_pairs, thresholds.min_docs_sentence),
    ]


def _partition_sizes(paths: Sequence[Path], partitions: int) -> list[int]:
    """The number of line rows (marker rows excluded) of each partition."""
    sizes = np.zeros(partitions, dtype=np.int64)
    for batch in _batches(paths, ["pair"]):
        pair = _column(batch, "pair", np.uint64)
        sizes += np.bincount(pair[pair != DOC_MARKER] % np.uint64(partitions), minlength=partitions)
    return sizes.tolist()


def _fill(buffer: np.ndarray, paths: Sequence[Path], partition: int, partitions: int):
    """Put the partition's line pairs into `buffer`: plain lines from the front, sentence lines
    from the back. Returns how many of each."""
    front, back = 0, buffer.size
    for batch in _batches(paths, ["pair", "sentence"]):
        pair = _column(batch, "pair", np.uint64)
        mine = pair != DOC_MARKER
        if partitions > 1:
            mine &= pair % np.uint64(partitions) == np.uint64(partition)
        sentence = _column(batch, "sentence", np.uint8).astype(bool)
        plain = pair[mine & ~sentence]
        buffer[front : front + plain.size] = plain
        front += plain.size
        chosen = pair[mine & sentence]
        buffer[back - chosen.size : back] = chosen
        back -= chosen.size
    return front, buffer.size - back


def _site_docs_of_pairs(paths: Sequence[Path], pairs: np.ndarray) -> np.ndarray:
    """For each of the sorted `pairs`, the number of documents of its site."""
    docs: dict[int, int] = {}
    pair_site = np.zeros(pairs.size, dtype=np.uint64)
    for batch in _batches(paths, ["site", "pair"]):
        site = _column(batch, "site", np.uint64)
        pair = _column(batch, "pair", np.uint64)
        sites, site_counts = np.unique(site[pair == DOC_MARKER], return_counts=True)
        for key, count in zip(sites.tolist(), site_counts.tolist(), strict=True):
            docs[key] = docs.get(key, 0) + count
        slot = np.minimum(np.searchsorted(pairs, pair), pairs.size - 1)
        hit = pairs[slot] == pair
        pair_site[slot[hit]] = site[hit]
    return np.array([docs.get(key, 0) for key in pair_site.tolist()], dtype=np.int64)


def _column(batch: pa.RecordBatch, name: str, dtype: type) -> np.ndarray:
    return np.asarray(batch.column(name).to_numpy(zero_copy_only=False), dtype=dtype)


def _row_count(path: Path) -> int:
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    return sum(batch.num_rows for batch in _file_batches(path, ["pair"]))


def _batches(paths: Sequence[Path], columns: list[str]) -> Iterator[pa.RecordBatch]:
    for path in paths:
        yield from _file_batches(path, columns)


def _file_batches(path: Path, columns: list[str]) -> Iterator[pa.RecordBatch]:
    """A fingerprint file's batches: Parquet, or an Arrow IPC file / stream (memory-mapped)."""
    if path.suffix == ".parquet":
        yield from pq.ParquetFile(path).iter_batches(batch_size=READ_BATCH_ROWS, columns=columns)
        return
    with pa.memory_map(str(path)) as source:
        try:
            reader = pa.ipc.open_file(source)
            batches = (reader.get_batch(i) for i in range(reader.num_record_batches))
        except pa.ArrowInvalid:
            source.seek(0)
            batches = iter(pa.ipc.open_stream(source))
        for batch in batches:
            yield batch.select(columns)
