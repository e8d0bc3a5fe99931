"""Plain-text tables of a run's statistics, for `crawlsieve stats`."""

from __future__ import annotations

from typing import Any


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def format_funnel(summary: dict[str, Any]) -> str:
    """The records funnel, drop reasons and per-stage effect as aligned text tables."""
    records = summary["records"]
    read = records["read"]
    out = [
        "records",
        _table(
            ["", "count", "share"],
            [
                [k, f"{records[k]:,}", _pct(records[k], read)]
                for k in ("read", "kept", "dropped", "unreadable")
            ],
        ),
        "",
    ]
    reasons = summary.get("drop_reasons", {})
    if reasons:
        out += [
            "drop reasons",
            _table(
                ["reason", "records", "share of read"],
                [[r, f"{n:,}", _pct(n, read)] for r, n in reasons.items()],
            ),
            "",
        ]
    stages = summary.get("stages", {})
    if stages:
        rows = []
        for name, s in stages.items():
            docs_in, docs_out = s.get("docs_in", 0), s.get("docs_out", 0)
            chars_in, chars_out = s.get("chars_in", 0), s.get("chars_out", 0)
            seconds = s.get("seconds", 0.0)
            rate = f"{docs_in / seconds:,.0f}" if seconds else "-"
            rows.append(
                [
                    name,
                    f"{docs_in:,}",
                    f"{docs_in - docs_out:,}",
                    f"{chars_in - chars_out:,}",
                    _pct(chars_in - chars_out, chars_in),
                    f"{seconds:.2f}",
                    rate,
                ]
            )
        out += [
            "stages",
            _table(
                ["stage", "docs in", "dropped", "chars removed", "chars %", "seconds", "docs/s"],
                rows,
            ),
        ]
    return "\n".join(out)
