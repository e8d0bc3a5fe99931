"""Turn merged `Stats` into the documented `stats.json` layout.

{
  "records": {"read", "kept", "dropped", "unreadable"},
  "chars": {"read", "kept"},
  "drop_reasons": {reason: count},
  "stages": {stage: {"docs_in", "docs_out", "chars_in", "chars_out", "seconds", ...counters}},
  "run": {...},
  "counters": {...}, "histograms": {...}, "samples": {...}   # the raw, mergeable stats
}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.run.accounting import record_counts
from pipeline.stats.bag import Stats

FUNNEL_KEYS = ("docs_in", "docs_out", "chars_in", "chars_out")


def build_summary(
    stats: Stats, *, stage_order: Sequence[str], run_info: dict[str, Any]
) -> dict[str, Any]:
    """The `stats.json` document for a finished run."""
    c = stats.counters
    drop_reasons = {
        key.removeprefix("drop_reasons."): int(value)
        for key, value in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
        if key.startswith("drop_reasons.")
    }
    return {
        "records": record_counts(stats),
        "chars": {
            "read": int(c.get("records.chars_read", 0)),
            "kept": int(c.get("records.chars_kept", 0)),
        },
        "drop_reasons": drop_reasons,
        "stages": stage_summaries(stats, stage_order),
        "run": run_info,
        **stats.to_json(),
    }


def stage_summaries(stats: Stats, stage_order: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per stage: its funnel, its time, and its own counters (prefix removed), in run order."""
    c = stats.counters
    out: dict[str, dict[str, Any]] = {}
    for name in stage_order:
        entry: dict[str, Any] = {}
        for key in FUNNEL_KEYS:
            if f"funnel.{name}.{key}" in c:
                entry[key] = int(c[f"funnel.{name}.{key}"])
        seconds = c.get(f"timing.{name}.seconds", 0) + c.get(f"timing.{name}.resolve_seconds", 0)
        entry["seconds"] = round(float(seconds), 3)
        prefix = f"{name}."
        for key, value in sorted(c.items()):
            if key.startswith(prefix):
                entry[key[len(prefix) :]] = value
        out[name] = entry
    return out
