"""The Ray executor gives the local executor's output: same files, same bytes, same stats.

The pipeline here has three passes (a text-editing stage, a global line-frequency stage, a scoring
and deciding stage, a global exact-duplicate stage), built from fixture stages that follow the
stage contract. They stand in for the real stages through the config types `line_rules`,
`site_boilerplate`, `quality` and `dedup`, in this process and (through Ray's worker setup hook)
in every Ray worker.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import ray
import xxhash

from pipeline.clean.config import LineRulesConfig, SiteBoilerplateConfig
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.dedup.config import DedupConfig
from pipeline.quality.config import QualityConfig
from pipeline.run import ray_workers, units
from pipeline.run.local import RunOptions, run_local
from pipeline.run.ray_transport import BatchResult, read_batch_result, write_batch_result
from pipeline.schema import (
    DROP_REASON,
    DUPLICATE_OF,
    ID,
    REMOVED_LINES,
    REMOVED_LINES_TYPE,
    SEQ,
    TEXT,
    set_column,
)
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

pytestmark = [
    pytest.mark.ray,
    # Ray's own deprecation notices (raised inside ray.*, not by crawlsieve's calls).
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
]

BOILERPLATE = "Subscribe to the Harbour Gazette"
TRAILER = "Source link"
WORD_EDGES = (0, 2, 4, 8, 16, 64)


# --- fixture stages -------------------------------------------------------------------------


def _removed(table: pa.Table) -> list[list[dict[str, str]]]:
    if REMOVED_LINES in table.column_names:
        return [items or [] for items in table[REMOVED_LINES].to_pylist()]
    return [[] for _ in range(table.num_rows)]


def _with_text(table: pa.Table, texts: list[str], removed: list[list[dict[str, str]]]) -> pa.Table:
    table = set_column(table, pa.field(TEXT, pa.string()), pa.array(texts, pa.string()))
    return set_column(
        table, pa.field(REMOVED_LINES, REMOVED_LINES_TYPE), pa.array(removed, REMOVED_LINES_TYPE)
    )


class TrailerLines:
    """`line_rules`: removes "Source link" lines."""

    name = "line_rules"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(TEXT, pa.string()), pa.field(REMOVED_LINES, REMOVED_LINES_TYPE)]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        texts, removed = [], _removed(table)
        for row, text in enumerate(table[TEXT].to_pylist()):
            lines = (text or "").split("\n")
            gone = [line for line in lines if line == TRAILER]
            texts.append("\n".join(line for line in lines if line != TRAILER))
            removed[row] = removed[row] + [{"rule": "source_link", "text": g} for g in gone]
            stats.count("line_rules.lines_removed.source_link", len(gone))
            stats.count("line_rules.chars_removed.source_link", sum(len(g) for g in gone))
        return StageResult(_with_text(table, texts, removed), stats)


def _line_hash(line: str) -> int:
    return xxhash.xxh64_intdigest(line.encode("utf-8"))


class FrequentLines:
    """`site_boilerplate`: lines found on three or more documents are removed everywhere."""

    name = "site_boilerplate"
    min_docs = 3

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(TEXT, pa.string()), pa.field(REMOVED_LINES, REMOVED_LINES_TYPE)]

    def setup(self) -> None:
        self._frequent: dict[str, set[int]] = {}

    def collect(self, table: pa.Table) -> pa.Table:
        hashes, seqs = [], []
        for seq, text in zip(table[SEQ].to_pylist(), table[TEXT].to_pylist(), strict=True):
            for line_hash in sorted({_line_hash(line) for line in text.split("\n") if line}):
                hashes.append(line_hash)
                seqs.append(seq)
        return pa.table({"line": pa.array(hashes, pa.uint64()), "seq": pa.array(seqs, pa.uint64())})

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        table = pa.concat_tables(pq.read_table(path) for path in fingerprint_files)
        counts = table.group_by("line").aggregate([("seq", "count_distinct")])
        frequent = counts.filter(pc.greater_equal(counts["seq_count_distinct"], self.min_docs))
        lines = pc.sort_indices(frequent, [("line", "ascending")])
        pq.write_table(frequent.take(lines).select(["line"]), work_dir / "frequent.parquet")
        stats = Stats()
        stats.count("site_boilerplate.frequent_lines", frequent.num_rows)
        return stats

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        key = str(work_dir)
        if key not in self._frequent:
            frequent = pq.read_table(work_dir / "frequent.parquet")["line"].to_pylist()
            self._frequent[key] = set(frequent)
        frequent_lines = self._frequent[key]
        stats = Stats()
        texts, removed = [], _removed(table)
        for row, text in enumerate(table[TEXT].to_pylist()):
            lines = text.split("\n")
            gone = [line for line in lines if _line_hash(line) in frequent_lines]
            texts.append(
                "\n".join(line for line in lines if _line_hash(line) not in frequent_lines)
            )
            removed[row] = removed[row] + [{"rule": "site_line", "text": g} for g in gone]
            stats.count("site_boilerplate.lines_removed.site_line", len(gone))
        return StageResult(_with_text(table, texts, removed), stats)


class WordCount:
    """`quality`: a `word_count` feature; documents under four words are dropped."""

    name = "quality"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field("word_count", pa.int32()), pa.field(DROP_REASON, pa.string())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        words = pc.list_value_length(pc.utf8_split_whitespace(pc.fill_null(table[TEXT], "")))
        words = pc.cast(words, pa.int32())
        short = pc.less(words, 4)
        reasons = pc.if_else(short, pa.scalar("too_few_words"), pa.scalar(None, pa.string()))
        stats = Stats()
        stats.observe("quality.word_count", words.to_numpy(), WORD_EDGES)
        ids = table.filter(short)[ID].to_pylist()
        stats.add_examples("quality.too_few_words", [{"id": i} for i in ids], size=3)
        table = set_column(table, pa.field("word_count", pa.int32()), words)
        return StageResult(set_column(table, pa.field(DROP_REASON, pa.string()), reasons), stats)


class ExactCopies:
    """`dedup`: a document whose text equals an earlier one's is dropped; the first is kept."""

    name = "dedup"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(DROP_REASON, pa.string()), pa.field(DUPLICATE_OF, pa.string())]

    def setup(self) -> None:
        self._keepers: dict[str, dict[int, str]] = {}

    def collect(self, table: pa.Table) -> pa.Table:
        hashes = [_line_hash(text) for text in table[TEXT].to_pylist()]
        return pa.table({"seq": table[SEQ], "hash": pa.array(hashes, pa.uint64()), "id": table[ID]})

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        table = pa.concat_tables(pq.read_table(path) for path in fingerprint_files)
        rows = sorted(zip(*(table[c].to_pylist() for c in ("seq", "hash", "id")), strict=True))
        keeper: dict[int, tuple[int, str]] = {}
        for seq, text_hash, record_id in rows:
            keeper.setdefault(text_hash, (seq, record_id))
        duplicates: dict[str, list[Any]] = {"seq": [], "keeper": []}
        for seq, text_hash, _ in rows:
            if keeper[text_hash][0] != seq:
                duplicates["seq"].append(seq)
                duplicates["keeper"].append(keeper[text_hash][1])
        pq.write_table(pa.table(duplicates), work_dir / "duplicates.parquet")
        sizes: dict[str, int] = {}
        for name in duplicates["keeper"]:
            sizes[name] = sizes.get(name, 1) + 1
        clusters = pa.table({"keeper": list(sizes), "size": list(sizes.values())})
        pq.write_table(clusters, work_dir / "clusters.parquet")
        stats = Stats()
        stats.count("dedup.clusters", len(sizes))
        return stats

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        key = str(work_dir)
        if key not in self._keepers:
            decided = pq.read_table(work_dir / "duplicates.parquet").to_pylist()
            self._keepers[key] = {row["seq"]: row["keeper"] for row in decided}
        keepers = self._keepers[key]
        of = [keepers.get(seq) for seq in table[SEQ].to_pylist()]
        reasons = [None if k is None else "exact_duplicate" for k in of]
        table = set_column(table, pa.field(DUPLICATE_OF, pa.string()), pa.array(of, pa.string()))
        stats = Stats()
        stats.count("dedup.duplicates", sum(k is not None for k in of))
        reasons_array = pa.array(reasons, pa.string())
        return StageResult(
            set_column(table, pa.field(DROP_REASON, pa.string()), reasons_array), stats
        )


