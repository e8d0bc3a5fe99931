"""Generate the benchmark corpus: N documents of about 3-4 KB built from real text with planted
exact copies, syndicated near-copies, duplicated bodies and per-site boilerplate.

    python scripts/make_bench_corpus.py [--docs 100000] [--out DIR] [--seed 9] [--data DIR]

Reads Reuters-21578 and WCXB (dev) from `../shared/data` (relative to the project root), mixes
them with one seeded plan and writes, into `--out` (default `/tmp/crawlsieve-bench/corpus-N`):

    jsonl/part-00000.jsonl.gz ...   records {"id", "url", "text", "source", "crawl_date"}
    parquet/part-00000.parquet ...  the same records, zstd Parquet
    truth.parquet                   the planted truth, one row per document
    sites.parquet                   every site's recurring lines
    summary.json                    the counts printed at the end

Every document is a pure function of (seed, index), so the corpus is written as a stream in
batches with bounded memory (the source text plus one batch), and the same arguments give
byte-identical JSONL.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from bench_documents import (
    EDITABLE_ROLES,
    ROLES,
    BenchSite,
    Page,
    body_of,
    dress,
    make_site,
    news_body,
    web_body,
)
from bench_sources import MissingDataError, check_data, load_reuters, load_wcxb
from text_edits import edit_fraction, edit_words, shingle_jaccard

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_DOCS = 100_000
DEFAULT_SEED = 9
P_EXACT = 0.04  # share of documents that are exact copies of an earlier document
P_NEAR = 0.06  # share that are syndicated near-copies (5-20% of words edited, another site)
P_BODY_TWICE = 0.02  # share of original documents whose body is pasted twice
P_WEB = 0.3  # share of original documents built from web pages (the rest from newswire)
NEAR_EDITS = (0.05, 0.20)
NEAR_ATTEMPTS = 5  # edits are measured and redone (at most this often) until in NEAR_EDITS
DOC_CHARS = (2_600, 3_600)  # target size before the last story (which overshoots by ~600)
DOCS_PER_SITE = 300
FIRST_ORIGINALS = 100  # the first documents are always originals (copies need a source)
MIRRORS = 10  # scraper domains that republish exact copies
BATCH_DOCS = 5_000
SHARD_DOCS = 25_000
CRAWL_START = datetime(2024, 11, 1, tzinfo=timezone.utc)
SLUG_WORD = re.compile(r"[a-z0-9]+")

DOC_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("url", pa.string()),
        ("text", pa.string()),
        ("source", pa.string()),
        ("crawl_date", pa.string()),
    ]
)
TRUTH_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("url", pa.string()),
        ("site", pa.string()),
        ("kind", pa.string()),  # original | exact_copy | near_copy
        ("copy_of", pa.string()),  # id of the copied original (null for originals)
        ("edit_fraction", pa.float64()),  # near copies: share of the source's words edited
        ("shingle5_jaccard", pa.float64()),  # near copies: word 5-gram Jaccard of the bodies
        ("body_twice", pa.bool_()),
        ("origin", pa.string()),  # news (Reuters) | web (WCXB)
        ("chars", pa.int32()),
        ("line_roles", pa.string()),  # one role character per line of text.split("\n")
    ]
)


@dataclass(frozen=True)
class Original:
    """An original document, regenerated on demand from its index."""

    page: Page
    site: BenchSite
    url: str
    origin: str
    body_twice: bool


class BenchCorpus:
    """The seeded plan: which document is what, and the text of each."""

    def __init__(self, *, seed: int, docs: int, data_dir: Path) -> None:
        self.seed = seed
        self.docs = docs
        self.stories = load_reuters(data_dir)
        self.segments = load_wcxb(data_dir)
        self.site_count = max(20, docs // DOCS_PER_SITE)
        self._sites: dict[int, BenchSite] = {}

    def site(self, index: int) -> BenchSite:
        if index not in self._sites:
            self._sites[index] = make_site(self.seed, index)
        return self._sites[index]

    def used_sites(self) -> list[BenchSite]:
        """Every site a document has been put on so far, in site order."""
        return [self._sites[index] for index in sorted(self._sites)]

    def kind_draw(self, index: int) -> str:
        """The kind document `index` was drawn as (a copy needs an earlier original)."""
        if index < FIRST_ORIGINALS:
            return "original"
        draw = random.Random(f"{self.seed}:kind:{index}").random()
        if draw < P_EXACT:
            return "exact_copy"
        return "near_copy" if draw < P_EXACT + P_NEAR else "original"

    def source_of(self, index: int) -> int:
        """An earlier original for copy `index` (document 0 if eight draws miss)."""
        rng = random.Random(f"{self.seed}:source:{index}")
        for _ in range(8):
            candidate = rng.randrange(index)
            if self.kind_draw(candidate) == "original":
                return candidate
        return 0

    def original(self, index: int) -> Original:
        rng = random.Random(f"{self.seed}:doc:{index}")
        site = self.site(rng.randrange(self.site_count))
        web = rng.random() < P_WEB
        edges = sum(len(line) + 1 for line in site.nav + site.footer)
        target = max(500, rng.randint(*DOC_CHARS) - edges)
        body = web_body(self.segments, rng, target) if web else news_body(self.stories, rng, target)
        body_twice = rng.random() < P_BODY_TWICE
        page = dress(site, body, rng, body_twice=body_twice)
        slug = "-".join(SLUG_WORD.findall(body.lines[0].lower())[:8]) or "page"
        url = f"https://{site.domain}/{'web' if web else 'news'}/{slug}-{index}"
        return Original(page, site, url, "web" if web else "news", body_twice)

    def document(self, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The record and the truth row of document `index`."""
        kind = self.kind_draw(index)
        source = self.source_of(index) if kind != "original" else index
        original = self.original(source)
        rng = random.Random(f"{self.seed}:copy:{index}")
        page, site, url = original.page, original.site, original.url
        edited = similarity = None
        if kind == "exact_copy":
            if rng.random() < 0.7:
                url = f"{url}?utm_source=feed&utm_id={index}"
            else:
                url = f"https://www.copycat-news-{rng.randrange(MIRRORS)}.net/{index}/"
        elif kind == "near_copy":
            page, site, edited, similarity = self.near_copy(original, rng)
            url = f"https://{site.domain}/{original.origin}/syndicated-{index}"
        moment = CRAWL_START + timedelta(seconds=rng.randrange(30 * 86_400))
        record = {
            "id": f"bench-{index:07d}",
            "url": url,
            "text": page.text,
            "source": original.origin,
            "crawl_date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        truth = {
            "id": record["id"],
            "url": url,
            "site": site.key,
            "kind": kind,
            "copy_of": None if kind == "original" else f"bench-{source:07d}",
            "edit_fraction": edited,
            "shingle5_jaccard": similarity,
            "body_twice": original.body_twice and kind != "near_copy",
            "origin": original.origin,
            "chars": len(record["text"]),
            "line_roles": "".join(page.roles),
        }
        return record, truth

    def near_copy(
        self, original: Original, rng: random.Random
    ) -> tuple[Page, BenchSite, float, float]:
        """The original's body with 5-20% of its words edited, on another site."""
        body = body_of(original.page)
        editable = [role in EDITABLE_ROLES for role in body.roles]
        best: tuple[float, Page, float] | None = None
        for _ in range(NEAR_ATTEMPTS):
            fraction = rng.uniform(*NEAR_EDITS)
            lines = edit_words(body.lines, rng, fraction=fraction, editable=editable)
            pairs = zip(lines, body.roles, strict=True)
            kept = [(line, role) for line, role in pairs if line is not None]
            copy = Page([line for line, _ in kept], [role for _, role in kept])
            measured = edit_fraction(body.text, copy.text)
            miss = max(NEAR_EDITS[0] - measured, measured - NEAR_EDITS[1], 0.0)
            if best is None or miss < best[0]:
                best = (miss, copy, measured)
            if miss == 0.0:
                break
        assert best is not None
        _, copy, measured = best
        offset = 1 + rng.randrange(self.site_count - 1)
        site_index = (int(original.site.key.split("-")[1]) + offset) % self.site_count
        site = self.site(site_index)
        page = dress(site, copy, rng, body_twice=False)
        return page, site, round(measured, 4), round(shingle_jaccard(body.text, copy.text), 4)


