"""Reading a finished run's output directory: its stats, its config, its kept and rejected records.

Output files use the user's field names (`input.text_field` ...); `RunOutput` maps them back to the
canonical `id`, `text` and `url`, so the inspection tools work whatever the input called them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from pipeline.config import ConfigError, PipelineConfig, validate_config
from pipeline.schema import ID, TEXT, URL


class RunOutputError(ValueError):
    """The directory is not the output of a finished run, or lacks what was asked (exit code 2)."""


@dataclass(frozen=True)
class FoundRecord:
    """One output record (canonical column names) and where it was found."""

    record: dict[str, Any]
    path: Path
    kept: bool


class RunOutput:
    """A run's output directory (see DESIGN.md, "Output layout")."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise RunOutputError(f"{self.root} is not a directory")

    @cached_property
    def summary(self) -> dict[str, Any]:
        path = self.root / "stats.json"
        if not path.exists():
            raise RunOutputError(f"{path} not found: is {self.root} the output of a finished run?")
        return json.loads(path.read_text(encoding="utf-8"))

    @cached_property
    def config(self) -> PipelineConfig:
        path = self.root / "config.resolved.yaml"
        if not path.exists():
            raise RunOutputError(
                f"{path} not found: is {self.root} the output of a crawlsieve run?"
            )
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        try:
            return validate_config(raw, source=str(path))
        except ConfigError as exc:
            raise RunOutputError(
                f"{path} no longer validates (written by another crawlsieve version?): {exc}"
            ) from None

    @cached_property
    def renames(self) -> dict[str, str]:
        """Output column name -> canonical name, for the id, text and url fields."""
        cfg = self.config.input
        return {cfg.id_field: ID, cfg.text_field: TEXT, cfg.url_field: URL}

    @property
    def data_files(self) -> list[Path]:
        return sorted((self.root / "data").glob("*.parquet"))

    @property
    def rejected_files(self) -> list[Path]:
        return sorted((self.root / "rejected").glob("*.parquet"))

    @property
    def clusters_file(self) -> Path:
        return self.root / "clusters.parquet"

    def output_name(self, canonical: str) -> str:
        """The column name an output file uses for a canonical column."""
        for out_name, name in self.renames.items():
            if name == canonical:
                return out_name
        return canonical

    def read(
        self, path: Path, columns: Sequence[str] | None = None, filters: Any = None
    ) -> pa.Table:
        """One output file with canonical column names (only `columns` that exist in it)."""
        names = pq.read_schema(path).names
        wanted = None
        if columns is not None:
            wanted = [self.output_name(c) for c in columns if self.output_name(c) in names]
        table = pq.read_table(path, columns=wanted, filters=filters)
        return table.rename_columns([self.renames.get(n, n) for n in table.column_names])

    def files(self) -> Iterator[tuple[Path, bool]]:
        """Every output file with whether it holds kept records."""
        for path in self.data_files:
            yield path, True
        for path in self.rejected_files:
            yield path, False

    def find_record(self, record_id: str) -> FoundRecord | None:
        """The output record with id `record_id` (kept or rejected), or None."""
        id_column = self.output_name(ID)
        for path, kept in self.files():
            table = pq.read_table(path, filters=pc.field(id_column) == record_id)
            if table.num_rows:
                table = table.rename_columns([self.renames.get(n, n) for n in table.column_names])
                return FoundRecord(record=table.slice(0, 1).to_pylist()[0], path=path, kept=kept)
        return None

    def input_file_index(self, path: Path) -> int | None:
        """The input file a shard came from, when its name says so (`part-00003-...`)."""
        parts = path.stem.split("-")
        if len(parts) >= 2 and parts[0] == "part" and parts[1].isdigit():
            return int(parts[1])
        return None
