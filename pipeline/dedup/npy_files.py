"""On-disk `.npy` arrays for the global stage, written and read without holding them in memory.

Memory-mapped pages count towards a process's resident set, so the global stage never keeps a large
mapping alive: it writes rows with positional writes, reads columns chunk by chunk, and drops the
pages of randomly read signatures after each use (`madvise(MADV_DONTNEED)`).
"""

from __future__ import annotations

import mmap
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
    """The rows of a 1-D `.npy` file where the boolean `selected` is True, read chunk by chunk."""
    parts = [chunk[selected[begin : begin + len(chunk)]] for begin, chunk in iter_row_chunks(path)]
    _, _, dtype = npy_layout(path)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class RandomRowReader:
    """Random access to the rows of a `.npy` file through a private read-only mapping.

    `rows()` copies the requested rows out; `release()` drops the mapped pages from this process
    (they stay in the page cache), so reading a large file at random does not grow the resident set.
    """

    def __init__(self, path: Path) -> None:
        offset, shape, dtype = npy_layout(path)
        self.shape = shape
        self._handle = open(path, "rb")  # noqa: SIM115 - closed in close()
        size = offset + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        self._map = (
            mmap.mmap(self._handle.fileno(), size, access=mmap.ACCESS_READ) if size else None
        )
        count = int(np.prod(shape, dtype=np.int64))
        self._array = (
            np.frombuffer(self._map, dtype=dtype, count=count, offset=offset).reshape(shape)
            if self._map is not None
            else np.zeros(shape, dtype=dtype)
        )

    def rows(self, indices: np.ndarray) -> np.ndarray:
        return self._array[indices]

    def release(self) -> None:
        if self._map is not None and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        del self._array
        if self._map is not None:
            self._map.close()
        self._handle.close()

    def __enter__(self) -> RandomRowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
