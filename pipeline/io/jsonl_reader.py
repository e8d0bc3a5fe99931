"""JSON Lines reader: plain, gzip or zstd, streamed line by line and parsed with orjson.

One line is one record. Blank lines are not records (they keep their line number, so positions stay
those of the file). A line that cannot become a record is an `Unreadable` at "line N": malformed
JSON, invalid UTF-8, not an object, a missing, null or non-string text field, a field that clashes
with a canonical column, or a line longer than `max_record_bytes`. A damaged compressed stream
gives the records before the damage and then one `Unreadable` for the rest of the file.

Passthrough fields become columns typed from their values (bool, int64, float64 or string; nested
objects and arrays become their JSON text; a field with mixed kinds or integers beyond 64 bits is
string). The file's schema only widens: a field first seen in a later chunk is a new column from
that chunk on (null before it), and a column whose values change kind takes the type that holds
both, by `pipeline.schema_widening.promote_type` (int64 + float64 -> float64, any other mix ->
string); a column with only nulls so far has Arrow's null type. The unit writers start a new
file when the schema widens, and the end of the run gives every output file the same schema.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from itertools import chain
from typing import Any

import orjson
import pyarrow as pa

from pipeline.io.filesystems import StreamError, open_decompressed, open_raw
from pipeline.io.readers import (
    CHUNK_BYTES,
    ReadOptions,
    canonical_table,
    empty_table,
    unreadable,
)
from pipeline.io.source import InputFile, ReadChunk, Unreadable
from pipeline.schema_widening import promote_type

UTF8_BOM = b"\xef\xbb\xbf"
JSON_ARRAY_ERROR = "not JSON Lines: the file is one JSON array (write one object per line)"
SKIP_BYTES = 1 << 20
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Magic numbers of formats a plain-text JSONL file should not start with.
BINARY_MAGIC: dict[bytes, str] = {
    b"\x1f\x8b": "gzip data",
    b"\x28\xb5\x2f\xfd": "zstd data",
    b"PAR1": "a Parquet file",
    b"PK\x03\x04": "a zip archive",
    b"WARC/": "a WARC file",
}
JSON_NAMES = {
    "null": "null",
    "bool": "a boolean",
    "int64": "a number",
    "bigint": "a number",
    "float64": "a number",
    "string": "a string",
    "object": "an object",
    "array": "an array",
}


def read_jsonl(file: InputFile, file_index: int, options: ReadOptions) -> Iterator[ReadChunk]:
    """Stream `file` as chunks of at most `options.batch_size` records."""
    batch = _Batch(file, file_index, options)
    line_no = 0
    try:
        with open_raw(file.uri, options.storage_options) as raw:
            stream = open_decompressed(raw, file.compression)
            if file.compression is None:
                kind = _binary_kind(stream)
                if kind is not None:
                    yield _file_error(file, f"not JSON Lines: the file is {kind}")
                    return
            limit = options.max_record_bytes + 2  # room for "\r\n"
            while True:
                line = stream.readline(limit)
                if not line:
                    break
                line_no += 1
                if len(line) == limit and not line.endswith(b"\n"):
                    size = len(line) + _skip_line(stream)
                    batch.add_bad(line_no, f"record over max_record_bytes ({size} bytes)", line)
                else:
                    if line_no == 1:
                        line = line.removeprefix(UTF8_BOM)
                        if _opens_json_array(line):
                            yield _file_error(file, JSON_ARRAY_ERROR)
                            return
                    batch.add_line(line_no, line)
                if batch.full():
                    yield batch.flush()
    except (StreamError, OSError) as exc:
        message = str(exc) if isinstance(exc, StreamError) else f"read error: {exc}"
        if line_no == 0:
            batch.add_unreadable(unreadable(file, "file", message))
        else:
            position = f"after line {line_no}"
            batch.add_unreadable(unreadable(file, position, f"{message} {position}"))
    if batch.pending():
        yield batch.flush()


def _opens_json_array(line: bytes) -> bool:
    """True when the first line opens a JSON array that does not close on it (`[` of a
    pretty-printed JSON document): the file is JSON, but not JSON Lines."""
    if not line.lstrip().startswith(b"["):
        return False
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return True
    return False


def _file_error(file: InputFile, error: str) -> ReadChunk:
    return ReadChunk(table=empty_table(), unreadable=[unreadable(file, "file", error)])


def _binary_kind(stream: io.BufferedReader) -> str | None:
    head = stream.peek(8)[:8]
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def _skip_line(stream: io.BufferedReader) -> int:
    """Consume the rest of an over-long line without keeping it; returns its bytes before the
    line break."""
    skipped = 0
    while True:
        part = stream.readline(SKIP_BYTES)
        if not part:
            return skipped
        if part.endswith(b"\n"):
            return skipped + len(part.rstrip(b"\r\n"))
        skipped += len(part)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64" if INT64_MIN <= value <= INT64_MAX else "bigint"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array"


def _json_error(data: bytes) -> str:
    """Why `data` is not JSON, in a few words."""
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in exc.msg:
            return "invalid UTF-8"
        return f"malformed JSON: {exc.msg} at byte {exc.pos}"
    return "malformed JSON"


def _json_name(value: Any) -> str:
    """The JSON name of a value's kind, for error messages."""
    return JSON_NAMES[_json_kind(value)]


