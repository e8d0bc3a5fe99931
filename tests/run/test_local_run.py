"""The local runner end to end with no stages: accounting, output contract, determinism."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.run.accounting import AccountingError, check_accounting
from pipeline.run.local import RunOptions, run_local
from pipeline.run.output_dir import OutputDirError
from pipeline.stats.bag import Stats


def write_crawl(root: Path) -> Path:
    crawl = root / "crawl"
    crawl.mkdir()
    with gzip.open(crawl / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i in range(250):
            text = "" if i % 50 == 0 else f"Story {i} about the harbour.\nA second line."
            record = {
                "id": f"a{i}",
                "text": text,
                "url": f"https://a.example/{i}",
                "lang_hint": i,
                "_id": f"oid{i}",
            }
            handle.write(json.dumps(record) + "\n")
        handle.write('{"id": "broken", "text": \n')
    with open(crawl / "b.jsonl", "w", encoding="utf-8") as handle:
        for i in range(40):
            handle.write(json.dumps({"text": f"Note {i}.", "topic": "x"}) + "\n")
    return crawl


def run(crawl: Path, out: Path, *, workers: int = 1, overrides: list[str] | None = None) -> dict:
    config = load_config(None, [f"input.paths=[{crawl}]", *(overrides or [])])
    return run_local(config, RunOptions(output=out, workers=workers, progress=False))


def test_every_record_is_accounted_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run(write_crawl(tmp_path), out)
    assert summary["records"] == {"read": 291, "kept": 285, "dropped": 5, "unreadable": 1}
    assert summary["drop_reasons"] == {"empty_text": 5}
    assert (out / "_SUCCESS").exists()
    assert json.loads((out / "stats.json").read_text())["records"] == summary["records"]
    assert not (out / "_work").exists()
    quarantine = pq.read_table(out / "quarantine").to_pylist()
    assert quarantine == [
        {
            "source": str(tmp_path / "crawl" / "a.jsonl.gz"),
            "position": "line 251",
            "error": quarantine[0]["error"],
            "raw": '{"id": "broken", "text": \n',
        }
    ]


def test_kept_output_keeps_input_columns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(write_crawl(tmp_path), out)
    kept = ds.dataset(out / "data" / "part-00000-0000.parquet").to_table()
    assert kept.column_names[:5] == ["id", "text", "url", "lang_hint", "_id"]
    assert kept.column("_id").to_pylist()[:2] == ["oid1", "oid2"]
    assert kept.num_rows == 245
    assert kept.slice(0, 1).to_pylist()[0]["text"] == "Story 1 about the harbour.\nA second line."
    assert not {"_seq", "_source_file", "_source_row"} & set(kept.column_names)
    rejected = pq.read_table(out / "rejected").to_pylist()
    assert {r["drop_reason"] for r in rejected} == {"empty_text"}
    assert (
        pq.read_metadata(out / "data" / "part-00000-0000.parquet")
        .row_group(0)
        .column(0)
        .compression
        == "ZSTD"
    )


def test_field_names_are_mapped_back(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "c.jsonl").write_text(
        "".join(json.dumps({"body": f"Body {i}.", "link": f"u{i}"}) + "\n" for i in range(3))
    )
    out = tmp_path / "out"
    run(crawl, out, overrides=["input.text_field=body", "input.url_field=link"])
    table = pq.read_table(out / "data")
    assert table.column_names[:3] == ["id", "body", "link"]
    assert table.column("body").to_pylist() == ["Body 0.", "Body 1.", "Body 2."]


def test_output_is_identical_with_one_and_two_workers(tmp_path: Path) -> None:
    crawl = write_crawl(tmp_path)
    run(crawl, tmp_path / "w1", workers=1)
    run(crawl, tmp_path / "w2", workers=2)
    for sub in ("data", "rejected", "quarantine"):
        names = sorted(p.name for p in (tmp_path / "w1" / sub).iterdir())
        assert names == sorted(p.name for p in (tmp_path / "w2" / sub).iterdir())
        for name in names:
            one = (tmp_path / "w1" / sub / name).read_bytes()
            assert one == (tmp_path / "w2" / sub / name).read_bytes(), f"{sub}/{name}"


def test_non_empty_output_is_refused(tmp_path: Path) -> None:
    crawl = write_crawl(tmp_path)
    out = tmp_path / "out"
    run(crawl, out)
    with pytest.raises(OutputDirError, match="is not empty; pass --overwrite"):
        run(crawl, out)
    config = load_config(None, [f"input.paths=[{crawl}]"])
    summary = run_local(config, RunOptions(output=out, overwrite=True, progress=False))
    assert summary["records"]["read"] == 291


def test_resume_skips_finished_units(tmp_path: Path) -> None:
    crawl = write_crawl(tmp_path)
    out = tmp_path / "out"
    run(crawl, out, overrides=["run.keep_work=true"])
    config = load_config(None, [f"input.paths=[{crawl}]", "run.keep_work=true"])
    marker = out / "_work" / "pass0" / "done" / "00001.json"
    marker.unlink()
    (out / "data" / "part-00001-0000.parquet").unlink()
    summary = run_local(config, RunOptions(output=out, resume=True, progress=False))
    assert summary["records"] == {"read": 291, "kept": 285, "dropped": 5, "unreadable": 1}
    assert summary["run"]["resumed"] is True
    assert (out / "data" / "part-00001-0000.parquet").exists()
    other = load_config(None, [f"input.paths=[{crawl}]", "input.batch_size=7"])
    with pytest.raises(OutputDirError, match="configuration differs"):
        run_local(other, RunOptions(output=out, resume=True, progress=False))


def test_accounting_check_fails_loudly() -> None:
    stats = Stats()
    stats.count("records.read", 10)
    stats.count("records.kept", 9)
    with pytest.raises(AccountingError, match="read 10 != kept 9 \\+ dropped 0 \\+ unreadable 0"):
        check_accounting(stats)


def test_error_budget_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "bad.jsonl").write_text('{"text": "ok"}\nnot json\nnot json either\n')
    code = main(["run", "--input", str(crawl), "--output", str(tmp_path / "o"), "--no-progress"])
    assert code == 1
    err = capsys.readouterr().err
    assert "2 unreadable records exceed run.max_errors (1.00% of 3)" in err
    assert f"{crawl / 'bad.jsonl'} (2)" in err


def test_cli_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--output", str(tmp_path / "o")]) == 2
    assert "no input: give --input PATH" in capsys.readouterr().err
    assert main(["run", "--input", str(tmp_path / "nothing*.jsonl"), "-o", str(tmp_path)]) == 2
    assert "no input files match" in capsys.readouterr().err
    assert main(["validate", "--input", "x", "--set", "input.batch_size=0"]) == 2
    assert "input.batch_size: Input should be greater than or equal to 1" in capsys.readouterr().err
