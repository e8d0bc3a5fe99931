"""datatrove for the pipeline benchmark: its own environment, the shared input, one measured run.

datatrove is never a dependency of crawlsieve: it lives in a separate virtual environment
(default `.bench/datatrove-venv` in the project root, git-ignored) that this module creates on
first use with

    python -m venv .bench/datatrove-venv
    .bench/datatrove-venv/bin/pip install 'datatrove[processing]==0.10.1' orjson spacy

(`[processing]` brings the Gopher/C4/FineWeb filters' dependencies; spacy provides the English
word tokenizer those filters and MinHash use). `scripts/bench_datatrove_pipeline.py` runs in it.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_process_tree import TreeUsage, run_measured

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VENV = ROOT / ".bench" / "datatrove-venv"
DATATROVE_VERSION = "0.10.1"
DATATROVE_REQUIREMENTS = (f"datatrove[processing]=={DATATROVE_VERSION}", "orjson", "spacy")
PIPELINE_SCRIPT = ROOT / "scripts" / "bench_datatrove_pipeline.py"


@dataclass(frozen=True)
class DatatroveRun:
    """One measured run of datatrove's pipeline."""

    usage: TreeUsage
    result: dict[str, Any]  # what bench_datatrove_pipeline.py wrote


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def datatrove_version(python: Path) -> str | None:
    """datatrove's version in the environment of `python`, or None if it is not importable."""
    if not python.exists():
        return None
    probe = (
        "import datatrove.pipeline.filters, importlib.metadata as m; print(m.version('datatrove'))"
    )
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_environment(python: Path | None, venv: Path = DEFAULT_VENV) -> Path:
    """The interpreter to run datatrove with: `python` if given (it must import datatrove), else
    the project's benchmark venv, created and installed if it is missing or incomplete."""
    if python is not None:
        if datatrove_version(python) is None:
            raise RuntimeError(f"{python} cannot import datatrove (see {__file__} for the setup)")
        return python
    python = venv_python(venv)
    if datatrove_version(python) == DATATROVE_VERSION:
        return python
    print(f"creating the datatrove environment in {venv} (one time) ...", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *DATATROVE_REQUIREMENTS], check=True
    )
    if datatrove_version(python) != DATATROVE_VERSION:
        raise RuntimeError(f"installing datatrove {DATATROVE_VERSION} into {venv} failed")
    return python


def write_prefix(source_dir: Path, out_dir: Path, docs: int, files: int) -> Path:
    """Copy the first `docs` records of the JSONL.gz files in `source_dir` into `files` files of
    equal size (the last may be shorter), once: a folder that already holds them is reused."""
    marker = out_dir / "_PREFIX.json"
    wanted = {"source": str(source_dir), "docs": docs, "files": files}
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.jsonl.gz"):
        old.unlink()
    per_file = -(-docs // files)
    written, part, sink = 0, 0, None
    try:
        for path in sorted(source_dir.glob("*.jsonl.gz")):
            with gzip.open(path, "rb") as source:
                for line in source:
                    if written == docs:
                        break
                    if sink is None or written == per_file * part:
                        if sink is not None:
                            sink.close()
                        sink = gzip.open(out_dir / f"part-{part:05d}.jsonl.gz", "wb", 6)  # noqa: SIM115
                        part += 1
                    sink.write(line)
                    written += 1
            if written == docs:
                break
    finally:
        if sink is not None:
            sink.close()
    if written < docs:
        raise RuntimeError(f"{source_dir} holds only {written:,} records, {docs:,} asked for")
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return out_dir


def run_datatrove(
    python: Path, input_dir: Path, work: Path, workers: int, log_path: Path
) -> DatatroveRun:
    """Run datatrove's pipeline on `input_dir` with `workers` processes, measured."""
    result_file = work.parent / f"{work.name}.json"
    usage = run_measured(
        [
            str(python),
            str(PIPELINE_SCRIPT),
            "--input",
            str(input_dir),
            "--work",
            str(work),
            "--workers",
            str(workers),
            "--json",
            str(result_file),
        ],
        log_path=log_path,
    )
    if usage.returncode != 0:
        raise RuntimeError(f"datatrove failed (exit {usage.returncode}); see {log_path}")
    return DatatroveRun(usage=usage, result=json.loads(result_file.read_text(encoding="utf-8")))
