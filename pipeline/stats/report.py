"""`out/report.html`: one self-contained page of a run's statistics.

Written at the end of every run and by `crawlsieve report OUT`. Everything is inline (CSS, SVG
charts drawn by `pipeline.stats.charts`, one short script), so the file opens offline and can be
mailed or archived alone. Sections: the numbers of the run, the funnel (documents and characters
after each stage), drop reasons, removed lines per rule, feature histograms with their thresholds,
duplicate-cluster sizes, languages, top sites, example removed lines per rule and time per stage.

The script only checks the page: it counts the charts the browser drew (an `<svg>` with a
non-empty box) and writes the count and their positions into `data-` attributes of `<body>`,
which the browser test reads; it never changes what the page shows.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Any

from pipeline.io.parquet_writer import write_bytes_atomically
from pipeline.stats.charts import (
    GREEN,
    RED,
    Bar,
    Marker,
    bar_chart,
    histogram_chart,
    stacked_funnel,
)
from pipeline.stats.clusters import ClusterSizes, cluster_sizes
from pipeline.stats.run_output import RunOutput
from pipeline.stats.table import display_key, pct, plural
from pipeline.stats.thresholds import FeatureThreshold, feature_thresholds, format_value

log = logging.getLogger("crawlsieve")
REPORT_NAME = "report.html"
CHART_SITES = 20
TABLE_SITES = 50
EXAMPLES_PER_RULE = 5
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;
background:#f6f6f4}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px}
section{background:#fff;border:1px solid #e2e2de;border-radius:6px;padding:16px 20px;margin:16px 0}
.meta{color:#666}.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:12px}
.card{background:#fff;border:1px solid #e2e2de;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;margin-top:8px;font-size:13px}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.text{text-align:left;font-family:ui-monospace,
monospace;white-space:pre-wrap;word-break:break-word}
figure{margin:8px 0 14px}figcaption{color:#555;font-size:12px;margin-bottom:4px}
svg.chart-svg{max-width:100%;height:auto;font-size:11px;fill:#333}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.none{color:#888;font-style:italic}
table.examples th{text-align:left}table.examples td:nth-child(1){width:14%}
table.examples td:nth-child(2){width:38%;font-size:11px;color:#555;word-break:break-all}
"""
SCRIPT = """
(function () {
  var boxes = [];
  document.querySelectorAll("figure.chart svg").forEach(function (svg) {
    var r = svg.getBoundingClientRect();
    var marks = svg.querySelectorAll("rect,line,path").length;
    if (r.width > 0 && r.height > 0 && marks > 0) {
      boxes.push({chart: svg.getAttribute("data-chart"), x: Math.round(r.left + window.scrollX),
        y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height)});
    }
  });
  document.body.setAttribute("data-charts-drawn", String(boxes.length));
  document.body.setAttribute("data-chart-boxes", JSON.stringify(boxes));
  document.body.setAttribute("data-page-height", String(document.documentElement.scrollHeight));
})();
"""


def write_report(output_dir: Path | str) -> Path:
    """Render `report.html` for a finished run's output directory; returns its path."""
    output = RunOutput(output_dir)
    path = output.root / REPORT_NAME
    write_bytes_atomically(path, render_report(output).encode("utf-8"))
    return path


def write_run_report(output_dir: Path | str) -> Path | None:
    """`write_report` at the end of a run: a failure is logged, never fails the finished run."""
    try:
        return write_report(output_dir)
    except Exception:  # noqa: BLE001 - the run's data and stats.json are already complete
        log.warning("could not write report.html (run `crawlsieve report`)", exc_info=True)
        return None


def render_report(output: RunOutput) -> str:
    """The whole HTML page for `output`."""
    summary = output.summary
    try:
        thresholds = feature_thresholds(output.config)
    except Exception:  # noqa: BLE001 - a report without threshold lines beats no report
        thresholds = []
    sections = [
        _overview(summary, output.root),
        _funnel(summary),
        _drop_reasons(summary),
        _rules(summary),
        _histograms(summary, thresholds),
        _duplicates(cluster_sizes(output.clusters_file)),
        _languages(summary),
        _sites(summary),
        _examples(summary),
        _timing(summary),
    ]
    title = f"crawlsieve report: {output.root.name}"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body><main>\n{''.join(sections)}\n</main><script>{SCRIPT}</script></body></html>\n"
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}</section>\n'


def _figure(caption: str, svg: str) -> str:
    return f'<figure class="chart"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'


