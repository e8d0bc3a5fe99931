"""Turn merged `Stats` into the documented `stats.json` layout (see docs/statistics.md).

The readable sections (`records`, `chars`, `drop_reasons`, `funnel`, `rules`, `languages`,
`sites`, `throughput`) are derived from the raw, mergeable `counters`, `histograms` and `samples`,
which are written too, so `stats.json` files of several runs can still be merged with
`Stats.from_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.run.accounting import record_counts
from pipeline.stats.bag import Stats
from pipeline.stats.breakdown import OTHER_SITES, group_totals

FUNNEL_KEYS = ("docs_in", "docs_out", "chars_in", "chars_out")
INPUT_STAGE = "input"
TOP_SITES = 50


# The wall-clock timing counters a stage's time is the sum of.
TIMING_KEYS = ("seconds", "collect_seconds", "resolve_seconds")


def build_summary(
    stats: Stats, *, stage_order: Sequence[str], run_info: dict[str, Any]
) -> dict[str, Any]:
    """The `stats.json` document for a finished run."""
    c = stats.counters
    records = record_counts(stats)
    chars = {
        "read": int(c.get("records.chars_read", 0)),
        "kept": int(c.get("records.chars_kept", 0)),
    }
    return {
        "records": records,
        "chars": chars,
        "drop_reasons": prefixed_counts(c, "drop_reasons."),
        "funnel": funnel_rows(stats, stage_order),
        "rules": rule_rows(stats, stage_order),
        "languages": group_rows(c, "by_lang", "lang"),
        "sites": site_section(c),
        "throughput": throughput(records, chars, run_info.get("seconds")),
        "stages": stage_summaries(stats, stage_order),
        "run": run_info,
        **stats.to_json(),
    }


def prefixed_counts(counters: dict[str, float], prefix: str) -> dict[str, int]:
    """`{rest: count}` for counters named `<prefix><rest>`, largest first (ties by name)."""
    items = [(k[len(prefix) :], int(v)) for k, v in counters.items() if k.startswith(prefix)]
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0])))


def funnel_rows(stats: Stats, stage_order: Sequence[str]) -> list[dict[str, Any]]:
    """The input row, then one row per stage that saw records, in run order."""
    c = stats.counters
    records = record_counts(stats)
    reasons = prefixed_counts(c, "drop_reasons.")
    stage_rows = []
    attributed: dict[str, int] = {}
    for name in stage_names(c, stage_order):
        if f"funnel.{name}.docs_in" not in c:
            continue
        row: dict[str, Any] = {"stage": name}
        for key in FUNNEL_KEYS:
            row[key] = int(c.get(f"funnel.{name}.{key}", 0))
        row["dropped"] = prefixed_counts(c, f"funnel.{name}.dropped.")
        for reason, count in row["dropped"].items():
            attributed[reason] = attributed.get(reason, 0) + count
        row["lines_removed"] = prefixed_counts(c, f"{name}.lines_removed.")
        row["chars_removed"] = prefixed_counts(c, f"{name}.chars_removed.")
        seconds = stage_seconds(c, name)
        row["seconds"] = round(float(seconds), 3)
        row["docs_per_second"] = round(row["docs_in"] / seconds, 1) if seconds else None
        row["mchars_per_second"] = round(row["chars_in"] / seconds / 1e6, 3) if seconds else None
        stage_rows.append(row)
    at_input = {
        reason: count - attributed.get(reason, 0)
        for reason, count in reasons.items()
        if count > attributed.get(reason, 0)
    }
    read_ok = records["read"] - records["unreadable"]
    first_in = stage_rows[0] if stage_rows else None
    input_row = {
        "stage": INPUT_STAGE,
        "docs_in": records["read"],
        "docs_out": read_ok - sum(at_input.values()),
        "chars_in": int(c.get("records.chars_read", 0)),
        "chars_out": first_in["chars_in"] if first_in else int(c.get("records.chars_kept", 0)),
        "unreadable": records["unreadable"],
        "dropped": at_input,
    }
    return [input_row, *stage_rows]


def stage_names(counters: dict[str, float], stage_order: Sequence[str]) -> list[str]:
    """`stage_order`, then any other stage that has funnel counters (by name)."""
    seen = {k.split(".")[1] for k in counters if k.startswith("funnel.") and k.count(".") >= 2}
    return list(stage_order) + sorted(seen - set(stage_order))


def rule_rows(stats: Stats, stage_order: Sequence[str]) -> list[dict[str, Any]]:
    """Every line rule of every stage: lines and characters removed, and its example count."""
    c = stats.counters
    rows = []
    for name in stage_order:
        lines = prefixed_counts(c, f"{name}.lines_removed.")
        chars = prefixed_counts(c, f"{name}.chars_removed.")
        for rule in sorted(set(lines) | set(chars)):
            sample = stats.samples.get(f"{name}.{rule}")
            rows.append(
                {
                    "stage": name,
                    "rule": rule,
                    "lines": lines.get(rule, 0),
                    "chars": chars.get(rule, 0),
                    "examples": len(sample.items) if sample else 0,
                }
            )
    return sorted(rows, key=lambda r: (-r["chars"], -r["lines"], r["stage"], r["rule"]))


def group_rows(counters: dict[str, float], prefix: str, label: str) -> list[dict[str, Any]]:
    """Rows `{label, docs_in, docs_kept, docs_dropped, chars_in, chars_kept}`, most docs first."""
    rows = []
    for key, totals in group_totals(counters, prefix).items():
        rows.append(
            {
                label: key,
                "docs_in": totals["docs_in"],
                "docs_kept": totals["docs_kept"],
                "docs_dropped": totals["docs_in"] - totals["docs_kept"],
                "chars_in": totals["chars_in"],
                "chars_kept": totals["chars_kept"],
            }
        )
    return sorted(rows, key=lambda r: (-r["docs_in"], -r["chars_in"], r[label]))


def site_section(counters: dict[str, float]) -> dict[str, Any]:
    """The `TOP_SITES` largest sites by characters read; everything else summed as `other`."""
    rows = group_rows(counters, "by_site", "site")
    named = [r for r in rows if r["site"] != OTHER_SITES]
    named.sort(key=lambda r: (-r["chars_in"], -r["docs_in"], r["site"]))
    other = {k: 0 for k in ("docs_in", "docs_kept", "docs_dropped", "chars_in", "chars_kept")}
    for row in named[TOP_SITES:] + [r for r in rows if r["site"] == OTHER_SITES]:
        for key in other:
            other[key] += row[key]
    return {"top": named[:TOP_SITES], "other": other, "sites_counted": len(named)}


def throughput(
    records: dict[str, int], chars: dict[str, int], seconds: float | None
) -> dict[str, float | None]:
    """Whole-run rates over wall-clock seconds."""
    if not seconds:
        return {"seconds": seconds, "docs_per_second": None, "mchars_per_second": None}
    return {
        "seconds": seconds,
        "docs_per_second": round(records["read"] / seconds, 1),
        "mchars_per_second": round(chars["read"] / seconds / 1e6, 3),
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
        seconds = stage_seconds(c, name)
        entry["seconds"] = round(float(seconds), 3)
        prefix = f"{name}."
        for key, value in sorted(c.items()):
            if key.startswith(prefix):
                entry[key[len(prefix) :]] = value
        out[name] = entry
    return out


def stage_seconds(counters: dict[str, Any], name: str) -> float:
    """Wall-clock seconds of a stage: `process`/`apply`, plus `collect` and `resolve` if global."""
    return float(sum(counters.get(f"timing.{name}.{key}", 0) for key in TIMING_KEYS))
