"""Preparing the output directory: refuse to overwrite, clear on `--overwrite`, check `--resume`.

A resumed run must be the same job: the same configuration, apart from the `run` section (workers,
error budget, keeping the work directory), which does not change the output, and the same input
files (names and sizes), because units are named by their input file's position in the sorted list.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from pipeline.io.parquet_writer import write_bytes_atomically
from pipeline.io.source import InputFile
from pipeline.run.layout import RunLayout

# Config sections that may differ between an interrupted run and its resumption.
RESUMABLE_SECTIONS = ("run",)


class OutputDirError(ValueError):
    """The output directory cannot be used as asked (a usage error, exit code 2)."""


def prepare_output(layout: RunLayout, *, overwrite: bool, resume: bool, config_yaml: str) -> bool:
    """Make the output directory ready; returns True when an interrupted run is being resumed."""
    root = layout.root
    if overwrite and resume:
        raise OutputDirError("--overwrite and --resume cannot be used together")
    if root.exists() and not root.is_dir():
        raise OutputDirError(f"output path {root} exists and is not a directory")
    existing = list(root.iterdir()) if root.exists() else []
    if existing and resume:
        if not layout.config_file.exists():
            raise OutputDirError(
                f"--resume: {root} holds no crawlsieve run (no {layout.config_file.name})"
            )
        previous = layout.config_file.read_text(encoding="utf-8")
        if _output_settings(previous) != _output_settings(config_yaml):
            raise OutputDirError(
                f"--resume: the configuration differs from the interrupted run's "
                f"({layout.config_file}); resume with the same config and inputs, "
                "or use --overwrite"
            )
        return True
    if existing and not overwrite:
        raise OutputDirError(
            f"output directory {root} is not empty; pass --overwrite to replace it "
            "or --resume to finish an interrupted run"
        )
    if existing:
        for child in existing:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    root.mkdir(parents=True, exist_ok=True)
    return False


def is_finished(layout: RunLayout) -> bool:
    """True for a run that finished and removed its work directory (a resume has nothing to do);
    a finished run that kept its work directory is resumed by finishing it again."""
    return layout.success_file.exists() and not layout.work.exists()


def _output_settings(config_yaml: str) -> Any:
    """The parts of a resolved config that decide the output."""
    settings = yaml.safe_load(config_yaml)
    if isinstance(settings, dict):
        for section in RESUMABLE_SECTIONS:
            settings.pop(section, None)
    return settings


def check_inputs(layout: RunLayout, inputs: Sequence[InputFile]) -> None:
    """On resume: refuse input files other than those the interrupted run recorded."""
    path = layout.inputs_file
    if not path.exists():
        return
    previous = json.loads(path.read_text(encoding="utf-8"))
    listing = _listing(inputs)
    if previous != listing:
        raise OutputDirError(
            f"--resume: the input files differ from the interrupted run's "
            f"({_first_difference(previous, listing)}); resume with the same inputs, "
            "or use --overwrite"
        )


def record_inputs(layout: RunLayout, inputs: Sequence[InputFile]) -> None:
    """Write the run's input files into the work directory, for `check_inputs` on resume."""
    data = json.dumps(_listing(inputs), indent=1).encode("utf-8")
    write_bytes_atomically(layout.inputs_file, data, staging_dir=layout.staging)


def _listing(inputs: Sequence[InputFile]) -> list[dict[str, Any]]:
    return [{"uri": f.uri, "format": f.format, "size": f.size} for f in inputs]


def _first_difference(previous: list[dict[str, Any]], current: list[dict[str, Any]]) -> str:
    before = {entry["uri"]: entry for entry in previous}
    now = {entry["uri"]: entry for entry in current}
    for uri in sorted(before.keys() | now.keys()):
        if uri not in now:
            return f"{uri} is gone"
        if uri not in before:
            return f"{uri} is new"
        if before[uri] != now[uri]:
            return f"{uri} was {before[uri]['size']} bytes, now {now[uri]['size']}"
    return "the order differs"


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())
