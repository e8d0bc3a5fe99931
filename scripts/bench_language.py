"""Throughput and per-worker cost of the language stage.

    python scripts/bench_language.py [--docs 2000] [--repeats 3]

Runs `LanguageStage.process` (default configuration) over the news-sized documents of
`evaluate_language.py` (about 3 KB each, built from `../shared/data` Reuters-21578 and WCXB dev
main texts) in batches of 100 and 1,000 documents, and reports documents and megabytes (UTF-8) per
CPU-second of this process (one core, best of `--repeats`), the one-off `setup()` time and the
memory of the profile tables each worker holds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_language import news_documents, require_data  # noqa: E402

from pipeline.quality.config import LanguageConfig  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    require_data("reuters21578", "wcxb-dev")
    texts = news_documents(args.docs)
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6

    stage = LanguageConfig().build()
    start = time.perf_counter()
    stage.setup()
    setup_seconds = time.perf_counter() - start
    tables_bytes = stage.identifier.profiles.size_bytes

    print(f"documents: {len(texts):,}, mean {megabytes * 1e6 / len(texts):,.0f} bytes")
    print(f"setup(): {setup_seconds:.2f} s wall; profile tables {tables_bytes / 1e6:.1f} MB")
    print("| batch size | docs/s/core | MB/s/core | escalated |")
    print("|---|---|---|---|")
    for batch_size in (100, 1000):
        tables = [
            pa.table(
                {
                    "id": [str(i) for i in range(start, min(start + batch_size, len(texts)))],
                    "text": pa.array(texts[start : start + batch_size], pa.string()),
                }
            )
            for start in range(0, len(texts), batch_size)
        ]
        best, escalated = float("inf"), 0
        for _ in range(args.repeats):
            begin = time.process_time()
            escalated = sum(
                stage.process(table).stats.counters["language.escalated"] for table in tables
            )
            best = min(best, time.process_time() - begin)
        print(
            f"| {batch_size:,} | {len(texts) / best:,.0f} | {megabytes / best:.2f} | {escalated} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
