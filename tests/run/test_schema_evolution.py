"""Input files whose fields differ, or change partway through a file, lose no value: a late field
becomes a column, a wider value widens its column, and every output file of a directory ends with
one schema (so a reader that takes the first file's schema sees every column)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import load_config
from pipeline.run.local import RunOptions, run_local

STORY = "The ferry to {place} ran late again on {day}, and the harbour master said why."
PLACES = ["Arran", "Bute", "Cumbrae", "Islay", "Jura", "Mull", "Skye", "Tiree"]


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def story(i: int) -> str:
    return STORY.format(place=PLACES[i % len(PLACES)], day=f"day {i}")


def write_crawl(root: Path) -> Path:
    """`a.jsonl`: `n` is an integer, then a string; `author` first appears on line 5.
    `b.jsonl`: `n` is a number with a fraction, and there is no `author`."""
    crawl = root / "crawl"
    write_jsonl(
        crawl / "a.jsonl",
        [
            {"id": "a0", "text": story(0), "n": 1},
            {"id": "a1", "text": story(1), "n": 2},
            {"id": "a2", "text": story(2), "n": "three"},
            {"id": "a3", "text": story(3)},
            {"id": "a4", "text": story(4), "n": 5, "author": "Morag"},
            {"id": "a5", "text": story(5), "author": "Ewan"},
        ],
    )
    write_jsonl(
        crawl / "b.jsonl",
        [{"id": "b0", "text": story(6), "n": 2.5}, {"id": "b1", "text": story(0), "n": 7.0}],
    )
    return crawl


def run(crawl: Path, out: Path, stages: str, workers: int = 1) -> dict:
    config = load_config(None, [f"input.paths=[{crawl}]", "input.batch_size=2", f"stages={stages}"])
    return run_local(config, RunOptions(output=out, workers=workers, progress=False))


def check_one_schema_per_directory(directory: Path) -> pa.Schema:
    schemas = [pq.read_schema(p) for p in sorted(directory.glob("*.parquet"))]
    assert len(schemas) > 1
    assert all(s.equals(schemas[0]) for s in schemas)
    return schemas[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_late_fields_and_wider_values_reach_the_output_with_one_schema(
    tmp_path: Path, workers: int
) -> None:
    summary = run(write_crawl(tmp_path), tmp_path / "out", "[{type: normalize}]", workers)
    assert summary["records"]["read"] == 8
    assert summary["records"]["unreadable"] == 0
    assert summary["records"]["kept"] == 8
    assert summary["run"]["output_schema"]["rewritten_files"] > 0
    schema = check_one_schema_per_directory(tmp_path / "out" / "data")
    assert schema.field("n").type == pa.string()
    assert schema.field("author").type == pa.string()
    # pandas reads a directory with its first file's schema: every column must be there.
    kept = pd.read_parquet(tmp_path / "out" / "data").set_index("id")
    assert kept["n"].dropna().to_dict() == {
        "a0": "1", "a1": "2", "a2": "three", "a4": "5", "b0": "2.5", "b1": "7"
    }  # fmt: skip
    assert sorted(kept.index[kept["n"].isna()]) == ["a3", "a5"]
    assert kept["author"].dropna().to_dict() == {"a4": "Morag", "a5": "Ewan"}


def test_a_run_with_a_global_stage_widens_its_work_files_too(tmp_path: Path) -> None:
    # b1 repeats a0's text: dedup drops it, so rejected/ has a file as well.
    summary = run(write_crawl(tmp_path), tmp_path / "out", "[{type: dedup}]")
    assert summary["records"]["read"] == 8
    assert summary["drop_reasons"] == {"exact_duplicate": 1}
    out = tmp_path / "out"
    schema = check_one_schema_per_directory(out / "data")
    kept = pq.read_table(out / "data").to_pandas().set_index("id")
    assert kept["author"].dropna().to_dict() == {"a4": "Morag", "a5": "Ewan"}
    rejected = pq.read_table(out / "rejected")
    assert rejected["id"].to_pylist() == ["b1"]
    assert rejected.schema.field("n").type == schema.field("n").type == pa.string()
    assert rejected["n"].to_pylist() == ["7"]


def test_columns_no_type_reconciles_keep_their_own_types_and_are_reported(
    tmp_path: Path,
) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    meta_struct = pa.array([{"k": 1}], pa.struct([("k", pa.int64())]))
    meta_list = pa.array([[1, 2]], pa.list_(pa.int64()))
    for name, meta, i in (("a", meta_struct, 0), ("b", meta_list, 1)):
        table = pa.table({"id": [name], "text": [story(i)], "meta": meta, "n": [i]})
        pq.write_table(table, crawl / f"{name}.parquet")
    summary = run(crawl, tmp_path / "out", "[{type: normalize}]")
    assert summary["records"]["kept"] == 2
    assert summary["run"]["output_schema"]["conflicting_columns"] == ["meta"]
    files = sorted((tmp_path / "out" / "data").glob("*.parquet"))
    assert [pq.read_schema(p).field("meta").type for p in files] == [
        meta_struct.type,
        meta_list.type,
    ]
    assert [pq.read_table(p)["meta"].to_pylist() for p in files] == [[{"k": 1}], [[1, 2]]]
