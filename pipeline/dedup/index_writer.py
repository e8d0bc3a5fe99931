"""Write this run's kept documents as a dedup index segment (`index.save_to` / `index.update`).

A segment is written straight from the fingerprint files, in file and row order, so the ids, hashes,
scores and signatures share one row order without ever holding all ids in memory.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.corpus_arrays import CorpusLayout, fingerprint_batches
from pipeline.dedup.fingerprint import (
    EXACT_HASH,
    ID_COLUMN,
    KEEPER_SCORE,
    SEQ_COLUMN,
    SIGNATURE,
    FingerprintSpec,
    binary_rows,
)
from pipeline.dedup.index_store import (
    EXACT,
    IDS,
    SCORES,
    SIGNATURES,
    check_new_index_path,
    manifest_for,
    next_segment_name,
    publish_manifest,
    read_manifest,
)
from pipeline.dedup.npy_files import NpyRowWriter, read_rows
from pipeline.dedup.shingle_sets import OFFSETS_FILE, SHINGLES, SHINGLES_FILE, column_hashes

IDS_SCHEMA = pa.schema(
    [pa.field(ID_COLUMN, pa.string(), nullable=False), pa.field(SEQ_COLUMN, pa.uint64())]
)


def save_index(
    config: DedupConfig,
    spec: FingerprintSpec,
    layout: CorpusLayout,
    keep: np.ndarray,
    *,
    run: str,
) -> None:
    """Write the documents where `keep` is True to `save_to`, and/or append them to the index.

    `run` identifies this resolve's input; a segment already written by the same run is replaced
    rather than added again (see `index_store`)."""
    if config.index.save_to:
        target = Path(config.index.save_to)
        check_new_index_path(target, run=run)
        name = next_segment_name(None)
        shutil.rmtree(target / name, ignore_errors=True)
        count = write_segment(target / name, spec, layout, keep)
        segment = {"name": name, "documents": count, "run": run}
        publish_manifest(target, manifest_for(spec, [segment]))
    if config.index.update:
        target = Path(config.index.dedup_against[0])
        manifest = read_manifest(target)
        earlier = [s for s in manifest["segments"] if s.get("run") != run]
        name = next_segment_name({"segments": earlier})
        shutil.rmtree(target / name, ignore_errors=True)  # an unpublished leftover, if any
        count = write_segment(target / name, spec, layout, keep)
        segments = [*earlier, {"name": name, "documents": count, "run": run}]
        publish_manifest(target, manifest_for(spec, segments))


def write_segment(
    directory: Path, spec: FingerprintSpec, layout: CorpusLayout, keep: np.ndarray
) -> int:
    """Write one segment with the kept corpus documents; returns how many it holds."""
    directory.mkdir(parents=True, exist_ok=True)
    index_docs = layout.index_documents
    count = int(np.count_nonzero(keep[index_docs:]))
    exact = NpyRowWriter(directory / EXACT, (count, 2), np.uint64)
    scores = NpyRowWriter(directory / SCORES, (count,), np.float64)
    signatures = (
        NpyRowWriter(directory / SIGNATURES, (count, spec.num_perm), np.uint32)
        if spec.near
        else None
    )
    columns = [ID_COLUMN, SEQ_COLUMN, EXACT_HASH, KEEPER_SCORE]
    if spec.near:
        columns.append(SIGNATURE)
    shingles = _ShingleSegmentWriter(directory) if spec.exact_jaccard else None
    if shingles is not None:
        columns.append(SHINGLES)
    written = 0
    base = 0
    with pq.ParquetWriter(directory / IDS, IDS_SCHEMA, compression="zstd") as ids:
        for path, rows in zip(layout.fingerprint_files, layout.file_rows, strict=True):
            rank = read_rows(layout.path("corpus_rank"), base, base + rows)
            for start, batch in fingerprint_batches(path, columns):
                selected = keep[index_docs + rank[start : start + batch.num_rows]]
                taken = int(np.count_nonzero(selected))
                if taken == 0:
                    continue
                positions = np.arange(written, written + taken)
                exact.write(
                    positions, binary_rows(batch.column(EXACT_HASH), np.uint64, 2)[selected]
                )
                scores.write(positions, batch.column(KEEPER_SCORE).to_numpy()[selected])
                if signatures is not None:
                    rows_ = binary_rows(batch.column(SIGNATURE), np.uint32, spec.num_perm)
                    signatures.write(positions, rows_[selected])
                if shingles is not None:
                    shingles.add(batch.column(SHINGLES).filter(pa.array(selected)))
                table = pa.Table.from_batches([batch]).select([ID_COLUMN, SEQ_COLUMN])
                ids.write_table(table.filter(pa.array(selected)).cast(IDS_SCHEMA))
                written += taken
            base += rows
    for writer in (exact, scores, signatures):
        if writer is not None:
            writer.close()
    if shingles is not None:
        shingles.close()
    return written


class _ShingleSegmentWriter:
    """A segment's `shingles.bin` and `shingle_offsets.npy`, appended in segment row order."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._data = open(directory / SHINGLES_FILE, "wb")  # noqa: SIM115 - closed in close()
        self._counts: list[np.ndarray] = []

    def add(self, column: pa.Array) -> None:
        hashes, offsets = column_hashes(column)
        self._data.write(np.ascontiguousarray(hashes, dtype="<u4").tobytes())
        self._counts.append(np.diff(offsets))

    def close(self) -> None:
        self._data.close()
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, dtype=np.int64)
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        np.save(self.directory / OFFSETS_FILE, offsets)
