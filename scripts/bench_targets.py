"""The targets of issue 9, checked against one benchmark invocation's measurements.

- without language id >= 10x datatrove: documents per CPU-second of crawlsieve (language off) over
  datatrove's, same documents and workers (the wall-clock ratio is shown too);
- with language id >= 1,000 docs/s per core: documents per CPU-second of the whole run;
- MinHash signatures >= 10,000 docs/s per core: the dedup stage's `collect` alone;
- global dedup <= 200 bytes per document: what the driver's peak RSS (where both global stages
  resolve) grows by per added document between the smallest and the largest scaling run, an
  upper bound for dedup's resolve (it includes site_boilerplate's); without scaling runs, the
  peak RSS of dedup's `resolve` alone above its baseline (at 100,000 documents mostly the
  resolve's fixed part: compiled code, index buffers);
- throughput within 20% from N to 16N: documents per CPU-second at each scale against the first;
- per-batch peak memory flat: peak RSS of the process that ran the per-batch stages (the busiest
  worker, or the driver when there was no worker process) at each scale, at most 10% above the
  first (a tolerance chosen here: allocator noise is a few percent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench_tables import markdown_table, rate, ratio

LANGUAGE_DOCS_PER_CORE = 1_000
DATATROVE_RATIO = 10.0
SIGNATURE_DOCS_PER_CORE = 10_000
DEDUP_BYTES_PER_DOC = 200
SCALE_TOLERANCE = 0.20
MEMORY_TOLERANCE = 0.10
NOT_MEASURED = "not measured in this invocation"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def datatrove_target(
    compared: Sequence[tuple[Any, Any]], runs: Sequence[Any] = ()
) -> tuple[str, bool | None]:
    """Judged per CPU-second on the same documents (wall-clock ratios depend on the load and, on
    a few thousand documents, on crawlsieve's start-up); the wall-clock ratio and, when a whole
    corpus run without language id with the same workers exists, the ratio at scale are shown."""
    parts, oks = [], []
    for dt, cs in compared:
        dt_docs = int(dt.result["phases"][0]["steps"][0]["counts"].get("documents", 0))
        dt_wall = rate(dt_docs, dt.usage.wall_seconds)
        dt_cpu = rate(dt_docs, dt.usage.cpu_seconds)
        wall = ratio(rate(cs.docs, cs.usage.wall_seconds), dt_wall)
        cpu = ratio(rate(cs.docs, cs.usage.cpu_seconds), dt_cpu)
        if wall is None or cpu is None:
            continue
        text = f"{cs.workers} worker(s): {cpu:.1f}x per CPU-second, {wall:.1f}x wall"
        whole = [r for r in runs if r.workers == cs.workers and not r.language]
        if whole:
            run = whole[0]
            scale_cpu = ratio(rate(run.docs, run.usage.cpu_seconds), dt_cpu) or 0.0
            scale_wall = ratio(rate(run.docs, run.usage.wall_seconds), dt_wall) or 0.0
            text += (
                f" (crawlsieve on {run.docs:,} documents: {scale_cpu:.1f}x per CPU-second, "
                f"{scale_wall:.1f}x wall)"
            )
        parts.append(text)
        oks.append(cpu >= DATATROVE_RATIO)
    if not parts:
        return NOT_MEASURED, None
    return "; ".join(parts), all(oks)


def language_target(runs: Sequence[Any]) -> tuple[str, bool | None]:
    measured = [r for r in runs if r.language]
    if not measured:
        return NOT_MEASURED, None
    parts, oks = [], []
    for run in measured:
        per_cpu = rate(run.docs, run.usage.cpu_seconds) or 0.0
        per_wall = rate(run.docs, run.usage.wall_seconds * run.workers) or 0.0
        parts.append(
            f"{run.workers} worker(s): {per_cpu:,.0f} per CPU-second ({per_wall:,.0f} per core "
            f"wall, load {run.load_before:.1f})"
        )
        oks.append(per_cpu >= LANGUAGE_DOCS_PER_CORE)
    return "; ".join(parts), all(oks)


def isolation_step(isolation: Sequence[dict[str, Any]], step: str) -> dict[str, Any] | None:
    return next((r for r in isolation if r["stage"] == "dedup" and r["step"] == step), None)


def signature_target(isolation: Sequence[dict[str, Any]]) -> tuple[str, bool | None]:
    collect = isolation_step(isolation, "collect")
    if collect is None:
        return NOT_MEASURED, None
    per_cpu = rate(collect["docs"], collect["cpu_seconds"]) or 0.0
    return f"{per_cpu:,.0f} docs per CPU-second (dedup collect alone)", (
        per_cpu >= SIGNATURE_DOCS_PER_CORE
    )


def dedup_memory_target(
    isolation: Sequence[dict[str, Any]], scaled: Sequence[Any]
) -> tuple[str, bool | None]:
    parts: list[str] = []
    resolve = isolation_step(isolation, "resolve")
    ok: bool | None = None
    if resolve is not None and resolve["docs"]:
        per_doc = (resolve["peak_bytes"] - resolve["baseline_bytes"]) / resolve["docs"]
        parts.append(
            f"dedup resolve alone: {per_doc:,.0f} bytes per document above the baseline over "
            f"{resolve['docs']:,} documents"
        )
        ok = per_doc <= DEDUP_BYTES_PER_DOC
    growth = driver_growth_per_doc(scaled)
    if growth is not None:
        first, last = scaled[0], scaled[-1]
        parts.append(
            f"driver (both resolves) grows by {growth:,.0f} bytes per added document from "
            f"{first.docs:,} to {last.docs:,} documents"
        )
        ok = growth <= DEDUP_BYTES_PER_DOC
    if not parts:
        return NOT_MEASURED, None
    return "; ".join(parts), ok


def driver_growth_per_doc(scaled: Sequence[Any]) -> float | None:
    """Bytes of driver peak RSS per added document between the first and the last scaling run,
    when both had worker processes (so the driver only resolved); None otherwise."""
    if len(scaled) < 2:
        return None
    first, last = scaled[0], scaled[-1]
    if batch_process_peak(first.usage)[1] or batch_process_peak(last.usage)[1]:
        return None
    if last.docs <= first.docs:
        return None
    grown = last.usage.driver_peak_bytes - first.usage.driver_peak_bytes
    return max(grown, 0) / (last.docs - first.docs)


def scale_target(scaled: Sequence[Any]) -> tuple[str, bool | None]:
    if len(scaled) < 2:
        return NOT_MEASURED, None
    rates = [rate(run.docs, run.usage.cpu_seconds) or 0.0 for run in scaled]
    relative = [r / rates[0] for r in rates]
    text = ", ".join(
        f"{run.docs:,}: {r:,.0f}/s ({rel:.2f})"
        for run, r, rel in zip(scaled, rates, relative, strict=True)
    )
    return text, all(abs(rel - 1) <= SCALE_TOLERANCE for rel in relative)


def batch_process_peak(usage: Any) -> tuple[int, bool]:
    """Peak RSS of the process that ran the per-batch stages: the busiest worker, or the driver
    when the run had no worker process (one input file, or one worker); and whether it was the
    driver (whose peak then includes the global stages' resolve)."""
    if usage.worker_peak_bytes:
        return usage.worker_peak_bytes, False
    return usage.driver_peak_bytes, True


def memory_target(scaled: Sequence[Any]) -> tuple[str, bool | None]:
    if len(scaled) < 2:
        return NOT_MEASURED, None
    peaks = [(run.docs, *batch_process_peak(run.usage)) for run in scaled]
    text = ", ".join(
        f"{docs:,}: {peak / 2**20:,.0f} MiB{' (driver)' if in_driver else ''}"
        for docs, peak, in_driver in peaks
    )
    first = peaks[0][1]
    return text, all(peak <= first * (1 + MEMORY_TOLERANCE) for _, peak, _ in peaks)


def target_rows(
    *,
    runs: Sequence[Any],
    isolation: Sequence[dict[str, Any]],
    compared: Sequence[tuple[Any, Any]],
    scaled: Sequence[Any],
) -> str:
    """The targets table (Markdown)."""
    checks = [
        (
            "whole pipeline without language id >= 10x datatrove",
            datatrove_target(compared, runs),
        ),
        ("with language id >= 1,000 docs/s per core", language_target(runs)),
        ("MinHash signatures >= 10,000 docs/s per core", signature_target(isolation)),
        ("global dedup <= 200 bytes per document", dedup_memory_target(isolation, scaled)),
        ("throughput within 20% from N to 16N", scale_target(scaled)),
        ("per-batch (worker) peak memory flat with corpus size", memory_target(scaled)),
    ]
    rows = [[name, measured, verdict(ok)] for name, (measured, ok) in checks]
    return markdown_table(["target", "measured", "verdict"], rows)
