"""Measure the peak memory (and speed) of reading one large JSON Lines file with `read_input`.

Generates a JSON Lines file of about `--size` bytes of *uncompressed* JSON (default 2 GB, records of
about 3 KB of English-like text, gzip-compressed by default) in /tmp, then reads it in a fresh child
process and prints that process's peak RSS, its RSS before reading, and the throughput.

    python scripts/measure_reader_memory.py                      # 2 GB of JSONL, as .jsonl.gz
    python scripts/measure_reader_memory.py --size 500MB --compression zstd
    python scripts/measure_reader_memory.py --read /path/to/file.jsonl.gz   # an existing file

Needs no data set: the text is generated.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

PROJECT_ROOT = Path(__file__).resolve().parents[1]
UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "": 1}
DISTINCT_TEXTS = 1000


def parse_size(text: str) -> int:
    """`2GB`, `500MB`, `123` -> bytes."""
    upper = text.strip().upper()
    for unit in ("KB", "MB", "GB", ""):
        if upper.endswith(unit):
            number = upper[: len(upper) - len(unit)] if unit else upper
            return int(float(number) * UNITS[unit])
    raise ValueError(f"not a size: {text!r}")


def texts(record_bytes: int, seed: int = 0) -> list[str]:
    """A pool of distinct English-like texts of about `record_bytes` characters each: words from a
    fixed vocabulary with Zipf-like frequencies, so the file compresses about as well as news."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("etaoinshrdlucmfwypvbgkjqxz") for _ in range(rng.randint(2, 9)))
        for _ in range(20_000)
    ]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    pool = []
    for _ in range(DISTINCT_TEXTS):
        sentences: list[str] = []
        size = 0
        while size < record_bytes:
            words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(6, 24))
            sentence = " ".join(words).capitalize() + "."
            sentences.append(sentence)
            size += len(sentence) + 1
        pool.append(" ".join(sentences[:-1]) + "\n" + sentences[-1])
    return pool


def open_output(path: Path, compression: str) -> BinaryIO:
    if compression == "gzip":
        return gzip.open(path, "wb", compresslevel=6)  # type: ignore[return-value]
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=3).stream_writer(path.open("wb"))  # type: ignore[return-value]
    return path.open("wb")


def generate(path: Path, size: int, compression: str, record_bytes: int) -> tuple[int, int]:
    """Write about `size` bytes of JSONL (uncompressed); returns (records, uncompressed bytes)."""
    pool = texts(record_bytes)
    written = records = 0
    with open_output(path, compression) as out:
        while written < size:
            line = (
                json.dumps(
                    {
                        "id": f"doc-{records}",
                        "text": pool[records % DISTINCT_TEXTS],
                        "url": f"https://news.example.org/{records % 977}/{records}",
                        "lang": "en",
                    }
                ).encode()
                + b"\n"
            )
            out.write(line)
            written += len(line)
            records += 1
    return records, written


def read_file(path: Path, batch_size: int) -> None:
    """Child process: read `path` with `read_input` and print a JSON line of measurements."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from pipeline.io.discover import discover_inputs
    from pipeline.io.readers import read_input

    [file] = discover_inputs([str(path)])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    records = unreadable = text_bytes = 0
    for chunk in read_input(file, 0, batch_size=batch_size):
        records += chunk.table.num_rows
        unreadable += len(chunk.unreadable)
        text_bytes += chunk.table["text"].nbytes if chunk.table.num_rows else 0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "records": records,
                "unreadable": unreadable,
                "seconds": round(seconds, 2),
                "rss_before_read_mb": round(before / 1e6, 1),
                "peak_rss_mb": round(peak / 1e6, 1),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="2GB", help="uncompressed JSONL bytes (default 2GB)")
    parser.add_argument("--compression", choices=["gzip", "zstd", "none"], default="gzip")
    parser.add_argument("--record-bytes", type=int, default=3000, help="text bytes per record")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--read", type=Path, help="measure an existing file instead")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        read_file(args.child, args.batch_size)
        return 0

    generated = args.read is None
    if generated:
        suffix = {"gzip": ".jsonl.gz", "zstd": ".jsonl.zst", "none": ".jsonl"}[args.compression]
        path = Path("/tmp") / f"crawlsieve-reader-memory{suffix}"
        size = parse_size(args.size)
        print(f"generating {path} ({size / 1e9:.2f} GB of JSONL before compression) ...")
        started = time.perf_counter()
        records, uncompressed = generate(path, size, args.compression, args.record_bytes)
        print(f"  {records:,} records in {time.perf_counter() - started:.0f} s")
    else:
        path = args.read
        if not path.exists():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        uncompressed = None
    on_disk = path.stat().st_size
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--batch-size", str(args.batch_size)],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        if generated and not args.keep:
            path.unlink(missing_ok=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"file:                 {path.name}, {on_disk / 1e9:.2f} GB on disk")
    if uncompressed is not None:
        rate = uncompressed / 1e6 / result["seconds"]
        print(f"uncompressed JSONL:   {uncompressed / 1e9:.2f} GB ({rate:.0f} MB/s read)")
    print(f"records read:         {result['records']:,} ({result['unreadable']} unreadable)")
    print(f"read time:            {result['seconds']} s (batch_size {args.batch_size})")
    print(f"RSS before reading:   {result['rss_before_read_mb']} MB")
    print(f"peak RSS:             {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
