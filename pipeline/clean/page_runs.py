"""Two small pieces the per-page kernels of `page_furniture`'s features share (numba, inlined):
where a page's run of lines ends, and how big a per-page hash table must be."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, inline="always")
def page_end(doc: np.ndarray, a: int) -> int:
    """The end (exclusive) of the run of lines starting at `a` that share `doc[a]` (lines sorted
    by document)."""
    b = a + 1
    while b < doc.size and doc[b] == doc[a]:
        b += 1
    return b


@numba.njit(cache=True, nogil=True, inline="always")
def table_size(keys: int) -> int:
    """The size of an open-addressing table for `keys` keys: the smallest power of two of at
    least 16 and twice `keys` (at most half full, so probes stay short)."""
    size = 16
    while size < 2 * keys:
        size *= 2
    return size
