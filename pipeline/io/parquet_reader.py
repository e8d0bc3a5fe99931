"""Parquet reader: row group by row group, `batch_size` rows at a time.

Columns keep their Parquet types; the file's schema is the passthrough schema of every chunk. What
is wrong with the file as a whole (not Parquet, no text column, a text column that is not text, an
id column that cannot become a string, a column named like a canonical column) is one `Unreadable`
at position "file": the run goes on and the count shows it. A row group that cannot be decoded is
one `Unreadable` at "row group G" and reading goes on with the next. A row whose text is null,
not valid UTF-8, or longer than `max_record_bytes` is an `Unreadable` at "row group G row R" (both
counted from 0). A row group whose text column decompresses to more than `max_record_bytes` per row
is not read at all (one `Unreadable` at "row group G"): a page must be decompressed whole, and a
crafted file can hold gigabytes of text in a few kilobytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.io.filesystems import open_raw
from pipeline.io.readers import (
    ReadOptions,
    canonical_table,
    check_passthrough_names,
    empty_table,
    unreadable,
    whole_file_unreadable,
)
from pipeline.io.source import InputFile, ReadChunk, Unreadable

COLUMN_BUFFER_BYTES = 8 << 20  # read column chunks through a buffer instead of whole row groups
# Room for Parquet's own bytes in a text column chunk (length prefixes, page headers, levels) when
# its uncompressed size is compared with `max_record_bytes` per row.
PER_VALUE_OVERHEAD = 64
PAGE_SLACK_BYTES = 1 << 20


def read_parquet(file: InputFile, file_index: int, options: ReadOptions) -> Iterator[ReadChunk]:
    """Stream `file` as chunks of at most `options.batch_size` rows."""
    try:
        raw = open_raw(file.uri, options.storage_options)
    except OSError as exc:
        yield whole_file_unreadable(file, f"read error: {exc}")
        return
    with raw:
        try:
            parquet = pq.ParquetFile(raw, buffer_size=COLUMN_BUFFER_BYTES, pre_buffer=False)
        except (pa.ArrowException, OSError) as exc:
            yield whole_file_unreadable(file, f"not a Parquet file ({exc})")
            return
        schema = parquet.schema_arrow
        problem = _schema_problem(schema, options)
        if problem is not None:
            yield whole_file_unreadable(file, problem)
            return
        yield from _read_row_groups(file, file_index, options, parquet)


def _schema_problem(schema: pa.Schema, options: ReadOptions) -> str | None:
    """Why the file as a whole cannot be read with these options, or None."""
    names = schema.names
    if options.text_field not in names:
        return f"no text column {options.text_field!r}; the file has: {', '.join(names)}"
    text_type = schema.field(options.text_field).type
    if not _is_textual(text_type) and not _is_binary(text_type):
        return f"text column {options.text_field!r} is {text_type}, not a string"
    for name in (options.id_field, options.url_field):
        if name in names and not _castable_to_string(schema.field(name).type):
            return f"column {name!r} is {schema.field(name).type}, which cannot become a string"
    consumed = {options.text_field, options.id_field, options.url_field}
    return check_passthrough_names([n for n in names if n not in consumed], options)


def _is_textual(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_textual(data_type.value_type)
    return (
        pa.types.is_string(data_type)
        or pa.types.is_large_string(data_type)
        or pa.types.is_string_view(data_type)
    )


def _is_binary(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_binary(data_type.value_type)
    return (
        pa.types.is_binary(data_type)
        or pa.types.is_large_binary(data_type)
        or pa.types.is_binary_view(data_type)
    )


def _castable_to_string(data_type: pa.DataType) -> bool:
    return (
        pa.types.is_null(data_type)  # a column with no values (pandas writes all-None this way)
        or _is_textual(data_type)
        or _is_binary(data_type)
        or pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or pa.types.is_boolean(data_type)
        or pa.types.is_decimal(data_type)
        or pa.types.is_temporal(data_type)
    )


def _read_row_groups(
    file: InputFile, file_index: int, options: ReadOptions, parquet: pq.ParquetFile
) -> Iterator[ReadChunk]:
    consumed = {options.text_field, options.id_field, options.url_field}
    passthrough_names = [n for n in parquet.schema_arrow.names if n not in consumed]
    passthrough_schema = pa.schema([parquet.schema_arrow.field(n) for n in passthrough_names])
    metadata = parquet.metadata
    text_column = _leaf_index(metadata, options.text_field)
    first_row = 0
    for group in range(metadata.num_row_groups):
        group_rows = metadata.row_group(group).num_rows
        oversized = _oversized_text(metadata.row_group(group), text_column, options)
        if oversized is not None:
            error = unreadable(file, f"row group {group}", oversized)
            yield ReadChunk(table=empty_table(passthrough_schema), unreadable=[error])
            first_row += group_rows
            continue
        done = 0
        try:
            for batch in parquet.iter_batches(batch_size=options.batch_size, row_groups=[group]):
                yield _chunk(
                    file,
                    file_index,
                    options,
                    batch,
                    passthrough_names,
                    group,
                    done,
                    first_row + done,
                )
                done += batch.num_rows
        except (pa.ArrowException, OSError) as exc:
            where = f"row group {group}" if done == 0 else f"row group {group} from row {done}"
            error = unreadable(file, where, f"cannot decode row group ({exc})")
            yield ReadChunk(table=empty_table(passthrough_schema), unreadable=[error])
        first_row += group_rows


def _leaf_index(metadata: pq.FileMetaData, name: str) -> int | None:
    """The index of the Parquet leaf column `name` (a top-level, non-nested column), or None."""
    for index in range(metadata.num_columns):
        if metadata.schema.column(index).path == name:
            return index
    return None


def _oversized_text(
    group: pq.RowGroupMetaData, column: int | None, options: ReadOptions
) -> str | None:
    """Why a row group is not read at all: its text column decompresses to more than
    `max_record_bytes` per row on average, so some record is over the limit, and a page holding it
    would have to be decompressed whole (a crafted file could hold gigabytes in a few bytes)."""
    if column is None or group.num_rows == 0:
        return None
    size = group.column(column).total_uncompressed_size
    if size <= group.num_rows * (options.max_record_bytes + PER_VALUE_OVERHEAD) + PAGE_SLACK_BYTES:
        return None
    return (
        f"row group over max_record_bytes: its text column holds {size} bytes "
        f"for {group.num_rows} rows"
    )


def _chunk(
    file: InputFile,
    file_index: int,
    options: ReadOptions,
    batch: pa.RecordBatch,
    passthrough_names: list[str],
    group: int,
    group_offset: int,
    first_row: int,
) -> ReadChunk:
    """One batch as a chunk: good rows in the table, null or undecodable texts as unreadable."""
    rows = pa.array(range(first_row, first_row + batch.num_rows), pa.int64())
    texts, bad_utf8 = _text_column(batch.column(options.text_field))
    sizes = pc.fill_null(pc.binary_length(texts), 0)
    too_long = pc.greater(sizes, options.max_record_bytes)
    good = pc.and_(pc.and_(pc.is_valid(texts), pc.invert(bad_utf8)), pc.invert(too_long))
    bad: list[Unreadable] = []
    if not pc.all(good).as_py():
        for index in pc.indices_nonzero(pc.invert(good)).to_pylist():
            if bad_utf8[index].as_py():
                error = "invalid UTF-8"
            elif too_long[index].as_py():
                error = f"record over max_record_bytes ({sizes[index].as_py()} bytes)"
            else:
                error = f"text field {options.text_field!r} is null"
            position = f"row group {group} row {group_offset + index}"
            bad.append(unreadable(file, position, error))
        texts = texts.filter(good)
        batch = batch.filter(good)
        rows = rows.filter(good)
    table = canonical_table(
        file,
        file_index,
        ids=_string_column(batch, options.id_field),
        texts=texts,
        urls=_string_column(batch, options.url_field),
        rows=rows,
        passthrough=pa.Table.from_batches([batch.select(passthrough_names)])
        if passthrough_names
        else None,
    )
    return ReadChunk(table=table, unreadable=bad)


def _text_column(column: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(text as string, mask of values that are not valid UTF-8)."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if _is_textual(column.type):
        return column.cast(pa.string()), pa.repeat(pa.scalar(False), len(column))
    try:
        return column.cast(pa.string()), pa.repeat(pa.scalar(False), len(column))
    except pa.ArrowInvalid:
        values = column.to_pylist()
        decoded: list[Any] = []
        bad: list[bool] = []
        for value in values:
            try:
                decoded.append(None if value is None else value.decode("utf-8"))
                bad.append(False)
            except UnicodeDecodeError:
                decoded.append(None)
                bad.append(True)
        return pa.array(decoded, pa.string()), pa.array(bad, pa.bool_())


def _string_column(batch: pa.RecordBatch, name: str) -> pa.Array:
    """Column `name` as strings (all null when the file has no such column); bytes that are not
    valid UTF-8 are replaced."""
    if name not in batch.schema.names:
        return pa.nulls(batch.num_rows, pa.string())
    column = batch.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    try:
        return column.cast(pa.string())
    except pa.ArrowInvalid:
        values = column.to_pylist()
        return pa.array(
            [None if v is None else v.decode("utf-8", errors="replace") for v in values],
            pa.string(),
        )
