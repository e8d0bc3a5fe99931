"""Plain-text reader: one file (`.txt`, `.txt.gz`, `.txt.zst`) is one record.

The record's id is the file name, its text the whole content decoded as UTF-8 (a leading byte order
mark is removed), its url null. A file that is not valid UTF-8, is larger than `max_record_bytes`
once decompressed, or whose compressed stream is damaged is one `Unreadable` at position "file".
An empty file is a record with empty text (the runner drops it as `empty_text`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from pipeline.io.filesystems import StreamError, open_decompressed, open_raw
from pipeline.io.readers import ReadOptions, canonical_table, source_name, whole_file_unreadable
from pipeline.io.source import InputFile, ReadChunk

UTF8_BOM = b"\xef\xbb\xbf"


def read_txt(file: InputFile, file_index: int, options: ReadOptions) -> Iterator[ReadChunk]:
    """Read `file` as a single record."""
    try:
        with open_raw(file.uri, options.storage_options) as raw:
            data = open_decompressed(raw, file.compression).read(options.max_record_bytes + 1)
    except StreamError as exc:
        yield whole_file_unreadable(file, str(exc))
        return
    except OSError as exc:
        yield whole_file_unreadable(file, f"read error: {exc}")
        return
    if len(data) > options.max_record_bytes:
        yield whole_file_unreadable(
            file, f"record over max_record_bytes ({options.max_record_bytes} bytes)"
        )
        return
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield whole_file_unreadable(file, f"invalid UTF-8 at byte {exc.start}")
        return
    table = canonical_table(
        file,
        file_index,
        ids=pa.array([source_name(file)], pa.string()),
        texts=pa.array([text], pa.string()),
        urls=pa.nulls(1, pa.string()),
        rows=pa.array([0], pa.int64()),
    )
    yield ReadChunk(table=table)
