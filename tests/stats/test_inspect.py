"""`crawlsieve inspect`: examples of a drop reason or a line rule, exact output, stable sampling."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixture import fixture_output

from pipeline.cli import main
from pipeline.stats.bag import sample_key
from pipeline.stats.inspect import inspect_reason
from pipeline.stats.run_output import RunOutput, RunOutputError


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    yield from fixture_output(tmp_path_factory)


def inspect(out: Path, reason: str, **options: Any) -> str:
    return inspect_reason(RunOutput(out), reason, **options)


def test_documents_dropped_by_a_threshold(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert inspect(out, "gopher_short_doc") == "\n".join(
        [
            "gopher_short_doc: 1 document dropped by quality (11.1% of read)",
            "showing 1 (deterministic sample)",
            "",
            "[1] a3  https://news.eastmoor.co.uk/3",
            "    word_count = 2  (keep if >= 5)",
            "    | Too short.",
        ]
    )


def test_duplicates_name_their_keeper(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert inspect(out, "exact_duplicate") == "\n".join(
        [
            "exact_duplicate: 1 document dropped by dedup (11.1% of read)",
            "showing 1 (deterministic sample)",
            "",
            "[1] a5  https://mirror.example.org/5",
            "    duplicate of a1 (estimated similarity 1.000)",
            "    | Harbor opens new ferry pier today.",
            "    | Crowds came early to see it.",
        ]
    )


def test_removed_lines_with_input_context(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert inspect(out, "read_more") == "\n".join(
        [
            "line_rules.read_more: 2 lines removed (37 chars)",
            "showing 2 from the removed_lines columns (deterministic sample)",
            "",
            "[1] a2  https://harbor-news.com/2",
            "      Council votes on the bridge budget tonight after long debate.",
            "    - Read more about the bridge",
            "",
            "[2] b1  https://harbor-news.com/b1",
            "      Fishing boats return with a record catch this week.",
            "    - Read more",
            "      Market prices fell.",
        ]
    )
    assert inspect(out, "line_rules.source_link", n=1, context=0) == "\n".join(
        [
            "line_rules.source_link: 2 lines removed (24 chars)",
            "showing 1 from the removed_lines columns (deterministic sample)",
            "",
            "[1] a1  https://www.harbor-news.com/1",
            "    - Source link",
        ]
    )


def test_line_sample_order_is_the_stats_sample_order(run: tuple[Path, dict[str, Any]]) -> None:
    out, summary = run
    examples = summary["samples"]["line_rules.source_link"]["examples"]
    assert [e["id"] for e in examples] == ["a1", "a6"]
    assert sample_key(examples[0]) < sample_key(examples[1])
    shown = inspect(out, "source_link", context=0)
    assert shown.index("[1] a1") < shown.index("[2] a6")


def test_examples_come_from_the_stats_sample_without_removed_lines(
    tmp_path: Path, run: tuple[Path, dict[str, Any]]
) -> None:
    out, _ = run
    copy = tmp_path / "out"
    copy.mkdir()
    for name in ("stats.json", "config.resolved.yaml"):
        (copy / name).write_bytes((out / name).read_bytes())
    assert inspect(copy, "source_link", context=0) == "\n".join(
        [
            "line_rules.source_link: 2 lines removed (24 chars)",
            "showing 2 from the sample in stats.json (deterministic sample)",
            "",
            "[1] a1  https://www.harbor-news.com/1",
            "    - Source link",
            "",
            "[2] a6  -",
            "    - Source link",
        ]
    )


def test_unknown_reason_suggests_a_close_one(
    run: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, summary = run
    with pytest.raises(RunOutputError, match="did you mean 'source_link'"):
        inspect(out, "sorce_link")
    assert main(["inspect", str(out), "--reason", "sorce_link"]) == 2
    err = capsys.readouterr().err
    assert "drop reasons: empty_after_cleaning, empty_text, exact_duplicate" in err
    assert main(["inspect", str(out), "--reason", "exact_duplicate", "-n", "0"]) == 2
    assert main(["inspect", str(out), "-r", "exact_duplicate", "-n", "3"]) == 0
    assert capsys.readouterr().out.startswith("exact_duplicate: 1 document dropped by dedup")
    assert json.loads((out / "stats.json").read_text()) == summary
