"""`site_boilerplate`: collect / resolve / apply, thresholds, partitions, registered domains."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from clean_fixtures import make_table

from pipeline.clean.config import SiteBoilerplateConfig
from pipeline.clean.registered_domain import registered_domains
from pipeline.clean.site_boilerplate import ARTIFACT, FINGERPRINT_SCHEMA
from pipeline.schema import REMOVED_LINES, TEXT

QUOTE = "“We will rebuild the harbour wall before the winter storms arrive,” the mayor said."


def site_pages(site: str, count: int, *, quote_on: int = 0) -> tuple[list[str], list[str]]:
    texts, urls = [], []
    for i in range(count):
        lines = ["Harbour Times", f"Story {i} about the {site} harbour, told in its own words."]
        if i < quote_on:
            lines.append(QUOTE)
        lines.append("© Harbour Times Ltd")
        texts.append("\n".join(lines))
        urls.append(f"https://www.{site}.co.uk/news/{i}")
    return texts, urls


def run_global(config: SiteBoilerplateConfig, table: pa.Table, tmp_path: Path, files: int = 1):
    stage = config.build()
    stage.setup()
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for part in range(files):
        rows = range(part, table.num_rows, files)
        fingerprints = stage.collect(table.take(pa.array(list(rows))))
        assert fingerprints.schema == FINGERPRINT_SCHEMA
        path = tmp_path / f"fp-{part}.parquet"
        pq.write_table(fingerprints, path)
        paths.append(path)
    stats = stage.resolve(paths, tmp_path / "work")
    return stage.apply(table, tmp_path / "work"), stats


def test_lines_on_many_pages_of_one_site_go(tmp_path: Path) -> None:
    texts, urls = site_pages("harbour", 6, quote_on=6)
    other_texts, other_urls = site_pages("elsewhere", 2)
    table = make_table(texts + other_texts, urls=urls + other_urls)
    result, stats = run_global(SiteBoilerplateConfig(), table, tmp_path)
    out = result.table[TEXT].to_pylist()
    # On the big site the masthead and footer go; the quote (a sentence on only 6 pages, below
    # min_docs_sentence = 20) stays; the small site keeps everything.
    assert out[0] == "Story 0 about the harbour harbour, told in its own words.\n" + QUOTE
    assert out[6] == other_texts[0]
    assert result.table[REMOVED_LINES][0].as_py() == [
        {"rule": "site_boilerplate", "text": "Harbour Times"},
        {"rule": "site_boilerplate", "text": "© Harbour Times Ltd"},
    ]
    assert stats.counters["site_boilerplate.frequent_pairs"] == 2
    assert result.stats.counters["site_boilerplate.lines_removed.site_boilerplate"] == 12


def test_sentence_lines_need_the_higher_count(tmp_path: Path) -> None:
    texts, urls = site_pages("harbour", 6, quote_on=6)
    config = SiteBoilerplateConfig(min_docs=5, min_docs_sentence=6)
    result, _ = run_global(config, make_table(texts, urls=urls), tmp_path)
    assert QUOTE not in result.table[TEXT][0].as_py()


def test_site_share_threshold(tmp_path: Path) -> None:
    texts, urls = site_pages("harbour", 10, quote_on=0)
    texts = [t if i < 5 else t.replace("Harbour Times\n", "") for i, t in enumerate(texts)]
    table = make_table(texts, urls=urls)
    result, _ = run_global(SiteBoilerplateConfig(min_site_share=0.6), table, tmp_path)
    assert result.table[TEXT][0].as_py().startswith("Harbour Times\n")  # on 5 of 10 pages
    assert not result.table[TEXT][0].as_py().endswith("Ltd")  # on 10 of 10 pages


def test_partitioned_resolve_gives_the_same_artifact(tmp_path: Path) -> None:
    texts, urls = site_pages("harbour", 6)
    texts2, urls2 = site_pages("quay", 7)
    table = make_table(texts + texts2, urls=urls + urls2)
    run_global(SiteBoilerplateConfig(), table, tmp_path / "one", files=1)
    _, stats = run_global(
        SiteBoilerplateConfig(resolve_chunk_rows=1000), table, tmp_path / "three", files=3
    )
    one = np.load(tmp_path / "one" / "work" / ARTIFACT)
    three = np.load(tmp_path / "three" / "work" / ARTIFACT)
    assert one.size == 4 and np.array_equal(one, three)


def test_many_partitions(tmp_path: Path) -> None:
    stage = SiteBoilerplateConfig(resolve_chunk_rows=1000).build()
    texts, urls = site_pages("harbour", 6)
    rows = stage.collect(make_table(texts, urls=urls))
    big = pa.concat_tables([rows] * 300)  # 7,200 rows: eight partitions
    pq.write_table(big, tmp_path / "fp.parquet")
    stats = stage.resolve([tmp_path / "fp.parquet"], tmp_path / "work")
    assert stats.counters["site_boilerplate.resolve_partitions"] == 8
    assert np.load(tmp_path / "work" / ARTIFACT).size == 8  # every line of every page


def test_pages_without_url_are_untouched(tmp_path: Path) -> None:
    texts, _ = site_pages("harbour", 6)
    table = make_table(texts)
    result, stats = run_global(SiteBoilerplateConfig(), table, tmp_path)
    assert result.table[TEXT].to_pylist() == texts
    assert stats.counters["site_boilerplate.fingerprint_rows"] == 0


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/a", "bbc.co.uk"),
        ("http://www.Example.COM:8080/x?y=1", "example.com"),
        ("https://a.b.example.org/", "example.org"),
        ("https://user:pw@shop.example.com.au/p", "example.com.au"),
        ("http://10.0.0.1/x", "10.0.0.1"),
        ("https://myblog.blogspot.com/2024/01", "myblog.blogspot.com"),
        ("not a url", ""),
        (None, ""),
    ],
)
def test_registered_domain(url: str | None, domain: str) -> None:
    assert registered_domains(pa.array([url], pa.string())).to_pylist() == [domain]
