"""Inline SVG charts for the HTML report: horizontal bars, a stacked funnel, histograms.

Every function returns one `<svg>` element as a string, drawn in a fixed coordinate system
(`viewBox`) that scales to the page width. No script and no external resource is needed to show
them; each mark has a `<title>` so a browser shows the exact number on hover.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 190
ROW_HEIGHT = 22
BAR_HEIGHT = 15
BLUE, GREEN, RED, GREY, INK = "#4c78a8", "#3b8a55", "#c8553d", "#d9d9d9", "#333333"
MAX_LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the text printed after it and its hover text."""

    label: str
    value: float
    text: str
    tooltip: str = ""


@dataclass(frozen=True)
class Marker:
    """A vertical line drawn at `value` on a histogram (a threshold), with its label."""

    value: float
    label: str
    drop_side: str  # "below" | "above": the side whose documents the threshold drops


def bar_chart(bars: Sequence[Bar], *, colour: str = BLUE, name: str = "bars") -> str:
    """Horizontal bars, one row per item, scaled to the largest value."""
    height = max(1, len(bars)) * ROW_HEIGHT + 8
    largest = max((b.value for b in bars), default=0) or 1
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    for row, bar in enumerate(bars):
        y = 4 + row * ROW_HEIGHT
        length = max(1.0, area * bar.value / largest) if bar.value > 0 else 0.0
        parts.append(
            f"<g><title>{escape(bar.tooltip or f'{bar.label}: {bar.text}')}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 12}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 12}">{escape(bar.text)}</text></g>'
        )
    return _svg(name, height, "".join(parts))


def stacked_funnel(
    rows: Sequence[tuple[str, float, float]], *, unit: Callable[[float], str], name: str
) -> str:
    """One bar per step: the part that goes on (green) and the part removed there (red)."""
    height = max(1, len(rows)) * ROW_HEIGHT + 8
    largest = max((total for _, total, _ in rows), default=0) or 1
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    for index, (label, total, remaining) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        kept = area * remaining / largest
        lost = area * max(0.0, total - remaining) / largest
        tip = f"{label}: {unit(total)} in, {unit(remaining)} out, {unit(total - remaining)} removed"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 12}" text-anchor="end">{escape(_short(label))}'
            f'</text><rect x="{LABEL_WIDTH}" y="{y}" width="{kept:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{GREEN}"/><rect x="{LABEL_WIDTH + kept:.1f}" y="{y}" width="{lost:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{RED}"/>'
            f'<text x="{LABEL_WIDTH + kept + lost + 6:.1f}" y="{y + 12}">'
            f"{escape(unit(remaining))}</text></g>"
        )
    return _svg(name, height, "".join(parts))


def histogram_chart(
    edges: Sequence[float],
    counts: Sequence[int],
    *,
    markers: Sequence[Marker] = (),
    name: str = "histogram",
) -> str:
    """Bins of equal drawn width (so any bin edges read well), edges labelled below, thresholds
    drawn as dashed red lines over a light shade of the side they drop."""
    left, right, top, plot_height = 50, WIDTH - 20, 28, 150
    bins = len(counts)
    step = (right - left) / max(1, bins)
    largest = max(counts, default=0) or 1
    parts = [
        f'<line x1="{left}" y1="{top + plot_height}" x2="{right}" y2="{top + plot_height}" '
        f'stroke="{INK}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{largest:,}</text>',
        f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end">0</text>',
    ]
    for marker in markers:
        x = left + step * _bin_position(edges, marker.value)
        shade_x, shade_w = (left, x - left) if marker.drop_side == "below" else (x, right - x)
        parts.append(
            f'<rect class="dropped-side" x="{shade_x:.1f}" y="{top}" '
            f'width="{max(0.0, shade_w):.1f}" height="{plot_height}" fill="{RED}" '
            'fill-opacity="0.08"/>'
        )
    for index, count in enumerate(counts):
        bar_height = plot_height * count / largest
        x = left + index * step
        tip = f"[{_num(edges[index])}, {_num(edges[index + 1])}): {count:,}"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_height - bar_height:.1f}" '
            f'width="{max(1.0, step - 2):.1f}" height="{bar_height:.1f}" fill="{BLUE}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    every = max(1, (bins + 1) // 12)
    for index, edge in enumerate(edges):
        if index % every and index != bins:
            continue
        x = left + index * step
        anchor = "end" if index == bins else "start" if index == 0 else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_height + 16}" text-anchor="{anchor}">'
            f"{escape(_num(edge))}</text>"
        )
    for number, marker in enumerate(markers):
        x = left + step * _bin_position(edges, marker.value)
        parts.append(
            f'<line class="threshold" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" '
            f'y2="{top + plot_height}" stroke="{RED}" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{x + 4:.1f}" y="{top - 10 + 12 * number}" fill="{RED}">'
            f"{escape(marker.label)}</text>"
        )
    return _svg(name, top + plot_height + 26, "".join(parts))


def _bin_position(edges: Sequence[float], value: float) -> float:
    """Where `value` falls, in bins from the first edge (linear inside a bin, clamped)."""
    if value <= edges[0]:
        return 0.0
    for index in range(len(edges) - 1):
        low, high = edges[index], edges[index + 1]
        if value <= high:
            return index + ((value - low) / (high - low) if high > low else 0.0)
    return float(len(edges) - 1)


def _svg(name: str, height: float, body: str) -> str:
    return (
        f'<svg class="chart-svg" data-chart="{escape(name)}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img">{body}</svg>'
    )


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _num(value: float) -> str:
    """A short axis label: 0.25, 40, 1,000, 20k, 3M, 1G."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e4, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"
