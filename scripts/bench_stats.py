"""Cost of the statistics crawlsieve keeps per batch, and of rendering the report.

Measures, on generated batches of 1,000 records of 3 KB (no data files needed):

* `count_outcomes` (per-language and per-site counts, written for every batch that leaves a run)
  with few sites and with many, next to `text_chars`, the one length scan the runner already did;
* `write_report` on a run summary with many sites, rules and histograms.

    python scripts/bench_stats.py
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from pipeline.run.batch import text_chars
from pipeline.stats.bag import Stats
from pipeline.stats.breakdown import count_outcomes
from pipeline.stats.report import write_report
from pipeline.stats.summary import build_summary

BATCH = 1000
BATCHES = 30


def batch(rng: random.Random, sites: int) -> pa.Table:
    urls = [
        f"https://www{rng.randrange(5)}.site{rng.randrange(sites)}.co.uk/news/{i}?utm_source=x"
        for i in range(BATCH)
    ]
    return pa.table(
        {
            "url": urls,
            "lang": [rng.choice(["en", "de", "fr", "es"]) for _ in range(BATCH)],
            "text": ["word " * 600] * BATCH,
            "original_chars": pa.array([3100] * BATCH, pa.int64()),
        }
    )


def per_batch_ms(function: Callable[[pa.Table], object], batches: list[pa.Table]) -> float:
    started = time.perf_counter()
    for table in batches:
        function(table)
    return (time.perf_counter() - started) / len(batches) * 1000


def bench_counts() -> None:
    print(f"per batch of {BATCH:,} records of 3 KB (mean of {BATCHES} batches)")
    print(f"{'sites in corpus':>16}  {'count_outcomes':>15}  {'text_chars':>11}  {'records/s':>10}")
    for sites in (50, 2000, 100_000):
        rng = random.Random(sites)
        batches = [batch(rng, sites) for _ in range(BATCHES)]
        stats = Stats()

        def count(table: pa.Table, stats: Stats = stats) -> None:
            count_outcomes(stats, table.slice(0, 900), [table.slice(900)])

        count_ms = per_batch_ms(count, batches)
        scan_ms = per_batch_ms(text_chars, batches)
        rate = BATCH / count_ms * 1000
        print(f"{sites:>16,}  {count_ms:>12.1f} ms  {scan_ms:>8.1f} ms  {rate:>10,.0f}")


def bench_report() -> None:
    stats = Stats()
    stats.count("records.read", 1_000_000)
    stats.count("records.kept", 700_000)
    stats.count("records.dropped", 300_000)
    rng = random.Random(1)
    for stage in ("normalize", "line_rules", "quality", "language", "dedup"):
        for key in ("docs_in", "docs_out", "chars_in", "chars_out"):
            stats.count(f"funnel.{stage}.{key}", rng.randrange(10**6, 10**9))
        stats.count(f"funnel.{stage}.dropped.{stage}_reason", rng.randrange(10**5))
        stats.count(f"timing.{stage}.seconds", rng.random() * 100)
    for rule in range(40):
        stats.count(f"line_rules.lines_removed.rule_{rule}", rng.randrange(10**6))
        stats.count(f"line_rules.chars_removed.rule_{rule}", rng.randrange(10**8))
        examples = [
            {"id": f"d{i}", "url": f"https://s{i}.com/", "line": "x" * 80} for i in range(20)
        ]
        stats.add_examples(f"line_rules.rule_{rule}", examples)
    for feature in range(25):
        stats.observe(
            f"quality.feature_{feature}",
            [rng.random() for _ in range(1000)],
            [0, 0.25, 0.5, 0.75, 1],
        )
    for site in range(5000):
        for key in ("docs_in", "docs_kept", "chars_in", "chars_kept"):
            stats.count(f"by_site.site{site}.com.{key}", rng.randrange(1, 10**6))
    summary = build_summary(
        stats, stage_order=["normalize", "line_rules"], run_info={"seconds": 60}
    )
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        (out / "stats.json").write_text(json.dumps(summary))
        (out / "config.resolved.yaml").write_text("input:\n  paths: [crawl]\n")
        started = time.perf_counter()
        path = write_report(out)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    print(
        f"\nwrite_report: 40 rules, 25 histograms, 5,000 sites: {seconds * 1000:.0f} ms, "
        f"{size / 1e3:,.0f} kB of HTML"
    )


if __name__ == "__main__":
    bench_counts()
    bench_report()
