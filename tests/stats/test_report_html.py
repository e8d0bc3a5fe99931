"""report.html: written by every run and by `crawlsieve report`, self-contained, escaped."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixture import fixture_output

from pipeline.cli import main
from pipeline.stats.charts import Marker, histogram_chart
from pipeline.stats.clusters import bucket_sizes, cluster_sizes
from pipeline.stats.report import write_report, write_run_report

SECTIONS = (
    "overview",
    "funnel",
    "drop-reasons",
    "rules",
    "features",
    "duplicates",
    "languages",
    "sites",
    "examples",
    "timing",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    yield from fixture_output(tmp_path_factory)


def chart(html: str, name: str) -> str:
    match = re.search(rf'<svg class="chart-svg" data-chart="{re.escape(name)}".*?</svg>', html)
    assert match, f"no chart {name}"
    return match.group(0)


def test_every_run_writes_a_self_contained_report(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (out / "_SUCCESS").exists()
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"\b(src|href)\s*=", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script>") == 1 and "<script " not in html
    assert len(re.findall(r'<svg class="chart-svg"', html)) == 10


def test_charts_hold_the_numbers(run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = run
    html = (out / "report.html").read_text(encoding="utf-8")
    words = chart(html, "hist-quality.word_count")
    assert 'class="threshold"' in words and "min 5 (gopher_short_doc)" in words
    assert 'class="threshold"' not in chart(html, "hist-quality.mean_word_length")
    reasons = chart(html, "drop-reasons")
    assert "exact_duplicate, dropped by dedup: 1 records" in reasons
    assert "gopher_short_doc (quality)" in reasons
    assert "1 cluster holding 2 records; largest 2" in html
    docs = chart(html, "funnel-docs")
    assert "<title>dedup: 5 in, 4 out, 1 removed</title>" in docs
    assert "harbor-news.com: 3 docs, 100.0% kept" in chart(html, "sites")


def test_report_command_rewrites_and_escapes(
    run: tuple[Path, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "report.html").unlink()
    stats = json.loads((copy / "stats.json").read_text())
    hostile = {"id": "x<b>", "url": "javascript:alert(1)", "line": "<script>alert(1)</script>"}
    stats["samples"]["line_rules.read_more"]["examples"].insert(0, hostile)
    (copy / "stats.json").write_text(json.dumps(stats))
    assert main(["report", str(copy)]) == 0
    assert capsys.readouterr().out.strip() == str(copy / "report.html")
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "x&lt;b&gt;" in html
    assert html.count("<script>") == 1
    assert main(["report", str(tmp_path / "missing")]) == 2


def test_report_of_a_run_without_stages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "config.resolved.yaml").write_text("input:\n  paths: [x]\n")
    empty = {"edges": [0, 1], "counts": [0], "count": 0, "sum": 0, "min": None, "max": None}
    stats = {
        "records": {"read": 0, "kept": 0, "dropped": 0, "unreadable": 0},
        "histograms": {"dedup.near_duplicate_similarity": empty},
    }
    (out / "stats.json").write_text(json.dumps(stats))
    html = write_report(out).read_text(encoding="utf-8")
    assert "no record was dropped" in html and "no duplicate clusters" in html
    assert "no values: dedup.near_duplicate_similarity" in html
    assert '<svg class="chart-svg"' not in html


def test_histogram_threshold_position_and_drop_side() -> None:
    svg = histogram_chart([0, 10, 20, 40], [1, 2, 3], markers=[Marker(30, "max 30", "above")])
    # three bins of equal width over x 50..700; 30 is half way through the third bin
    assert 'x1="591.7"' in svg
    assert '<rect class="dropped-side" x="591.7"' in svg


def test_cluster_sizes(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "clusters.parquet"
    ids = ["k1", "k1", "k2", "k2", "k2"] + ["k3"] * 12
    pq.write_table(pa.table({"cluster_id": ids, "id": [f"d{i}" for i in range(len(ids))]}), path)
    sizes = cluster_sizes(path)
    assert sizes is not None
    assert (sizes.clusters, sizes.records, sizes.largest) == (3, 17, 12)
    assert sizes.buckets[:2] == [("2", 1, 2), ("3", 1, 3)]
    assert sizes.buckets[5] == ("11-20", 1, 12)
    assert bucket_sizes([150]).buckets[-1] == (">100", 1, 150)
    assert cluster_sizes(tmp_path / "none.parquet") is None


def test_a_failing_report_does_not_fail_the_run(
    run: tuple[Path, dict[str, Any]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, _ = run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "clusters.parquet").write_bytes(b"not parquet")
    assert write_run_report(copy) is None
    assert "could not write report.html" in caplog.text
    assert write_run_report(out) == out / "report.html"
