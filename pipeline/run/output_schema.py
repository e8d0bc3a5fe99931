"""The columns of intermediate and final files.

A unit's schema is fixed before its first write, from the schema its input has plus every column the
pass's stages declare, so every row group and every file of a unit has the same columns even when a
batch had no live records. The final schema then removes internal columns, applies the feature
column selection, and renames canonical columns back to the user's field names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from pipeline.config import PipelineConfig
from pipeline.run.plan import Pass
from pipeline.schema import (
    DECISION_FIELDS,
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    ID,
    REMOVED_LINES,
    TEXT,
    URL,
    conform,
    is_internal,
)

# Columns that record a decision rather than describe the document.
DECISION_COLUMNS = (DROP_REASON, DUPLICATE_OF, DUPLICATE_SIMILARITY)


def merge_fields(schema: pa.Schema, extra: Iterable[pa.Field]) -> pa.Schema:
    """`schema` plus `extra`; a field of the same name is replaced in place."""
    fields = list(schema)
    names = [f.name for f in fields]
    for field in extra:
        if field.name in names:
            fields[names.index(field.name)] = field
        else:
            fields.append(field)
            names.append(field.name)
    return pa.schema(fields)


def stage_fields(passes: Sequence[Pass], upto: int) -> list[pa.Field]:
    """Every column declared by the stages of passes `0..upto`."""
    fields: list[pa.Field] = list(DECISION_FIELDS)
    for p in passes[: upto + 1]:
        if p.apply is not None:
            fields.extend(p.apply.output_fields())
        for stage in p.stages:
            fields.extend(stage.output_fields())
    return fields


def unit_schema(base: pa.Schema, passes: Sequence[Pass], pass_index: int) -> pa.Schema:
    """The schema of everything a unit of pass `pass_index` writes."""
    return merge_fields(base, stage_fields(passes, pass_index))


def feature_names(passes: Sequence[Pass]) -> list[str]:
    """Feature columns the stages declare (everything except text and decision columns)."""
    skip = {TEXT, REMOVED_LINES, *DECISION_COLUMNS}
    return [f.name for f in stage_fields(passes, len(passes) - 1) if f.name not in skip]


def final_schema(
    schema: pa.Schema, config: PipelineConfig, features: Sequence[str], *, rejected: bool
) -> pa.Schema:
    """The output schema for kept (`rejected=False`) or rejected records."""
    wanted = config.output.feature_columns
    renames = {
        TEXT: config.input.text_field,
        ID: config.input.id_field,
        URL: config.input.url_field,
    }
    fields = []
    for field in schema:
        name = field.name
        if is_internal(name):
            continue
        if name == REMOVED_LINES and not config.output.keep_removed_lines:
            continue
        if name in DECISION_COLUMNS and not rejected:
            continue
        if name in features and wanted != "all" and name not in wanted:
            continue
        fields.append(field.with_name(renames.get(name, name)))
    return pa.schema(fields)


def final_table(table: pa.Table, schema: pa.Schema, config: PipelineConfig) -> pa.Table:
    """Rename canonical columns back to the user's names and conform to `schema`."""
    renames = {
        TEXT: config.input.text_field,
        ID: config.input.id_field,
        URL: config.input.url_field,
    }
    renamed = table.rename_columns([renames.get(n, n) for n in table.column_names])
    return conform(renamed, schema)
