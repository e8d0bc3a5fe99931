"""Linear work in huge buckets, the union-find, and determinism whatever the file split."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dedup_articles import article, edit_words
from dedup_harness import records_table, run_dedup

from pipeline.dedup import corpus_arrays
from pipeline.dedup.buckets import bucket_edges
from pipeline.dedup.corpus_arrays import fingerprint_batches
from pipeline.dedup.union_find import UnionFind

PAGES = 10_000


def test_a_bucket_of_equal_keys_gives_one_edge_per_member() -> None:
    keys = np.full(PAGES, 7, dtype=np.uint64)
    keys[::1000] = np.arange(10, dtype=np.uint64) + 100  # ten singletons mixed in
    documents = np.arange(PAGES, dtype=np.int64) * 3
    edges = bucket_edges(keys, documents)
    assert len(edges.members) == PAGES - 10 - 1
    assert edges.largest_bucket == PAGES - 10
    assert set(edges.heads.tolist()) == {3}  # the smallest document of the bucket
    assert np.all(edges.members > edges.heads)


def test_ten_thousand_identical_pages_cost_linear_work(tmp_path: Path) -> None:
    page = "Subscribe to our newsletter for the latest deals and offers from our partners today"
    records = [(f"p{i:05d}", page) for i in range(PAGES)]
    outcome = run_dedup(tmp_path, records, exact=False)  # every page reaches LSH
    bands = int(outcome.counter("lsh.bands"))
    assert bands == 16
    # Each band: one bucket of 10,000 pages -> 9,999 edges to its head (not 10,000^2 / 2 pairs).
    assert outcome.counter("link.candidate_pairs") == bands * (PAGES - 1)
    # Only the first band's edges are verified; later bands find them already linked.
    assert outcome.counter("link.verified_pairs") == PAGES - 1
    assert outcome.counter("link.already_linked") == (bands - 1) * (PAGES - 1)
    assert outcome.counter("link.linked_pairs") == PAGES - 1
    assert outcome.counter("link.largest_bucket") == PAGES
    assert outcome.counter("clusters") == 1
    assert outcome.clusters[0]["size"] == PAGES
    assert len(outcome.decisions) == PAGES - 1
    assert set(outcome.decisions.values()) == {("near_duplicate", "p00000", 1.0)}


def test_union_find_roots_are_component_minima() -> None:
    union_find = UnionFind(8)
    assert union_find.union(np.array([5, 7, 3]), np.array([6, 6, 2])) == 3
    assert union_find.union(np.array([6]), np.array([5])) == 0
    assert union_find.union(np.array([7]), np.array([2])) == 1
    assert union_find.roots().tolist() == [0, 1, 2, 2, 4, 2, 2, 2]
    assert union_find.merges == 4


def test_a_chain_of_unions_collapses(tmp_path: Path) -> None:
    union_find = UnionFind(1000)
    union_find.union(np.arange(1, 1000), np.arange(0, 999))
    assert union_find.roots().tolist() == [0] * 1000


def corpus() -> list[tuple[str, str]]:
    records = []
    for i in range(12):
        base = article(300 + i)
        records.append((f"o{i}", base))
        if i % 3 == 0:
            records.append((f"o{i}-exact", base.lower()))
        if i % 2 == 0:
            records.append((f"o{i}-edit", edit_words(base, 0.02, seed=i)))
    return records


def test_decisions_do_not_depend_on_how_fingerprints_are_split(tmp_path: Path) -> None:
    records = corpus()
    reference = run_dedup(tmp_path / "one", records, files=1)
    assert len(reference.decisions) == 10
    expected = reference.duplicates_file.read_bytes()
    for files, order in [(3, None), (5, [4, 2, 0, 3, 1]), (len(records), None)]:
        other = run_dedup(tmp_path / f"split{files}", records, files=files, order=order)
        assert other.duplicates_file.read_bytes() == expected
        assert other.clusters == reference.clusters


def test_an_empty_corpus_gives_empty_decisions(tmp_path: Path) -> None:
    outcome = run_dedup(tmp_path, [])
    assert outcome.decisions == {} and outcome.clusters == []
    assert outcome.counter("documents") == 0


def test_repeated_seq_is_an_error(tmp_path: Path) -> None:
    table = records_table([("a", "one two"), ("b", "three four")])
    table = table.set_column(2, "_seq", pa.array([7, 7], pa.uint64()))
    with pytest.raises(ValueError, match="fingerprints repeat _seq 7"):
        run_dedup(tmp_path, table, files=2)


def test_fingerprint_files_are_read_in_batches_bounded_by_bytes(tmp_path: Path) -> None:
    path = tmp_path / "one-row-group.parquet"
    values = np.arange(5_000, dtype=np.uint64)
    pq.write_table(pa.table({"_seq": values, "other": values * 2}), path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 1
    batches = list(fingerprint_batches(path, ["_seq"], batch_bytes=8 * 512))
    sizes = [batch.num_rows for _, batch in batches]
    assert len(sizes) >= 10 and max(sizes) <= 512  # 8 bytes a row (and page overhead)
    assert [start for start, _ in batches] == np.cumsum([0, *sizes[:-1]]).tolist()
    assert all(batch.schema.names == ["_seq"] for _, batch in batches)
    read = np.concatenate([batch.column(0).to_numpy() for _, batch in batches])
    assert np.array_equal(read, values)


def test_decisions_and_index_do_not_depend_on_the_read_batch_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = corpus()
    outcomes = []
    for batch_bytes in (None, 1):  # the default, then one row per batch
        if batch_bytes is not None:
            monkeypatch.setattr(corpus_arrays, "READ_BATCH_BYTES", batch_bytes)
        # The same paths both times: an index records its run's fingerprint paths.
        shutil.rmtree(tmp_path / "run", ignore_errors=True)
        index = tmp_path / "run" / "index"
        run_dedup(
            tmp_path / "run" / "first",
            records[::2],
            exact_jaccard=True,
            index={"save_to": str(index)},
        )
        outcome = run_dedup(
            tmp_path / "run" / "second",
            records,
            files=3,
            exact_jaccard=True,
            index={"dedup_against": [str(index)], "update": True},
        )
        files = {
            str(p.relative_to(index)): (
                pq.read_table(p).to_pylist() if p.suffix == ".parquet" else p.read_bytes()
            )
            for p in index.rglob("*")
            if p.is_file()
        }
        outcomes.append((outcome.duplicates_file.read_bytes(), outcome.clusters, files))
    assert outcomes[0][1] and outcomes[0][0]  # something was found
    assert outcomes[1] == outcomes[0]
