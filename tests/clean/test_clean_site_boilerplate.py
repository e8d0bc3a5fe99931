"""`site_boilerplate`: collect / resolve / apply, thresholds, partitions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from clean_fixtures import make_table

from pipeline.clean.config import SiteBoilerplateConfig
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
        SiteBoilerplateConfig(resolve_memory_mb=0.0001), table, tmp_path / "three", files=3
    )
    one = np.load(tmp_path / "one" / "work" / ARTIFACT)
    three = np.load(tmp_path / "three" / "work" / ARTIFACT)
    # 52 rows (13 pages: 3 lines and a marker each), 13 rows of 8 bytes in 0.0001 MB: 4 partitions
    assert stats.counters["site_boilerplate.resolve_partitions"] == 4
    assert one.size == 4 and np.array_equal(one, three)


def test_many_partitions(tmp_path: Path) -> None:
    stage = SiteBoilerplateConfig(resolve_memory_mb=0.01).build()
    texts, urls = site_pages("harbour", 6)
    rows = stage.collect(make_table(texts, urls=urls))
    big = pa.concat_tables([rows] * 300)  # 7,200 rows of 8 bytes in 10,485 bytes: 6 partitions
    pq.write_table(big, tmp_path / "fp.parquet")
    stats = stage.resolve([tmp_path / "fp.parquet"], tmp_path / "work")
    assert stats.counters["site_boilerplate.resolve_partitions"] == 6
    assert stats.counters["site_boilerplate.distinct_pairs"] == 8
    assert np.load(tmp_path / "work" / ARTIFACT).size == 8  # every line of every page


def test_partitions_and_site_share_agree_with_a_plain_count(tmp_path: Path) -> None:
    """Random fingerprints: the artifact equals a direct count, whatever the partitions."""
    rng = np.random.default_rng(7)
    sites = rng.integers(1, 2**63, 6, dtype=np.uint64)
    pair_site = rng.choice(sites, 400)
    pairs = rng.integers(1, 2**64 - 1, 400, dtype=np.uint64, endpoint=True)
    pair_sentence = rng.random(400) < 0.3
    picked = rng.integers(0, 400, 20_000)
    docs = rng.choice(sites, 1_500)
    table = pa.table(
        {
            "site": np.concatenate([pair_site[picked], docs]),
            "pair": np.concatenate([pairs[picked], np.zeros(docs.size, np.uint64)]),
            "sentence": np.concatenate([pair_sentence[picked], np.zeros(docs.size, bool)]).astype(
                np.uint8
            ),
        },
        schema=FINGERPRINT_SCHEMA,
    )
    pq.write_table(table.slice(0, 9_000), tmp_path / "a.parquet")
    with pa.ipc.new_file(tmp_path / "b.arrow", FINGERPRINT_SCHEMA) as writer:
        writer.write_table(table.slice(9_000), max_chunksize=1_000)
    counts = np.bincount(picked, minlength=400)
    site_docs = np.array([np.sum(docs == s) for s in pair_site])
    frequent = counts >= np.where(pair_sentence, 70, 50)
    assert 0 < frequent.sum() < 400
    for share in (0.0, 0.2):
        expected = pairs[frequent & (counts >= share * site_docs)]
        assert 0 < expected.size <= frequent.sum()
        for memory_mb in (256, 0.02):
            config = SiteBoilerplateConfig(
                min_docs=50, min_docs_sentence=70, min_site_share=share, resolve_memory_mb=memory_mb
            )
            work = tmp_path / f"work-{share}-{memory_mb}"
            config.build().resolve([tmp_path / "a.parquet", tmp_path / "b.arrow"], work)
            assert np.array_equal(np.load(work / ARTIFACT), np.sort(expected))
    assert expected.size < frequent.sum()  # the site share did exclude some


def test_pages_without_url_are_untouched(tmp_path: Path) -> None:
    texts, _ = site_pages("harbour", 6)
    table = make_table(texts)
    result, stats = run_global(SiteBoilerplateConfig(), table, tmp_path)
    assert result.table[TEXT].to_pylist() == texts
    assert stats.counters["site_boilerplate.fingerprint_rows"] == 0


def test_collect_flags_sentence_lines_by_ending_and_words() -> None:
    config = SiteBoilerplateConfig(min_line_chars=3, sentence_min_words=4)
    lines = [
        "  Three words here.  ",  # a sentence ending, 3 words: not a sentence line
        "Four words are here.",
        "Four  words,  two  spaces!",  # spaces counted one by one, as LineTable.words
        "No ending on these five words",
        "Ünïcode wörds çount the same?",
        "",
        "x",
    ]
    table = make_table(["\n".join(lines)], urls=["https://example.com/a"])
    rows = config.build().collect(table)
    line_rows = rows["pair"].to_numpy() != 0
    assert sorted(rows["sentence"].to_numpy()[line_rows].tolist()) == [0, 0, 1, 1, 1]
