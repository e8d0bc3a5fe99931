"""Shingle sets on disk and exact Jaccard similarity of document pairs (`exact_jaccard: true`).

With `exact_jaccard`, `collect` also stores every document's 32-bit shingle hashes (the same ones
its MinHash signature is computed from), and `resolve` decides every candidate pair and every
keeper assignment by the exact Jaccard similarity of the two shingle sets instead of the MinHash
estimate. Storage: 4 bytes per shingle, about 2.4 KB for a 3-4 KB article.

On disk in canonical order: `shingles.bin` (the hashes, concatenated, little-endian uint32) and
`shingle_offsets.npy` ((N + 1,) int64, in hashes).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipeline.dedup.npy_files import RandomRowReader
from pipeline.dedup.shingles import Shingles

SHINGLES = "shingles"
SHINGLES_FILE = "shingles.bin"
OFFSETS_FILE = "shingle_offsets.npy"
# Hashes held at once when comparing pairs (both sides of a chunk of pairs, 8-byte sort keys);
# 2^21 peaked at about 100 MB, 2^19 resolves the news run no slower and 80 MB lower.
CHUNK_HASHES = 1 << 19


def shingle_column(shingles: Shingles) -> pa.Array:
    """The fingerprint column: one large_binary value per document, its hashes as uint32 LE."""
    offsets = (shingles.offsets * 4).astype(np.int64)
    data = np.ascontiguousarray(shingles.hashes, dtype="<u4")
    return pa.Array.from_buffers(
        pa.large_binary(),
        len(offsets) - 1,
        [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())],
    )


def column_hashes(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(hashes uint32, offsets int64 in hashes) of a `shingles` column."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    array = array.cast(pa.large_binary())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[
        array.offset : array.offset + len(array) + 1
    ]
    data = array.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    flat = raw[offsets[0] : offsets[-1]].view("<u4")
    return flat.astype(np.uint32, copy=False), (offsets - offsets[0]) // 4


class ShingleSetReader:
    """The shingle hashes of any documents, read with positional reads."""

    def __init__(self, directory: Path) -> None:
        self._offsets = RandomRowReader(directory / OFFSETS_FILE)
        self._handle = open(directory / SHINGLES_FILE, "rb")  # noqa: SIM115 - closed in close()

    def lengths(self, documents: np.ndarray) -> np.ndarray:
        """Shingles (with repeats) of each document."""
        return self._offsets.rows(documents + 1) - self._offsets.rows(documents)

    def sets(self, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, offsets): `documents[i]` has `hashes[offsets[i]:offsets[i + 1]]`."""
        starts = self._offsets.rows(documents)
        lengths = self._offsets.rows(documents + 1) - starts
        offsets = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        hashes = np.empty(int(offsets[-1]), dtype="<u4")
        raw = hashes.view(np.uint8)
        fd = self._handle.fileno()
        for i, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist(), strict=True)):
            if length:
                at = int(offsets[i]) * 4
                os.preadv(fd, [raw[at : at + length * 4]], start * 4)
        return hashes.astype(np.uint32, copy=False), offsets

    def close(self) -> None:
        self._offsets.close()
        self._handle.close()

    def __enter__(self) -> ShingleSetReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ShingleLayoutWriter:
    """Writes `shingles.bin` and `shingle_offsets.npy` in canonical order.

    Index segments come first (already in canonical order); corpus documents arrive in file
    order and are appended to a scratch file, then copied in canonical order (a plain copy when
    the files were already in `_seq` order, the usual case).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._final = open(directory / SHINGLES_FILE, "wb")  # noqa: SIM115 - closed in finish()
        self._scratch_path = directory / "shingles-file-order.bin"
        self._scratch = open(self._scratch_path, "wb")  # noqa: SIM115 - closed in finish()
        self._index_counts: list[np.ndarray] = []
        self._corpus_counts: list[np.ndarray] = []

    def add_index_segment(self, segment_directory: Path) -> None:
        offsets = np.load(segment_directory / OFFSETS_FILE)
        self._index_counts.append(np.diff(offsets))
        with open(segment_directory / SHINGLES_FILE, "rb") as source:
            while block := source.read(1 << 24):
                self._final.write(block)

    def add_corpus(self, hashes: np.ndarray, offsets: np.ndarray) -> None:
        self._scratch.write(np.ascontiguousarray(hashes, dtype="<u4").tobytes())
        self._corpus_counts.append(np.diff(offsets).astype(np.int64))

    def finish(self, order: np.ndarray) -> None:
        """Copy the corpus shingles in canonical order (`order[c]` = row in file order)."""
        self._scratch.close()
        counts = (
            np.concatenate(self._corpus_counts) if self._corpus_counts else np.zeros(0, np.int64)
        )
        if np.array_equal(order, np.arange(len(order))):
            with open(self._scratch_path, "rb") as source:
                while block := source.read(1 << 24):
                    self._final.write(block)
        else:
            starts = np.zeros(len(counts) + 1, dtype=np.int64)
            np.cumsum(counts, out=starts[1:])
            with open(self._scratch_path, "rb") as source:
                fd = source.fileno()
                for row in order.tolist():
                    if counts[row]:
                        self._final.write(os.pread(fd, int(counts[row]) * 4, int(starts[row]) * 4))
        self._final.close()
        self._scratch_path.unlink()
        index = np.concatenate(self._index_counts) if self._index_counts else np.zeros(0, np.int64)
        all_counts = np.concatenate([index, counts[order]]).astype(np.int64)
        offsets = np.zeros(len(all_counts) + 1, dtype=np.int64)
        np.cumsum(all_counts, out=offsets[1:])
        np.save(self.directory / OFFSETS_FILE, offsets)


def exact_jaccard(reader: ShingleSetReader, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of each pair `(left[i], right[i])`.

    Pairs are compared in chunks of about `CHUNK_HASHES` hashes: the two sides' hashes, tagged with
    their pair and side, are sorted once; set sizes and intersections are counts over the runs.
    """
    out = np.zeros(len(left), dtype=np.float64)
    if len(left) == 0:
        return out
    sizes = reader.lengths(left) + reader.lengths(right)
    ends = np.searchsorted(np.cumsum(sizes), np.arange(CHUNK_HASHES, sizes.sum(), CHUNK_HASHES))
    bounds = np.unique(np.concatenate([[0], ends + 1, [len(left)]]).clip(0, len(left)))
    for begin, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        out[begin:end] = _pair_jaccard(reader, left[begin:end], right[begin:end])
    return out


def _pair_jaccard(reader: ShingleSetReader, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    pairs = len(left)
    keys = []
    for side, documents in enumerate((left, right)):
        hashes, offsets = reader.sets(documents)
        pair = np.repeat(np.arange(pairs, dtype=np.uint64), np.diff(offsets))
        keys.append((pair << np.uint64(33)) | (hashes.astype(np.uint64) << np.uint64(1)) | side)
    key = np.concatenate(keys)
    key.sort()
    unique = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
    pair_of = (unique >> np.uint64(33)).astype(np.int64)
    side_of = (unique & np.uint64(1)).astype(bool)
    size_left = np.bincount(pair_of[~side_of], minlength=pairs)
    size_right = np.bincount(pair_of[side_of], minlength=pairs)
    base = unique >> np.uint64(1)
    both = np.flatnonzero(base[1:] == base[:-1]) + 1
    common = np.bincount(pair_of[both], minlength=pairs)
    union = size_left + size_right - common
    return np.where(union > 0, common / np.maximum(union, 1), 0.0)
