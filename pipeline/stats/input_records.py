"""Re-read input records by id from the paths of a run's resolved config.

The run's own readers are used, so ids generated for records without one (`<file>:<row>`) and
renamed fields resolve exactly as they did in the run. Input files are scanned with a vectorised
id filter; files a shard name points to (`part-00003-...` came from input file 3) are read first,
and the scan stops as soon as every id has been found.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import PipelineConfig
from pipeline.io.discover import discover_inputs
from pipeline.io.readers import read_configured_input
from pipeline.io.source import InputFile
from pipeline.schema import ID, SOURCE_ROW, TEXT, URL, is_internal


@dataclass(frozen=True)
class InputRecord:
    """One record as the run read it."""

    id: str
    text: str
    url: str | None
    source: str
    position: str
    columns: dict[str, Any]

    @property
    def location(self) -> str:
        return f"{self.source}, {self.position}"


def find_input_records(
    config: PipelineConfig, ids: Collection[str], *, first_files: Iterable[int] = ()
) -> dict[str, InputRecord]:
    """The input records with the given ids (the first one in scan order for a repeated id)."""
    wanted = set(ids)
    if not wanted:
        return {}
    cfg = config.input
    files = discover_inputs(cfg.paths, format=cfg.format, storage_options=cfg.storage_options)
    hinted = [i for i in dict.fromkeys(first_files) if 0 <= i < len(files)]
    order = hinted + [i for i in range(len(files)) if i not in set(hinted)]
    found: dict[str, InputRecord] = {}
    value_set = pa.array(sorted(wanted), pa.string())
    for index in order:
        for record in _scan_file(config, files[index], index, value_set):
            found.setdefault(record.id, record)
        if wanted <= found.keys():
            break
    return found


def _scan_file(
    config: PipelineConfig, file: InputFile, index: int, value_set: pa.Array
) -> Iterable[InputRecord]:
    chunks = read_configured_input(file, index, config.input)
    for chunk in chunks:
        table = chunk.table
        if table.num_rows == 0:
            continue
        matches = table.filter(pc.is_in(table[ID], value_set=value_set))
        for row in matches.to_pylist():
            extra = {
                k: v for k, v in row.items() if k not in (ID, TEXT, URL) and not is_internal(k)
            }
            yield InputRecord(
                id=row[ID],
                text=row[TEXT] or "",
                url=row[URL],
                source=file.uri,
                position=_position(file, row[SOURCE_ROW]),
                columns=extra,
            )


def _position(file: InputFile, row: int) -> str:
    if file.format == "jsonl":
        return f"line {row + 1}"
    return f"record {row}"
