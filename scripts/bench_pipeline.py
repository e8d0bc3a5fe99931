"""Benchmark the whole crawlsieve pipeline, and datatrove's equivalent on the same corpus.

    python scripts/bench_pipeline.py [--docs 100000] [--corpus DIR] [--workers 1,2]
        [--language on,off] [--datatrove-docs 4000] [--scale 1,4,16] [--json FILE]

What it does, in one invocation (see BENCHMARKS.md for the results and how to read them):

1. Finds the benchmark corpus of `--docs` documents (`/tmp/crawlsieve-bench/corpus-N`, made by
   `scripts/make_bench_corpus.py` from `../shared/data` if it is missing or does not match).
2. Runs `crawlsieve run configs/news.yaml` on its JSONL.gz files with each `--workers` count, with
   and without language identification, and reports for each run the documents/s and MB/s (wall
   clock and per CPU-second), the peak memory of the process tree, of the driver and of the
   busiest worker, and per stage the throughput from the run's stats.json.
3. Measures every stage alone (`scripts/bench_stage_isolation.py`): CPU time and peak RSS of each
   per-batch stage over its own input in a fresh process, and of a global stage's `collect`,
   `resolve` (bytes per document) and `apply`.
4. Runs datatrove's equivalent pipeline (`scripts/bench_datatrove_pipeline.py`, in its own
   environment, created if missing) and crawlsieve without language id on the first
   `--datatrove-docs` documents of the same corpus with the same worker counts, and prints the
   ratio. datatrove is run on a prefix because it is slow: about 20 documents per CPU-second.
5. With `--scale 1,4,16`, runs the full pipeline on N, 4N and 16N documents and reports how the
   cost grows.

Every figure is printed with the machine's load average: on a machine shared with other jobs the
wall-clock figures are inflated, the per-CPU-second figures much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import bench_report as report
import bench_tables as tables
from bench_crawlsieve import (
    PipelineRun,
    isolate_stages,
    load_average,
    run_pipeline,
    unavailable_stages,
)
from bench_datatrove import DatatroveRun, ensure_environment, run_datatrove, write_prefix
from bench_targets import target_rows

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import __version__  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BENCH_ROOT = Path("/tmp/crawlsieve-bench")
DEFAULT_CONFIG = ROOT / "configs" / "news.yaml"
DEFAULT_DOCS = 100_000
CORPUS_SEED = 9  # make_bench_corpus.py's default


# ---- machine, versions, corpus -------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": cpu_model,
        "ram_gib": round(mem_kib / 2**20, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import langdetect  # noqa: F401 - its version comes from the metadata
    import numpy
    import pyarrow

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "crawlsieve": f"{__version__} ({commit or 'no git'})",
        "python": platform.python_version(),
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "langdetect": version("langdetect"),
    }


def ensure_corpus(docs: int, corpus: Path | None) -> Path:
    """The corpus of `docs` documents: reused when its summary matches, else generated."""
    directory = corpus or BENCH_ROOT / f"corpus-{docs}"
    summary_file = directory / "summary.json"
    if summary_file.exists():
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        if summary.get("documents") == docs and any((directory / "jsonl").glob("*.jsonl.gz")):
            print(f"corpus: reusing {directory} ({docs:,} documents, seed {summary.get('seed')})")
            return directory
        if corpus is not None:
            raise SystemExit(f"{directory} holds {summary.get('documents')} documents, not {docs}")
    print(f"corpus: generating {docs:,} documents into {directory} (from {DATA}) ...", flush=True)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_bench_corpus.py"),
            "--docs",
            str(docs),
            "--out",
            str(directory),
            "--seed",
            str(CORPUS_SEED),
            "--data",
            str(DATA),
            "--overwrite",
        ],
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"bench_pipeline: could not make the corpus (exit {done.returncode}); it is built from "
            f"{DATA}, which must hold reuters21578/ and wcxb-dev/ (see {DATA / 'README.md'})"
        )
    return directory


# ---- main ----------------------------------------------------------------------------------


def parse_list(text: str, kind: type) -> list[Any]:
    return [kind(part) for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="corpus size N")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: by --docs)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="K=V")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    parser.add_argument("--language", default="on,off", help="language id: on, off or on,off")
    parser.add_argument(
        "--datatrove-docs", type=int, default=4000, help="prefix datatrove runs on (0: skip)"
    )
    parser.add_argument("--datatrove-files", type=int, default=4, help="files (tasks) of it")
    parser.add_argument("--datatrove-python", type=Path, help="an interpreter with datatrove")
    parser.add_argument(
        "--isolation-docs", type=int, default=0, help="stage isolation over this many (0: all)"
    )
    parser.add_argument("--no-isolation", action="store_true", help="skip the stage isolation")
    parser.add_argument("--scale", default="", help="corpus multiples, e.g. 1,4,16")
    parser.add_argument("--work", type=Path, default=BENCH_ROOT / "runs", help="scratch folder")
    parser.add_argument("--keep-outputs", action="store_true", help="keep the runs' outputs")
    parser.add_argument("--json", type=Path, help="write every measurement here too")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    workers = parse_list(args.workers, int)
    languages = [part == "on" for part in parse_list(args.language, str)]
    scales = parse_list(args.scale, int)
    started = time.perf_counter()
    info = {"machine": machine(), "versions": versions(), "argv": sys.argv[1:]}
    print_header(info)
    corpus = ensure_corpus(args.docs, args.corpus)
    missing = unavailable_stages(args.config, args.overrides)
    overrides = [*args.overrides, *(f"stages.{name}.enabled=false" for name in missing)]
    if missing:
        print(f"stages not in this checkout, switched off: {', '.join(missing)}")
    info["stages_switched_off"] = missing
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    common = {"config": args.config, "overrides": overrides, "keep_outputs": args.keep_outputs}
    results: dict[str, Any] = {"info": info}
    out: list[str] = [report.section("Machine and versions", report.header_text(info))]

    runs: list[PipelineRun] = []
    if workers and languages:
        print(f"\nwhole pipeline on {corpus / 'jsonl'}")
        for w in workers:
            for language in languages:
                label = f"n{args.docs}-w{w}-lang-{'on' if language else 'off'}"
                runs.append(
                    run_pipeline(
                        label, corpus / "jsonl", work, workers=w, language=language, **common
                    )
                )
        out.append(report.section("Whole pipeline", report.whole_run_table(runs)))
        for run in runs:
            out.append(
                report.section(
                    f"Stages of the run with {run.workers} worker(s), language "
                    f"{'on' if run.language else 'off'} (from stats.json)",
                    tables.stage_table(tables.stage_timings(run.summary)),
                )
            )
        results["runs"] = [run_json(run) for run in runs]

    isolation: list[dict[str, Any]] = []
    if not args.no_isolation:
        print("\nstages in isolation")
        isolation = isolate_stages(
            corpus / "jsonl",
            work / "isolation",
            config=args.config,
            overrides=overrides,
            docs=args.isolation_docs,
        )
        out.append(
            report.section(
                "Stages in isolation (one fresh process per step)",
                report.isolation_table(isolation),
            )
        )
        results["isolation"] = isolation

    compared: list[tuple[DatatroveRun, PipelineRun]] = []
    if args.datatrove_docs > 0:
        python = ensure_environment(args.datatrove_python)
        prefix = write_prefix(
            corpus / "jsonl",
            work / f"prefix-{args.datatrove_docs}x{args.datatrove_files}",
            args.datatrove_docs,
            args.datatrove_files,
        )
        print(f"\ndatatrove and crawlsieve on the first {args.datatrove_docs:,} documents")
        for w in workers:
            load = load_average()
            print(f"  datatrove, {w} worker(s): running ...", end="", flush=True)
            dt = run_datatrove(
                python, prefix, work / f"datatrove-w{w}", w, work / f"datatrove-w{w}.log"
            )
            dt.result["load_before"] = load
            print(f" {dt.usage.wall_seconds:,.0f} s wall, {dt.usage.cpu_seconds:,.0f} s CPU")
            cs = run_pipeline(
                f"prefix{args.datatrove_docs}-w{w}-lang-off",
                prefix,
                work,
                workers=w,
                language=False,
                **common,
            )
            compared.append((dt, cs))
        out.append(report.section("datatrove", report.datatrove_tables(compared, runs)))
        results["datatrove"] = [
            {"usage": asdict(dt.usage), "result": dt.result, "crawlsieve": run_json(cs)}
            for dt, cs in compared
        ]

    scaled: list[PipelineRun] = []
    if scales:
        scale_workers = max(workers or [1])
        print(f"\nscaling: {', '.join(f'{s}x' for s in scales)} of {args.docs:,} documents")
        for multiple in scales:
            docs = args.docs * multiple
            earlier = [
                run
                for run in runs
                if multiple == 1 and run.workers == scale_workers and run.language
            ]
            if earlier:
                print(f"  {docs:,} documents: the whole-pipeline run above")
                scaled.append(earlier[0])
                continue
            scale_corpus = ensure_corpus(docs, None if multiple != 1 else args.corpus)
            scaled.append(
                run_pipeline(
                    f"scale-n{docs}-w{scale_workers}",
                    scale_corpus / "jsonl",
                    work,
                    workers=scale_workers,
                    language=True,
                    **common,
                )
            )
        out.append(report.section("Scaling", report.scale_table(scaled)))
        results["scale"] = [run_json(run) for run in scaled]

    targets = target_rows(runs=runs, isolation=isolation, compared=compared, scaled=scaled)
    out.append(report.section("Targets (issue 9)", targets))
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    info["seconds"] = round(time.perf_counter() - started, 1)
    print("\n" + "\n\n".join(out))
    print(f"\nload average at the end: {info['load_average_end']}; took {info['seconds']:,.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


def print_header(info: dict[str, Any]) -> None:
    print(report.header_text(info))


def run_json(run: PipelineRun) -> dict[str, Any]:
    return {
        "label": run.label,
        "docs": run.docs,
        "workers": run.workers,
        "language": run.language,
        "usage": asdict(run.usage),
        "load_before": run.load_before,
        "load_after": run.load_after,
        "stages": [asdict(t) for t in tables.stage_timings(run.summary)],
        "records": run.summary.get("records"),
    }


if __name__ == "__main__":
    sys.exit(main())
