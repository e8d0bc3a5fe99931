"""Preparing the output directory: refuse to overwrite, clear on `--overwrite`, check `--resume`."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.run.layout import RunLayout


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
        if previous != config_yaml:
            raise OutputDirError(
                f"--resume: the configuration differs from the interrupted run's "
                f"({layout.config_file}); resume with the same config and inputs, "
                "or use --overwrite"
            )
        layout.success_file.unlink(missing_ok=True)
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


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())