def _table(
    headers: list[str],
    rows: list[list[str]],
    text_columns: tuple[int, ...] = (),
    css_class: str = "",
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{escape(c)}</td>' if i in text_columns else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _none(text: str) -> str:
    return f'<p class="none">{escape(text)}</p>'


def _overview(summary: dict[str, Any], root: Path) -> str:
    records, chars, run = summary["records"], summary.get("chars", {}), summary.get("run", {})
    cards = [
        ("records read", f"{records['read']:,}"),
        ("kept", f"{records['kept']:,} ({pct(records['kept'], records['read'])})"),
        ("dropped", f"{records['dropped']:,}"),
        ("unreadable", f"{records['unreadable']:,}"),
        ("chars read", f"{chars.get('read', 0):,}"),
        (
            "chars kept",
            f"{chars.get('kept', 0):,} ({pct(chars.get('kept', 0), chars.get('read', 0))})",
        ),
    ]
    rate = summary.get("throughput") or {}
    if rate.get("docs_per_second"):
        cards.append(("docs/s (wall)", f"{rate['docs_per_second']:,.0f}"))
    meta = (
        f"crawlsieve {run.get('crawlsieve_version', '?')} · "
        f"{run.get('input_files', '?')} input files · "
        f"{run.get('workers', '?')} workers · {run.get('seconds', '?')} s"
        f"{' · resumed' if run.get('resumed') else ''}"
    )
    card_html = "".join(f'<div class="card">{escape(k)}<b>{escape(v)}</b></div>' for k, v in cards)
    return (
        f'<section id="overview"><h1>crawlsieve report: {escape(root.name)}</h1>'
        f'<div class="meta">{escape(meta)}</div><div class="cards">{card_html}</div></section>\n'
    )


def _funnel(summary: dict[str, Any]) -> str:
    funnel = summary.get("funnel", [])
    if not funnel:
        return _section("funnel", "Funnel", _none("no funnel in stats.json"))
    docs = [(r["stage"], r["docs_in"], r["docs_out"]) for r in funnel]
    chars = [(r["stage"], r["chars_in"], r["chars_out"]) for r in funnel]
    legend = (
        f'<p class="legend"><span style="background:{GREEN}"></span>goes on to the next stage'
        f'<span style="background:{RED}"></span>dropped or removed at this stage</p>'
    )
    rows = []
    for r in funnel:
        reasons = dict(r["dropped"])
        if r.get("unreadable"):
            reasons["unreadable"] = r["unreadable"]
        dropped = ", ".join(f"{k} {v:,}" for k, v in reasons.items()) or "-"
        lines = sum(r.get("lines_removed", {}).values())
        rows.append(
            [
                r["stage"],
                f"{r['docs_in']:,}",
                f"{r['docs_out']:,}",
                dropped,
                f"{r['chars_in']:,}",
                f"{r['chars_out']:,}",
                f"{lines:,}" if "lines_removed" in r else "-",
            ]
        )
    headers = ["stage", "docs in", "docs out", "dropped", "chars in", "chars out", "lines removed"]
    body = (
        legend
        + _figure(
            "documents after each stage", stacked_funnel(docs, unit=_count, name="funnel-docs")
        )
        + _figure(
            "characters after each stage (lines removed and documents dropped)",
            stacked_funnel(chars, unit=_count, name="funnel-chars"),
        )
        + _table(headers, rows, text_columns=(3,))
    )
    return _section("funnel", "Funnel", body)


def _drop_reasons(summary: dict[str, Any]) -> str:
    read = summary["records"]["read"]
    stage_of = {
        reason: row["stage"] for row in summary.get("funnel", []) for reason in row["dropped"]
    }
    bars = [
        Bar(
            f"{reason} ({stage_of.get(reason, '?')})",
            count,
            f"{count:,} ({pct(count, read)})",
            f"{reason}, dropped by {stage_of.get(reason, '?')}: {count:,} records",
        )
        for reason, count in summary.get("drop_reasons", {}).items()
    ]
    if not bars:
        return _section("drop-reasons", "Drop reasons", _none("no record was dropped"))
    chart = bar_chart(bars, colour=RED, name="drop-reasons")
    return _section(
        "drop-reasons", "Drop reasons", _figure("records dropped, by reason (stage)", chart)
    )


def _rules(summary: dict[str, Any]) -> str:
    rules = summary.get("rules", [])
    if not rules:
        return _section("rules", "Removed lines by rule", _none("no line was removed"))
    chars_read = summary.get("chars", {}).get("read", 0)
    bars = [
        Bar(f"{r['stage']}.{r['rule']}", r["chars"], f"{r['chars']:,} chars, {r['lines']:,} lines")
        for r in rules
    ]
    rows = [
        [
            f"{r['stage']}.{r['rule']}",
            f"{r['lines']:,}",
            f"{r['chars']:,}",
            pct(r["chars"], chars_read),
        ]
        for r in rules
    ]
    body = _figure("characters removed, by rule", bar_chart(bars, name="rules")) + _table(
        ["rule", "lines", "chars", "of chars read"], rows
    )
    return _section("rules", "Removed lines by rule", body)


def _histograms(summary: dict[str, Any], thresholds: list[FeatureThreshold]) -> str:
    histograms = summary.get("histograms", {})
    if not histograms:
        return _section("features", "Feature histograms", _none("no histogram was recorded"))
    figures = []
    empty = []
    for key in sorted(histograms, key=lambda k: (not k.startswith("quality."), k)):
        hist = histograms[key]
        if not hist.get("count"):
            empty.append(key)
            continue
        feature = key.split(".", 1)[-1]
        markers = [
            Marker(
                t.value,
                f"{t.bound} {format_value(t.value)}" + (f" ({t.reason})" if t.reason else ""),
                "below" if t.bound == "min" else "above",
            )
            for t in thresholds
            if t.feature == feature
        ]
        caption = (
            f"{key}: {hist['count']:,} values, mean {format_value(hist.get('mean'))}, "
            f"min {format_value(hist.get('min'))}, max {format_value(hist.get('max'))}"
        )
        chart = histogram_chart(hist["edges"], hist["counts"], markers=markers, name=f"hist-{key}")
        figures.append(_figure(caption, chart))
    note = (
        '<p class="meta">Dashed red lines: thresholds from the resolved config; '
        "the shaded side is dropped.</p>"
    )
    if empty:
        figures.append(_none(f"no values: {', '.join(empty)}"))
    return _section("features", "Feature histograms", note + "".join(figures))


def _duplicates(sizes: ClusterSizes | None) -> str:
    if sizes is None or sizes.clusters == 0:
        return _section("duplicates", "Duplicate clusters", _none("no duplicate clusters"))
    last = max(i for i, (_, clusters, _) in enumerate(sizes.buckets) if clusters)
    bars = [
        Bar(f"size {label}", clusters, plural(clusters, "cluster"), plural(records, "record"))
        for label, clusters, records in sizes.buckets[: last + 1]
    ]
    caption = (
        f"{plural(sizes.clusters, 'cluster')} holding {plural(sizes.records, 'record')}; "
        f"largest {sizes.largest:,}"
    )
    return _section(
        "duplicates", "Duplicate clusters", _figure(caption, bar_chart(bars, name="clusters"))
    )


def _languages(summary: dict[str, Any]) -> str:
    rows = summary.get("languages", [])
    if not rows:
        return _section("languages", "Languages", _none("no language column in this run"))
    return _section("languages", "Languages", _group_body(rows, "lang", "languages"))


def _sites(summary: dict[str, Any]) -> str:
    section = summary.get("sites") or {}
    top = section.get("top", [])
    if not top:
        return _section("sites", "Top sites", _none("no site was counted"))
    rows = list(top[:TABLE_SITES])
    other = section.get("other") or {}
    if other.get("docs_in"):
        rows.append({"site": "(other sites)", **other})
    counted = section.get("sites_counted", len(top))
    title = f"Top sites by characters read ({counted:,} sites)"
    return _section("sites", title, _group_body(rows, "site", "sites", CHART_SITES))


def _group_body(rows: list[dict[str, Any]], label: str, name: str, chart_rows: int = 30) -> str:
    bars = [
        Bar(
            display_key(str(r[label])),
            r["chars_in"],
            f"{r['docs_in']:,} docs, {pct(r['docs_kept'], r['docs_in'])} kept",
        )
        for r in rows[:chart_rows]
    ]
    table = _table(
        [label, "docs in", "kept", "kept %", "chars in", "chars kept"],
        [
            [
                display_key(str(r[label])),
                f"{r['docs_in']:,}",
                f"{r['docs_kept']:,}",
                pct(r["docs_kept"], r["docs_in"]),
                f"{r['chars_in']:,}",
                f"{r['chars_kept']:,}",
            ]
            for r in rows
        ],
    )
    return _figure("characters read", bar_chart(bars, name=name)) + table


def _examples(summary: dict[str, Any]) -> str:
    samples = summary.get("samples", {})
    blocks = []
    for rule in summary.get("rules", []):
        key = f"{rule['stage']}.{rule['rule']}"
        examples = samples.get(key, {}).get("examples", [])[:EXAMPLES_PER_RULE]
        if not examples:
            continue
        rows = [
            [str(e.get("id", "")), str(e.get("url") or "-"), str(e.get("line", ""))]
            for e in examples
        ]
        blocks.append(
            f"<h3>{escape(key)}</h3>"
            + _table(["id", "url", "removed line"], rows, (0, 1, 2), "examples")
        )
    body = "".join(blocks) or _none("no examples were recorded")
    return _section("examples", "Example removed lines", body)


def _timing(summary: dict[str, Any]) -> str:
    rows = [r for r in summary.get("funnel", []) if "seconds" in r]
    if not rows:
        return _section("timing", "Time per stage", _none("no stage ran"))
    bars = [
        Bar(
            r["stage"],
            r["seconds"],
            f"{r['seconds']:.2f} s"
            + (f", {r['docs_per_second']:,.0f} docs/s" if r.get("docs_per_second") else ""),
        )
        for r in rows
    ]
    caption = "seconds per stage, summed over workers (docs/s per worker)"
    return _section("timing", "Time per stage", _figure(caption, bar_chart(bars, name="timing")))


def _count(value: float) -> str:
    return f"{value:,.0f}"
