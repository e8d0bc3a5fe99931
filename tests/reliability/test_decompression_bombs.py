"""Decompression is streamed and bounded: a few kilobytes that decompress to hundreds of megabytes
cost a reader a few megabytes of memory, and the record is quarantined as too large."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from reliability_harness import ROOT
from warcio.warcwriter import WARCWriter

from pipeline.io.filesystems import DecompressingReader, StreamError
from pipeline.io.readers import read_input
from pipeline.io.source import InputFile
from pipeline.io.zstd_frames import MAX_BLOCK_BYTES, ZstdFeedCutter

MIB = 1 << 20
LIMIT = MIB  # input.max_record_bytes for the bombs
# Peak memory a reader may add while reading a bomb, after reading a small file of the same kind.
MAX_GROWTH_MIB = 32

MEASURE = """
import json, resource, sys
from pipeline.io.discover import detect_format
from pipeline.io.readers import read_input
from pipeline.io.source import InputFile

def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def unreadable(path, limit):
    file_format, compression = detect_format(path, "auto")
    file = InputFile(uri=path, format=file_format, compression=compression)
    return [
        [u.position, u.error]
        for chunk in read_input(file, 0, max_record_bytes=limit)
        for u in chunk.unreadable
    ]

warm_up, bomb, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
unreadable(warm_up, limit)
before = peak_mib()
errors = unreadable(bomb, limit)
print(json.dumps({"growth_mib": peak_mib() - before, "unreadable": errors}))
"""


def measure(warm_up: Path, bomb: Path, limit: int = LIMIT) -> dict:
    """Read `bomb` in a fresh process; its peak memory growth (MiB) and unreadable records."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(warm_up), str(bomb), str(limit)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    size = bomb.stat().st_size
    print(f"\n{bomb.name}: {size:,} bytes on disk, peak memory +{result['growth_mib']:.1f} MiB")
    return result


def zstd_stream(parts: list[bytes], level: int = 1) -> bytes:
    """One zstd frame written in pieces (no content size in its header, as streaming writers do)."""
    compressor = zstandard.ZstdCompressor(level=level).compressobj()
    return b"".join(compressor.compress(part) for part in parts) + compressor.flush()


def gzip_stream(parts: list[bytes]) -> bytes:
    compressor = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(compressor.compress(part) for part in parts) + compressor.flush()


def one_long_record(size_mib: int) -> list[bytes]:
    """The pieces of one JSON line whose text is `size_mib` MiB of one letter."""
    return [b'{"text": "', *([b"a" * MIB] * size_mib), b'"}\n']


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("bomb.jsonl.zst", lambda: zstd_stream(one_long_record(256))),
        ("bomb.jsonl.gz", lambda: gzip_stream(one_long_record(128))),
    ],
)
def test_a_compressed_jsonl_bomb_costs_little_memory(tmp_path: Path, name: str, write) -> None:
    bomb = tmp_path / name
    bomb.write_bytes(write())
    assert bomb.stat().st_size < 2 * MIB
    warm_up = tmp_path / name.replace("bomb", "small")
    small = b'{"text": "a small record"}\n'
    warm_up.write_bytes(zstd_stream([small]) if name.endswith("zst") else gzip.compress(small))
    result = measure(warm_up, bomb)
    size = 10 + (256 if name.endswith("zst") else 128) * MIB + 2
    assert result["unreadable"] == [["line 1", f"record over max_record_bytes ({size} bytes)"]]
    assert result["growth_mib"] < MAX_GROWTH_MIB


@pytest.mark.slow
def test_a_compressed_text_file_bomb_costs_little_memory(tmp_path: Path) -> None:
    bomb, warm_up = tmp_path / "bomb.txt.zst", tmp_path / "small.txt.zst"
    bomb.write_bytes(zstd_stream([b"\0" * MIB] * 256))
    warm_up.write_bytes(zstd_stream([b"a small story"]))
    result = measure(warm_up, bomb)
    assert result["unreadable"] == [["file", f"record over max_record_bytes ({LIMIT} bytes)"]]
    assert result["growth_mib"] < MAX_GROWTH_MIB


@pytest.mark.slow
def test_a_parquet_row_group_too_large_to_hold_is_not_decompressed(tmp_path: Path) -> None:
    bomb, warm_up = tmp_path / "bomb.parquet", tmp_path / "small.parquet"
    pq.write_table(pa.table({"text": ["a" * (32 * MIB)]}), bomb, compression="zstd")
    pq.write_table(pa.table({"text": ["a small story"]}), warm_up, compression="zstd")
    assert bomb.stat().st_size < MIB
    result = measure(warm_up, bomb)
    [[position, error]] = result["unreadable"]
    assert position == "row group 0"
    assert error.startswith("row group over max_record_bytes: its text column holds ")
    assert error.endswith(" bytes for 1 rows")
    assert result["growth_mib"] < MAX_GROWTH_MIB / 2


