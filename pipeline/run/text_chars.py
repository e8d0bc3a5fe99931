"""Characters of a text column, counted by a numba kernel over the Arrow byte buffers.

The runner counts the characters of every live text after each text-editing stage (the funnel's
`chars_in`/`chars_out`). Arrow's `utf8_length` builds one length per text and then sums them; the
total is simply the number of bytes that do not continue a UTF-8 sequence (`0b10xxxxxx`), which is
how `utf8_length` counts code points too, invalid bytes included. One pass over the bytes, no
per-text array.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from pipeline.dedup.text_units import utf8_view


@numba.njit(cache=True, nogil=True)
def count_code_points(data: np.ndarray) -> int:
    """Bytes of `data` (uint8) that start a character: every byte but UTF-8 continuation bytes."""
    continuation = 0
    for byte in data:
        continuation += (byte & 0xC0) == 0x80
    return data.size - continuation


def text_column_chars(column: pa.Array | pa.ChunkedArray) -> int:
    """Total characters of a string column, as the sum of `utf8_length` (nulls count as zero)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    total = 0
    for chunk in chunks:
        if len(chunk):
            data, _ = utf8_view(chunk)
            total += count_code_points(data)
    return total
