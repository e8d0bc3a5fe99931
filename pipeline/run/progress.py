"""Progress reporting: a tqdm bar on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from tqdm import tqdm

log = logging.getLogger("crawlsieve")


class Progress:
    """Counts finished units and records of one pass."""

    def __init__(
        self, label: str, units: int, *, enabled: bool = True, stream: TextIO | None = None
    ) -> None:
        self.label = label
        self.units = units
        self.records = 0
        self.done = 0
        self.started = time.monotonic()
        self._last_log = self.started
        stream = stream or sys.stderr
        self._bar = (
            tqdm(
                total=units, desc=label, unit="shard", file=stream, leave=False, dynamic_ncols=True
            )
            if enabled and stream.isatty()
            else None
        )

    def advance(self, records: int) -> None:
        self.done += 1
        self.records += records
        elapsed = max(time.monotonic() - self.started, 1e-9)
        if self._bar is not None:
            self._bar.set_postfix(records=self.records, rate=f"{self.records / elapsed:,.0f}/s")
            self._bar.update(1)
        elif time.monotonic() - self._last_log >= 10 or self.done == self.units:
            self._last_log = time.monotonic()
            log.info(
                "%s: %d/%d shards, %d records, %.0f records/s",
                self.label,
                self.done,
                self.units,
                self.records,
                self.records / elapsed,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
