"""The pure parts of the pipeline benchmark harness (`scripts/bench_pipeline.py` and its helpers):
reading a run's stats.json, datatrove's step times, tables, target verdicts, the shared prefix.
Nothing here measures or asserts a timing."""

from __future__ import annotations

import gzip
import importlib
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def import_script(name: str) -> ModuleType:
    """Import a module of scripts/ (which imports its siblings by plain name)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SCRIPTS))
        return importlib.import_module(name)


tables = import_script("bench_tables")
targets = import_script("bench_targets")
bench_datatrove = import_script("bench_datatrove")
bench_process_tree = import_script("bench_process_tree")

# The shape of a crawlsieve stats.json, cut down to what the harness reads.
SUMMARY = {
    "records": {"read": 1000, "kept": 700, "dropped": 300, "unreadable": 0},
    "chars": {"read": 3_600_000, "kept": 2_100_000},
    "funnel": [
        {"stage": "input", "docs_in": 1000, "chars_in": 3_600_000},
        {"stage": "line_rules", "docs_in": 1000, "chars_in": 3_600_000},
        {"stage": "quality", "docs_in": 990, "chars_in": 3_400_000},
        {"stage": "dedup", "docs_in": 800, "chars_in": 2_800_000},
    ],
    "counters": {
        "timing.line_rules.seconds": 2.0,
        "timing.line_rules.cpu_seconds": 0.5,
        "timing.quality.seconds": 4.0,
        "timing.quality.cpu_seconds": 1.0,
        "timing.dedup.seconds": 0.25,
        "timing.dedup.resolve_seconds": 1.5,
    },
}

# The shape of bench_datatrove_pipeline.py's result: one filter phase, one cluster phase.
DATATROVE_RESULT = {
    "workers": 1,
    "phases": [
        {
            "name": "filter",
            "cpu_seconds": 20.0,
            "wall_seconds": 40.0,
            "steps": [
                {
                    "name": "📖 - READER: 🐿 Jsonl",
                    "seconds": 1.0,
                    "docs_in": 100,
                    "docs_out": 100,
                    "counts": {"documents": 100.0},
                },
                {
                    "name": "🔻 - FILTER: 👯 Gopher Repetition",
                    "seconds": 29.0,
                    "docs_in": 100,
                    "docs_out": 90,
                    "counts": {"total": 100.0, "forwarded": 90.0},
                },
                {
                    "name": "🫂 - DEDUP: 🎯 MinHash stage 1",
                    "seconds": 40.0,
                    "docs_in": 90,
                    "docs_out": 0,
                    "counts": {"total": 90.0},
                },
            ],
        },
        {
            "name": "cluster",
            "cpu_seconds": 0.5,
            "wall_seconds": 1.0,
            "steps": [
                {
                    "name": "🫂 - DEDUP: 🎯 MinHash stage 3",
                    "seconds": 0.0,
                    "docs_in": 0,
                    "docs_out": 0,
                    "counts": {},
                }
            ],
        },
    ],
}


def test_stage_timings_follow_the_funnel_and_read_the_timing_counters() -> None:
    assert tables.stage_timings(SUMMARY) == [
        tables.StageTiming("line_rules", 1000, 3_600_000, 2.0, 0.5, 0.0),
        tables.StageTiming("quality", 990, 3_400_000, 4.0, 1.0, 0.0),
        tables.StageTiming("dedup", 800, 2_800_000, 0.25, None, 1.5),
    ]
    assert tables.run_totals(SUMMARY) == {
        "read": 1000,
        "kept": 700,
        "dropped": 300,
        "chars_read": 3_600_000,
    }


def test_stage_table_rates_per_worker_and_per_cpu_second() -> None:
    table = tables.stage_table(tables.stage_timings(SUMMARY))
    lines = table.splitlines()
    assert lines[0].startswith("| stage      | docs in | MB in |")
    line_rules = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert line_rules == ["line_rules", "1,000", "3.6", "2.0", "500", "0.5", "2,000", "7.20", "-"]
    dedup = [cell.strip() for cell in lines[4].split("|")[1:-1]]
    assert dedup == ["dedup", "800", "2.8", "0.2", "3,200", "-", "-", "-", "1.5"]


def test_markdown_table_right_aligns_numeric_columns_only() -> None:
    text = tables.markdown_table(
        ["stage", "docs", "ratio"], [["a", "1,000", "2.0x"], ["bb", "-", ""]]
    )
    assert text == (
        "| stage |  docs | ratio |\n"
        "|-------|------:|------:|\n"
        "| a     | 1,000 |  2.0x |\n"
        "| bb    |     - |       |"
    )
    with pytest.raises(ValueError, match="row has 1 cells, expected 3"):
        tables.markdown_table(["a", "b", "c"], [["x"]])


@pytest.mark.parametrize(
    ("cell", "numeric"),
    [("1,234", True), ("-3.5", True), ("12.0x", True), ("45%", True), ("-", True), ("", True)],
)
def test_numeric_cells(cell: str, numeric: bool) -> None:
    assert tables.is_numeric(cell) is numeric


@pytest.mark.parametrize("cell", ["on", "in driver", "1 worker", "x"])
def test_text_cells(cell: str) -> None:
    assert tables.is_numeric(cell) is False


def test_number_formats() -> None:
    assert [tables.fmt_rate(v) for v in (12345.6, 123.4, 12.34, 1.234, None)] == [
        "12,346",
        "123",
        "12.3",
        "1.23",
        "-",
    ]
    assert tables.fmt_mib(3 * 2**20) == "3"
    assert tables.fmt_mib(0) == "-"
    assert tables.fmt_ratio(12.34) == "12.3x"
    assert tables.rate(10, 0) is None
    assert tables.ratio(10, None) is None


def test_datatrove_steps_get_their_own_time_and_a_cpu_share() -> None:
    rows = tables.datatrove_step_rows(DATATROVE_RESULT)
    # MinHash stage 1 times its upstream steps too: 40 - (1 + 29) = 10 s of its own.
    assert [(r["step"], r["seconds"]) for r in rows] == [
        ("📖 - READER: 🐿 Jsonl", 1.0),
        ("🔻 - FILTER: 👯 Gopher Repetition", 29.0),
        ("🫂 - DEDUP: 🎯 MinHash stage 1", 10.0),
        ("🫂 - DEDUP: 🎯 MinHash stage 3", 0.0),
    ]
    assert [r["cpu_seconds"] for r in rows] == [0.5, 14.5, 5.0, 0.0]
    assert tables.datatrove_docs_read(DATATROVE_RESULT) == 100
    assert tables.plain_step_name("🔻 - FILTER: 👯 Gopher Repetition") == (
        "FILTER: Gopher Repetition"
    )


def fake_run(docs: int, cpu: float, wall: float, *, workers: int = 2, worker_peak: int = 0):
    usage = SimpleNamespace(
        cpu_seconds=cpu,
        wall_seconds=wall,
        worker_peak_bytes=worker_peak,
        driver_peak_bytes=500 * 2**20,
    )
    return SimpleNamespace(docs=docs, workers=workers, usage=usage, language=True, load_before=1.0)


def test_targets_from_measurements() -> None:
    isolation = [
        {"stage": "dedup", "step": "collect", "docs": 20_000, "cpu_seconds": 1.0},
        {
            "stage": "dedup",
            "step": "resolve",
            "docs": 100_000,
            "cpu_seconds": 1.0,
            "peak_bytes": 300_000_000,
            "baseline_bytes": 280_000_000,
        },
    ]
    datatrove = SimpleNamespace(
        result=DATATROVE_RESULT, usage=SimpleNamespace(cpu_seconds=5.0, wall_seconds=10.0)
    )
    crawlsieve = fake_run(100, cpu=0.4, wall=0.5, workers=1)
    scaled = [
        fake_run(1000, cpu=1.0, wall=1.0, worker_peak=400 * 2**20),
        fake_run(4000, cpu=4.4, wall=4.0, worker_peak=420 * 2**20),
        fake_run(16000, cpu=20.0, wall=16.0, worker_peak=480 * 2**20),
    ]
    text = targets.target_rows(
        runs=[fake_run(1000, cpu=0.8, wall=0.5)],
        isolation=isolation,
        compared=[(datatrove, crawlsieve)],
        scaled=scaled,
    )
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in text.splitlines()[2:]]
    assert rows == [
        [
            "whole pipeline without language id >= 10x datatrove",
            "1 worker(s): 12.5x per CPU-second, 20.0x wall",
            "met",
        ],
        [
            "with language id >= 1,000 docs/s per core",
            "2 worker(s): 1,250 per CPU-second (1,000 per core wall, load 1.0)",
            "met",
        ],
        [
            "MinHash signatures >= 10,000 docs/s per core",
            "20,000 docs per CPU-second (dedup collect alone)",
            "met",
        ],
        [
            "global dedup <= 200 bytes per document",
            "dedup resolve alone: 200 bytes per document above the baseline over 100,000 "
            "documents; driver (both resolves) grows by 0 bytes per added document from 1,000 "
            "to 16,000 documents",
            "met",
        ],
        [
            "throughput within 20% from N to 16N",
            "1,000: 1,000/s (1.00), 4,000: 909/s (0.91), 16,000: 800/s (0.80)",
            "met",
        ],
        [
            "per-batch (worker) peak memory flat with corpus size",
            "1,000: 400 MiB, 4,000: 420 MiB, 16,000: 480 MiB",
            "MISSED",
        ],
    ]


def test_dedup_memory_is_judged_by_the_driver_growth_across_scales() -> None:
    isolation = [
        {
            "stage": "dedup",
            "step": "resolve",
            "docs": 100_000,
            "cpu_seconds": 1.0,
            "peak_bytes": 400_000_000,
            "baseline_bytes": 280_000_000,
        }
    ]
    small = fake_run(100_000, cpu=1.0, wall=1.0, worker_peak=400 * 2**20)
    large = fake_run(1_600_000, cpu=16.0, wall=16.0, worker_peak=400 * 2**20)
    large.usage.driver_peak_bytes = small.usage.driver_peak_bytes + 150 * 1_500_000
    text, ok = targets.dedup_memory_target(isolation, [small, large])
    assert text.startswith("dedup resolve alone: 1,200 bytes per document")
    assert text.endswith(
        "grows by 150 bytes per added document from 100,000 to 1,600,000 documents"
    )
    assert ok is True
    large.usage.driver_peak_bytes = small.usage.driver_peak_bytes + 250 * 1_500_000
    assert targets.dedup_memory_target(isolation, [small, large])[1] is False
    # Without worker processes the driver also ran the batches: the resolve alone decides.
    no_workers = [fake_run(100_000, 1.0, 1.0), fake_run(1_600_000, 16.0, 16.0)]
    text, ok = targets.dedup_memory_target(isolation, no_workers)
    assert "driver" not in text
    assert ok is False


def test_memory_target_falls_back_to_the_driver_without_workers() -> None:
    runs = [fake_run(1000, 1.0, 1.0), fake_run(4000, 4.0, 4.0, worker_peak=510 * 2**20)]
    text, ok = targets.memory_target(runs)
    assert text == "1,000: 500 MiB (driver), 4,000: 510 MiB"
    assert ok is True


def test_targets_not_measured_have_no_verdict() -> None:
    text = targets.target_rows(runs=[], isolation=[], compared=[], scaled=[])
    assert [line.split("|")[3].strip() for line in text.splitlines()[2:]] == ["-"] * 6


def write_jsonl_gz(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def read_jsonl_gz(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def test_prefix_takes_the_first_records_across_files(tmp_path: Path) -> None:
    source = tmp_path / "jsonl"
    source.mkdir()
    write_jsonl_gz(source / "part-00000.jsonl.gz", [f'{{"id": "d{i}"}}' for i in range(4)])
    write_jsonl_gz(source / "part-00001.jsonl.gz", [f'{{"id": "d{i}"}}' for i in range(4, 8)])
    out = bench_datatrove.write_prefix(source, tmp_path / "prefix", docs=7, files=3)
    parts = sorted(out.glob("*.jsonl.gz"))
    assert [p.name for p in parts] == [
        "part-00000.jsonl.gz",
        "part-00001.jsonl.gz",
        "part-00002.jsonl.gz",
    ]
    assert [read_jsonl_gz(p) for p in parts] == [
        ['{"id": "d0"}', '{"id": "d1"}', '{"id": "d2"}'],
        ['{"id": "d3"}', '{"id": "d4"}', '{"id": "d5"}'],
        ['{"id": "d6"}'],
    ]
    with pytest.raises(RuntimeError, match="holds only 8 records, 9 asked for"):
        bench_datatrove.write_prefix(source, tmp_path / "too-many", docs=9, files=2)


def test_measured_command_reports_its_exit_code_and_output(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    usage = bench_process_tree.run_measured(
        [sys.executable, "-c", "print('hello'); raise SystemExit(3)"], log_path=log
    )
    assert usage.returncode == 3
    assert log.read_text() == "hello\n"


def test_datatrove_target_shows_the_ratio_at_scale_and_judges_per_cpu_second() -> None:
    datatrove = SimpleNamespace(
        result=DATATROVE_RESULT, usage=SimpleNamespace(cpu_seconds=5.0, wall_seconds=10.0)
    )
    same_docs = fake_run(100, cpu=1.0, wall=2.0, workers=1)
    whole = fake_run(10_000, cpu=20.0, wall=25.0, workers=1)
    whole.language = False
    text, ok = targets.datatrove_target([(datatrove, same_docs)], [whole])
    assert text == (
        "1 worker(s): 5.0x per CPU-second, 5.0x wall "
        "(crawlsieve on 10,000 documents: 25.0x per CPU-second, 40.0x wall)"
    )
    assert ok is False
