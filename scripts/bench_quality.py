"""Throughput of the quality stage, and what each preset drops on real text.

    python scripts/bench_quality.py [--docs 2000] [--batch-size 1000] [--repeats 3]

Data (read from `../shared/data` relative to the project root, never copied into the repository):
news-sized documents (about 3 KB, built as in `evaluate_language.py` from Reuters-21578 and the
main text of WCXB dev pages), the WCXB dev main texts (`clean`, whole; articles alone and all page
types), the WCXB dev pages as scraped (`text`, navigation and footers included) and the
Reuters-21578 stories as they are.

Throughput is documents and megabytes (UTF-8) per CPU-second of this process (one core), best of
`--repeats` runs of `QualityStage.process` over batches of `--batch-size` documents. The drop
table gives, per data set and preset, the share of documents kept and the first-failing reasons.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_language import DATA, news_documents, read_jsonl, require_data  # noqa: E402

from pipeline.quality.config import QualityConfig  # noqa: E402

PRESETS = ("gopher", "c4", "fineweb", "news")


def batches(texts: list[str], size: int) -> list[pa.Table]:
    return [
        pa.table(
            {
                "id": [str(index) for index in range(start, min(start + size, len(texts)))],
                "text": pa.array(texts[start : start + size], pa.string()),
            }
        )
        for start in range(0, len(texts), size)
    ]


def throughput(texts: list[str], batch_size: int, repeats: int) -> tuple[float, float]:
    stage = QualityConfig(preset="news").build()
    stage.setup()
    tables = batches(texts, batch_size)
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for table in tables:
            stage.process(table)
        best = min(best, time.process_time() - start)
    return len(texts) / best, megabytes / best


def drops(texts: list[str], preset: str, batch_size: int) -> Counter[str]:
    stage = QualityConfig(preset=preset).build()
    reasons: Counter[str] = Counter()
    for table in batches(texts, batch_size):
        reasons.update(stage.process(table).table["drop_reason"].to_pylist())
    return reasons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--top", type=int, default=4, help="reasons shown per row")
    args = parser.parse_args(argv)
    require_data("reuters21578", "wcxb-dev")

    wcxb = list(read_jsonl(DATA / "wcxb-dev" / "labels.jsonl.gz"))
    pages = {
        row["id"]: row["text"] or "" for row in read_jsonl(DATA / "wcxb-dev" / "docs.jsonl.gz")
    }
    reuters = [row["text"] or "" for row in read_jsonl(DATA / "reuters21578" / "docs.jsonl.gz")]
    datasets = {
        "news 3 KB": news_documents(args.docs),
        "wcxb articles, main text": [
            row["clean"] or "" for row in wcxb if row.get("page_type") == "article"
        ],
        "wcxb all pages, main text": [row["clean"] or "" for row in wcxb],
        "wcxb page as scraped": [pages[row["id"]] for row in wcxb],
        "reuters stories": reuters,
    }

    print("| data | docs | mean chars | docs/s/core | MB/s/core |")
    print("|---|---|---|---|---|")
    for name in ("news 3 KB", "reuters stories"):
        texts = datasets[name]
        docs_per_second, mb_per_second = throughput(texts, args.batch_size, args.repeats)
        mean_chars = sum(map(len, texts)) / len(texts)
        print(
            f"| {name} | {len(texts):,} | {mean_chars:,.0f} | {docs_per_second:,.0f} "
            f"| {mb_per_second:.2f} |"
        )
    print()
    print("| data | preset | kept | most frequent drop reasons (share of documents) |")
    print("|---|---|---|---|")
    for name, texts in datasets.items():
        for preset in PRESETS:
            reasons = drops(texts, preset, args.batch_size)
            kept = reasons.pop(None, 0)
            top = ", ".join(
                f"{reason} {count / len(texts):.1%}"
                for reason, count in reasons.most_common(args.top)
            )
            print(f"| {name} | {preset} | {kept / len(texts):.1%} | {top} |")
    print_seeds()
    return 0


def print_seeds() -> None:
    """The two seed pages: as scraped, and 001 cut to its first copy (what repeated_blocks keeps),
    with `original_chars` set so the removed share shows."""
    paths = sorted((DATA / "seeds").glob("*.txt"))
    if len(paths) < 2:
        print("\n(seeds/ not found: seed table skipped)")
        return
    scraped = [path.read_text(encoding="utf-8") for path in paths[:2]]
    trailer = scraped[1].index("Find Out More...")
    first_copy = scraped[1][:trailer].rstrip()
    table = pa.table(
        {
            "id": ["000 as scraped", "001 as scraped", "001 first copy"],
            "text": [scraped[0], scraped[1], first_copy],
            "original_chars": pa.array([None, None, len(scraped[1])], pa.int64()),
        }
    )
    print("\n| seed page | " + " | ".join(PRESETS) + " | removed share |")
    print("|---|" + "---|" * (len(PRESETS) + 1))
    results = {preset: QualityConfig(preset=preset).build().process(table) for preset in PRESETS}
    for row, name in enumerate(table["id"].to_pylist()):
        cells = [results[p].table["drop_reason"][row].as_py() or "kept" for p in PRESETS]
        removed = results["news"].table["q_removed_char_frac"][row].as_py()
        print(f"| {name} | " + " | ".join(cells) + f" | {removed:.3f} |")


if __name__ == "__main__":
    raise SystemExit(main())