def _infer_type(values: list[Any]) -> pa.DataType:
    """The column type for one chunk's values of a field (null when they are all null)."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds:
        return pa.null()
    if kinds == {bool}:
        return pa.bool_()
    if kinds <= {int, float}:
        if int in kinds and not _within_int64([v for v in values if type(v) is int]):
            return pa.string()
        return pa.int64() if kinds == {int} else pa.float64()
    return pa.string()


def _within_int64(integers: list[int]) -> bool:
    return min(integers) >= INT64_MIN and max(integers) <= INT64_MAX


def _as_text(value: Any) -> str:
    """A non-null value as a string: strings as they are, anything else as its JSON text."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


class _Batch:
    """Good records and unreadable lines collected for the next chunk."""

    def __init__(self, file: InputFile, file_index: int, options: ReadOptions) -> None:
        self.file = file
        self.file_index = file_index
        self.options = options
        self.consumed = {options.text_field, options.id_field, options.url_field}
        self.reserved = options.reserved_names()
        self.column_types: dict[str, pa.DataType] = {}  # the file's passthrough columns so far
        self._reset()

    def _reset(self) -> None:
        self.ids: list[str | None] = []
        self.texts: list[str] = []
        self.urls: list[str | None] = []
        self.rows: list[int] = []
        self.records: list[dict[str, Any]] = []
        self.bad: list[Unreadable] = []
        self.bytes = 0

    def full(self) -> bool:
        size = self.options.batch_size
        return len(self.rows) >= size or len(self.bad) >= size or self.bytes >= CHUNK_BYTES

    def pending(self) -> bool:
        return bool(self.rows or self.bad)

    def add_unreadable(self, entry: Unreadable) -> None:
        self.bad.append(entry)

    def add_bad(self, line_no: int, error: str, line: bytes) -> None:
        self.bad.append(unreadable(self.file, f"line {line_no}", error, line))

    def add_line(self, line_no: int, line: bytes) -> None:
        """Parse one line; a good record joins the batch, a bad one becomes an `Unreadable`."""
        if len(line) > self.options.max_record_bytes:
            size = len(line.rstrip(b"\r\n"))
            if size > self.options.max_record_bytes:
                self.add_bad(line_no, f"record over max_record_bytes ({size} bytes)", line)
                return
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            stripped = line.strip()
            if stripped:  # blank lines are not records
                self.add_bad(line_no, _json_error(stripped), line)
            return
        error = self._add_record(line_no, record)
        if error is not None:
            self.add_bad(line_no, error, line)
        else:
            self.bytes += len(line)

    def _add_record(self, line_no: int, record: Any) -> str | None:
        """Add a parsed record, or say why it cannot be one."""
        if type(record) is not dict:
            return f"not a JSON object (got {_json_name(record)})"
        options = self.options
        text = record.get(options.text_field)
        if type(text) is not str:
            if options.text_field not in record:
                return f"missing text field {options.text_field!r}"
            return f"text field {options.text_field!r} is {_json_name(text)}, not a string"
        keys = record.keys()
        if not keys.isdisjoint(self.reserved):
            return options.clash_error(next(k for k in keys if k in self.reserved))
        record_id = record.get(options.id_field)
        url = record.get(options.url_field)
        self.ids.append(
            record_id if record_id is None or type(record_id) is str else _as_text(record_id)
        )
        self.texts.append(text)
        self.urls.append(url if url is None or type(url) is str else _as_text(url))
        self.rows.append(line_no - 1)
        self.records.append(record)
        return None

    def flush(self) -> ReadChunk:
        """The collected records as a chunk; starts a new batch."""
        if self.rows:
            self._widen_columns()
        types = self.column_types
        passthrough = pa.table(
            {
                name: pa.array(self._column(name, column_type), column_type)
                for name, column_type in types.items()
            }
        )
        if self.rows:
            table = canonical_table(
                self.file,
                self.file_index,
                ids=pa.array(self.ids, pa.string()),
                texts=pa.array(self.texts, pa.string()),
                urls=pa.array(self.urls, pa.string()),
                rows=pa.array(self.rows, pa.int64()),
                passthrough=passthrough,
            )
        else:
            table = empty_table(passthrough.schema if types else None)
        chunk = ReadChunk(table=table, unreadable=self.bad)
        self._reset()
        return chunk

    def _widen_columns(self) -> None:
        """Add this chunk's new fields to the file's columns and widen the types its values need."""
        names = dict.fromkeys(chain.from_iterable(self.records))
        for name in self.consumed:
            names.pop(name, None)
        for name in names:
            chunk_type = _infer_type([record.get(name) for record in self.records])
            current = self.column_types.get(name)
            self.column_types[name] = (
                chunk_type if current is None else promote_type(name, current, chunk_type)
            )

    def _column(self, name: str, column_type: pa.DataType) -> list[Any]:
        values = [record.get(name) for record in self.records]
        if column_type == pa.string():
            return [None if v is None else _as_text(v) for v in values]
        return values
