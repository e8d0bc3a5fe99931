"""The rules by which a schema widens for new columns and wider values."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.schema_widening import SchemaConflict, promote_type, widen_schema, widest_types


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (pa.int64(), pa.int64(), pa.int64()),
        (pa.null(), pa.int64(), pa.int64()),
        (pa.string(), pa.null(), pa.string()),
        (pa.int32(), pa.int64(), pa.int64()),
        (pa.int64(), pa.float64(), pa.float64()),
        (pa.int64(), pa.string(), pa.string()),
        (pa.bool_(), pa.int64(), pa.string()),
        (pa.timestamp("s"), pa.string(), pa.string()),
        (pa.timestamp("s"), pa.timestamp("ms"), pa.timestamp("ms")),
        (pa.list_(pa.int64()), pa.list_(pa.float64()), pa.list_(pa.float64())),
    ],
)
def test_promote_type_takes_the_narrowest_type_holding_both(
    first: pa.DataType, second: pa.DataType, expected: pa.DataType
) -> None:
    assert promote_type("x", first, second) == expected
    assert promote_type("x", second, first) == expected


def test_a_struct_against_a_list_is_a_conflict() -> None:
    with pytest.raises(SchemaConflict, match="column 'x' is struct"):
        promote_type("x", pa.struct([("a", pa.int64())]), pa.list_(pa.int64()))


def test_widen_schema_appends_new_columns_nullable_and_promotes_shared_ones() -> None:
    base = pa.schema([pa.field("id", pa.string(), nullable=False), ("n", pa.int64())])
    other = pa.schema([("n", pa.float64()), pa.field("author", pa.string(), nullable=False)])
    widened = widen_schema(base, other)
    assert widened == pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            ("n", pa.float64()),
            pa.field("author", pa.string(), nullable=True),
        ]
    )


def test_widen_schema_returns_the_same_object_when_nothing_changes() -> None:
    base = pa.schema([("n", pa.float64()), ("tag", pa.string())])
    assert widen_schema(base, pa.schema([("n", pa.int64()), ("tag", pa.null())])) is base


def test_widest_types_leaves_out_conflicting_columns_and_names_them() -> None:
    schemas = [
        pa.schema([("n", pa.int64()), ("meta", pa.struct([("a", pa.int64())]))]),
        pa.schema([("n", pa.float64()), ("meta", pa.list_(pa.int64()))]),
        pa.schema([("meta", pa.string()), ("late", pa.bool_())]),
    ]
    types, conflicts = widest_types(schemas)
    assert types == {"n": pa.float64(), "late": pa.bool_()}
    assert conflicts == ["meta"]
