"""Saving a run as a dedup index and deduplicating a later crawl against it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dedup_articles import article, edit_words
from dedup_harness import run_dedup

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.hashing import FINGERPRINT_VERSION
from pipeline.dedup.index_store import DedupIndexError


def first_crawl() -> list[tuple[str, str]]:
    return [
        ("old-a", article(400)),
        ("old-a-copy", article(400).lower()),
        ("old-b", article(401)),
        ("old-c", article(402)),
    ]


def second_crawl() -> list[tuple[str, str]]:
    return [
        ("new-a", article(400)),  # exact copy of an indexed document
        ("new-b", edit_words(article(401), 0.02, seed=4)),  # near copy of an indexed document
        ("new-d", article(403)),
        ("new-d-copy", article(403).upper()),  # duplicate inside the new crawl only
    ]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def test_a_saved_index_holds_the_kept_documents(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["documents"] == 3
    assert manifest["params"]["ngram"] == 5 and manifest["params"]["scheme"] == "affine32"
    ids = pq.read_table(index / "segment-00000" / "ids.parquet").column("id").to_pylist()
    assert ids == ["old-a", "old-b", "old-c"]


def test_a_new_crawl_is_deduplicated_against_the_index(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    before = snapshot(index)
    outcome = run_dedup(tmp_path / "run2", second_crawl(), index={"dedup_against": [str(index)]})
    assert outcome.decisions["new-a"] == ("exact_duplicate", "old-a", 1.0)
    assert outcome.decisions["new-b"][:2] == ("near_duplicate", "old-b")
    assert outcome.decisions["new-d-copy"] == ("exact_duplicate", "new-d", 1.0)
    assert set(outcome.decisions) == {"new-a", "new-b", "new-d-copy"}
    assert outcome.counter("duplicates_of_index") == 2
    assert outcome.counter("index_documents") == 3
    keepers = {c["keeper_id"]: c["keeper_in_index"] for c in outcome.clusters}
    assert keepers == {"old-a": True, "old-b": True, "new-d": False}
    assert snapshot(index) == before  # read-only unless update: true


def test_update_appends_a_segment_that_later_runs_see(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    run_dedup(
        tmp_path / "run2", second_crawl(), index={"dedup_against": [str(index)], "update": True}
    )
    manifest = json.loads((index / "manifest.json").read_text())
    assert [s["name"] for s in manifest["segments"]] == ["segment-00000", "segment-00001"]
    assert manifest["documents"] == 4  # old-a, old-b, old-c + new-d
    third = run_dedup(
        tmp_path / "run3",
        [("newer-d", article(403)), ("newer-e", article(404))],
        index={"dedup_against": [str(index)]},
    )
    assert third.decisions == {"newer-d": ("exact_duplicate", "new-d", 1.0)}


def test_an_index_with_other_fingerprint_parameters_is_refused(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    stage = DedupConfig(ngram=4, index={"dedup_against": [str(index)]}).build()
    with pytest.raises(DedupIndexError, match="ngram: index 5 vs config 4"):
        stage.setup()


def test_an_index_from_an_older_fingerprint_version_is_refused(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["fingerprint_version"] == FINGERPRINT_VERSION
    manifest["fingerprint_version"] = FINGERPRINT_VERSION - 1
    (index / "manifest.json").write_text(json.dumps(manifest))
    stage = DedupConfig(index={"dedup_against": [str(index)]}).build()
    with pytest.raises(DedupIndexError, match="fingerprint version 1, .* version 2; rebuild"):
        stage.setup()


def test_save_to_never_overwrites(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "something").write_text("x")
    stage = DedupConfig(index={"save_to": str(index)}).build()
    with pytest.raises(DedupIndexError, match="exists and is not empty"):
        stage.setup()


def test_a_directory_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    stage = DedupConfig(index={"dedup_against": [str(tmp_path)]}).build()
    with pytest.raises(DedupIndexError, match="not a dedup index"):
        stage.setup()


def test_an_index_with_shingle_sets_serves_exact_jaccard_runs(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), exact_jaccard=True, index={"save_to": str(index)})
    outcome = run_dedup(
        tmp_path / "run2",
        second_crawl(),
        exact_jaccard=True,
        index={"dedup_against": [str(index)]},
    )
    assert set(outcome.decisions) == {"new-a", "new-b", "new-d-copy"}
    assert outcome.decisions["new-b"][:2] == ("near_duplicate", "old-b")


def test_exact_jaccard_needs_an_index_with_shingle_sets(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    stage = DedupConfig(exact_jaccard=True, index={"dedup_against": [str(index)]}).build()
    with pytest.raises(DedupIndexError, match="has no shingle sets"):
        stage.setup()


def test_a_repeated_resolve_replaces_its_own_segment(tmp_path: Path) -> None:
    """A resumed run whose resolve runs twice must not dedup against what it wrote itself."""
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    settings = {"dedup_against": [str(index)], "update": True}
    first = run_dedup(tmp_path / "run2", second_crawl(), index=settings)
    stage = DedupConfig(index=settings).build()
    stage.setup()
    again = tmp_path / "run2" / "again"
    again.mkdir()
    stage.resolve(sorted((tmp_path / "run2").glob("fingerprints-*.parquet")), again)
    repeated = pq.read_table(again / "duplicates.parquet").to_pylist()
    assert [row["duplicate_of"] for row in repeated] == ["old-a", "old-b", "new-d"]
    assert len(first.decisions) == 3
    manifest = json.loads((index / "manifest.json").read_text())
    assert [s["documents"] for s in manifest["segments"]] == [3, 1]


def test_save_to_may_be_rewritten_by_the_same_run_only(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_dedup(tmp_path / "run1", first_crawl(), index={"save_to": str(index)})
    stage = DedupConfig(index={"save_to": str(index)}).build()
    stage.setup()  # an existing index is left for resolve to judge
    again = tmp_path / "run1" / "again"
    again.mkdir()
    stage.resolve(sorted((tmp_path / "run1").glob("fingerprints-*.parquet")), again)
    assert json.loads((index / "manifest.json").read_text())["documents"] == 3
    other = tmp_path / "other"
    run_dedup(other, second_crawl())
    with pytest.raises(DedupIndexError, match="exists and is not empty"):
        stage.resolve(sorted(other.glob("fingerprints-*.parquet")), other / "global")
