"""Per-language, per-site and per-stage drop counts, and the bound on site keys."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from pipeline.config import load_config
from pipeline.run.local import RunOptions, run_local
from pipeline.stats.bag import Stats, merge_all
from pipeline.stats.breakdown import count_outcomes, count_stage_drops, fold_sites, group_totals


def table(rows: list[tuple[str | None, str | None, str, int, str | None]]) -> pa.Table:
    """rows of (url, lang, text, original_chars, drop_reason)."""
    url, lang, text, chars, reason = zip(*rows, strict=True)
    return pa.table(
        {
            "url": pa.array(url, pa.string()),
            "lang": pa.array(lang, pa.string()),
            "text": pa.array(text, pa.string()),
            "original_chars": pa.array(chars, pa.int64()),
            "drop_reason": pa.array(reason, pa.string()),
        }
    )


def test_outcomes_by_language_and_site() -> None:
    stats = Stats()
    live = table(
        [
            ("https://a.example.com/1", "en", "kept", 10, None),
            ("https://www.example.com/2", "en", "also", 6, None),
        ]
    )
    dropped = table(
        [
            ("https://b.org/3", "de", "gone", 20, "language_not_allowed"),
            (None, None, "", 3, "empty_text"),
        ]
    )
    count_outcomes(stats, live, [dropped])
    assert group_totals(stats.counters, "by_lang") == {
        "en": {"docs_in": 2, "docs_kept": 2, "chars_in": 16, "chars_kept": 8},
        "de": {"docs_in": 1, "docs_kept": 0, "chars_in": 20, "chars_kept": 0},
        "_none": {"docs_in": 1, "docs_kept": 0, "chars_in": 3, "chars_kept": 0},
    }
    assert group_totals(stats.counters, "by_site") == {
        "example.com": {"docs_in": 2, "docs_kept": 2, "chars_in": 16, "chars_kept": 8},
        "b.org": {"docs_in": 1, "docs_kept": 0, "chars_in": 20, "chars_kept": 0},
        "_none": {"docs_in": 1, "docs_kept": 0, "chars_in": 3, "chars_kept": 0},
    }


def test_no_language_counts_without_a_lang_column() -> None:
    stats = Stats()
    count_outcomes(stats, table([("https://a.com/", "en", "x", 1, None)]).drop(["lang"]), [])
    assert group_totals(stats.counters, "by_lang") == {}
    assert group_totals(stats.counters, "by_site")["a.com"]["docs_kept"] == 1


def test_stage_drops_by_reason() -> None:
    stats = Stats()
    dropped = table(
        [("u", "en", "", 1, "short"), ("u", "en", "", 1, "short"), ("u", "en", "", 1, "lorem")]
    )
    count_stage_drops(stats, "quality", dropped)
    count_stage_drops(stats, "quality", dropped.slice(0, 0))
    assert stats.counters == {"funnel.quality.dropped.short": 2, "funnel.quality.dropped.lorem": 1}


def test_folding_keeps_the_largest_sites_and_the_totals() -> None:
    stats = Stats()
    for index in range(7):
        for field, value in (("docs_in", 1), ("docs_kept", 1), ("chars_in", 10 * index)):
            stats.count(f"by_site.s{index}.com.{field}", value)
        stats.count(f"by_site.s{index}.com.chars_kept", 0)
    fold_sites(stats, 3)  # 7 > 2 * 3: keep the 3 largest, fold 4
    totals = group_totals(stats.counters, "by_site")
    assert sorted(totals) == ["_other", "s4.com", "s5.com", "s6.com"]
    assert totals["_other"] == {"docs_in": 4, "docs_kept": 4, "chars_in": 60, "chars_kept": 0}
    fold_sites(stats, 3)  # 3 named sites left: nothing to fold
    assert group_totals(stats.counters, "by_site") == totals


def test_folded_counts_merge_like_any_counter() -> None:
    parts = []
    for unit in range(3):
        stats = Stats()
        live = table([(f"https://site{unit}-{i}.com/", "en", "t", 1, None) for i in range(5)])
        count_outcomes(stats, live, [])
        parts.append(stats)
    merged = merge_all(parts)
    assert sum(v["docs_in"] for v in group_totals(merged.counters, "by_site").values()) == 15


def test_breakdown_is_the_same_with_one_and_two_workers(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for part in range(3):
        lines = [
            json.dumps(
                {"id": f"{part}-{i}", "text": "" if i % 7 == 0 else f"Story {i}.", "url": url}
            )
            for i, url in enumerate(
                [f"https://www.site{(part * 5 + i) % 9}.co.uk/{i}" for i in range(40)] + [None]
            )
        ]
        (crawl / f"part{part}.jsonl").write_text("\n".join(lines) + "\n")
    counters = []
    for workers in (1, 2):
        config = load_config(None, [f"input.paths=[{crawl}]"])
        out = tmp_path / f"w{workers}"
        summary = run_local(config, RunOptions(output=out, workers=workers, progress=False))
        counters.append({k: v for k, v in summary["counters"].items() if k.startswith("by_")})
        assert sum(r["docs_in"] for r in summary["sites"]["top"]) == 123
    assert counters[0] == counters[1]
    assert counters[0]["by_site._none.docs_in"] == 3
    # site0: i = 0, 9, 18, 27, 36 | 4, 13, 22, 31 | 8, 17, 26, 35; empty text at i = 0 and 35
    assert counters[0]["by_site.site0.co.uk.docs_in"] == 13
    assert counters[0]["by_site.site0.co.uk.docs_kept"] == 11
