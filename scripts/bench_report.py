"""The tables of the pipeline benchmark, composed from its measurements (Markdown).

The per-figure helpers (rates, formatting, the table layout) are in `bench_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import bench_tables as tables
from bench_crawlsieve import PipelineRun
from bench_datatrove import DatatroveRun
from bench_targets import batch_process_peak


def section(title: str, body: str) -> str:
    return f"## {title}\n\n{body}"


def header_text(info: dict[str, Any]) -> str:
    """The machine, the versions and the load average at the start."""
    m, v = info["machine"], info["versions"]
    load = m["load_average"]
    lines = [
        f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}",
        "versions: " + ", ".join(f"{name} {value}" for name, value in v.items()),
        f"load average at start: {load[0]} / {load[1]} / {load[2]} (1 / 5 / 15 min)",
    ]
    if load[0] > 0.5 * m["cores"]:
        lines.append(
            "WARNING: the machine is busy with other work (load average above half the cores): "
            "wall-clock figures are inflated; compare the per-CPU-second figures."
        )
    return "\n".join(lines)


def whole_run_table(runs: list[PipelineRun]) -> str:
    """One row per whole crawlsieve run."""
    return tables.markdown_table(RUN_HEADERS, [run_row(run) for run in runs])


def run_row(run: PipelineRun) -> list[str]:
    totals = tables.run_totals(run.summary)
    usage = run.usage
    mb = totals["chars_read"] / tables.MEGA
    return [
        f"{run.workers}",
        "on" if run.language else "off",
        tables.fmt_int(totals["read"]),
        tables.fmt_seconds(usage.wall_seconds),
        tables.fmt_rate(tables.rate(totals["read"], usage.wall_seconds)),
        tables.fmt_rate(tables.rate(totals["read"], usage.wall_seconds * run.workers)),
        tables.fmt_rate(tables.rate(mb, usage.wall_seconds * run.workers)),
        tables.fmt_seconds(usage.cpu_seconds),
        tables.fmt_rate(tables.rate(totals["read"], usage.cpu_seconds)),
        tables.fmt_rate(tables.rate(mb, usage.cpu_seconds)),
        tables.fmt_mib(usage.peak_tree_pss_bytes),
        tables.fmt_mib(usage.driver_peak_bytes),
        tables.fmt_mib(usage.worker_peak_bytes) if usage.worker_peak_bytes else "in driver",
        f"{run.load_before:.1f}",
    ]


RUN_HEADERS = [
    "workers",
    "language",
    "docs",
    "wall s",
    "docs/s",
    "docs/s per core (wall)",
    "MB/s per core (wall)",
    "CPU s",
    "docs/s per core (CPU)",
    "MB/s per core (CPU)",
    "peak MiB (tree, PSS)",
    "driver peak MiB",
    "worker peak MiB",
    "load avg",
]


def isolation_table(results: list[dict[str, Any]]) -> str:
    headers = [
        "stage",
        "step",
        "docs",
        "CPU s",
        "docs/s per core (CPU)",
        "MB/s per core (CPU)",
        "setup s",
        "baseline MiB",
        "peak MiB",
        "peak - baseline MiB",
        "bytes/doc above baseline",
        "load avg",
    ]
    rows = []
    for r in results:
        above = r["peak_bytes"] - r["baseline_bytes"]
        per_doc = above / r["docs"] if r["step"] == "resolve" and r["docs"] else None
        rows.append(
            [
                r["stage"],
                f"{r['step']} ({r['fingerprint_rows']:,} fingerprint rows)"
                if r.get("fingerprint_rows")
                else r["step"],
                tables.fmt_int(r["docs"]),
                tables.fmt_seconds(r["cpu_seconds"]),
                tables.fmt_rate(tables.rate(r["docs"], r["cpu_seconds"])),
                tables.fmt_rate(tables.rate(r["chars"] / tables.MEGA, r["cpu_seconds"]))
                if r["chars"]
                else "-",
                f"{r['setup_seconds']:.2f}",
                tables.fmt_mib(r["baseline_bytes"]),
                tables.fmt_mib(r["peak_bytes"]),
                f"{above / 2**20:,.0f}",
                f"{per_doc:,.0f}" if per_doc is not None else "-",
                f"{r['load_average']:.1f}",
            ]
        )
    return tables.markdown_table(headers, rows)


def _rates(docs: int, usage: Any) -> tuple[float | None, float | None]:
    return tables.rate(docs, usage.wall_seconds), tables.rate(docs, usage.cpu_seconds)


def _compare_row(name: str, workers: int, docs: int, usage: Any, load: float) -> list[str]:
    wall_rate, cpu_rate = _rates(docs, usage)
    return [
        name,
        str(workers),
        tables.fmt_int(docs),
        tables.fmt_seconds(usage.wall_seconds),
        tables.fmt_rate(wall_rate),
        tables.fmt_seconds(usage.cpu_seconds),
        tables.fmt_rate(cpu_rate),
        tables.fmt_mib(usage.peak_tree_pss_bytes),
        tables.fmt_mib(usage.max_process_rss_bytes),
        f"{load:.1f}",
    ]


def _ratio_row(
    name: str,
    workers: int,
    crawlsieve: tuple[float | None, float | None],
    datatrove: tuple[float | None, float | None],
) -> list[str]:
    wall = tables.fmt_ratio(tables.ratio(crawlsieve[0], datatrove[0]))
    cpu = tables.fmt_ratio(tables.ratio(crawlsieve[1], datatrove[1]))
    return [name, str(workers), "", "", wall, "", cpu, "", "", ""]


def datatrove_tables(
    runs: list[tuple[DatatroveRun, PipelineRun]], whole_runs: Sequence[PipelineRun] = ()
) -> str:
    """Phases and steps of each datatrove run, and the comparison with crawlsieve: on the same
    documents, and (when this invocation also ran it) crawlsieve's run over the whole corpus with
    the same workers, whose rate has no start-up cost left in it."""
    parts = []
    compare = []
    if runs:
        first = runs[0][0].result
        v = first["versions"]
        parts.append(
            f"datatrove {v['datatrove']} (python {v['python']}, spacy {v['spacy']}, numpy "
            f"{v['numpy']}), LocalPipelineExecutor with start method {first['start_method']}, "
            f"{first['tasks']} tasks for {first['input_files']} input files; MinHash "
            f"{first['minhash']['bands']} bands x {first['minhash']['rows']} rows of word "
            f"{first['minhash']['n_grams']}-grams"
        )
    for dt, cs in runs:
        read = tables.datatrove_docs_read(dt.result)
        workers = dt.result["workers"]
        phase_rows = [
            [
                p["name"],
                str(p["tasks"]),
                str(p["workers"]),
                tables.fmt_seconds(p["wall_seconds"]),
                tables.fmt_seconds(p["cpu_seconds"]),
            ]
            for p in dt.result["phases"]
        ]
        parts.append(
            f"datatrove, {workers} worker(s): phases\n\n"
            + tables.markdown_table(["phase", "tasks", "workers", "wall s", "CPU s"], phase_rows)
        )
        step_rows = [
            [
                s["phase"],
                tables.plain_step_name(s["step"]),
                tables.fmt_int(s["docs_in"]),
                f"{100 * s['share']:.1f}%",
                tables.fmt_seconds(s["cpu_seconds"]),
                tables.fmt_rate(tables.rate(s["docs_in"], s["cpu_seconds"]))
                if s["docs_in"]
                else "-",
            ]
            for s in tables.datatrove_step_rows(dt.result)
        ]
        parts.append(
            f"datatrove, {workers} worker(s): steps (CPU estimated from the share of the phase)\n\n"
            + tables.markdown_table(
                ["phase", "step", "docs in", "share of phase", "CPU s (est.)", "docs/s per core"],
                step_rows,
            )
        )
        dt_rates = _rates(read, dt.usage)
        compare.append(_compare_row("datatrove", workers, read, dt.usage, dt.result["load_before"]))
        compare.append(
            _compare_row("crawlsieve, no language id", workers, cs.docs, cs.usage, cs.load_before)
        )
        compare.append(
            _ratio_row("ratio crawlsieve / datatrove", workers, _rates(cs.docs, cs.usage), dt_rates)
        )
        whole = [r for r in whole_runs if r.workers == workers and not r.language]
        if whole:
            run = whole[0]
            compare.append(
                _compare_row(
                    "crawlsieve, no language id, whole corpus",
                    workers,
                    run.docs,
                    run.usage,
                    run.load_before,
                )
            )
            compare.append(
                _ratio_row(
                    "ratio at scale (whole corpus / datatrove)",
                    workers,
                    _rates(run.docs, run.usage),
                    dt_rates,
                )
            )
    parts.append(
        "crawlsieve vs datatrove on the same documents and worker count\n\n"
        + tables.markdown_table(
            [
                "pipeline",
                "workers",
                "docs",
                "wall s",
                "docs/s",
                "CPU s",
                "docs/s per core (CPU)",
                "peak MiB (tree, PSS)",
                "largest process MiB",
                "load avg",
            ],
            compare,
        )
    )
    return "\n\n".join(parts)


def scale_table(runs: list[PipelineRun]) -> str:
    base = tables.rate(runs[0].docs, runs[0].usage.cpu_seconds) if runs else None
    rows = []
    for run in runs:
        cpu_rate = tables.rate(run.docs, run.usage.cpu_seconds)
        dedup = [t for t in tables.stage_timings(run.summary) if t.resolve_seconds]
        peak, in_driver = batch_process_peak(run.usage)
        rows.append(
            [
                tables.fmt_int(run.docs),
                str(run.workers),
                tables.fmt_seconds(run.usage.wall_seconds),
                tables.fmt_seconds(run.usage.cpu_seconds),
                tables.fmt_rate(cpu_rate),
                f"{tables.ratio(cpu_rate, base):.2f}" if base and cpu_rate else "-",
                tables.fmt_mib(run.usage.driver_peak_bytes),
                tables.fmt_mib(peak) + (" (driver)" if in_driver else ""),
                tables.fmt_mib(run.usage.peak_tree_pss_bytes),
                tables.fmt_seconds(sum(t.resolve_seconds for t in dedup)),
                f"{run.load_before:.1f}",
            ]
        )
    headers = [
        "docs",
        "workers",
        "wall s",
        "CPU s",
        "docs/s per core (CPU)",
        "relative to 1x",
        "driver peak MiB",
        "per-batch process peak MiB",
        "tree peak MiB (PSS)",
        "resolve s",
        "load avg",
    ]
    return tables.markdown_table(headers, rows)
