"""The stage contract: pure functions from an Arrow table to an Arrow table plus mergeable stats.

Two kinds of stage exist.

* A `BatchStage` sees one batch at a time and holds no state between batches. It may edit `text`
  (cleaning), add typed feature columns (scoring) or set `drop_reason` (deciding). It sees only the
  records that no earlier stage dropped; the runner routes dropped records to `rejected/`.
* A `GlobalStage` needs the whole corpus. It runs in three steps: `collect` (per batch, pure:
  turns a batch into a compact fingerprint table), `resolve` (once, over all fingerprints:
  writes a decision artifact into a work directory) and `apply` (per batch, pure given the
  artifact).

Stages never print and never keep counters on themselves: every count goes into the `Stats`
returned with the table, and the runner merges them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa

from pipeline.stats.bag import Stats


@dataclass
class StageResult:
    """What a stage returns: the new table and what it counted."""

    table: pa.Table
    stats: Stats = field(default_factory=Stats)


@runtime_checkable
class BatchStage(Protocol):
    """A per-batch stage. `name` is a stable identifier used as the stats key."""

    name: str

    def output_fields(self) -> Sequence[pa.Field]:
        """Columns this stage adds or overwrites, with their types."""
        ...

    def setup(self) -> None:
        """Heavy per-worker initialisation (language profiles, compiled patterns). Idempotent."""
        ...

    def process(self, table: pa.Table) -> StageResult:
        """Transform one batch of live records."""
        ...


@runtime_checkable
class GlobalStage(Protocol):
    """A stage that needs the whole corpus (site boilerplate, deduplication)."""

    name: str

    def output_fields(self) -> Sequence[pa.Field]:
        """Columns `apply` adds or overwrites, with their types."""
        ...

    def setup(self) -> None:
        """Per-worker initialisation. Idempotent."""
        ...

    def collect(self, table: pa.Table) -> pa.Table:
        """Compact fingerprints of one batch of live records (fixed-width columns, no text)."""
        ...

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        """Read all fingerprint files (in order); write the decision artifact into `work_dir`."""
        ...

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        """Apply the decision in `work_dir` to one batch of live records."""
        ...
