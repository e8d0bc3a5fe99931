"""Benchmark the dedup stage: signature throughput per core, and memory per document of resolve.

    python scripts/bench_dedup.py [--docs 20000] [--schemes affine32,legacy]
    python scripts/bench_dedup.py --memory [--memory-docs 1000000,10000000]
        [--real-fingerprints RUN/fingerprints/dedup] [--modes estimated,exact] [--work-dir DIR]

Signatures: 3-4 KB articles are built by joining consecutive Reuters-21578 stories from
`../shared/data` (relative to the project root; if it is absent, generated pseudo-text is used and
the script says so). `collect` (normalise, hash, shingle, MinHash, exact hash) runs batch by batch
(1,000 records, as the runner does) and documents per CPU second of this process are reported; for
comparison, datasketch's own per-document path (Python word 5-grams, `MinHash.update_batch` with
its default SHA-1 hash) runs on a subset.

Memory: `--memory` runs the whole `DedupStage.resolve` (layout included), as the runner calls
it, in a fresh process per corpus and verification mode (`estimated`: MinHash estimate, the
default; `exact`: `exact_jaccard`), and prints a table: documents, peak resident set size above
the baseline (after imports and setup), bytes per document, bytes per additional document
(against the previous size of the same corpus and mode), CPU and wall seconds. Corpora: a run's
own fingerprint files (`--real-fingerprints`), then generated fingerprint files of each
`--memory-docs` size, shaped as `collect` writes them (see `write_fingerprints`; `--shingles`
shingle hashes per document, 64 by default to keep 10 million documents on disk: a real 3-4 KB
article has about 700).
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.dedup.config import DedupConfig  # noqa: E402
from pipeline.dedup.fingerprint import ID_COLUMN, SEQ_COLUMN, fixed_width_binary  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "docs.jsonl.gz"
BATCH = 1000


# ---- signatures ----------------------------------------------------------------------------


def articles(count: int) -> tuple[list[str], str]:
    """`count` texts of 3-4 KB and where they came from."""
    if REUTERS.exists():
        with gzip.open(REUTERS, "rt", encoding="utf-8") as handle:
            stories = [json.loads(line)["text"] or "" for line in handle]
        source = f"Reuters-21578 stories joined to 3-4 KB ({REUTERS})"
    else:
        print(f"bench_dedup: {REUTERS} is absent; using generated pseudo-text instead")
        rng = random.Random(1)
        words = [
            "".join(rng.choice("etaoinshrdlucmfw") for _ in range(rng.randint(2, 9)))
            for _ in range(20000)
        ]
        stories = [" ".join(rng.choices(words, k=rng.randint(50, 200))) + "." for _ in range(50000)]
        source = "generated pseudo-text (the shared data is absent)"
    texts, current, index = [], [], 0
    limit = 3000  # start a new article once 3 KB are reached, cut at 4 KB
    while len(texts) < count:
        current.append(stories[index % len(stories)])
        index += 1
        joined = "\n\n".join(current)
        if len(joined.encode()) >= limit:
            texts.append(joined.encode()[:4000].decode("utf-8", "ignore"))
            current = []
    return texts, source


def bench_signatures(texts: list[str], scheme: str) -> float:
    stage = DedupConfig(scheme=scheme).build()
    stage.setup()
    table = pa.table(
        {
            "id": [str(i) for i in range(len(texts))],
            "text": texts,
            "_seq": pa.array(range(len(texts)), pa.uint64()),
        }
    )
    stage.collect(table.slice(0, BATCH))  # warm up (tables, permutations)
    started = time.process_time()
    for begin in range(0, table.num_rows, BATCH):
        stage.collect(table.slice(begin, BATCH))
    return len(texts) / (time.process_time() - started)


def bench_datasketch(texts: list[str]) -> float:
    from datasketch import MinHash

    word = re.compile(r"[^\W_]+")
    started = time.process_time()
    for text in texts:
        words = word.findall(text.lower())
        grams = {" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)}
        minhash = MinHash(num_perm=128, seed=1)
        minhash.update_batch(grams)
    return len(texts) / (time.process_time() - started)


# ---- resolve memory ------------------------------------------------------------------------

FILE_ROWS = 100_000  # rows per generated fingerprint file (the runner writes one per unit)
MODES = {"estimated": False, "exact": True}  # verification by MinHash estimate / exact Jaccard


def write_fingerprints(
    directory: Path, documents: int, *, shingles: int, seed: int, file_rows: int = FILE_ROWS
) -> list[Path]:
    """Fingerprint files of `documents` generated documents, shaped as `collect` writes them.

    Every column of `fingerprint_schema` (with `shingles`, so one set serves both verification
    modes), one row group per file, zstd level 1, as the runner writes a unit's fingerprints.
    Per file: 2 % exact copies of an earlier document, 5 % near copies (10 of 128 signature
    positions and 5 of `shingles` shingles replaced: estimated Jaccard 0.92, exact 0.85), 1 %
    unrelated documents that share band 0 (one big bucket, rejected by verification), 1 %
    without words. `_seq` ascends with gaps, as after the filters of a real run.
    """
    from pipeline.dedup.fingerprint import fingerprint_schema
    from pipeline.dedup.stage import DedupStage

    config = DedupConfig(exact_jaccard=True)
    spec = DedupStage(config).spec
    schema = fingerprint_schema(spec)
    perm = config.num_perm
    _, rows = config.lsh_shape()
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, begin in enumerate(range(0, documents, file_rows)):
        n = min(file_rows, documents - begin)
        seqs = (np.arange(begin, begin + n, dtype=np.uint64) * 3) + rng.integers(0, 3, n).astype(
            np.uint64
        )
        exact = rng.integers(0, 2**64, (n, 2), dtype=np.uint64)
        sigs = rng.integers(0, 2**32, (n, perm), dtype=np.uint32)
        sets = rng.integers(0, 2**32, (n, shingles), dtype=np.uint32)
        words = rng.integers(100, 1000, n).astype(np.int32)
        picks = rng.permutation(np.arange(1, n))
        cuts = np.cumsum([n // 50, n // 20, n // 100, n // 100])
        exact_copies, near_copies, bucket, wordless = np.split(picks[: cuts[-1]], cuts[:-1])
        for copies, changed_sig, changed_set in ((exact_copies, 0, 0), (near_copies, 10, 5)):
            sources = rng.integers(0, copies)  # an earlier document of this file
            sigs[copies] = sigs[sources]
            sets[copies] = sets[sources]
            if changed_sig:
                columns = rng.random((len(copies), perm)).argsort(axis=1)[:, :changed_sig]
                sigs[copies[:, None], columns] = rng.integers(0, 2**32, columns.shape, np.uint32)
                columns = rng.random((len(copies), shingles)).argsort(axis=1)[:, :changed_set]
                sets[copies[:, None], columns] = rng.integers(0, 2**32, columns.shape, np.uint32)
            else:
                exact[copies] = exact[sources]
        sigs[bucket, :rows] = sigs[bucket[0], :rows]
        words[wordless] = 0
        offsets = np.arange(n + 1, dtype=np.int64) * shingles * 4
        table = pa.table(
            {
                SEQ_COLUMN: pa.array(seqs, pa.uint64()),
                ID_COLUMN: pa.array([f"https://example.com/news/{i:09d}" for i in seqs.tolist()]),
                "words": pa.array(words),
                "exact_hash": fixed_width_binary(exact),
                "keeper_score": pa.array(words.astype(np.float64)),
                "signature": fixed_width_binary(sigs),
                "shingles": pa.Array.from_buffers(
                    pa.large_binary(),
                    n,
                    [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(sets.tobytes())],
                ),
            },
            schema=schema,
        )
        path = directory / f"unit-{number:05d}.parquet"
        pq.write_table(table, path, compression="zstd", compression_level=1)
        paths.append(path)
    return paths


def peak_resident_bytes() -> int:
    """This process's peak resident set size (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child_resolve(
    files: list[Path], exact_jaccard: bool, work_dir: str, queue: multiprocessing.Queue
) -> None:
    """Runs in a fresh process: the whole of `DedupStage.resolve`, as the runner calls it."""
    from pipeline.dedup.stage import DedupStage

    stage = DedupStage(DedupConfig(exact_jaccard=exact_jaccard))
    stage.setup()
    pq.read_schema(files[0])  # loads pyarrow's Parquet and file system modules
    baseline = peak_resident_bytes()
    cpu, started = time.process_time(), time.perf_counter()
    stats = stage.resolve(files, Path(work_dir))
    queue.put(
        (
            baseline,
            peak_resident_bytes(),
            time.process_time() - cpu,
            time.perf_counter() - started,
            stats.counters,
        )
    )


