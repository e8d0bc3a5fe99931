"""`crawlsieve explain`: the whole story of one record, exact output on the fixture run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixture import fixture_output

from pipeline.cli import main
from pipeline.stats.explain import explain_record
from pipeline.stats.run_output import RunOutput, RunOutputError

FEATURES_HEADER = [
    "features",
    "  feature           value                threshold  result",
    "  ----------------  -----  -----------------------  ------",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    yield from fixture_output(tmp_path_factory)


def explain(out: Path, record_id: str) -> str:
    return explain_record(RunOutput(out), record_id)


def test_kept_record_with_a_removed_line_and_a_dropped_copy(
    run: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = run
    crawl = out.parent / "crawl"
    assert explain(out, "a1") == "\n".join(
        [
            "record a1",
            "  url       https://www.harbor-news.com/1",
            f"  input     {crawl / 'a.jsonl'}, line 1",
            "  outcome   kept (data/part-00000-0000-0000.parquet)",
            "  language  en (score 0.99)",
            "  chars     75 read, 63 kept (16.0% removed)",
            "",
            "removed lines (1)",
            "  source_link  Source link",
            "",
            "text: input -> kept output",
            "    Harbor opens new ferry pier today.",
            "    Crowds came early to see it.",
            "  - [source_link] Source link",
            "",
            *FEATURES_HEADER,
            "  word_count           12  >= 5 (gopher_short_doc)    pass",
            "  mean_word_length  4.333                        -",
            "  lang_score         0.99                        -",
            "",
            "duplicate",
            "  kept; 1 duplicate dropped in its favour: a5 (1.000)",
        ]
    )


def test_duplicate_names_its_keeper(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    story = explain(out, "a5")
    assert (
        "  outcome   dropped by dedup: exact_duplicate (rejected/part-00000-0000-0000.parquet)"
        in (story)
    )
    assert story.endswith("duplicate\n  duplicate of a1, estimated similarity 1.000")
    assert "text: input -> rejected output\n    (no change: 2 lines)" in story


def test_record_that_failed_a_threshold(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    crawl = out.parent / "crawl"
    assert explain(out, "a3") == "\n".join(
        [
            "record a3",
            "  url       https://news.eastmoor.co.uk/3",
            f"  input     {crawl / 'a.jsonl'}, line 3",
            "  outcome   dropped by quality: gopher_short_doc "
            "(rejected/part-00000-0000-0000.parquet)",
            "  chars     10 read, 10 when dropped (0.0% removed)",
            "",
            "removed lines: none",
            "",
            "text: input -> rejected output",
            "    (no change: 1 line)",
            "",
            *FEATURES_HEADER,
            "  word_count            2  >= 5 (gopher_short_doc)    FAIL",
            "  mean_word_length    4.5                        -",
        ]
    )


def test_record_emptied_by_cleaning_and_empty_input(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    crawl = out.parent / "crawl"
    assert explain(out, "a6") == "\n".join(
        [
            "record a6",
            "  url       -",
            f"  input     {crawl / 'a.jsonl'}, line 6",
            "  outcome   dropped by line_rules: empty_after_cleaning "
            "(rejected/part-00000-0000-0000.parquet)",
            "  chars     11 read, 0 when dropped (100.0% removed)",
            "",
            "removed lines (1)",
            "  source_link  Source link",
            "",
            "text: input -> rejected output",
            "  - [source_link] Source link",
            "",
            "features: none (no scoring stage ran on this record)",
        ]
    )
    assert explain(out, "b2") == "\n".join(
        [
            "record b2",
            "  url       https://eastmoor.co.uk/b2",
            f"  input     {crawl / 'b.jsonl.gz'}, line 2",
            "  outcome   dropped when read: empty_text (rejected/part-00001-0000-0000.parquet)",
            "  chars     0 read, 0 when dropped",
            "",
            "removed lines: none",
            "",
            "text: input -> rejected output",
            "    (empty text)",
            "",
            "features: none (no scoring stage ran on this record)",
        ]
    )


def test_unknown_id(run: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run
    with pytest.raises(RunOutputError, match="no record with id 'nope'"):
        explain(out, "nope")
    assert main(["explain", str(out), "--id", "nope"]) == 2
    assert "no record with id 'nope'" in capsys.readouterr().err


def test_explain_command(
    run: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = run
    assert main(["explain", str(out), "--id", "b1"]) == 0
    printed = capsys.readouterr().out
    assert "  - [read_more] Read more\n    Market prices fell.\n" in printed
