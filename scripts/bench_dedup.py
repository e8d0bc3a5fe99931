"""Benchmark the dedup stage: signature throughput per core, and memory per document of resolve.

    python scripts/bench_dedup.py [--docs 20000] [--schemes affine32,legacy]
    python scripts/bench_dedup.py --synthetic-docs 10000000 [--work-dir DIR]

Signatures: 3-4 KB articles are built by joining consecutive Reuters-21578 stories from
`../shared/data` (relative to the project root; if it is absent, generated pseudo-text is used and
the script says so). `collect` (normalise, hash, shingle, MinHash, exact hash) runs batch by batch
(1,000 records, as the runner does) and documents per CPU second of this process are reported; for
comparison, datasketch's own per-document path (Python word 5-grams, `MinHash.update_batch` with
its default SHA-1 hash) runs on a subset.

Memory: `--synthetic-docs N` writes the on-disk arrays `resolve` works from (band hashes,
signatures, exact hashes; a share of planted exact copies, near copies and one huge bucket of
unrelated documents sharing a band) and runs every resolve step after the layout in a child
process, reporting that process's peak resident set size and the bytes per document.
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

from pipeline.dedup.bands import band_hashes  # noqa: E402
from pipeline.dedup.config import DedupConfig  # noqa: E402
from pipeline.dedup.corpus_arrays import CorpusLayout  # noqa: E402
from pipeline.dedup.fingerprint import ID_COLUMN, SEQ_COLUMN  # noqa: E402
from pipeline.dedup.npy_files import NpyRowWriter  # noqa: E402

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


def synthetic_layout(
    directory: Path, documents: int, config: DedupConfig, seed: int
) -> CorpusLayout:
    """Write the canonical arrays of `documents` synthetic documents, one million at a time.

    Per million documents: 2 % exact copies of an earlier document, 5 % near copies (signature
    equal but for 10 of 128 positions, estimated Jaccard 0.92), and 1 % unrelated documents that
    all share band 0 (one bucket of 1 % of the corpus, rejected by verification).
    """
    bands, rows = config.lsh_shape()
    perm = config.num_perm
    ids_dir = directory / "fingerprints"
    ids_dir.mkdir(parents=True)
    layout = CorpusLayout(
        directory=directory / "arrays",
        index_segments=(),
        fingerprint_files=(),
        file_rows=(),
        num_perm=perm,
        bands=bands,
        rows=rows,
    )
    layout.directory.mkdir()
    writers = {
        "seq": NpyRowWriter(layout.path("seq"), (documents,), np.uint64),
        "eligible": NpyRowWriter(layout.path("eligible"), (documents,), np.bool_),
        "exact_hash": NpyRowWriter(layout.path("exact_hash"), (documents, 2), np.uint64),
        "keeper_score": NpyRowWriter(layout.path("keeper_score"), (documents,), np.float64),
        "signatures": NpyRowWriter(layout.path("signatures"), (documents, perm), np.uint32),
        "corpus_order": NpyRowWriter(layout.path("corpus_order"), (documents,), np.int64),
        "corpus_rank": NpyRowWriter(layout.path("corpus_rank"), (documents,), np.int64),
    }
    band_writers = [
        NpyRowWriter(layout.band_path(k), (documents,), np.uint64) for k in range(bands)
    ]
    rng = np.random.default_rng(seed)
    files, file_rows = [], []
    step = 1_000_000
    for begin in range(0, documents, step):
        n = min(step, documents - begin)
        positions = np.arange(begin, begin + n)
        exact = rng.integers(0, 2**63, (n, 2), dtype=np.uint64)
        keys = rng.integers(0, 2**63, (n, bands), dtype=np.uint64)
        picks = rng.permutation(np.arange(1, n))
        exact_copies = picks[: n // 50]
        near_copies = picks[n // 50 : n // 50 + n // 20]
        bucket = picks[n // 50 + n // 20 : n // 50 + n // 20 + n // 100]
        exact[exact_copies] = exact[rng.integers(0, exact_copies)]
        sources = rng.integers(0, near_copies)
        source_sigs = rng.integers(0, 2**32, (len(near_copies), perm), dtype=np.uint64).astype(
            np.uint32
        )
        copy_sigs = source_sigs.copy()
        for row in copy_sigs:
            row[rng.choice(perm, 10, replace=False)] = rng.integers(0, 2**32, 10, dtype=np.uint64)
        keys[sources] = band_hashes(source_sigs, bands, rows)
        keys[near_copies] = band_hashes(copy_sigs, bands, rows)
        keys[bucket, 0] = 12345
        bucket_sigs = rng.integers(0, 2**32, (len(bucket), perm), dtype=np.uint64).astype(np.uint32)
        writers["seq"].write(positions, positions.astype(np.uint64))
        writers["eligible"].write(positions, np.ones(n, dtype=bool))
        writers["exact_hash"].write(positions, exact)
        writers["keeper_score"].write(positions, np.zeros(n))
        writers["corpus_order"].write(positions, positions)
        writers["corpus_rank"].write(positions, positions)
        for rows_, values in (
            (sources, source_sigs),
            (near_copies, copy_sigs),
            (bucket, bucket_sigs),
        ):
            order = np.argsort(rows_)
            writers["signatures"].write(begin + rows_[order], values[order])
        for k, writer in enumerate(band_writers):
            writer.write(positions, keys[:, k])
        # Ids in files of 100,000 rows, the runner's default rows per intermediate file.
        for first in range(begin, begin + n, 100_000):
            last = min(first + 100_000, begin + n)
            path = ids_dir / f"ids-{first // 100_000:05d}.parquet"
            pq.write_table(
                pa.table(
                    {
                        ID_COLUMN: pa.array([f"doc-{i}" for i in range(first, last)]),
                        SEQ_COLUMN: pa.array(np.arange(first, last), pa.uint64()),
                    }
                ),
                path,
            )
            files.append(path)
            file_rows.append(last - first)
    for writer in [*writers.values(), *band_writers]:
        writer.close()
    return CorpusLayout(
        directory=layout.directory,
        index_segments=(),
        fingerprint_files=tuple(files),
        file_rows=tuple(file_rows),
        num_perm=perm,
        bands=bands,
        rows=rows,
    )


def peak_resident_bytes() -> int:
    """This process's peak resident set size (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child_resolve(layout: CorpusLayout, work_dir: str, queue: multiprocessing.Queue) -> None:
    """Runs in a fresh process: peak RSS after the imports, then after resolve."""
    from pipeline.dedup.resolve import resolve_layout
    from pipeline.dedup.stage import DedupStage

    config = DedupConfig()
    spec = DedupStage(config).spec
    config.lsh_shape()  # imports datasketch's optimiser before the baseline is taken
    baseline = peak_resident_bytes()
    started = time.perf_counter()
    stats = resolve_layout(config, spec, layout, Path(work_dir))
    queue.put((baseline, peak_resident_bytes(), time.perf_counter() - started, stats.counters))


