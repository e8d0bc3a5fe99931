"""The pure parts of the pipeline benchmark: reading a run's stats.json, rates, tables.

Nothing here runs or times anything, so it is tested exactly (tests/test_bench_pipeline.py).

Units used in every table: documents per second; MB means 10^6 characters of text (the benchmark
corpus is English news and web pages, so a character is about a byte); memory in MiB (2^20 bytes).
"Per CPU-second" divides by the user + system CPU time of every process involved, which on a
machine shared with other jobs is the figure that stays comparable; "per core (wall)" divides by
wall-clock time times the number of workers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIB = 2**20
MEGA = 1e6


@dataclass(frozen=True)
class StageTiming:
    """One stage of one crawlsieve run, from its stats.json."""

    stage: str
    docs_in: int
    chars_in: int
    seconds: (
        float  # wall-clock time in `process` (a global stage: `collect` + `apply`), all workers
    )
    cpu_seconds: float | None  # CPU time of the same steps (None in an older stats.json)
    resolve_seconds: float  # a global stage's `resolve`, once per run


def stage_timings(summary: Mapping[str, Any]) -> list[StageTiming]:
    """Per-stage documents, characters and time of a run, in run order.

    The order and the funnel come from `funnel` (its `input` row is skipped), the times from the
    raw counters `timing.<stage>.{seconds,cpu_seconds}` (`process`, or a global stage's `apply`),
    `timing.<stage>.{collect_seconds,collect_cpu_seconds}` (a global stage's `collect`) and
    `timing.<stage>.resolve_seconds`; CPU time is None in a stats.json written before the runner
    recorded it.
    """
    counters = summary.get("counters", {})
    rows = []
    for row in summary.get("funnel", []):
        name = row["stage"]
        if name == "input":
            continue
        cpu = counters.get(f"timing.{name}.cpu_seconds")
        if cpu is not None:
            cpu += counters.get(f"timing.{name}.collect_cpu_seconds", 0.0)
        wall = counters.get(f"timing.{name}.seconds", 0.0)
        wall += counters.get(f"timing.{name}.collect_seconds", 0.0)
        rows.append(
            StageTiming(
                stage=name,
                docs_in=int(row["docs_in"]),
                chars_in=int(row["chars_in"]),
                seconds=float(wall),
                cpu_seconds=float(cpu) if cpu is not None else None,
                resolve_seconds=float(counters.get(f"timing.{name}.resolve_seconds", 0.0)),
            )
        )
    return rows


def run_totals(summary: Mapping[str, Any]) -> dict[str, int]:
    """Records read, kept and dropped, and characters read, of a run's stats.json."""
    records = summary.get("records", {})
    chars = summary.get("chars", {})
    return {
        "read": int(records.get("read", 0)),
        "kept": int(records.get("kept", 0)),
        "dropped": int(records.get("dropped", 0)),
        "chars_read": int(chars.get("read", 0)),
    }


def rate(amount: float, seconds: float | None) -> float | None:
    """`amount` per second, or None when there is no time to divide by."""
    if seconds is None or seconds <= 0:
        return None
    return amount / seconds


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def fmt_rate(value: float | None) -> str:
    """A rate with as many digits as are meaningful: 12,345 / 123 / 12.3 / 1.23."""
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_int(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def fmt_mib(value: float | None) -> str:
    return "-" if value is None or value <= 0 else f"{value / MIB:,.0f}"


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}x"


def is_numeric(cell: str) -> bool:
    """True for cells that read as a number ("1,234", "-3.5", "12.0x", "45%"), "-" or empty."""
    text = cell.strip()
    if text in ("", "-"):
        return True
    try:
        float(text.rstrip("x%").replace(",", ""))
    except ValueError:
        return False
    return True


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table, padded to line up in a terminal too.

    A column whose cells are all numbers ("-" and empty cells allowed) is right-aligned.
    """
    columns = len(headers)
    for row in rows:
        if len(row) != columns:
            raise ValueError(f"row has {len(row)} cells, expected {columns}: {row!r}")
    widths = [max([len(headers[i]), 3, *(len(row[i]) for row in rows)]) for i in range(columns)]
    numeric = [bool(rows) and all(is_numeric(row[i]) for row in rows) for i in range(columns)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (widths[i] + 1) + (":" if numeric[i] else "-") for i in range(columns)]
    return "\n".join([line(headers), "|" + "|".join(rule) + "|", *(line(r) for r in rows)])


def stage_table(timings: Sequence[StageTiming]) -> str:
    """Per-stage throughput of one run (from its stats.json)."""
    headers = [
        "stage",
        "docs in",
        "MB in",
        "wall s (sum of workers)",
        "docs/s per worker (wall)",
        "CPU s",
        "docs/s per core (CPU)",
        "MB/s per core (CPU)",
        "resolve s",
    ]
    rows = []
    for t in timings:
        rows.append(
            [
                t.stage,
                fmt_int(t.docs_in),
                f"{t.chars_in / MEGA:,.1f}",
                fmt_seconds(t.seconds),
                fmt_rate(rate(t.docs_in, t.seconds)),
                fmt_seconds(t.cpu_seconds),
                fmt_rate(rate(t.docs_in, t.cpu_seconds)),
                fmt_rate(rate(t.chars_in / MEGA, t.cpu_seconds)),
                fmt_seconds(t.resolve_seconds) if t.resolve_seconds else "-",
            ]
        )
    return markdown_table(headers, rows)


def datatrove_step_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """datatrove's steps with their own time, made comparable across a shared machine.

    datatrove times a step around its own work per document, except that a step that consumes
    its input in one loop (MinhashDedupSignature) also times the steps before it; that step's own
    time is its time minus theirs. Each step's share of its phase's time is then applied to the
    phase's CPU seconds (contention slows every step of a phase alike) to estimate its CPU time.
    """
    rows = []
    for phase in result["phases"]:
        steps = phase["steps"]
        own = []
        for index, step in enumerate(steps):
            seconds = step["seconds"]
            if "MinHash stage 1" in step["name"]:
                seconds = max(0.0, seconds - sum(s["seconds"] for s in steps[:index]))
            own.append(seconds)
        total = sum(own)
        for step, seconds in zip(steps, own, strict=True):
            share = seconds / total if total > 0 else 0.0
            rows.append(
                {
                    "phase": phase["name"],
                    "step": step["name"],
                    "docs_in": int(step["docs_in"]),
                    "docs_out": int(step["docs_out"]),
                    "seconds": seconds,
                    "share": share,
                    "cpu_seconds": share * phase["cpu_seconds"],
                }
            )
    return rows


def datatrove_docs_read(result: Mapping[str, Any]) -> int:
    """Documents datatrove's first reader read (the input size of the whole pipeline)."""
    first = result["phases"][0]["steps"][0]
    return int(first["counts"].get("documents", first["docs_in"]))


def plain_step_name(name: str) -> str:
    """datatrove's step names without the emoji: "🔻 - FILTER: 👯 Gopher Repetition" ->
    "FILTER: Gopher Repetition"."""
    kept = "".join(ch for ch in name if ord(ch) < 0x2000)
    return " ".join(kept.replace(" - ", " ").split())
