"""datatrove's equivalent of the crawlsieve pipeline, timed phase by phase (runs in its own venv).

    .bench/datatrove-venv/bin/python scripts/bench_datatrove_pipeline.py \
        --input CORPUS/jsonl --work DIR --workers 2 [--tasks 4] --json RESULT.json

`scripts/bench_pipeline.py` creates the environment and runs this script; it does not import
crawlsieve, and crawlsieve does not import datatrove. Five `LocalPipelineExecutor` runs, one after
the other, each with `--workers` processes:

1. filter: JsonlReader -> GopherRepetitionFilter -> GopherQualityFilter -> C4QualityFilter ->
   FineWebQualityFilter -> JsonlWriter (kept documents) -> MinhashDedupSignature, one task per
   input file. The signatures are computed in the same pass as the filters, as crawlsieve computes
   its fingerprints in the pass that cleans and scores (datatrove's own example reads the data a
   second time for them, which would cost it one more read).
2. buckets: MinhashDedupBuckets, one task per bucket (datatrove requires a multiple of buckets).
3. cluster: MinhashDedupCluster, one task (datatrove's design).
4. dedup filter: JsonlReader (kept documents) -> MinhashDedupFilter -> JsonlWriter (output).

Every step keeps datatrove's defaults except the MinHash shape, which is set to crawlsieve's
(word 5-grams, 16 bands of 8 rows: what crawlsieve's dedup derives for its 0.8 threshold), so both
compute the same number of hashes per shingle. Processes are started with `fork` (datatrove's
default is `forkserver`) so that every worker is a child of this process and its CPU time is
counted in `RUSAGE_CHILDREN` when the phase's pool closes.

The result (JSON) has the versions, each phase's wall-clock and CPU seconds, and each step's own
time and document counts from datatrove's merged stats.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

MINHASH_BANDS = 16
MINHASH_ROWS = 8
MINHASH_NGRAMS = 5


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def cpu_seconds() -> float:
    """User + system CPU of this process and of every child it has reaped."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def metric_total(value: Any) -> float:
    """datatrove writes a metric as a bare number or as a dict with `total`."""
    if isinstance(value, dict):
        return float(value.get("total", 0))
    return float(value or 0)


def step_rows(stats_file: Path) -> list[dict[str, Any]]:
    """One row per pipeline step from datatrove's merged `stats.json` of one executor run."""
    rows = []
    for step in json.loads(stats_file.read_text(encoding="utf-8")):
        counts = {key: metric_total(value) for key, value in step.get("stats", {}).items()}
        rows.append(
            {
                "name": step["name"],
                "seconds": metric_total(step.get("time_stats", 0)),
                "docs_in": counts.get("total", counts.get("documents", 0)),
                "docs_out": counts.get("forwarded", counts.get("documents", 0)),
                "counts": counts,
            }
        )
    return rows


def run_phase(name: str, executor: Any, logging_dir: Path) -> dict[str, Any]:
    print(f"datatrove: {name} ...", file=sys.stderr, flush=True)
    cpu_before, started = cpu_seconds(), time.perf_counter()
    executor.run()
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    steps = step_rows(logging_dir / "stats.json")
    print(f"datatrove: {name}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr, flush=True)
    return {
        "name": name,
        "tasks": executor.tasks,
        "workers": executor.workers,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "steps": steps,
    }


def run_pipeline(input_dir: Path, work: Path, workers: int, tasks: int) -> list[dict[str, Any]]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    minhash = MinhashConfig(
        n_grams=MINHASH_NGRAMS, num_buckets=MINHASH_BANDS, hashes_per_bucket=MINHASH_ROWS
    )
    kept, signatures = work / "filtered", work / "signatures"
    buckets, removals, output = work / "buckets", work / "remove_ids", work / "output"
    logs = work / "logs"

    def executor(pipeline: list[Any], n_tasks: int, phase: str) -> LocalPipelineExecutor:
        return LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=n_tasks,
            workers=min(workers, n_tasks),
            logging_dir=str(logs / phase),
            start_method="fork",
        )

    phases = [
        (
            "filter",
            [
                JsonlReader(str(input_dir), glob_pattern="*.jsonl.gz"),
                GopherRepetitionFilter(),
                GopherQualityFilter(),
                C4QualityFilter(),
                FineWebQualityFilter(),
                JsonlWriter(str(kept)),
                MinhashDedupSignature(output_folder=str(signatures), config=minhash),
            ],
            tasks,
        ),
        (
            "buckets",
            [MinhashDedupBuckets(str(signatures), str(buckets), config=minhash)],
            MINHASH_BANDS,
        ),
        ("cluster", [MinhashDedupCluster(str(buckets), str(removals), config=minhash)], 1),
        (
            "dedup_filter",
            [
                JsonlReader(str(kept), glob_pattern="*.jsonl.gz"),
                MinhashDedupFilter(str(removals)),
                JsonlWriter(str(output)),
            ],
            tasks,
        ),
    ]
    return [
        run_phase(name, executor(pipeline, n_tasks, name), logs / name)
        for name, pipeline, n_tasks in phases
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, required=True, help="folder of *.jsonl.gz files")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (replaced)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--tasks", type=int, default=0, help="default: one per input file")
    parser.add_argument("--json", type=Path, required=True, help="where the result goes")
    args = parser.parse_args(argv)
    files = sorted(args.input.glob("*.jsonl.gz"))
    if not files:
        print(f"bench_datatrove_pipeline: no *.jsonl.gz in {args.input}", file=sys.stderr)
        return 2
    tasks = args.tasks or len(files)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.perf_counter()
    phases = run_pipeline(args.input, args.work, args.workers, tasks)
    result = {
        "versions": {
            "datatrove": package_version("datatrove"),
            "python": platform.python_version(),
            "spacy": package_version("spacy"),
            "numpy": package_version("numpy"),
            "xxhash": package_version("xxhash"),
        },
        "input_files": len(files),
        "tasks": tasks,
        "workers": args.workers,
        "start_method": "fork",
        "minhash": {"n_grams": MINHASH_NGRAMS, "bands": MINHASH_BANDS, "rows": MINHASH_ROWS},
        "wall_seconds": time.perf_counter() - started,
        "phases": phases,
    }
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
