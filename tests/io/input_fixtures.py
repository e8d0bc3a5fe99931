"""Small input files for the reader tests, written by the tests themselves."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import zstandard

from pipeline.io.discover import detect_format
from pipeline.io.readers import read_input
from pipeline.io.source import InputFile, ReadChunk, Unreadable


def jsonl_bytes(records: Iterable[Mapping[str, Any] | bytes]) -> bytes:
    """JSON Lines: dicts are serialised, bytes are written as they are (one line each)."""
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    return b"".join(line + b"\n" for line in lines)


def compress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, mtime=0)
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    return data


def write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def input_file(path: Path | str, format: str = "auto") -> InputFile:
    file_format, compression = detect_format(str(path), format)
    return InputFile(uri=str(path), format=file_format, compression=compression)


def read_all(file: InputFile, file_index: int = 0, **options: Any) -> list[ReadChunk]:
    return list(read_input(file, file_index, **options))


def good_table(chunks: list[ReadChunk]) -> pa.Table:
    tables = [c.table for c in chunks if c.table.num_rows]
    return pa.concat_tables(tables)


def bad_records(chunks: list[ReadChunk]) -> list[Unreadable]:
    return [entry for chunk in chunks for entry in chunk.unreadable]


def positions(chunks: list[ReadChunk]) -> list[tuple[str, str]]:
    return [(entry.position, entry.error) for entry in bad_records(chunks)]


def news_records(count: int, start: int = 0) -> Iterator[dict[str, Any]]:
    """Records shaped like scraped news: id, text, url, a few metadata fields."""
    for i in range(start, start + count):
        yield {
            "id": f"doc-{i}",
            "text": f"Headline {i}\nThe council met on Tuesday to discuss item {i}.",
            "url": f"https://news.example.org/{i}",
            "lang": "en",
        }
