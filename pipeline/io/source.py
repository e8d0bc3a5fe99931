"""What readers produce: chunks of good records, and records that could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class InputFile:
    """One input file, resolved from the user's paths, directories, globs or URIs."""

    uri: str
    format: str  # "jsonl" | "parquet" | "warc" | "txt"
    size: int | None = None
    compression: str | None = None  # "gzip" | "zstd" | None
    # The file's path below the input path that found it (a directory, a glob's literal prefix;
    # a file named directly: its file name), unique among the run's files; generated ids use it.
    # None: the file name.
    name: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """A record that could not be read: it is counted and written to `out/quarantine/`."""

    source: str
    position: str  # e.g. "line 17", "row group 3 row 9", "offset 12345"
    error: str
    raw: str | None = None  # a bounded prefix of the raw bytes, decoded with replacement


@dataclass
class ReadChunk:
    """A batch of good records (canonical columns plus passthrough columns) and the bad ones."""

    table: pa.Table
    unreadable: list[Unreadable] = field(default_factory=list)
