"""A cheap estimate of how many records the input holds, for `crawlsieve validate`."""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence

import fsspec
import pyarrow.parquet as pq
import zstandard

from pipeline.io.source import InputFile

SAMPLE_BYTES = 4 * 1024 * 1024


def estimate_records(files: Sequence[InputFile], storage_options: dict) -> tuple[int, bool]:
    """(estimated records, exact?) over all files; JSONL is extrapolated from its first 4 MiB."""
    total, exact = 0, True
    for file in files:
        count, is_exact = _estimate_file(file, storage_options)
        total += count
        exact = exact and is_exact
    return total, exact


def _estimate_file(file: InputFile, storage_options: dict) -> tuple[int, bool]:
    if file.format == "txt":
        return 1, True
    if file.format == "parquet":
        with fsspec.open(file.uri, "rb", **storage_options) as handle:
            return pq.ParquetFile(handle).metadata.num_rows, True
    if file.format != "jsonl":
        return 0, False
    with fsspec.open(file.uri, "rb", **storage_options) as raw:
        stream: io.BufferedIOBase
        if file.compression == "gzip":
            stream = gzip.GzipFile(fileobj=raw)
        elif file.compression == "zstd":
            stream = zstandard.ZstdDecompressor().stream_reader(raw)
        else:
            stream = raw
        sample = stream.read(SAMPLE_BYTES)
        consumed = raw.tell() or 1
        lines = sample.count(b"\n") + (1 if sample and not sample.endswith(b"\n") else 0)
        size = file.size if file.size is not None else consumed
        if len(sample) < SAMPLE_BYTES:
            return lines, True
        return int(lines * size / consumed), False
