"""Resolve, step 1: every fingerprint laid out on disk in canonical order, one `.npy` per field.

Canonical order numbers the documents `0 .. N-1`: first the documents of the indexes given in
`index.dedup_against` (in that order, segment by segment, row by row), then the documents of this
corpus by ascending `_seq`. It does not depend on how the fingerprints were split into files, so
neither does anything computed from it. All later steps name documents by this number.

Files in the work directory (N documents, M of them from indexes, P permutations, B bands):

    seq.npy            (N,) uint64   `_seq` (0 for index documents)
    eligible.npy       (N,) bool     has words, so takes part in dedup
    exact_hash.npy     (N, 2) uint64
    keeper_score.npy   (N,) float64
    signatures.npy     (N, P) uint32 (near dedup only)
    band-KKK.npy       (N,) uint64 per band (near dedup only)
    corpus_order.npy   (N - M,) int64: canonical corpus position -> row in the concatenated files
    corpus_rank.npy    (N - M,) int64: row in the concatenated files -> canonical corpus position
    shingles.bin, shingle_offsets.npy   the shingle sets (exact_jaccard only, `shingle_sets.py`)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.bands import band_hashes
from pipeline.dedup.fingerprint import (
    EXACT_HASH,
    KEEPER_SCORE,
    SEQ_COLUMN,
    SIGNATURE,
    WORDS,
    binary_rows,
)
from pipeline.dedup.index_store import IndexSegment
from pipeline.dedup.npy_files import NpyRowWriter, read_rows
from pipeline.dedup.shingle_sets import SHINGLES, ShingleLayoutWriter, column_hashes

# Fingerprint files are read in batches of about this many bytes (decoded), whatever their row
# groups: a unit's file is written as one row group, and its `shingles` column can be gigabytes.
READ_BATCH_BYTES = 8 << 20
# Parquet pages are streamed through a buffer of this size instead of reading a column chunk whole.
READ_BUFFER_BYTES = 1 << 20


@dataclass(frozen=True)
class CorpusLayout:
    """Where the canonical arrays of one resolve live, and how big they are."""

    directory: Path
    index_segments: tuple[IndexSegment, ...]
    fingerprint_files: tuple[Path, ...]
    file_rows: tuple[int, ...]
    num_perm: int | None  # None: no signatures (exact dedup only)
    bands: int
    rows: int
    shingle_sets: bool = False

    @property
    def index_documents(self) -> int:
        return sum(segment.documents for segment in self.index_segments)

    @property
    def corpus_documents(self) -> int:
        return sum(self.file_rows)

    @property
    def documents(self) -> int:
        return self.index_documents + self.corpus_documents

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.npy"

    def band_path(self, band: int) -> Path:
        return self.directory / f"band-{band:03d}.npy"


def canonical_rank(files: Sequence[Path]) -> tuple[np.ndarray, np.ndarray]:
    """(order, rank) of the corpus rows by `_seq`; `order[c]` is the row at canonical position c.

    Peak memory is about 32 bytes per row: the seqs, the sort order, the sorted seqs, and the
    rank built in place of the seqs."""
    seqs = np.empty(sum(pq.ParquetFile(p).metadata.num_rows for p in files), dtype=np.uint64)
    filled = 0
    for path in files:
        for _, batch in fingerprint_batches(path, [SEQ_COLUMN]):
            seqs[filled : filled + batch.num_rows] = batch.column(0).to_numpy()
            filled += batch.num_rows
    order = np.argsort(seqs, kind="stable")
    seqs = seqs[order]
    repeated = np.flatnonzero(seqs[1:] == seqs[:-1])
    if len(repeated):
        raise ValueError(f"fingerprints repeat _seq {int(seqs[repeated[0]])}; seq must be unique")
    del seqs
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return order.astype(np.int64, copy=False), rank


def build_corpus_arrays(
    fingerprint_files: Sequence[Path],
    index_segments: Sequence[IndexSegment],
    directory: Path,
    *,
    num_perm: int | None,
    bands: int,
    rows: int,
    shingle_sets: bool = False,
) -> CorpusLayout:
    """Read index segments and fingerprint files once and write the canonical arrays."""
    directory.mkdir(parents=True, exist_ok=True)
    files = tuple(Path(p) for p in fingerprint_files)
    layout = CorpusLayout(
        directory=directory,
        index_segments=tuple(index_segments),
        fingerprint_files=files,
        file_rows=tuple(pq.ParquetFile(p).metadata.num_rows for p in files),
        num_perm=num_perm,
        bands=bands,
        rows=rows,
        shingle_sets=shingle_sets,
    )
    order, rank = canonical_rank(files)
    np.save(layout.path("corpus_order"), order)
    np.save(layout.path("corpus_rank"), rank)
    del order  # read back for the shingle sets; the layout needs only the rank
    writers = _Writers(layout)
    shingles = ShingleLayoutWriter(directory) if shingle_sets else None
    try:
        position = 0
        for segment in index_segments:
            _copy_segment(segment, position, writers)
            if shingles is not None:
                shingles.add_index_segment(segment.directory)
            position += segment.documents
        base = 0
        for path in files:
            for batch_start, batch in _batches(path, shingle_sets):
                if shingles is not None:
                    shingles.add_corpus(*column_hashes(batch.column(SHINGLES)))
                flat = np.arange(base + batch_start, base + batch_start + batch.num_rows)
                positions = layout.index_documents + rank[flat]
                signatures = (
                    binary_rows(batch.column(SIGNATURE), np.uint32, num_perm) if num_perm else None
                )
                writers.write(
                    positions,
                    seq=batch.column(SEQ_COLUMN).to_numpy(),
                    eligible=batch.column(WORDS).to_numpy() > 0,
                    exact_hash=binary_rows(batch.column(EXACT_HASH), np.uint64, 2),
                    keeper_score=batch.column(KEEPER_SCORE).to_numpy(),
                    signatures=signatures,
                )
            base += pq.ParquetFile(path).metadata.num_rows
    finally:
        writers.close()
    del rank
    if shingles is not None:
        shingles.finish(np.load(layout.path("corpus_order")))
    return layout


def fingerprint_batches(
    path: Path, columns: Sequence[str], *, batch_bytes: int | None = None
) -> Iterator[tuple[int, pa.RecordBatch]]:
    """(first row, batch) of `columns` of a Parquet file, each batch about `batch_bytes` decoded
    (default `READ_BATCH_BYTES`).

    Rows per batch come from the file's decoded column sizes (its widest row group), and pages are
    streamed, so memory does not depend on how many rows the file or its row groups hold."""
    parquet = pq.ParquetFile(path, buffer_size=READ_BUFFER_BYTES, pre_buffer=False)
    budget = READ_BATCH_BYTES if batch_bytes is None else batch_bytes
    rows = max(1, budget // max(1, _row_bytes(parquet, columns)))
    start = 0
    for batch in parquet.iter_batches(batch_size=rows, columns=list(columns), use_threads=False):
        yield start, batch
        start += batch.num_rows


def _row_bytes(parquet: pq.ParquetFile, columns: Sequence[str]) -> int:
    """The largest decoded bytes per row of `columns` over the file's row groups."""
    metadata = parquet.metadata
    widest = 0
    for group in range(metadata.num_row_groups):
        chunk_group = metadata.row_group(group)
        if chunk_group.num_rows == 0:
            continue
        size = sum(
            chunk_group.column(i).total_uncompressed_size
            for i in range(chunk_group.num_columns)
            if chunk_group.column(i).path_in_schema.split(".")[0] in columns
        )
        widest = max(widest, -(-size // chunk_group.num_rows))
    return widest


def _batches(path: Path, shingle_sets: bool) -> Iterator[tuple[int, pa.RecordBatch]]:
    columns = [SEQ_COLUMN, WORDS, EXACT_HASH, KEEPER_SCORE]
    if SIGNATURE in pq.read_schema(path).names:
        columns.append(SIGNATURE)
    if shingle_sets:
        columns.append(SHINGLES)
    return fingerprint_batches(path, columns)


def _copy_segment(segment: IndexSegment, first: int, writers: _Writers) -> None:
    step = 65_536
    with_signatures = writers.layout.num_perm is not None
    for begin in range(0, segment.documents, step):
        end = min(begin + step, segment.documents)
        count = end - begin
        writers.write(
            np.arange(first + begin, first + end),
            seq=np.zeros(count, dtype=np.uint64),
            eligible=np.ones(count, dtype=bool),
            exact_hash=read_rows(segment.exact_hash, begin, end),
            keeper_score=read_rows(segment.keeper_score, begin, end),
            signatures=read_rows(segment.signatures, begin, end) if with_signatures else None,
        )


class _Writers:
    """One positional writer per canonical array."""

    def __init__(self, layout: CorpusLayout) -> None:
        self.layout = layout
        n = layout.documents
        self.seq = NpyRowWriter(layout.path("seq"), (n,), np.uint64)
        self.eligible = NpyRowWriter(layout.path("eligible"), (n,), np.bool_)
        self.exact = NpyRowWriter(layout.path("exact_hash"), (n, 2), np.uint64)
        self.scores = NpyRowWriter(layout.path("keeper_score"), (n,), np.float64)
        self.signatures: NpyRowWriter | None = None
        self.bands: list[NpyRowWriter] = []
        if layout.num_perm:
            self.signatures = NpyRowWriter(
                layout.path("signatures"), (n, layout.num_perm), np.uint32
            )
            self.bands = [
                NpyRowWriter(layout.band_path(k), (n,), np.uint64) for k in range(layout.bands)
            ]

    def write(
        self,
        positions: np.ndarray,
        *,
        seq: np.ndarray,
        eligible: np.ndarray,
        exact_hash: np.ndarray,
        keeper_score: np.ndarray,
        signatures: np.ndarray | None,
    ) -> None:
        self.seq.write(positions, seq)
        self.eligible.write(positions, eligible)
        self.exact.write(positions, exact_hash)
        self.scores.write(positions, keeper_score)
        if self.signatures is not None and signatures is not None:
            self.signatures.write(positions, signatures)
            hashed = band_hashes(signatures, self.layout.bands, self.layout.rows)
            for k, writer in enumerate(self.bands):
                writer.write(positions, hashed[:, k])

    def close(self) -> None:
        for writer in (
            self.seq,
            self.eligible,
            self.exact,
            self.scores,
            self.signatures,
            *self.bands,
        ):
            if writer is not None:
                writer.close()
