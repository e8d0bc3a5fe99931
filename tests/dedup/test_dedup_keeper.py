"""The keeper rule: first seen, longest cleaned text, best quality score; ties by first seen."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from dedup_articles import article, with_trailer
from dedup_harness import records_table, run_dedup

BASE = article(60)
# Three exact copies (equal after normalisation) of different raw lengths, and a longer near copy.
CLUSTER = [
    ("first", BASE),
    ("spaced", BASE.replace(" ", "  ")),
    ("shouted", BASE.upper()),
    ("longer", with_trailer(BASE, "Reporting by Lu Ma")),
    ("unrelated", article(61)),
]


def keeper_of(outcome) -> str:  # noqa: ANN001 - DedupOutcome
    (cluster,) = outcome.clusters
    return cluster["keeper_id"]


def test_first_keeps_the_smallest_seq(tmp_path: Path) -> None:
    outcome = run_dedup(tmp_path, CLUSTER, keeper="first")
    assert keeper_of(outcome) == "first"
    assert outcome.decisions == {
        "spaced": ("exact_duplicate", "first", 1.0),
        "shouted": ("exact_duplicate", "first", 1.0),
        "longer": outcome.decisions["longer"],
    }
    assert outcome.decisions["longer"][:2] == ("near_duplicate", "first")


def test_first_follows_seq_not_file_order(tmp_path: Path) -> None:
    table = records_table(CLUSTER[::-1])  # "unrelated" first ... "first" last
    table = table.set_column(2, "_seq", pa.array([40, 30, 20, 10, 0], pa.uint64()))
    outcome = run_dedup(tmp_path, table, files=2, keeper="first")
    assert keeper_of(outcome) == "first"


def test_longest_keeps_the_longest_cleaned_text(tmp_path: Path) -> None:
    outcome = run_dedup(tmp_path, CLUSTER, keeper="longest")
    assert keeper_of(outcome) == "spaced"
    assert outcome.decisions["first"] == ("exact_duplicate", "spaced", 1.0)
    assert outcome.decisions["longer"][:2] == ("near_duplicate", "spaced")


def test_longest_breaks_ties_by_first_seen(tmp_path: Path) -> None:
    records = [("a", BASE), ("b", BASE.upper()), ("c", BASE.lower())]  # equal lengths
    outcome = run_dedup(tmp_path, records, keeper="longest")
    assert keeper_of(outcome) == "a"


def test_best_quality_keeps_the_highest_score(tmp_path: Path) -> None:
    scores = [0.2, None, 0.9, float("nan"), 0.1]
    table = records_table(CLUSTER, extra={"quality": pa.array(scores, pa.float64())})
    outcome = run_dedup(tmp_path, table, keeper="best_quality", quality_column="quality")
    assert keeper_of(outcome) == "shouted"
    assert set(outcome.decisions) == {"first", "spaced", "longer"}
    assert outcome.decisions["first"] == ("exact_duplicate", "shouted", 1.0)


def test_best_quality_ties_and_missing_scores_fall_back_to_first_seen(tmp_path: Path) -> None:
    scores = [None, 0.5, 0.5, None, 0.0]
    table = records_table(CLUSTER, extra={"quality": pa.array(scores, pa.float64())})
    outcome = run_dedup(tmp_path, table, keeper="best_quality", quality_column="quality")
    assert keeper_of(outcome) == "spaced"


def test_best_quality_needs_the_column_in_the_records(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="quality_column 'quality' is not a column"):
        run_dedup(tmp_path, CLUSTER, keeper="best_quality", quality_column="quality")
