"""On-disk `.npy` arrays for the global stage, written and read without holding them in memory.

Memory-mapped pages count towards a process's resident set, so the global stage maps nothing: it
writes rows with positional writes, reads whole columns chunk by chunk, and reads single rows (the
signatures of a candidate pair, say) with positional reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

READ_CHUNK_ELEMENTS = 1 << 20


def create_npy(path: Path, shape: tuple[int, ...], dtype: np.dtype | type) -> int:
    """Create a zero-filled (sparse) `.npy` file and return the byte offset of its data."""
    array = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)
    offset = int(array.offset)
    del array
    return offset


class NpyRowWriter:
    """Positional row writes into an existing `.npy` file (rows along the first axis)."""

    def __init__(self, path: Path, shape: tuple[int, ...], dtype: np.dtype | type) -> None:
        self.dtype = np.dtype(dtype)
        self.shape = shape
        self.offset = create_npy(path, shape, self.dtype)
        self.row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * self.dtype.itemsize
        self.handle = open(path, "r+b")  # noqa: SIM115 - closed in close()

    def write(self, positions: np.ndarray, rows: np.ndarray) -> None:
        """Write `rows[i]` at row `positions[i]`; contiguous runs become one write each."""
        if len(positions) == 0:
            return
        rows = np.ascontiguousarray(rows, dtype=self.dtype)
        breaks = np.flatnonzero(np.diff(positions) != 1) + 1
        bounds = np.concatenate([[0], breaks, [len(positions)]])
        fd = self.handle.fileno()
        for begin, end in zip(bounds[:-1], bounds[1:], strict=True):
            where = self.offset + int(positions[begin]) * self.row_bytes
            os.pwrite(fd, rows[begin:end].tobytes(), where)

    def close(self) -> None:
        self.handle.close()


def npy_layout(path: Path) -> tuple[int, tuple[int, ...], np.dtype]:
    """(data offset, shape, dtype) of a C-ordered `.npy` file."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
        if fortran:
            raise ValueError(f"{path}: Fortran-ordered arrays are not supported")
        return handle.tell(), tuple(shape), np.dtype(dtype)


def read_rows(path: Path, begin: int, end: int) -> np.ndarray:
    """Rows `begin:end` of a `.npy` file, read into memory (not mapped)."""
    offset, shape, dtype = npy_layout(path)
    row = int(np.prod(shape[1:], dtype=np.int64))
    with open(path, "rb") as handle:
        handle.seek(offset + begin * row * dtype.itemsize)
        flat = np.fromfile(handle, dtype=dtype, count=(end - begin) * row)
    return flat.reshape((end - begin, *shape[1:]))


def iter_row_chunks(
    path: Path, *, chunk_rows: int | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, rows) chunks of a `.npy` file, in order."""
    _, shape, dtype = npy_layout(path)
    row = int(np.prod(shape[1:], dtype=np.int64))
    step = chunk_rows or max(1, READ_CHUNK_ELEMENTS // max(row, 1))
    for begin in range(0, shape[0], step):
        yield begin, read_rows(path, begin, min(begin + step, shape[0]))


def read_selected(path: Path, selected: np.ndarray) -> np.ndarray:
    """The rows of a `.npy` file where the boolean `selected` is True, read chunk by chunk into
    one preallocated array (no full-size temporary)."""
    _, shape, dtype = npy_layout(path)
    out = np.empty((int(np.count_nonzero(selected)), *shape[1:]), dtype=dtype)
    filled = 0
    for begin, chunk in iter_row_chunks(path):
        taken = chunk[selected[begin : begin + len(chunk)]]
        out[filled : filled + len(taken)] = taken
        filled += len(taken)
    return out


class RandomRowReader:
    """Random access to the rows of a `.npy` file with positional reads (`os.preadv`).

    Nothing is memory-mapped, so reading a large file at random never grows the resident set
    beyond the rows returned. Requested rows are sorted and runs of consecutive rows are read
    with one call.
    """

    def __init__(self, path: Path) -> None:
        self.offset, self.shape, self.dtype = npy_layout(path)
        self.row_bytes = int(np.prod(self.shape[1:], dtype=np.int64)) * self.dtype.itemsize
        self._handle = open(path, "rb")  # noqa: SIM115 - closed in close()

    def rows(self, indices: np.ndarray) -> np.ndarray:
        """Rows `indices` (any order, repeats allowed), as a new array."""
        indices = np.asarray(indices, dtype=np.int64)
        unique, inverse = np.unique(indices, return_inverse=True)
        data = np.empty((len(unique), self.row_bytes), dtype=np.uint8)
        breaks = np.flatnonzero(np.diff(unique) != 1) + 1
        starts = np.concatenate([[0], breaks]).tolist()
        ends = np.concatenate([breaks, [len(unique)]]).tolist()
        fd = self._handle.fileno()
        for begin, end in zip(starts, ends, strict=True):
            if end > begin:
                where = self.offset + int(unique[begin]) * self.row_bytes
                os.preadv(fd, [data[begin:end]], where)
        rows = data.view(self.dtype).reshape((len(unique), *self.shape[1:]))
        return rows[inverse.reshape(-1)]

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RandomRowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
