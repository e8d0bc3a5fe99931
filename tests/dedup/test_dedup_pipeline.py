"""The dedup stage in a full local run, and its configuration errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dedup_articles import article, edit_words

from pipeline.config import ConfigError, load_config, validate_config
from pipeline.dedup.config import DedupConfig
from pipeline.run.local import RunOptions, run_local


def write_crawl(root: Path) -> Path:
    crawl = root / "crawl"
    crawl.mkdir()
    records = [
        {"id": "a", "text": article(500), "url": "https://a.example/1"},
        {"id": "b", "text": article(501), "url": "https://b.example/1"},
        {
            "id": "a-mirror",
            "text": article(500).replace("\n\n", "\n"),
            "url": "https://m.example/1",
        },
    ]
    more = [
        {"id": "b-syndicated", "text": edit_words(article(501), 0.02, seed=2), "url": None},
        {"id": "c", "text": article(502), "url": "https://c.example/1"},
    ]
    for name, rows in (("part-1.jsonl", records), ("part-2.jsonl", more)):
        with open(crawl / name, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
    return crawl


def test_duplicates_go_to_rejected_with_their_keeper(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = load_config(None, [f"input.paths=[{write_crawl(tmp_path)}]", "stages=[{type: dedup}]"])
    summary = run_local(config, RunOptions(output=out, workers=1, progress=False))
    assert summary["records"] == {"read": 5, "kept": 3, "dropped": 2, "unreadable": 0}
    assert summary["drop_reasons"] == {"exact_duplicate": 1, "near_duplicate": 1}
    rejected = pq.read_table(out / "rejected").to_pylist()
    by_id = {row["id"]: row for row in rejected}
    assert by_id["a-mirror"]["drop_reason"] == "exact_duplicate"
    assert by_id["a-mirror"]["duplicate_of"] == "a"
    assert by_id["a-mirror"]["duplicate_similarity"] == 1.0
    assert by_id["b-syndicated"]["drop_reason"] == "near_duplicate"
    assert by_id["b-syndicated"]["duplicate_of"] == "b"
    assert 0.8 <= by_id["b-syndicated"]["duplicate_similarity"] < 1.0
    kept = pq.read_table(out / "data")
    assert sorted(kept.column("id").to_pylist()) == ["a", "b", "c"]
    assert "duplicate_of" not in kept.column_names
    clusters = pq.read_table(out / "clusters.parquet").to_pylist()
    assert [(c["keeper_id"], c["member_ids"]) for c in clusters] == [
        ("a", ["a", "a-mirror"]),
        ("b", ["b", "b-syndicated"]),
    ]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"exact": False, "near": False}, "exact and near are both off"),
        ({"bands": 8}, "give both bands and rows"),
        ({"bands": 20, "rows": 8}, "bands x rows = 160 exceeds num_perm = 128"),
        ({"keeper": "best_quality"}, "keeper: best_quality needs quality_column"),
        ({"quality_column": "q"}, "quality_column is only used with keeper: best_quality"),
        ({"index": {"update": True}}, "update: true needs exactly one path in dedup_against"),
        ({"threshold": 1.0}, "threshold: Input should be less than 1"),
        ({"shingle": "line"}, "shingle: Input should be 'word' or 'char'"),
        ({"exact_jaccard": True, "verify": False}, "exact_jaccard needs near: true and verify"),
    ],
)
def test_configuration_errors_name_the_problem(settings: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_config({"stages": [{"type": "dedup", **settings}]})


def test_unknown_keys_get_a_hint() -> None:
    with pytest.raises(ConfigError, match="stages\\[0\\].treshold: unknown key; did you mean"):
        validate_config({"stages": [{"type": "dedup", "treshold": 0.7}]})


def test_defaults_and_their_lsh_shape() -> None:
    config = DedupConfig()
    assert (config.shingle, config.ngram_size, config.num_perm, config.threshold) == (
        "word",
        5,
        128,
        0.8,
    )
    assert config.lsh_weights == (0.05, 0.95)
    assert config.lsh_shape() == (16, 8)
    assert DedupConfig(verify=False).lsh_shape() == (9, 13)  # datasketch's MinHashLSH default
    assert DedupConfig(shingle="char").ngram_size == 24
    assert DedupConfig(bands=10, rows=12).lsh_shape() == (10, 12)