class Zeros(io.RawIOBase):
    """`size` zero bytes, produced as they are read."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self.left)
        buffer[:size] = bytes(size)
        self.left -= size
        return size


def wet_record(path: Path, payload: BinaryIO, length: int) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        record = writer.create_warc_record(
            "https://bomb.example/",
            "conversion",
            payload=payload,
            length=length,
            warc_content_type="text/plain",
        )
        writer.write_record(record)


@pytest.mark.slow
def test_a_warc_gzip_bomb_costs_bounded_memory(tmp_path: Path) -> None:
    """warcio inflates each 16 KiB it reads at once (up to about 16 MiB): bounded, not small."""
    bomb, warm_up = tmp_path / "bomb.warc.gz", tmp_path / "small.warc.gz"
    wet_record(bomb, io.BufferedReader(Zeros(16 * MIB)), 16 * MIB)
    wet_record(warm_up, io.BytesIO(b"a small story"), 13)
    result = measure(warm_up, bomb)
    assert result["unreadable"] == [["offset 0", f"record over max_record_bytes ({LIMIT} bytes)"]]
    assert result["growth_mib"] < 3 * MAX_GROWTH_MIB


def test_parquet_rows_over_max_record_bytes_are_quarantined_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "rows.parquet"
    texts = ["first", "b" * 3000, "third"]
    pq.write_table(pa.table({"id": ["r0", "r1", "r2"], "text": texts}), path)
    chunks = list(read_input(InputFile(uri=str(path), format="parquet"), 0, max_record_bytes=2048))
    bad = [(u.position, u.error) for c in chunks for u in c.unreadable]
    assert bad == [("row group 0 row 1", "record over max_record_bytes (3000 bytes)")]
    kept = pa.concat_tables([c.table for c in chunks])
    assert kept["id"].to_pylist() == ["r0", "r2"]
    assert kept["_source_row"].to_pylist() == [0, 2]


def feed_in_pieces(data: bytes) -> list[int]:
    """Decompress `data` piece by piece as the reader does; returns each piece's output size."""
    cutter, decoder, sizes = ZstdFeedCutter(), zstandard.ZstdDecompressor().decompressobj(), []
    view = memoryview(data)
    while len(view):
        size, frame_end = cutter.next_piece(view)
        assert size > 0
        sizes.append(len(decoder.decompress(view[:size])))
        assert decoder.eof == frame_end
        if frame_end:
            decoder = zstandard.ZstdDecompressor().decompressobj()
        view = view[size:]
    return sizes


def test_zstd_pieces_decompress_to_at_most_nine_blocks() -> None:
    bomb = zstd_stream([b"\0" * MIB] * 64)
    assert len(bomb) < 64 * 1024
    sizes = feed_in_pieces(bomb)
    assert sum(sizes) == 64 * MIB
    assert max(sizes) <= 9 * MAX_BLOCK_BYTES


def test_zstd_frames_skippable_frames_and_checksums_are_read_whole() -> None:
    first = zstandard.ZstdCompressor(write_checksum=True).compress(b"one\n" * 50_000)
    skippable = (0x184D2A50).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"xyz"
    second = zstd_stream([b"two\n" * 70_000], level=3)
    data = first + skippable + second
    assert sum(feed_in_pieces(data)) == 4 * 120_000
    reader = io.BufferedReader(DecompressingReader(io.BytesIO(data), "zstd"))
    assert reader.read() == b"one\n" * 50_000 + b"two\n" * 70_000


@pytest.mark.parametrize("cut", [3, 9, -5])
def test_zstd_stream_cut_anywhere_is_truncated(cut: int) -> None:
    data = zstd_stream([b"line\n" * 100_000])
    reader = io.BufferedReader(DecompressingReader(io.BytesIO(data[:cut]), "zstd"))
    with pytest.raises(StreamError, match="^truncated zstd stream$"):
        reader.read()


def test_bytes_that_are_not_zstd_are_not_a_zstd_stream() -> None:
    reader = io.BufferedReader(DecompressingReader(io.BytesIO(b"plain text\n" * 20), "zstd"))
    with pytest.raises(StreamError, match=r"^not a zstd stream \("):
        reader.read()
