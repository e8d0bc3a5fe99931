"""Throughput of the cleaning stages on one core, on a fixed amount of real scraped text.

Builds two corpora of a fixed size from `../shared/data` (relative to the project root): `news`
(Reuters-21578 stories: short articles, one paragraph per line) and `pages` (WCXB full-page text:
menus, footers, many short lines), each cycled to `--mb` megabytes of text (default 20). Each corpus
is cut into batches of `--batch` documents (default 1000, the input default) and pushed through
normalize -> block_rules -> line_rules -> repeated_blocks (default configs) and the per-batch
steps of site_boilerplate (collect; apply after one resolve, with `min_docs=2` so that apply has
lines to remove), in this process.

Printed per stage: CPU seconds (this process; the fair number on a busy machine), wall seconds,
and MB/s of input text per CPU second. 1 MB = 1,000,000 characters of UTF-8 text as read.

Usage:
    python scripts/bench_cleaning.py [--mb 20] [--batch 1000] [--corpus news pages]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clean.config import (  # noqa: E402
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    RepeatedBlocksConfig,
    SiteBoilerplateConfig,
)
from pipeline.schema import ID, ORIGINAL_CHARS, TEXT, URL  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCES = {"news": "reuters21578", "pages": "wcxb-dev"}


def load_corpus(name: str, megabytes: float) -> list[dict[str, str | None]]:
    """Documents of one source, cycled until `megabytes` million characters of text."""
    path = DATA / SOURCES[name] / "docs.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    target = int(megabytes * 1_000_000)
    out: list[dict[str, str | None]] = []
    total = 0
    for copy, doc in enumerate(itertools.cycle(docs)):
        if total >= target:
            break
        text = doc["text"]
        out.append({ID: f"{doc['id']}-{copy}", TEXT: text, URL: doc.get("url")})
        total += len(text)
    return out


def batches(docs: list[dict[str, str | None]], size: int) -> list[pa.Table]:
    out = []
    for start in range(0, len(docs), size):
        chunk = docs[start : start + size]
        table = pa.Table.from_pylist(chunk)
        lengths = pa.array([len(d[TEXT] or "") for d in chunk], pa.int64())
        out.append(table.append_column(ORIGINAL_CHARS, lengths))
    return out


def bench(name: str, megabytes: float, batch_size: int) -> list[tuple[str, float, float, float]]:
    docs = load_corpus(name, megabytes)
    chars = sum(len(d[TEXT] or "") for d in docs)
    tables = batches(docs, batch_size)
    stages = [
        NormalizeConfig().build(),
        BlockRulesConfig().build(),
        LineRulesConfig().build(),
        RepeatedBlocksConfig().build(),
    ]
    rows: list[tuple[str, float, float, float]] = []
    timings = {stage.name: [0.0, 0.0] for stage in stages}
    for stage in stages:
        stage.setup()
    for i, table in enumerate(tables):
        for stage in stages:
            cpu, wall = time.process_time(), time.perf_counter()
            table = stage.process(table).table
            timings[stage.name][0] += time.process_time() - cpu
            timings[stage.name][1] += time.perf_counter() - wall
        tables[i] = table
    for stage in stages:
        cpu, wall = timings[stage.name]
        rows.append((stage.name, cpu, wall, chars / 1e6 / cpu))
    # min_docs=2 so that `apply` has lines to remove even on a corpus with few pages per site.
    site = SiteBoilerplateConfig(min_docs=2, min_docs_sentence=2).build()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cpu, wall = time.process_time(), time.perf_counter()
        paths = []
        for i, table in enumerate(tables):
            path = work / f"fp-{i}.parquet"
            pq.write_table(site.collect(table), path)
            paths.append(path)
        rows.append(_row("site_boilerplate.collect", cpu, wall, chars))
        cpu, wall = time.process_time(), time.perf_counter()
        site.resolve(paths, work / "decision")
        rows.append(_row("site_boilerplate.resolve", cpu, wall, chars))
        cpu, wall = time.process_time(), time.perf_counter()
        for table in tables:
            site.apply(table, work / "decision")
        rows.append(_row("site_boilerplate.apply", cpu, wall, chars))
    per_batch = [r for r in rows if not r[0].endswith("resolve")]
    total_cpu = sum(r[1] for r in per_batch)
    total_wall = sum(r[2] for r in per_batch)
    rows.append(("all per-batch cleaning", total_cpu, total_wall, chars / 1e6 / total_cpu))
    first_four = sum(r[1] for r in rows[:4])
    rows.append(
        ("the four batch stages", first_four, sum(r[2] for r in rows[:4]), chars / 1e6 / first_four)
    )
    print(f"\n{name}: {len(docs)} documents, {chars / 1e6:.1f} MB of text, batches of {batch_size}")
    print(f"{'stage':<28}{'cpu s':>10}{'wall s':>10}{'MB/s (cpu)':>12}")
    for stage_name, cpu_s, wall_s, rate in rows:
        print(f"{stage_name:<28}{cpu_s:>10.2f}{wall_s:>10.2f}{rate:>12.1f}")
    return rows


def _row(name: str, cpu: float, wall: float, chars: int) -> tuple[str, float, float, float]:
    spent_cpu = time.process_time() - cpu
    return (name, spent_cpu, time.perf_counter() - wall, chars / 1e6 / max(spent_cpu, 1e-9))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text per corpus")
    parser.add_argument("--batch", type=int, default=1000, help="documents per batch")
    parser.add_argument("--corpus", nargs="+", default=list(SOURCES), choices=list(SOURCES))
    args = parser.parse_args(argv)
    missing = [
        SOURCES[c] for c in args.corpus if not (DATA / SOURCES[c] / "docs.jsonl.gz").is_file()
    ]
    if missing:
        print(f"benchmark data not found under {DATA}: {', '.join(missing)}", file=sys.stderr)
        return 2
    for name in args.corpus:
        bench(name, args.mb, args.batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