def measure_resolve(layout: CorpusLayout, work_dir: Path) -> tuple[int, int, float, dict]:
    """(baseline bytes, peak bytes, seconds, counters) of resolve in a fresh process.

    The peak is read inside the child (VmHWM), which, unlike `RUSAGE_CHILDREN`, does not count the
    parent's pages shared before the child's exec.
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child_resolve, args=(layout, str(work_dir), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def bench_memory(documents: int, work_dir: Path | None) -> None:
    base = Path(tempfile.mkdtemp(prefix="bench-dedup-", dir=work_dir))
    try:
        config = DedupConfig()
        started = time.perf_counter()
        layout = synthetic_layout(base, documents, config, seed=11)
        print(
            f"synthetic layout: {documents:,} documents, {layout.bands} bands x {layout.rows} "
            f"rows, written in {time.perf_counter() - started:.0f} s to {base}"
        )
        (base / "global").mkdir()
        baseline, peak, seconds, counters = measure_resolve(layout, base / "global")
        used = peak - baseline
        print(
            f"resolve: {seconds:.0f} s wall; peak RSS {peak / 2**20:,.0f} MiB "
            f"(interpreter and imports alone: {baseline / 2**20:,.0f} MiB)"
        )
        print(
            f"memory per document: {used / documents:.1f} bytes above the baseline "
            f"({peak / documents:.1f} bytes including it)"
        )
        projected = (used / documents * 1e7 + baseline) / 2**30
        print(f"  projected to 10,000,000 documents: {projected:.2f} GiB")
        for key in (
            "dedup.exact_duplicate",
            "dedup.near_duplicate",
            "dedup.clusters",
            "dedup.link.candidate_pairs",
            "dedup.link.verified_pairs",
            "dedup.link.rejected_pairs",
            "dedup.link.largest_bucket",
        ):
            print(f"  {key} = {int(counters.get(key, 0)):,}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="articles for the signature bench")
    parser.add_argument("--schemes", default="affine32,legacy")
    parser.add_argument("--datasketch-docs", type=int, default=300)
    parser.add_argument("--synthetic-docs", type=int, default=0, help="run the memory bench")
    parser.add_argument("--work-dir", type=Path, default=None, help="where synthetic arrays go")
    args = parser.parse_args()
    if args.synthetic_docs:
        bench_memory(args.synthetic_docs, args.work_dir)
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
