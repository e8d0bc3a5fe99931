"""Where a run writes each of its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunLayout:
    """The output directory's layout (see the README, "Output layout")."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def rejected_dir(self) -> Path:
        return self.root / "rejected"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def work(self) -> Path:
        return self.root / "_work"

    @property
    def removed_work(self) -> Path:
        """Where the work directory is moved (atomically) at the end of a run, then deleted."""
        return self.root / "_work.removed"

    @property
    def staging(self) -> Path:
        return self.work / "staging"

    @property
    def stats_file(self) -> Path:
        return self.root / "stats.json"

    @property
    def config_file(self) -> Path:
        return self.root / "config.resolved.yaml"

    @property
    def success_file(self) -> Path:
        return self.root / "_SUCCESS"

    @property
    def clusters_file(self) -> Path:
        return self.root / "clusters.parquet"

    @property
    def inputs_file(self) -> Path:
        """The input files of the run (name, format, size), checked on resume."""
        return self.work / "inputs.json"

    def pass_dir(self, pass_index: int) -> Path:
        return self.work / f"pass{pass_index}"

    def global_dir(self, pass_index: int) -> Path:
        """Decision artifacts of the global stage collected in pass `pass_index`."""
        return self.work / f"global{pass_index}"

    def global_marker(self, pass_index: int) -> Path:
        return self.global_dir(pass_index) / "_DONE.json"

    def fingerprint_file(self, pass_index: int, unit: str) -> Path:
        return self.pass_dir(pass_index) / "fingerprints" / f"{unit}.parquet"

    def unit_marker(self, pass_index: int, unit: str) -> Path:
        return self.pass_dir(pass_index) / "done" / f"{unit}.json"

    def quarantine_file(self, unit: str) -> Path:
        return self.quarantine_dir / f"part-{unit}.parquet"
