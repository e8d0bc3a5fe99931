"""One schema for every file of `data/` and of `rejected/`, at the end of a run.

Units write their files independently, so two input files with different fields (or a JSONL file
whose fields change partway, see `pipeline.run.unit_sinks`) give output files with different
columns or types. Many readers take a directory's schema from its first file
(`pandas.read_parquet("out/data")` does): they silently drop a column that file lacks, and fail on
a type that changed. So before `_SUCCESS`, every file whose schema differs from its directory's is
rewritten (atomically, row group by row group) with the union of the columns, each of the widest
type (`pipeline.schema_widening`); a column missing from a file is null there. `data/` and
`rejected/` share the types of the columns they share. Runs whose files already agree (the usual
case) only read each file's footer. A column whose types cannot be reconciled (a struct in one file,
a list in another) keeps each file's own type and is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import OutputConfig
from pipeline.io.parquet_writer import ShardWriter
from pipeline.schema_widening import widest_types

log = logging.getLogger("crawlsieve")
MapFunction = Callable[..., Iterator[Any] | Iterable[Any]]


def unify_output_schemas(
    directories: Sequence[Path],
    *,
    output: OutputConfig,
    staging_dir: Path,
    map_rewrites: MapFunction = map,
) -> dict[str, object]:
    """Give the Parquet files of each directory one schema; returns what was done
    (`rewritten_files`, `conflicting_columns`). `map_rewrites` runs the rewrites (the files are
    independent: a process pool's `map` spreads them over its workers)."""
    files = {directory: sorted(directory.glob("*.parquet")) for directory in directories}
    schemas = {path: pq.read_schema(path) for paths in files.values() for path in paths}
    types, conflicts = widest_types(schemas.values())
    jobs: list[tuple[Path, pa.Schema]] = []
    for paths in files.values():
        shared = _directory_schema([schemas[path] for path in paths], types)
        for path in paths:
            target = _with_own_types(shared, schemas[path], conflicts)
            if not schemas[path].equals(target):
                jobs.append((path, target))
    rewrite = partial(_rewrite, output=output, staging_dir=staging_dir)
    for _ in map_rewrites(rewrite, [path for path, _ in jobs], [target for _, target in jobs]):
        pass  # consumed, so that a failed rewrite raises here
    if jobs:
        log.info("gave %d output files their directory's schema", len(jobs))
    if conflicts:
        log.warning(
            "output columns with types no single type holds (files keep their own): %s",
            ", ".join(conflicts),
        )
    return {"rewritten_files": len(jobs), "conflicting_columns": conflicts}


def _directory_schema(schemas: Sequence[pa.Schema], types: dict[str, pa.DataType]) -> pa.Schema:
    """Every column of a directory's files, in order of first appearance (files sorted by name),
    of the widest type (a conflicting column: the type of its first file); nullable unless every
    file has it as a non-nullable column."""
    fields: dict[str, list[pa.Field]] = {}
    for schema in schemas:
        for field in schema:
            fields.setdefault(field.name, []).append(field)
    return pa.schema(
        pa.field(
            name,
            types.get(name, present[0].type),
            nullable=len(present) < len(schemas) or any(f.nullable for f in present),
        )
        for name, present in fields.items()
    )


def _with_own_types(shared: pa.Schema, own: pa.Schema, conflicts: Sequence[str]) -> pa.Schema:
    """`shared`, with this file's own type for each conflicting column it has."""
    schema = shared
    for name in conflicts:
        if name in own.names:
            index = schema.get_field_index(name)
            schema = schema.set(index, schema.field(index).with_type(own.field(name).type))
    return schema.with_metadata(own.metadata) if own.metadata else schema


def _rewrite(path: Path, schema: pa.Schema, *, output: OutputConfig, staging_dir: Path) -> None:
    """Rewrite `path` with `schema` (cast and null-filled), replacing it atomically."""
    source = pq.ParquetFile(path)
    writer = ShardWriter(
        path,
        schema,
        staging_dir=staging_dir,
        compression=output.compression,
        compression_level=output.compression_level,
        row_group_rows=output.row_group_rows,
    )
    try:
        for index in range(source.num_row_groups):
            writer.write(source.read_row_group(index))
    except BaseException:
        writer.abort()
        raise
    finally:
        source.close()
    writer.close()
