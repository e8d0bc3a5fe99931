"""Plain-text tables of a run's statistics, for `crawlsieve stats`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TABLE_SITES = 20


def plural(count: int, noun: str) -> str:
    """`1 line`, `2 lines`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """Aligned columns: the first `left` left-aligned, the others right-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in pairs).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def pct(part: float, whole: float) -> str:
    """`part` as a percentage of `whole` with one decimal ("-" when `whole` is 0)."""
    return f"{100 * part / whole:.1f}%" if whole else "-"


def display_key(key: str) -> str:
    """A language or site key as shown to people (`_none` -> `(none)`, `_other` -> `(other)`)."""
    return f"({key[1:]})" if key.startswith("_") else key


def _n(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def format_funnel(summary: dict[str, Any]) -> str:
    """Every section of `crawlsieve stats`: records, funnel, drops, rules, languages, sites."""
    sections = [_records(summary), _funnel(summary), _drops(summary), _rules(summary)]
    sections += [_languages(summary), _sites(summary), _throughput(summary)]
    return "\n\n".join(s for s in sections if s)


def _records(summary: dict[str, Any]) -> str:
    records, chars = summary["records"], summary.get("chars", {})
    read = records["read"]
    rows = [[k, f"{records[k]:,}", pct(records[k], read)] for k in records]
    rows.append(["chars read", f"{chars.get('read', 0):,}", ""])
    rows.append(
        ["chars kept", f"{chars.get('kept', 0):,}", pct(chars.get("kept", 0), chars.get("read", 0))]
    )
    return "records\n" + text_table(["", "count", "share"], rows)


def _funnel(summary: dict[str, Any]) -> str:
    funnel = summary.get("funnel", [])
    if not funnel:
        return ""
    rows = []
    for row in funnel:
        dropped = sum(row["dropped"].values()) + row.get("unreadable", 0)
        removed = row["chars_in"] - row["chars_out"]
        rows.append(
            [
                row["stage"],
                f"{row['docs_in']:,}",
                f"{row['docs_out']:,}",
                f"{dropped:,}",
                f"{row['chars_in']:,}",
                f"{row['chars_out']:,}",
                pct(removed, row["chars_in"]),
                f"{row['seconds']:.2f}" if "seconds" in row else "-",
                _n(row.get("docs_per_second")),
            ]
        )
    headers = ["stage", "docs in", "docs out", "dropped", "chars in", "chars out", "removed"]
    return "funnel\n" + text_table([*headers, "seconds", "docs/s"], rows)


def _drops(summary: dict[str, Any]) -> str:
    read = summary["records"]["read"]
    unreadable = summary["records"].get("unreadable", 0)
    rows = [["input", "unreadable", f"{unreadable:,}", pct(unreadable, read)]] if unreadable else []
    rows += [
        [row["stage"], reason, f"{count:,}", pct(count, read)]
        for row in summary.get("funnel", [])
        for reason, count in row["dropped"].items()
    ]
    if not summary.get("funnel"):
        rows += [
            ["", r, f"{n:,}", pct(n, read)] for r, n in summary.get("drop_reasons", {}).items()
        ]
    if not rows:
        return ""
    headers = ["stage", "reason", "records", "of read"]
    return "dropped records\n" + text_table(headers, rows, left=2)


def _rules(summary: dict[str, Any]) -> str:
    rules = summary.get("rules", [])
    if not rules:
        return ""
    chars_read = summary.get("chars", {}).get("read", 0)
    rows = [
        [
            f"{r['stage']}.{r['rule']}",
            f"{r['lines']:,}",
            f"{r['chars']:,}",
            pct(r["chars"], chars_read),
        ]
        for r in rules
    ]
    return "removed lines\n" + text_table(["rule", "lines", "chars", "of chars read"], rows)


def _group_table(title: str, label: str, rows: list[dict[str, Any]]) -> str:
    body = [
        [
            display_key(str(r[label])),
            f"{r['docs_in']:,}",
            f"{r['docs_kept']:,}",
            pct(r["docs_kept"], r["docs_in"]),
            f"{r['chars_in']:,}",
            f"{r['chars_kept']:,}",
        ]
        for r in rows
    ]
    headers = [label, "docs in", "kept", "kept %", "chars in", "chars kept"]
    return f"{title}\n" + text_table(headers, body)


def _languages(summary: dict[str, Any]) -> str:
    rows = summary.get("languages", [])
    return _group_table("languages", "lang", rows) if rows else ""


def _sites(summary: dict[str, Any]) -> str:
    section = summary.get("sites") or {}
    top = section.get("top", [])
    if not top:
        return ""
    rows = list(top[:TABLE_SITES])
    other = dict(section.get("other", {}))
    for row in top[TABLE_SITES:]:
        for key in other:
            other[key] += row[key]
    if other.get("docs_in"):
        rows.append({"site": "(other sites)", **other})
    title = (
        f"top sites by characters read ({plural(section.get('sites_counted', len(top)), 'site')})"
    )
    return _group_table(title, "site", rows)


def _throughput(summary: dict[str, Any]) -> str:
    rate = summary.get("throughput") or {}
    if not rate.get("seconds"):
        return ""
    workers = summary.get("run", {}).get("workers")
    return (
        f"wall time {rate['seconds']:.2f} s with {workers} workers: "
        f"{_n(rate['docs_per_second'])} docs/s, {rate['mchars_per_second']:.2f} M chars/s read"
    )