FIXTURE_STAGES: dict[type, type] = {
    LineRulesConfig: TrailerLines,
    SiteBoilerplateConfig: FrequentLines,
    QualityConfig: WordCount,
    DedupConfig: ExactCopies,
}


def _fixture_build(self: Any) -> Any:
    return FIXTURE_STAGES[type(self)]()


def install_fixture_stages() -> None:
    """Make the four stage types build fixture stages (here, and as Ray's worker setup hook)."""
    for config_type in FIXTURE_STAGES:
        config_type.build = _fixture_build  # type: ignore[method-assign]


def clear_plan_caches() -> None:
    for cached in (
        units.built_passes,
        ray_workers.planned_passes,
        ray_workers.global_passes,
        ray_workers.pass_with_setup,
    ):
        cached.cache_clear()


ORIGINAL_BUILDS = {config_type: config_type.build for config_type in FIXTURE_STAGES}


@contextmanager
def real_stages() -> Iterator[None]:
    """In this process, build the real stages for a while (Ray workers keep the fixtures)."""
    for config_type, build in ORIGINAL_BUILDS.items():
        config_type.build = build  # type: ignore[method-assign]
    clear_plan_caches()
    try:
        yield
    finally:
        install_fixture_stages()
        clear_plan_caches()


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """One local Ray instance (2 CPUs) for the module, its workers building fixture stages."""
    originals = dict(ORIGINAL_BUILDS)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    install_fixture_stages()
    clear_plan_caches()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level=logging.WARNING,
        runtime_env={"worker_process_setup_hook": install_fixture_stages},
    )
    try:
        yield ray
    finally:
        ray.shutdown()
        for config_type, build in originals.items():
            config_type.build = build  # type: ignore[method-assign]
        clear_plan_caches()
        ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