def measure_resolve(files: list[Path], exact_jaccard: bool, work_dir: Path) -> tuple:
    """(baseline bytes, peak bytes, CPU s, wall s, counters) of resolve in a fresh process.

    The peak is read inside the child (VmHWM), which, unlike `RUSAGE_CHILDREN`, does not count the
    parent's pages shared before the child's exec.
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    work_dir.mkdir(parents=True, exist_ok=True)
    process = context.Process(
        target=_child_resolve, args=(files, exact_jaccard, str(work_dir), queue)
    )
    process.start()
    result = queue.get()
    process.join()
    shutil.rmtree(work_dir, ignore_errors=True)
    return result


def bench_memory(args: argparse.Namespace) -> None:
    """The memory table: every size in both verification modes, slope between sizes."""
    base = Path(tempfile.mkdtemp(prefix="bench-dedup-", dir=args.work_dir))
    corpora: list[tuple[str, list[Path]]] = []
    if args.real_fingerprints:
        corpora.append(("real", sorted(Path(args.real_fingerprints).glob("*.parquet"))))
    sizes = [int(size) for size in args.memory_docs.split(",") if size]
    modes = [mode for mode in args.modes.split(",") if mode]
    print(
        f"{'corpus':9s} {'mode':9s} {'documents':>11s} {'peak above baseline':>20s} "
        f"{'bytes/doc':>10s} {'bytes/extra doc':>16s} {'CPU s':>7s} {'wall s':>7s}"
    )
    try:
        rows: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for size in [0, *sizes]:
            if size:
                shutil.rmtree(base / "fingerprints", ignore_errors=True)
                started = time.perf_counter()
                files = write_fingerprints(
                    base / "fingerprints", size, shingles=args.shingles, seed=11
                )
                print(f"  (generated {size:,} documents in {time.perf_counter() - started:.0f} s)")
                corpora.append(("generated", files))
            while corpora:
                name, files = corpora.pop(0)
                docs = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
                for mode in modes:
                    baseline, peak, cpu, wall, counters = measure_resolve(
                        files, MODES[mode], base / "work"
                    )
                    used = peak - baseline
                    slope = ""
                    earlier = rows.setdefault((name, mode), [])
                    if earlier:  # against the previous size of the same corpus and mode
                        last_docs, last_used = earlier[-1]
                        slope = f"{(used - last_used) / (docs - last_docs):,.0f}"
                    earlier.append((docs, used))
                    print(
                        f"{name:9s} {mode:9s} {docs:11,d} {used / 2**20:16,.0f} MiB "
                        f"{used / docs:10,.0f} {slope:>16s} {cpu:7,.0f} {wall:7,.0f}   "
                        f"(baseline {baseline / 2**20:,.0f} MiB; clusters "
                        f"{int(counters.get('dedup.clusters', 0)):,}, candidate pairs "
                        f"{int(counters.get('dedup.link.candidate_pairs', 0)):,})",
                        flush=True,
                    )
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="articles for the signature bench")
    parser.add_argument("--schemes", default="affine32,legacy")
    parser.add_argument("--datasketch-docs", type=int, default=300)
    parser.add_argument("--memory", action="store_true", help="run the resolve memory bench")
    parser.add_argument("--memory-docs", default="1000000,10000000", help="generated corpus sizes")
    parser.add_argument("--real-fingerprints", help="also a run's fingerprint directory, first")
    parser.add_argument("--modes", default="estimated,exact", help="verification modes")
    parser.add_argument("--shingles", type=int, default=64, help="shingles per generated doc")
    parser.add_argument("--work-dir", type=Path, default=None, help="where generated files go")
    args = parser.parse_args()
    if args.memory:
        bench_memory(args)
        return 0
    texts, source = articles(args.docs)
    size = sum(len(t.encode()) for t in texts) / len(texts)
    print(f"{len(texts):,} articles of {size:,.0f} bytes on average: {source}")
    for scheme in args.schemes.split(","):
        rate = bench_signatures(texts, scheme)
        print(
            f"  collect, scheme {scheme:8s}: {rate:8,.0f} documents/s per core "
            f"({rate * size / 1e6:5.1f} MB/s)"
        )
    if args.datasketch_docs:
        rate = bench_datasketch(texts[: args.datasketch_docs])
        print(f"  datasketch per document:  {rate:8,.0f} documents/s per core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
