"""The record schema shared by every stage.

Readers rename the user's configured fields to the canonical names below; writers rename them back,
so a user's `content` column leaves crawlsieve as `content`. The provenance columns below and any
column whose name starts with `__` are internal working columns and never reach the final output;
an input column such as `_id` passes through like any other.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

ID = "id"
TEXT = "text"
URL = "url"
DROP_REASON = "drop_reason"
DUPLICATE_OF = "duplicate_of"
DUPLICATE_SIMILARITY = "duplicate_similarity"
REMOVED_LINES = "removed_lines"
ORIGINAL_CHARS = "original_chars"

# Internal provenance: which input file (index into the sorted input list) and which record of it.
SOURCE_FILE = "_source_file"
SOURCE_ROW = "_source_row"
# A corpus-wide, order-preserving sequence number: (file index << 40) | record index.
SEQ = "_seq"

SEQ_FILE_SHIFT = 40

REMOVED_LINE_TYPE = pa.struct([("rule", pa.string()), ("text", pa.string())])
REMOVED_LINES_TYPE = pa.list_(REMOVED_LINE_TYPE)

CORE_FIELDS: tuple[pa.Field, ...] = (
    pa.field(ID, pa.string(), nullable=False),
    pa.field(TEXT, pa.string()),
    pa.field(URL, pa.string()),
    pa.field(SOURCE_FILE, pa.int32(), nullable=False),
    pa.field(SOURCE_ROW, pa.int64(), nullable=False),
    pa.field(SEQ, pa.uint64(), nullable=False),
)

DECISION_FIELDS: tuple[pa.Field, ...] = (
    pa.field(DROP_REASON, pa.string()),
    pa.field(ORIGINAL_CHARS, pa.int64()),
    pa.field(REMOVED_LINES, REMOVED_LINES_TYPE),
)


def make_seq(file_index: int, rows: pa.Array) -> pa.Array:
    """Sequence numbers for the records `rows` (record index within the file) of one input file."""
    base = pa.scalar(file_index << SEQ_FILE_SHIFT, pa.uint64())
    return pc.add(pc.cast(rows, pa.uint64()), base)


INTERNAL_COLUMNS = frozenset({SOURCE_FILE, SOURCE_ROW, SEQ})


def is_internal(name: str) -> bool:
    """True for working columns that are dropped before the final output."""
    return name in INTERNAL_COLUMNS or name.startswith("__")


def set_column(
    table: pa.Table, field: pa.Field | str, values: pa.Array | pa.ChunkedArray
) -> pa.Table:
    """Add `values` as a column, replacing any column of the same name."""
    name = field if isinstance(field, str) else field.name
    index = table.schema.get_field_index(name)
    if index >= 0:
        return table.set_column(index, field, values)
    return table.append_column(field, values)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Return `table` with exactly `schema`'s columns, in order: missing columns become nulls."""
    if table.schema.equals(schema, check_metadata=True):
        return table
    present = set(table.column_names)
    columns = []
    for field in schema:
        if field.name in present:
            column = table[field.name]
            if column.type != field.type:
                column = column.cast(field.type)
            columns.append(column)
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)
