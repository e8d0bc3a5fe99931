"""Widening schemas when records bring new fields or values of a wider type.

Input files do not always agree on their fields: a JSONL file whose optional `author` field first
appears on line 40,000, or two Parquet shards of one crawl written months apart. crawlsieve keeps
every such field: a later field becomes a new nullable column, and a column whose values change kind
takes the narrowest type that holds both. These are the rules, shared by the unit writers (which
start a new file when a unit's schema widens) and by the end of a run (which gives every output file
of a directory the same schema):

* the same type stays; a null-typed column (only nulls seen so far) takes the other type;
* Arrow's permissive promotion where it has one (int32 + int64 -> int64, int64 + double -> double,
  string + large_string -> large_string, timestamps to the finer unit, struct fields merged);
* otherwise two scalar types (boolean, numbers, strings, dates and times) become string (Arrow's
  text of each value: `true`, `12`, `0.5`, `2024-05-01`);
* anything else (a struct against a list, say) is a `SchemaConflict`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.types as pat


class SchemaConflict(TypeError):
    """Two types of one column that no single type holds."""


def _is_scalar(data_type: pa.DataType) -> bool:
    return (
        pat.is_boolean(data_type)
        or pat.is_integer(data_type)
        or pat.is_floating(data_type)
        or pat.is_decimal(data_type)
        or pat.is_string(data_type)
        or pat.is_large_string(data_type)
        or pat.is_temporal(data_type)
    )


def promote_type(name: str, first: pa.DataType, second: pa.DataType) -> pa.DataType:
    """The type that holds the values of both types of column `name` (see the module's rules)."""
    if first.equals(second):
        return first
    try:
        unified = pa.unify_schemas(
            [pa.schema([pa.field(name, first)]), pa.schema([pa.field(name, second)])],
            promote_options="permissive",
        )
        return unified.field(name).type
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if _is_scalar(first) and _is_scalar(second):
        return pa.string()
    raise SchemaConflict(f"column {name!r} is {first} in one place and {second} in another")


def widen_schema(base: pa.Schema, other: pa.Schema) -> pa.Schema:
    """`base` with `other`'s columns it lacks appended (nullable), and the types of shared columns
    promoted; `base` itself when nothing changes."""
    fields = list(base)
    index = {field.name: i for i, field in enumerate(fields)}
    changed = False
    for field in other:
        at = index.get(field.name)
        if at is None:
            index[field.name] = len(fields)
            fields.append(field.with_nullable(True))
            changed = True
            continue
        current = fields[at]
        promoted = promote_type(field.name, current.type, field.type)
        if not promoted.equals(current.type):
            fields[at] = pa.field(field.name, promoted, nullable=True, metadata=current.metadata)
            changed = True
    return pa.schema(fields, metadata=base.metadata) if changed else base


def widest_types(schemas: Iterable[pa.Schema]) -> tuple[dict[str, pa.DataType], list[str]]:
    """Per column name, the type that holds every schema's values, and the names whose types
    conflict (left out of the mapping)."""
    types: dict[str, pa.DataType] = {}
    conflicts: dict[str, None] = {}
    for schema in schemas:
        for field in schema:
            if field.name in conflicts:
                continue
            known = types.get(field.name)
            if known is None:
                types[field.name] = field.type
                continue
            try:
                types[field.name] = promote_type(field.name, known, field.type)
            except SchemaConflict:
                del types[field.name]
                conflicts[field.name] = None
    return types, list(conflicts)