class ShardWriter:
    """Writes records to JSONL.gz and Parquet shards of `SHARD_DOCS` documents each."""

    def __init__(self, out: Path) -> None:
        self.out = out
        (out / "jsonl").mkdir(parents=True)
        (out / "parquet").mkdir()
        self.shard = -1
        self.rows_in_shard = SHARD_DOCS
        self.gzip: gzip.GzipFile | None = None
        self.raw: Any = None
        self.parquet: pq.ParquetWriter | None = None

    def write(self, records: list[dict[str, Any]]) -> None:
        start = 0
        while start < len(records):
            if self.rows_in_shard >= SHARD_DOCS:
                self._next_shard()
            take = min(len(records) - start, SHARD_DOCS - self.rows_in_shard)
            part = records[start : start + take]
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
            assert self.gzip is not None and self.parquet is not None
            self.gzip.write(lines.encode("utf-8"))
            self.parquet.write_table(pa.Table.from_pylist(part, schema=DOC_SCHEMA))
            self.rows_in_shard += take
            start += take

    def _next_shard(self) -> None:
        self.close()
        self.shard += 1
        self.rows_in_shard = 0
        name = f"part-{self.shard:05d}"
        self.raw = (self.out / "jsonl" / f"{name}.jsonl.gz").open("wb")
        self.gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.raw, compresslevel=6, mtime=0
        )
        self.parquet = pq.ParquetWriter(
            self.out / "parquet" / f"{name}.parquet", DOC_SCHEMA, compression="zstd"
        )

    def close(self) -> None:
        if self.gzip is not None:
            self.gzip.close()
            self.raw.close()
            self.gzip = None
        if self.parquet is not None:
            self.parquet.close()
            self.parquet = None


