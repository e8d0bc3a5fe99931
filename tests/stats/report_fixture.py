"""A tiny crawl and four stand-in stages, run through the real local runner for the stats tests.

The stand-ins follow the stage contract (pipeline/STRUCTURE.md) with rules simple enough that every
expected number in the tests can be worked out by hand:

* `line_rules` removes lines equal to "Source link" (rule `source_link`) and lines starting with
  "Read more" (rule `read_more`);
* `quality` adds `word_count` and `mean_word_length` and drops documents of fewer than 5 words as
  `gopher_short_doc`; its config reports that threshold through `feature_thresholds()`;
* `language` sets `lang` ("de" when the text has " und ", else "en") and `lang_score`, and drops
  "de" as `language_not_allowed`;
* `dedup` (a global stage) drops exact copies of an earlier text as `exact_duplicate`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import xxhash

from pipeline.clean.config import LineRulesConfig
from pipeline.config import load_config
from pipeline.dedup.config import DedupConfig
from pipeline.quality.config import LanguageConfig, QualityConfig
from pipeline.run.local import RunOptions, run_local
from pipeline.schema import (
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    ID,
    REMOVED_LINE_TYPE,
    REMOVED_LINES,
    REMOVED_LINES_TYPE,
    SEQ,
    TEXT,
    URL,
    set_column,
)
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

STAGES = ["line_rules", "quality", "language", "dedup"]
WORD_EDGES = [0, 5, 10, 20, 40, 80]
LENGTH_EDGES = [0, 2, 4, 6, 8, 10]

# (id, url, text): file a.jsonl holds the first six, file b.jsonl.gz the rest.
FERRY = "Harbor opens new ferry pier today.\nCrowds came early to see it."
RECORDS_A = [
    ("a1", "https://www.harbor-news.com/1", FERRY + "\nSource link"),
    (
        "a2",
        "https://harbor-news.com/2",
        "Council votes on the bridge budget tonight after long debate.\nRead more about the bridge",
    ),
    ("a3", "https://news.eastmoor.co.uk/3", "Too short."),
    ("a4", "https://news.eastmoor.co.uk/4", "Der Hafen und die Stadt wachsen weiter zusammen."),
    ("a5", "https://mirror.example.org/5", FERRY),
    ("a6", None, "Source link"),
]
RECORDS_B = [
    (
        "b1",
        "https://harbor-news.com/b1",
        "Fishing boats return with a record catch this week.\nRead more\nMarket prices fell.",
    ),
    ("b2", "https://eastmoor.co.uk/b2", ""),
    (
        "b3",
        "https://eastmoor.co.uk/b3",
        "Schools reopen after the storm repairs finished on Monday.",
    ),
]


def write_crawl(root: Path) -> Path:
    """Two input files: a.jsonl (plain) and b.jsonl.gz, with one passthrough column."""
    crawl = root / "crawl"
    crawl.mkdir(parents=True)
    lines_a = [json.dumps({"id": i, "url": u, "text": t, "feed": "rss"}) for i, u, t in RECORDS_A]
    (crawl / "a.jsonl").write_text("\n".join(lines_a) + "\n", encoding="utf-8")
    lines_b = [json.dumps({"id": i, "url": u, "text": t, "feed": "web"}) for i, u, t in RECORDS_B]
    with gzip.open(crawl / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines_b) + "\n")
    return crawl


class FakeLineRules:
    name = "line_rules"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(TEXT, pa.string()), pa.field(REMOVED_LINES, REMOVED_LINES_TYPE)]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        texts, removed = [], []
        previous = (
            table[REMOVED_LINES].to_pylist()
            if REMOVED_LINES in table.column_names
            else [None] * table.num_rows
        )
        rows = table.select([ID, URL, TEXT]).to_pylist()
        for row, earlier in zip(rows, previous, strict=True):
            kept, gone = [], list(earlier or [])
            for line in (row[TEXT] or "").split("\n"):
                rule = (
                    "source_link"
                    if line == "Source link"
                    else "read_more"
                    if line.startswith("Read more")
                    else None
                )
                if rule is None:
                    kept.append(line)
                    continue
                gone.append({"rule": rule, "text": line})
                stats.count(f"line_rules.lines_removed.{rule}")
                stats.count(f"line_rules.chars_removed.{rule}", len(line) + 1)
                example = {"id": row[ID], "url": row[URL], "line": line}
                stats.add_examples(f"line_rules.{rule}", [example])
            texts.append("\n".join(kept))
            removed.append(gone)
        table = set_column(table, pa.field(TEXT, pa.string()), pa.array(texts, pa.string()))
        table = set_column(
            table,
            pa.field(REMOVED_LINES, REMOVED_LINES_TYPE),
            pa.array(removed, pa.list_(REMOVED_LINE_TYPE)),
        )
        return StageResult(table, stats)


class FakeQuality:
    name = "quality"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field("word_count", pa.int64()), pa.field("mean_word_length", pa.float64())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        words = [(t or "").split() for t in table[TEXT].to_pylist()]
        count = np.array([len(w) for w in words], dtype=np.int64)
        mean = np.array([sum(map(len, w)) / len(w) if w else 0.0 for w in words])
        stats = Stats()
        stats.observe("quality.word_count", count, WORD_EDGES)
        stats.observe("quality.mean_word_length", mean, LENGTH_EDGES)
        table = set_column(table, self.output_fields()[0], pa.array(count))
        table = set_column(table, self.output_fields()[1], pa.array(mean))
        reasons = pa.array(["gopher_short_doc" if c < 5 else None for c in count], pa.string())
        return StageResult(set_column(table, pa.field(DROP_REASON, pa.string()), reasons), stats)


class FakeLanguage:
    name = "language"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field("lang", pa.string()), pa.field("lang_score", pa.float64())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        langs = ["de" if " und " in (t or "") else "en" for t in table[TEXT].to_pylist()]
        table = set_column(table, self.output_fields()[0], pa.array(langs, pa.string()))
        table = set_column(table, self.output_fields()[1], pa.array([0.99] * len(langs)))
        reasons = pa.array(
            ["language_not_allowed" if x == "de" else None for x in langs], pa.string()
        )
        return StageResult(set_column(table, pa.field(DROP_REASON, pa.string()), reasons))


class FakeExactDedup:
    name = "dedup"

    def output_fields(self) -> Sequence[pa.Field]:
        return [
            pa.field(DUPLICATE_OF, pa.string()),
            pa.field(DUPLICATE_SIMILARITY, pa.float32()),
        ]

    def setup(self) -> None:
        pass

    def collect(self, table: pa.Table) -> pa.Table:
        hashes = [xxhash.xxh64_intdigest(t or "") for t in table[TEXT].to_pylist()]
        return pa.table({SEQ: table[SEQ], ID: table[ID], "hash": pa.array(hashes, pa.uint64())})

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        rows = pa.concat_tables([pq.read_table(f) for f in fingerprint_files]).to_pylist()
        first: dict[int, dict[str, Any]] = {}
        groups: dict[int, list[dict[str, Any]]] = {}
        for row in sorted(rows, key=lambda r: r[SEQ]):
            first.setdefault(row["hash"], row)
            groups.setdefault(row["hash"], []).append(row)
        dups = [r for r in rows if first[r["hash"]][SEQ] != r[SEQ]]
        pq.write_table(
            pa.table(
                {
                    SEQ: pa.array([r[SEQ] for r in dups], pa.uint64()),
                    "keeper": pa.array([first[r["hash"]][ID] for r in dups], pa.string()),
                }
            ),
            work_dir / "decisions.parquet",
        )
        members = [(g[0][ID], r[ID]) for g in groups.values() if len(g) > 1 for r in g]
        pq.write_table(
            pa.table(
                {
                    "cluster_id": pa.array([m[0] for m in members], pa.string()),
                    "id": pa.array([m[1] for m in members], pa.string()),
                }
            ),
            work_dir / "clusters.parquet",
        )
        stats = Stats()
        stats.count("dedup.clusters", sum(1 for g in groups.values() if len(g) > 1))
        return stats

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        decisions = pq.read_table(work_dir / "decisions.parquet")
        index = pc.index_in(table[SEQ], value_set=decisions[SEQ])
        keeper = pc.take(decisions["keeper"], index)
        is_dup = pc.is_valid(index)
        table = set_column(table, pa.field(DUPLICATE_OF, pa.string()), keeper)
        similarity = pc.if_else(is_dup, pa.scalar(1.0, pa.float32()), pa.scalar(None, pa.float32()))
        table = set_column(table, pa.field(DUPLICATE_SIMILARITY, pa.float32()), similarity)
        reasons = pc.if_else(is_dup, pa.scalar("exact_duplicate"), pa.scalar(None, pa.string()))
        return StageResult(set_column(table, pa.field(DROP_REASON, pa.string()), reasons))


def quality_thresholds(self: QualityConfig) -> list[dict[str, Any]]:
    return [{"feature": "word_count", "bound": "min", "value": 5, "reason": "gopher_short_doc"}]


def install_fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the four stage configs build the stand-ins above (in this process only)."""
    monkeypatch.setattr(LineRulesConfig, "build", lambda self: FakeLineRules())
    monkeypatch.setattr(QualityConfig, "build", lambda self: FakeQuality())
    monkeypatch.setattr(QualityConfig, "feature_thresholds", quality_thresholds, raising=False)
    monkeypatch.setattr(LanguageConfig, "build", lambda self: FakeLanguage())
    monkeypatch.setattr(DedupConfig, "build", lambda self: FakeExactDedup())


def run_fixture(
    crawl: Path, out: Path, monkeypatch: pytest.MonkeyPatch, *, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """Run the stand-in stages over `crawl` into `out` with one worker; returns the summary."""
    install_fake_stages(monkeypatch)
    stages = json.dumps([{"type": name} for name in STAGES])
    config = load_config(None, [f"input.paths=[{crawl}]", f"stages={stages}", *extra])
    return run_local(config, RunOptions(output=out, workers=1, progress=False))


def fixture_output(
    factory: pytest.TempPathFactory, crawl: Path | None = None
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A module-scoped run over `crawl` (default: `write_crawl`'s): yields (output dir, summary),
    with the stand-ins installed until the module's tests are done."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = factory.mktemp("fixture-run")
        summary = run_fixture(crawl or write_crawl(root), root / "out", monkeypatch)
        yield root / "out", summary
