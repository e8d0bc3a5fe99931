"""`inspect` and `explain` on the bundled sample crawl (examples/sample-crawl), exact output.

The stand-in stages of `report_fixture` run over the real sample: they remove "Source link" and
"Read more..." lines, drop documents of fewer than 5 words, drop German, and drop exact copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixture import fixture_output

from pipeline.stats.explain import explain_record
from pipeline.stats.inspect import inspect_reason
from pipeline.stats.run_output import RunOutput

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-crawl"
FEATURES_HEADER = [
    "features",
    "  feature           value                threshold  result",
    "  ----------------  -----  -----------------------  ------",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    assert SAMPLE.is_dir(), f"{SAMPLE} is missing"
    yield from fixture_output(tmp_path_factory, SAMPLE)


def test_sample_counts(run: tuple[Path, dict[str, Any]]) -> None:
    _, summary = run
    assert summary["records"] == {"read": 265, "kept": 210, "dropped": 55, "unreadable": 0}
    assert summary["drop_reasons"] == {
        "exact_duplicate": 47,
        "gopher_short_doc": 4,
        "language_not_allowed": 4,
    }


def test_inspect_removed_lines(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert inspect_reason(RunOutput(out), "source_link", n=2) == "\n".join(
        [
            "line_rules.source_link: 40 lines removed (480 chars)",
            "showing 2 from the removed_lines columns (deterministic sample)",
            "",
            "[1] sample-0091  https://www.dailydigestwire.com/2024/11/"
            "power-firm-seeks-approval-for-large-wind-scheme-on/",
            "      Since of its size, the scheme shall be decided by the government somewhat than "
            "the nearby authority.",
            "    - Source link",
            "      Daily Digest Wire aggregates headlines from around the web.",
            "",
            "[2] sample-0216  https://www.dailydigestwire.com/2024/11/"
            "coastal-path-shut-following-powerful-gale-smashes-via-defences/",
            "      A authority representative explained: “We understand how essential this route "
            "is, but we shall not reopen it till we are sure it is secure.”",
            "    - Source link",
            "      Daily Digest Wire aggregates headlines from around the web.",
        ]
    )


def test_inspect_dropped_documents(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert inspect_reason(RunOutput(out), "gopher_short_doc", n=2) == "\n".join(
        [
            "gopher_short_doc: 4 documents dropped by quality (1.5% of read)",
            "showing 2 (deterministic sample)",
            "",
            "[1] sample-0236  https://www.harborcity-herald.com/news/article-7616580-115",
            "    word_count = 1  (keep if >= 5)",
            "    | Loading...",
            "",
            "[2] sample-0234  https://www.harborcity-herald.com/news/article-7616580",
            "    word_count = 1  (keep if >= 5)",
            "    | Loading...",
        ]
    )


def test_explain_kept_article(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    assert explain_record(RunOutput(out), "sample-0091") == "\n".join(
        [
            "record sample-0091",
            "  url       https://www.dailydigestwire.com/2024/11/"
            "power-firm-seeks-approval-for-large-wind-scheme-on/",
            f"  input     {SAMPLE / 'crawl-001.jsonl.gz'}, line 2",
            "  outcome   kept (data/part-00001-0000-0000.parquet)",
            "  language  en (score 0.99)",
            "  chars     1,250 read, 1,238 kept (1.0% removed)",
            "",
            "removed lines (1)",
            "  source_link  Source link",
            "",
            "text: input -> kept output",
            "    … 12 unchanged lines",
            "    A community consultation shall run till the end of February, with exhibitions in "
            "4 hamlet halls.",
            "    Since of its size, the scheme shall be decided by the government somewhat than "
            "the nearby authority.",
            "  - [source_link] Source link",
            "    Daily Digest Wire aggregates headlines from around the web.",
            "    DMCA | Privacy | Contact",
            "",
            *FEATURES_HEADER,
            "  word_count          207  >= 5 (gopher_short_doc)    pass",
            "  mean_word_length  4.986                        -",
            "  lang_score         0.99                        -",
        ]
    )


def test_explain_exact_copy(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    story = explain_record(RunOutput(out), "sample-0055")
    assert story.splitlines()[3:5] == [
        "  outcome   dropped by dedup: exact_duplicate (rejected/part-00000-0000-0000.parquet)",
        "  language  en (score 0.99)",
    ]
    assert story.endswith("duplicate\n  duplicate of sample-0009, estimated similarity 1.000")
    keeper = explain_record(RunOutput(out), "sample-0009")
    assert keeper.endswith(
        "duplicate\n  kept; 1 duplicate dropped in its favour: sample-0055 (1.000)"
    )