def write_corpus(corpus: BenchCorpus, out: Path) -> dict[str, Any]:
    """Stream every document into `out`; return the summary."""
    started = time.perf_counter()
    writer = ShardWriter(out)
    truth_writer = pq.ParquetWriter(out / "truth.parquet", TRUTH_SCHEMA, compression="zstd")
    counts = {"original": 0, "exact_copy": 0, "near_copy": 0, "body_twice": 0, "news": 0, "web": 0}
    chars = 0
    edits: list[float] = []
    jaccards: list[float] = []
    for start in range(0, corpus.docs, BATCH_DOCS):
        records, truths = [], []
        for index in range(start, min(start + BATCH_DOCS, corpus.docs)):
            record, truth = corpus.document(index)
            records.append(record)
            truths.append(truth)
            counts[truth["kind"]] += 1
            counts["body_twice"] += truth["body_twice"]
            counts[truth["origin"]] += truth["kind"] == "original"
            chars += truth["chars"]
            if truth["kind"] == "near_copy":
                edits.append(truth["edit_fraction"])
                jaccards.append(truth["shingle5_jaccard"])
        writer.write(records)
        truth_writer.write_table(pa.Table.from_pylist(truths, schema=TRUTH_SCHEMA))
        print(
            f"  {start + len(records):,} / {corpus.docs:,} documents", file=sys.stderr, flush=True
        )
    writer.close()
    truth_writer.close()
    write_sites(corpus, out / "sites.parquet")
    size = {
        sub: sum(p.stat().st_size for p in (out / sub).iterdir()) / 1e6
        for sub in ("jsonl", "parquet")
    }
    return {
        "documents": corpus.docs,
        "seed": corpus.seed,
        "sites": len(corpus.used_sites()),
        "text_mb": round(chars / 1e6, 1),
        "mean_chars": round(chars / corpus.docs),
        "jsonl_gz_mb": round(size["jsonl"], 1),
        "parquet_mb": round(size["parquet"], 1),
        "originals": counts["original"],
        "originals_news": counts["news"],
        "originals_web": counts["web"],
        "exact_copies": counts["exact_copy"],
        "near_copies": counts["near_copy"],
        "near_edit_fraction_median": round(statistics.median(edits), 3) if edits else None,
        "near_shingle5_jaccard_median": round(statistics.median(jaccards), 3) if jaccards else None,
        "body_twice": counts["body_twice"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def write_sites(corpus: BenchCorpus, path: Path) -> None:
    sites = corpus.used_sites()
    table = pa.table(
        {
            "site": [s.key for s in sites],
            "name": [s.name for s in sites],
            "domain": [s.domain for s in sites],
            "nav": [list(s.nav) for s in sites],
            "footer": [list(s.footer) for s in sites],
            "trailers": [list(s.trailers) for s in sites],
        }
    )
    pq.write_table(table, path, compression="zstd")


def print_summary(summary: dict[str, Any], out: Path) -> None:
    labels = {
        "documents": "documents",
        "text_mb": "text (million characters)",
        "mean_chars": "mean characters per document",
        "jsonl_gz_mb": "JSONL.gz on disk (MB)",
        "parquet_mb": "Parquet (zstd) on disk (MB)",
        "sites": "sites",
        "originals": "planted: originals",
        "originals_news": "  of which newswire (Reuters)",
        "originals_web": "  of which web pages (WCXB)",
        "exact_copies": "planted: exact copies",
        "near_copies": "planted: near-copies (5-20% words edited)",
        "near_edit_fraction_median": "  median share of words edited",
        "near_shingle5_jaccard_median": "  median word 5-gram Jaccard",
        "body_twice": "planted: body pasted twice",
        "seconds": "seconds to generate",
    }
    width = max(len(label) for label in labels.values())
    print(f"benchmark corpus in {out}")
    for key, label in labels.items():
        value = summary[key]
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        print(f"  {label:<{width}}  {shown:>12}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="number of documents")
    parser.add_argument(
        "--out", type=Path, help="output directory (default /tmp/crawlsieve-bench/corpus-N)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    args = parser.parse_args(argv)
    if args.docs < FIRST_ORIGINALS:
        parser.error(f"--docs must be at least {FIRST_ORIGINALS}")
    out = args.out or Path(f"/tmp/crawlsieve-bench/corpus-{args.docs}")
    try:
        check_data(args.data)
    except MissingDataError as exc:
        print(f"make_bench_corpus: {exc}", file=sys.stderr)
        return 2
    if out.exists() and any(out.iterdir()):
        if not args.overwrite:
            print(f"make_bench_corpus: {out} is not empty (use --overwrite)", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    corpus = BenchCorpus(seed=args.seed, docs=args.docs, data_dir=args.data)
    summary = write_corpus(corpus, out)
    summary["line_roles"] = ROLES
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print_summary(summary, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
