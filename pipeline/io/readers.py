"""`read_input`: read one input file as chunks of canonical records, whatever its format.

Every chunk's table has the canonical columns first, `id` (string, never null), `text`, `url`,
`_source_file` (int32), `_source_row` (int64, the record's position in the file, counting records
that could not be read) and `_seq` (uint64), followed by the input's other columns, passed through
under their own names. Records that cannot be read come with the chunk as `Unreadable` entries;
a reader never raises for bad data, only for bad configuration (`InputError`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.io.filesystems import InputError
from pipeline.io.source import InputFile, ReadChunk, Unreadable
from pipeline.schema import CORE_FIELDS, ID, TEXT, URL, make_seq

if TYPE_CHECKING:
    from pipeline.config import InputConfig

DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024
# A chunk is closed early once its records hold this many bytes, so that one chunk stays far below
# Arrow's 2 GiB limit per string array and memory stays bounded whatever `batch_size` is.
CHUNK_BYTES = 64 * 1024 * 1024
RAW_PREFIX_BYTES = 512  # how much of a bad record is kept in the quarantine
CORE_NAMES = frozenset(f.name for f in CORE_FIELDS)


@dataclass(frozen=True)
class ReadOptions:
    """How to map the input's fields to canonical columns, and how much to read at a time."""

    text_field: str = TEXT
    id_field: str = ID
    url_field: str = URL
    batch_size: int = 1000
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    storage_options: Mapping[str, Any] = field(default_factory=dict)

    def reserved_names(self) -> frozenset[str]:
        """Input names that would clash with a canonical column if passed through."""
        return CORE_NAMES - {self.text_field, self.id_field, self.url_field}

    def clash_error(self, name: str) -> str:
        """The message for an input column that has the name of a canonical column."""
        return (
            f"input field {name!r} clashes with crawlsieve's own column of that name "
            f"(text_field={self.text_field!r}, id_field={self.id_field!r}, "
            f"url_field={self.url_field!r}); rename it or map it with input.*_field"
        )


def read_input(
    file: InputFile,
    file_index: int,
    *,
    text_field: str = TEXT,
    id_field: str = ID,
    url_field: str = URL,
    batch_size: int = 1000,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    storage_options: Mapping[str, Any] | None = None,
) -> Iterator[ReadChunk]:
    """Read `file` (index `file_index` in the sorted input list) in chunks of `batch_size` records.

    Raises:
        InputError: the format is unknown or a package its filesystem needs is missing.
    """
    if batch_size < 1:
        raise InputError(f"batch_size must be at least 1, got {batch_size}")
    options = ReadOptions(
        text_field=text_field,
        id_field=id_field,
        url_field=url_field,
        batch_size=batch_size,
        max_record_bytes=max_record_bytes,
        storage_options=dict(storage_options or {}),
    )
    if file.format == "jsonl":
        from pipeline.io.jsonl_reader import read_jsonl

        return read_jsonl(file, file_index, options)
    if file.format == "parquet":
        from pipeline.io.parquet_reader import read_parquet

        return read_parquet(file, file_index, options)
    if file.format == "warc":
        from pipeline.io.warc_reader import read_warc

        return read_warc(file, file_index, options)
    if file.format == "txt":
        from pipeline.io.txt_reader import read_txt

        return read_txt(file, file_index, options)
    raise InputError(f"{file.uri}: unknown input format {file.format!r}")


def read_configured_input(
    file: InputFile, file_index: int, config: InputConfig
) -> Iterator[ReadChunk]:
    """`read_input` with the field names, batch size, record limit and storage options of the
    `input` section, as every run reads its input."""
    return read_input(
        file,
        file_index,
        text_field=config.text_field,
        id_field=config.id_field,
        url_field=config.url_field,
        batch_size=config.batch_size,
        max_record_bytes=config.max_record_bytes,
        storage_options=config.storage_options,
    )


def source_name(file: InputFile) -> str:
    """The name generated ids use: the file's unique `name` from discovery, else its file name."""
    if file.name:
        return file.name
    return posixpath.basename(file.uri.rstrip("/")) or file.uri


def generated_ids(file: InputFile, rows: pa.Array) -> pa.Array:
    """Deterministic ids `<file name>:<record index>` for records that have none."""
    return pc.binary_join_element_wise(
        pa.scalar(source_name(file)), pc.cast(rows, pa.string()), ":"
    )


def canonical_table(
    file: InputFile,
    file_index: int,
    *,
    ids: pa.Array | pa.ChunkedArray,
    texts: pa.Array | pa.ChunkedArray,
    urls: pa.Array | pa.ChunkedArray,
    rows: pa.Array,
    passthrough: pa.Table | None = None,
) -> pa.Table:
    """Canonical columns (null ids replaced by generated ones) followed by `passthrough`."""
    rows = rows.cast(pa.int64())
    if ids.null_count:
        ids = pc.coalesce(ids, generated_ids(file, rows))
    columns: list[Any] = [
        ids,
        texts,
        urls,
        pa.repeat(pa.scalar(file_index, pa.int32()), len(rows)),
        rows,
        make_seq(file_index, rows),
    ]
    fields = list(CORE_FIELDS)
    if passthrough is not None:
        columns.extend(passthrough.columns)
        fields.extend(passthrough.schema)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def empty_table(passthrough: pa.Schema | None = None) -> pa.Table:
    """A table with no rows and the canonical columns (plus `passthrough`'s)."""
    fields = list(CORE_FIELDS) + (list(passthrough) if passthrough is not None else [])
    return pa.schema(fields).empty_table()


def unreadable(file: InputFile, position: str, error: str, raw: bytes | None = None) -> Unreadable:
    """An `Unreadable` with a bounded prefix of the raw bytes."""
    prefix = None
    if raw is not None:
        prefix = raw[:RAW_PREFIX_BYTES].decode("utf-8", errors="replace")
    return Unreadable(source=file.uri, position=position, error=error, raw=prefix)


def whole_file_unreadable(file: InputFile, error: str) -> ReadChunk:
    """A chunk with no records and one `Unreadable` for the whole file."""
    return ReadChunk(table=empty_table(), unreadable=[unreadable(file, "file", error)])


def check_passthrough_names(names: list[str], options: ReadOptions) -> str | None:
    """The clash error for the first passthrough name that is a canonical column, else None."""
    reserved = options.reserved_names()
    for name in names:
        if name in reserved:
            return options.clash_error(name)
    return None
