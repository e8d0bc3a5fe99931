"""stats.json's readable sections on a fixture run, and `crawlsieve stats`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixture import fixture_output

from pipeline.cli import main
from pipeline.stats.bag import Stats
from pipeline.stats.summary import build_summary
from pipeline.stats.table import format_funnel

TIMING_KEYS = ("seconds", "docs_per_second", "mchars_per_second")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    yield from fixture_output(tmp_path_factory)


def without_timing(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in TIMING_KEYS} for row in rows]


def test_funnel_attributes_every_drop_to_its_stage(run: tuple[Path, dict[str, Any]]) -> None:
    _, summary = run
    assert summary["records"] == {"read": 9, "kept": 4, "dropped": 5, "unreadable": 0}
    assert summary["chars"] == {"read": 434, "kept": 253}
    assert without_timing(summary["funnel"]) == [
        {
            "stage": "input",
            "docs_in": 9,
            "docs_out": 8,
            "chars_in": 434,
            "chars_out": 434,
            "unreadable": 0,
            "dropped": {"empty_text": 1},
        },
        {
            "stage": "line_rules",
            "docs_in": 8,
            "docs_out": 7,
            "chars_in": 434,
            "chars_out": 374,
            "dropped": {"empty_after_cleaning": 1},
            "lines_removed": {"read_more": 2, "source_link": 2},
            "chars_removed": {"read_more": 37, "source_link": 24},
        },
        {
            "stage": "quality",
            "docs_in": 7,
            "docs_out": 6,
            "chars_in": 374,
            "chars_out": 364,
            "dropped": {"gopher_short_doc": 1},
            "lines_removed": {},
            "chars_removed": {},
        },
        {
            "stage": "language",
            "docs_in": 6,
            "docs_out": 5,
            "chars_in": 364,
            "chars_out": 316,
            "dropped": {"language_not_allowed": 1},
            "lines_removed": {},
            "chars_removed": {},
        },
        {
            "stage": "dedup",
            "docs_in": 5,
            "docs_out": 4,
            "chars_in": 316,
            "chars_out": 253,
            "dropped": {"exact_duplicate": 1},
            "lines_removed": {},
            "chars_removed": {},
        },
    ]
    assert all(row["seconds"] >= 0 for row in summary["funnel"][1:])


def test_rules_languages_and_sites(run: tuple[Path, dict[str, Any]]) -> None:
    _, summary = run
    assert summary["rules"] == [
        {"stage": "line_rules", "rule": "read_more", "lines": 2, "chars": 37, "examples": 2},
        {"stage": "line_rules", "rule": "source_link", "lines": 2, "chars": 24, "examples": 2},
    ]
    languages = [
        (r["lang"], r["docs_in"], r["docs_kept"], r["chars_kept"]) for r in summary["languages"]
    ]
    assert languages == [
        ("en", 5, 4, 253),
        ("_none", 3, 0, 0),
        ("de", 1, 0, 0),
    ]
    assert summary["sites"]["top"][:2] == [
        {
            "site": "harbor-news.com",
            "docs_in": 3,
            "docs_kept": 3,
            "docs_dropped": 0,
            "chars_in": 244,
            "chars_kept": 195,
        },
        {
            "site": "eastmoor.co.uk",
            "docs_in": 4,
            "docs_kept": 1,
            "docs_dropped": 3,
            "chars_in": 116,
            "chars_kept": 58,
        },
    ]
    assert [r["site"] for r in summary["sites"]["top"][2:]] == ["example.org", "_none"]
    assert summary["sites"]["sites_counted"] == 4
    assert sum(r["chars_in"] for r in summary["sites"]["top"]) == summary["chars"]["read"]


def test_stats_json_is_the_summary(run: tuple[Path, dict[str, Any]]) -> None:
    out, summary = run
    assert json.loads((out / "stats.json").read_text()) == summary
    again = Stats.from_json(summary)
    assert again.to_json()["counters"] == summary["counters"]


def summary_by_hand() -> dict[str, Any]:
    stats = Stats()
    for key, value in {
        "records.read": 10,
        "records.kept": 6,
        "records.dropped": 3,
        "records.unreadable": 1,
        "records.chars_read": 1000,
        "records.chars_kept": 700,
        "drop_reasons.short": 2,
        "drop_reasons.empty_text": 1,
        "funnel.clean.docs_in": 8,
        "funnel.clean.docs_out": 8,
        "funnel.clean.chars_in": 990,
        "funnel.clean.chars_out": 900,
        "funnel.clean.dropped.short": 2,
        "timing.clean.seconds": 0.5,
        "clean.lines_removed.footer": 3,
        "clean.chars_removed.footer": 90,
        "by_lang.en.docs_in": 9,
        "by_lang.en.docs_kept": 6,
        "by_lang.en.chars_in": 990,
        "by_lang.en.chars_kept": 700,
        "by_site.example.com.docs_in": 9,
        "by_site.example.com.docs_kept": 6,
        "by_site.example.com.chars_in": 990,
        "by_site.example.com.chars_kept": 700,
    }.items():
        stats.count(key, value)
    run_info = {"workers": 2, "seconds": 2.0}
    return build_summary(stats, stage_order=["clean"], run_info=run_info)


def test_stats_table_exact() -> None:
    assert format_funnel(summary_by_hand()) == "\n".join(
        [
            "records",
            "            count   share",
            "----------  -----  ------",
            "read           10  100.0%",
            "kept            6   60.0%",
            "dropped         3   30.0%",
            "unreadable      1   10.0%",
            "chars read  1,000",
            "chars kept    700   70.0%",
            "",
            "funnel",
            "stage  docs in  docs out  dropped  chars in  chars out  removed  seconds  docs/s",
            "-----  -------  --------  -------  --------  ---------  -------  -------  ------",
            "input       10         8        2     1,000        990     1.0%        -       -",
            "clean        8         8        2       990        900     9.1%     0.50      16",
            "",
            "dropped records",
            "stage  reason      records  of read",
            "-----  ----------  -------  -------",
            "input  unreadable        1    10.0%",
            "input  empty_text        1    10.0%",
            "clean  short             2    20.0%",
            "",
            "removed lines",
            "rule          lines  chars  of chars read",
            "------------  -----  -----  -------------",
            "clean.footer      3     90           9.0%",
            "",
            "languages",
            "lang  docs in  kept  kept %  chars in  chars kept",
            "----  -------  ----  ------  --------  ----------",
            "en          9     6   66.7%       990         700",
            "",
            "top sites by characters read (1 site)",
            "site         docs in  kept  kept %  chars in  chars kept",
            "-----------  -------  ----  ------  --------  ----------",
            "example.com        9     6   66.7%       990         700",
            "",
            "wall time 2.00 s with 2 workers: 5 docs/s, 0.00 M chars/s read",
        ]
    )


def test_stats_command(
    run: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, summary = run
    assert main(["stats", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == summary
    assert main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    assert (
        "\n".join(
            [
                "dropped records",
                "stage       reason                records  of read",
                "----------  --------------------  -------  -------",
                "input       empty_text                  1    11.1%",
                "line_rules  empty_after_cleaning        1    11.1%",
                "quality     gopher_short_doc            1    11.1%",
                "language    language_not_allowed        1    11.1%",
                "dedup       exact_duplicate             1    11.1%",
            ]
        )
        in text
    )
    assert main(["stats", str(out.parent / "nowhere")]) == 2
