"""Generated ids (`<file name>:<row>`) stay unique when input files share a name."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import load_config
from pipeline.run.local import RunOptions, run_local


def write_day(root: Path, day: str, count: int) -> Path:
    directory = root / "crawl" / day
    directory.mkdir(parents=True)
    with open(directory / "part-0.jsonl", "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"text": f"{day.title()} story {i} about the harbour."}) + "\n")
    return directory


def kept_ids(paths: list[Path], out: Path) -> list[str]:
    config = load_config(None, [f"input.paths=[{', '.join(str(p) for p in paths)}]"])
    run_local(config, RunOptions(output=out, workers=1, progress=False))
    return sorted(pq.read_table(out / "data").column("id").to_pylist())


def test_same_file_name_in_two_directories_gives_distinct_ids(tmp_path: Path) -> None:
    mon, tue = write_day(tmp_path, "mon", 3), write_day(tmp_path, "tue", 2)
    ids = kept_ids([mon, tue], tmp_path / "out-two-paths")
    assert len(set(ids)) == 5
    assert ids[:3] == [f"{mon / 'part-0.jsonl'}:{i}" for i in range(3)]
    # The whole crawl as one directory: names below it are already unique.
    assert kept_ids([tmp_path / "crawl"], tmp_path / "out-one-path") == [
        *(f"mon/part-0.jsonl:{i}" for i in range(3)),
        *(f"tue/part-0.jsonl:{i}" for i in range(2)),
    ]


def test_a_flat_directory_keeps_plain_file_names(tmp_path: Path) -> None:
    mon = write_day(tmp_path, "mon", 2)
    assert kept_ids([mon], tmp_path / "out") == ["part-0.jsonl:0", "part-0.jsonl:1"]
