"""Every kind of bad input of issue 7 in one crawl, run end to end with `crawlsieve run`: each bad
record is counted and quarantined with its file, position and error, every good record is in the
output, and too many errors fail the run with a message naming the files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from bad_crawl import HUGE_RECORD_LIMIT, BadCrawl, build_bad_crawl, story
from reliability_harness import kept_ids, quarantine_rows, run_arguments, run_cli

from pipeline.cli import main

LIMIT = ["--set", f"input.max_record_bytes={HUGE_RECORD_LIMIT}", "--workers", "1"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> BadCrawl:
    return build_bad_crawl(tmp_path_factory.mktemp("bad") / "crawl")


@pytest.fixture(scope="module")
def out(crawl: BadCrawl) -> Path:
    """A run with no stages (the built-in defaults), so that every good record must be kept."""
    out = crawl.root.parent / "out"
    arguments = run_arguments(crawl.root, out, config=None, extra=[*LIMIT, "--max-errors", "100"])
    assert run_cli(arguments) == 0
    return out


def matches(actual: list[tuple[str, str, str]], expected: list[tuple[str, str, str]]) -> bool:
    """Same files and positions, and each error matches its expected pattern."""
    return len(actual) == len(expected) and all(
        (name, position) == (want_name, want_position) and re.fullmatch(pattern, error)
        for (name, position, error), (want_name, want_position, pattern) in zip(
            actual, expected, strict=True
        )
    )


def test_every_bad_record_is_quarantined_with_file_position_and_error(
    crawl: BadCrawl, out: Path
) -> None:
    rows = quarantine_rows(out)
    assert [row[:2] for row in rows] == [row[:2] for row in crawl.unreadable]
    assert matches(rows, crawl.unreadable), rows
    sources = set(pq.read_table(out / "quarantine", columns=["source"])["source"].to_pylist())
    assert sources == {str(crawl.root / name) for name in crawl.unreadable_by_file()}


def test_quarantine_keeps_a_bounded_raw_prefix(out: Path) -> None:
    rows = pq.read_table(out / "quarantine").to_pylist()
    raw = {(Path(r["source"]).name, r["position"]): r["raw"] for r in rows}
    assert raw[("a-lines.jsonl", "line 2")] == '{"id": "a-cut", "text": \n'
    assert raw[("a-lines.jsonl", "line 4")] == '{"id": "a-utf8", "text": "caf\ufffd"}\n'
    assert (
        raw[("g-huge.jsonl", "line 2")]
        == '{"id": "g-huge", "text": "' + ("All work and no play. " * 24)[: 512 - 26]
    )
    assert raw[("e-other-schema.parquet", "file")] is None


def test_stats_count_every_record_once(crawl: BadCrawl, out: Path) -> None:
    summary = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    good, bad = len(crawl.good_ids), len(crawl.unreadable)
    assert summary["records"] == {"read": good + bad, "kept": good, "dropped": 0, "unreadable": bad}
    per_file = {
        Path(key.removeprefix("unreadable_files.")).name: count
        for key, count in summary["counters"].items()
        if key.startswith("unreadable_files.")
    }
    assert per_file == crawl.unreadable_by_file()
    assert (out / "_SUCCESS").exists()


def test_every_good_record_is_in_the_output(crawl: BadCrawl, out: Path) -> None:
    assert sorted(kept_ids(out)) == sorted(crawl.good_ids)
    assert len(set(crawl.good_ids)) == len(crawl.good_ids)
    texts = {}
    for path in sorted((out / "data").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "text"])
        texts.update(zip(table["id"].to_pylist(), table["text"].to_pylist(), strict=True))
    assert texts["a-escaped-nul"] == "before\x00after " + story("a-escaped-nul")
    assert texts["e-3"] == story("e-3")
    assert texts["<urn:uuid:f-0>"] == story("f-0")


def test_every_stage_of_news_yaml_loses_no_good_record(
    crawl: BadCrawl, out: Path, tmp_path: Path
) -> None:
    news_out = tmp_path / "news"
    arguments = run_arguments(crawl.root, news_out, extra=[*LIMIT, "--max-errors", "100"])
    assert run_cli(arguments) == 0
    assert quarantine_rows(news_out) == quarantine_rows(out)
    summary = json.loads((news_out / "stats.json").read_text(encoding="utf-8"))
    records = summary["records"]
    assert (records["read"], records["unreadable"]) == (
        len(crawl.good_ids) + len(crawl.unreadable),
        len(crawl.unreadable),
    )
    rejected = rejected_reasons(news_out)
    kept = kept_ids(news_out)
    assert sorted(kept + list(rejected)) == sorted(crawl.good_ids)
    assert None not in rejected.values()
    assert records["kept"] == len(kept) and records["dropped"] == len(rejected)


def rejected_reasons(out: Path) -> dict[str, Any]:
    reasons: dict[str, Any] = {}
    for path in sorted((out / "rejected").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "drop_reason"])
        pairs = zip(table["id"].to_pylist(), table["drop_reason"].to_pylist(), strict=True)
        for record_id, reason in pairs:
            assert record_id not in reasons
            reasons[record_id] = reason
    return reasons


def test_too_many_errors_fail_the_run_naming_the_worst_files(
    crawl: BadCrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, read = len(crawl.unreadable), len(crawl.unreadable) + len(crawl.good_ids)
    count_out, fraction_out = tmp_path / "count", tmp_path / "fraction"
    capsys.readouterr()
    arguments = run_arguments(crawl.root, count_out, config=None, extra=[*LIMIT])
    assert run_cli([*arguments, "--max-errors", "5"]) == 1
    err = capsys.readouterr().err
    worst = f"{crawl.root / 'a-lines.jsonl'} (11), {crawl.root / 'c-truncated.jsonl.gz'} (1)"
    assert f"{bad} unreadable records exceed run.max_errors (5); worst files: {worst}" in err
    assert err.rstrip().endswith(
        "to accept them, run again with a larger --max-errors and --resume."
    )
    assert not (count_out / "_SUCCESS").exists() and not (count_out / "stats.json").exists()
    arguments = run_arguments(crawl.root, fraction_out, config=None, extra=[*LIMIT])
    assert run_cli([*arguments, "--max-errors", "0.01"]) == 1
    assert f"exceed run.max_errors (1.00% of {read}); worst files: {worst}" in (
        capsys.readouterr().err
    )
    assert run_cli([*arguments, "--max-errors", str(bad), "--resume"]) == 0
    assert len(kept_ids(fraction_out)) == len(crawl.good_ids)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("many", "expected a count such as 100 or a fraction such as 0.05, got 'many'"),
        ("-1", "must be a finite number >= 0, got '-1'"),
        ("nan", "must be a finite number >= 0, got 'nan'"),
    ],
)
def test_max_errors_must_be_a_count_or_a_fraction(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--input", "x", "--output", "y", "--max-errors", value])
    assert info.value.code == 2
    assert f"argument --max-errors: {message}" in capsys.readouterr().err
