"""A global cleaning stage that empties a record's text drops it as `empty_after_cleaning`,
as the per-batch cleaning stages do, even with no quality stage after it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import load_config
from pipeline.run.local import RunOptions, run_local

MASTHEAD = "Harbour Times"
FOOTER = "© Harbour Times Ltd, all rights reserved"


def write_site(root: Path) -> Path:
    """Eight pages of one site with a masthead and a footer; two of them have nothing else."""
    crawl = root / "crawl"
    crawl.mkdir()
    with open(crawl / "site.jsonl", "w", encoding="utf-8") as handle:
        for i in range(8):
            body = [] if i in (3, 6) else [f"Story {i}: the ferry to the island ran late again."]
            record = {
                "id": f"p{i}",
                "text": "\n".join([MASTHEAD, *body, FOOTER]),
                "url": f"https://www.harbour.example/news/{i}",
            }
            handle.write(json.dumps(record) + "\n")
    return crawl


def test_pages_left_empty_by_site_boilerplate_are_dropped_not_written(tmp_path: Path) -> None:
    config = load_config(
        None,
        [f"input.paths=[{write_site(tmp_path)}]", "stages=[{type: site_boilerplate}]"],
    )
    out = tmp_path / "out"
    summary = run_local(config, RunOptions(output=out, workers=1, progress=False))
    assert summary["records"]["read"] == 8
    assert summary["records"]["kept"] == 6
    assert summary["drop_reasons"] == {"empty_after_cleaning": 2}
    kept = pq.read_table(out / "data").to_pylist()
    assert [r["text"] for r in kept] == [
        f"Story {i}: the ferry to the island ran late again." for i in (0, 1, 2, 4, 5, 7)
    ]
    rejected = pq.read_table(out / "rejected").to_pylist()
    assert sorted(r["id"] for r in rejected) == ["p3", "p6"]
    assert {r["drop_reason"] for r in rejected} == {"empty_after_cleaning"}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["stages"]["site_boilerplate"]["docs_out"] == 6
    assert stats["drop_reasons"] == {"empty_after_cleaning": 2}