# --- the fixture crawl --------------------------------------------------------------------------


def story(i: int) -> str:
    return f"Story {i} about the harbour and its {['red', 'old', 'fast'][i % 3]} boats."


def write_crawl(root: Path) -> Path:
    """Three files, 136 records: empties, trailers, site lines, short pages, copies, a bad line,
    fields that differ between files and one that appears late in a file."""
    crawl = root / "crawl"
    crawl.mkdir()
    with gzip.open(crawl / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i in range(60):
            if i % 15 == 0:
                text = ""
            elif i % 11 == 5:
                text = f"Brief {i}."
            elif i % 10 == 7:
                text = f"{story(i - 5)}\n{BOILERPLATE}"
            else:
                text = f"{story(i)}\n{BOILERPLATE}" + (f"\n{TRAILER}" if i % 4 == 1 else "")
            record = {"id": f"a{i}", "text": text, "url": f"https://a.example/{i}", "hint": i}
            if i >= 45:  # a field that first appears deep into the file
                record["author"] = f"Reporter {i}"
            handle.write(json.dumps(record) + "\n")
        handle.write('{"id": "broken", "text": \n')
    rows = []
    for i in range(45):
        if i % 9 == 0:
            text = TRAILER
        elif i % 5 == 2:
            text = f"{story(i + 1)}\n{BOILERPLATE}"
        else:
            text = f"Market report {i}: fish prices rose on the quay today.\n{TRAILER}"
        rows.append({"id": f"b{i}", "text": text, "url": f"https://b.example/{i}", "topic": "m"})
    pq.write_table(pa.Table.from_pylist(rows), crawl / "b.parquet", row_group_size=10)
    with open(crawl / "c.jsonl", "w", encoding="utf-8") as handle:
        for i in range(30):
            text = BOILERPLATE if i % 6 == 0 else f"Note {i} on the tides and the ferry times."
            handle.write(json.dumps({"text": text}) + "\n")
    return crawl


OVERRIDES = [
    "stages=[{type: line_rules}, {type: site_boilerplate}, {type: quality}, {type: dedup}]",
    "input.batch_size=7",
    "output.rows_per_file=40",
    "output.row_group_rows=16",
]


def without_timings(value: Any) -> Any:
    """A stats.json document without wall-clock figures (they differ between any two runs)."""
    if isinstance(value, dict):
        return {
            key: without_timings(item)
            for key, item in value.items()
            if key != "run" and "second" not in key and not key.startswith("timing.")
        }
    if isinstance(value, list):
        return [without_timings(item) for item in value]
    return value


def output_files(out: Path) -> dict[str, bytes]:
    """Every file a run leaves outside `_work`, by relative path, except the two that show
    timings (stats.json, compared without them, and report.html, which renders it)."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
        and path.name not in ("stats.json", "report.html")
        and "_work" not in path.parts
    }


def assert_same_output(local: Path, ray_out: Path, *, skip: Sequence[str] = ()) -> None:
    local_files, ray_files = output_files(local), output_files(ray_out)
    for name in skip:
        local_files.pop(name), ray_files.pop(name)
    assert sorted(ray_files) == sorted(local_files)
    for name, data in local_files.items():
        assert ray_files[name] == data, name
    local_stats = json.loads((local / "stats.json").read_text(encoding="utf-8"))
    ray_stats = json.loads((ray_out / "stats.json").read_text(encoding="utf-8"))
    assert without_timings(ray_stats) == without_timings(local_stats)


def test_stats_survive_the_trip_through_batch_files_exactly(tmp_path: Path) -> None:
    stats = Stats()
    stats.count("records.read", 3)
    stats.count("timing.quality.seconds", 0.1)
    stats.observe("quality.chars", [2.0**40, 1.5, 3.25], (0, 10, 100))
    stats.add_examples("quality.short", [{"id": "x1"}, {"id": "x2"}], size=1)
    live = pa.table({"id": ["a"], "n": pa.array([1], pa.int32())})
    dropped = [pa.table({"id": ["b", "c"], "drop_reason": ["short", None]})]
    result = BatchResult(live.schema, live, dropped, [pa.table({"h": [7]})], stats)
    write_batch_result(tmp_path / "00000000.arrow", result)
    back = read_batch_result(tmp_path / "00000000.arrow")
    assert back.input_schema == live.schema
    assert back.live.equals(live) and back.live.schema == live.schema
    assert [t.to_pylist() for t in back.dropped] == [dropped[0].to_pylist()]
    assert back.fingerprints[0].to_pylist() == [{"h": 7}]
    assert back.stats.counters == stats.counters
    assert back.stats.histograms["quality.chars"].scaled_total == (
        stats.histograms["quality.chars"].scaled_total
    )
    assert back.stats.to_json() == stats.to_json()


def test_cli_passes_the_ray_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.run import ray_runner

    calls: list[tuple[Any, Any]] = []

    def fake_run_ray(config: Any, options: RunOptions, *, address: str | None = None) -> dict:
        calls.append((options, address))
        return {"records": {"read": 2, "kept": 1, "dropped": 1, "unreadable": 0}}

    monkeypatch.setattr(ray_runner, "run_ray", fake_run_ray)
    crawl = write_crawl(tmp_path)
    args = ["run", "--input", str(crawl), "--output", str(tmp_path / "out"), "--no-progress"]
    assert main([*args, "--executor", "ray", "--ray-address", "ray://head:10001"]) == 0
    assert calls[0][1] == "ray://head:10001"
    assert calls[0][0].output == tmp_path / "out"
    assert "read 2  kept 1  dropped 1  unreadable 0" in capsys.readouterr().out
    assert main([*args, "--ray-address", "auto"]) == 2
    assert "--ray-address needs --executor ray" in capsys.readouterr().err


def test_cli_explains_how_to_install_ray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    crawl = write_crawl(tmp_path)
    args = ["run", "--input", str(crawl), "--output", str(tmp_path / "out"), "--executor", "ray"]
    assert main(args) == 2
    assert "pip install 'crawlsieve[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _pid_and_sum(a: int, b: int) -> tuple[int, int]:
    return os.getpid(), a + b


def _no_negatives(value: int) -> int:
    if value < 0:
        raise ValueError(f"no negative values here: {value}")
    return value


def test_task_map_runs_each_call_as_a_ray_task_in_order(ray_cluster: Any) -> None:
    from pipeline.run.ray_runner import task_map

    mapped = task_map(ray_cluster)
    results = mapped(_pid_and_sum, [1, 2, 3, 4], [10, 20, 30, 40])
    assert [total for _, total in results] == [11, 22, 33, 44]
    assert os.getpid() not in {pid for pid, _ in results}
    assert mapped(_pid_and_sum, [], []) == []
    with pytest.raises(ValueError, match="no negative values here: -2"):
        mapped(_no_negatives, [1, -2, 3])


@pytest.fixture(scope="module")
def runs(ray_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The fixture crawl run by the local executor and by the Ray executor (work kept)."""
    from pipeline.run.ray_runner import run_ray

    root = tmp_path_factory.mktemp("runs")
    crawl = write_crawl(root)
    config = load_config(None, [f"input.paths=[{crawl}]", *OVERRIDES, "run.keep_work=true"])
    run_local(config, RunOptions(output=root / "local", workers=1, progress=False))
    summary = run_ray(config, RunOptions(output=root / "ray", workers=2, progress=False))
    return root / "local", root / "ray", summary


@pytest.mark.slow
def test_ray_output_is_identical_to_local(runs: tuple[Path, Path, dict]) -> None:
    local, ray_out, summary = runs
    assert summary["records"] == {"read": 136, "kept": 104, "dropped": 31, "unreadable": 1}
    assert summary["drop_reasons"] == {
        "exact_duplicate": 12,
        # Five pages are only lines site_boilerplate removes: dropped there, not by quality.
        "too_few_words": 5,
        "empty_after_cleaning": 10,
        "empty_text": 4,
    }
    assert summary["stages"]["site_boilerplate"]["docs_out"] == (
        summary["stages"]["site_boilerplate"]["docs_in"] - 5
    )
    assert summary["run"]["executor"] == "ray"
    # Late and differing fields: some files were rewritten to their directory's schema (by tasks).
    assert summary["run"]["output_schema"]["rewritten_files"] > 0
    rejected = pq.read_table(ray_out / "rejected").to_pylist()
    copies = {r["id"]: r["duplicate_of"] for r in rejected if r["drop_reason"] == "exact_duplicate"}
    assert copies == {
        "a7": "a2", "a17": "a12", "a37": "a32", "a47": "a42", "a57": "a52",
        "b2": "a3", "b7": "a8", "b12": "a13", "b17": "a18", "b22": "a23", "b32": "a33",
        "b42": "a43",
    }  # fmt: skip
    assert (ray_out / "_SUCCESS").exists()
    assert not list((ray_out / "_work").glob("pass*/ray/*"))
    schemas = [pq.read_schema(path) for path in sorted((ray_out / "data").glob("*.parquet"))]
    assert all(schema.equals(schemas[0]) for schema in schemas)
    kept = pq.read_table(ray_out / "data").to_pylist()
    late = {r["id"] for r in kept if r["id"].startswith("a") and int(r["id"][1:]) >= 45}
    assert late and {r["id"]: r["author"] for r in kept if r["author"]} == {
        i: f"Reporter {i[1:]}" for i in late
    }
    assert {r["topic"] for r in kept if r["id"].startswith("b")} == {"m"}
    assert_same_output(local, ray_out)


@pytest.mark.slow
def test_ray_resume_redoes_only_unfinished_units(runs: tuple[Path, Path, dict]) -> None:
    from pipeline.run.ray_runner import run_ray

    local, ray_out, _ = runs
    (ray_out / "_work" / "pass2" / "done" / "00001-0001.json").unlink()
    (ray_out / "data" / "part-00001-0001-0000.parquet").unlink()
    (ray_out / "rejected" / "part-00001-0001-0000.parquet").unlink()
    config = load_config(ray_out / "config.resolved.yaml")
    summary = run_ray(config, RunOptions(output=ray_out, resume=True, workers=2, progress=False))
    assert summary["run"]["resumed"] is True
    assert summary["records"] == {"read": 136, "kept": 104, "dropped": 31, "unreadable": 1}
    assert_same_output(local, ray_out)


SAMPLE_CRAWL = Path(__file__).resolve().parents[2] / "examples" / "sample-crawl"
NEWS_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "news.yaml"


@pytest.mark.slow
def test_sample_crawl_with_news_config_through_the_cli_on_a_running_cluster(
    ray_cluster: Any, tmp_path: Path
) -> None:
    """configs/news.yaml on the sample crawl: `crawlsieve run --executor ray --ray-address` joins
    the cluster as a job of its own, whose workers build the real stages; its output is the local
    executor's, byte for byte."""
    with real_stages():
        config = load_config(NEWS_CONFIG, [f"input.paths=[{SAMPLE_CRAWL}]", "input.batch_size=40"])
        local = run_local(config, RunOptions(output=tmp_path / "local", workers=1, progress=False))
    address = ray_cluster.get_runtime_context().gcs_address
    command = [sys.executable, "-m", "pipeline", "run", str(NEWS_CONFIG)]
    command += ["--input", str(SAMPLE_CRAWL), "--output", str(tmp_path / "ray")]
    command += ["--set", "input.batch_size=40", "--no-progress"]
    done = subprocess.run(
        [*command, "--executor", "ray", "--ray-address", address],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    records = local["records"]
    assert records["read"] == 265
    assert f"read 265  kept {records['kept']}  dropped {records['dropped']}  " in done.stdout
    # Three passes: the cleaning stages, then site_boilerplate's and dedup's global decisions.
    funnel = [row["stage"] for row in local["funnel"]]
    assert funnel.index("site_boilerplate") < funnel.index("dedup")
    assert (tmp_path / "ray" / "clusters.parquet").exists()
    # The CLI records --output as output.path in config.resolved.yaml.
    assert_same_output(tmp_path / "local", tmp_path / "ray", skip=["config.resolved.yaml"])


@pytest.mark.slow
def test_a_node_that_cannot_see_the_output_is_refused(ray_cluster: Any, tmp_path: Path) -> None:
    from pipeline.run.ray_runner import SharedStorageError, check_shared_output

    config_file = tmp_path / "config.resolved.yaml"
    config_file.write_text("stages: []\n", encoding="utf-8")
    node = ray_cluster.get_runtime_context().get_node_id()
    check_shared_output(ray_cluster, config_file, "stages: []\n", [node])
    with pytest.raises(SharedStorageError, match=f"not visible from Ray node\\(s\\) {node}:"):
        check_shared_output(ray_cluster, config_file, "stages: [dedup]\n", [node])
