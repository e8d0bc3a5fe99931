"""Stats merge the same way whatever the order or grouping of the parts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.stats.bag import SUM_SCALE, Histogram, Stats, merge_all

EDGES = [0.0, 0.25, 0.5, 0.75, 1.0]


def part(seed: int) -> Stats:
    stats = Stats()
    stats.count("records.read", 10 + seed)
    stats.count(f"drop_reasons.r{seed % 2}", seed)
    stats.observe("frac", [seed / 10, 0.9, 0.1], EDGES)
    stats.add_examples(
        "line_rules.source_link", [{"id": f"d{seed}-{i}", "line": "x"} for i in range(5)], size=4
    )
    return stats


def test_merge_is_order_independent() -> None:
    parts = [part(i) for i in range(6)]
    forward = merge_all(parts).to_json()
    backward = merge_all(reversed(parts)).to_json()
    grouped = (merge_all(parts[:2]) + merge_all(parts[2:])).to_json()
    assert forward == backward == grouped
    assert forward["counters"]["records.read"] == sum(10 + i for i in range(6))
    assert len(forward["samples"]["line_rules.source_link"]["examples"]) == 4


def test_json_round_trip() -> None:
    stats = merge_all(part(i) for i in range(3))
    again = Stats.from_json(json.loads(json.dumps(stats.to_json())))
    assert again.to_json() == stats.to_json()


def test_iadd_merges_in_place() -> None:
    stats = Stats()
    alias = stats
    stats += part(1)
    assert alias.counters["records.read"] == 11


def test_histogram_bins_clip_and_ignore_nan() -> None:
    hist = Histogram.of([0.0, 0.25, 0.99, 1.0, 7.0, -3.0, float("nan")], EDGES)
    assert hist.counts == [2, 1, 0, 3]
    assert hist.count == 6
    assert hist.minimum == -3.0 and hist.maximum == 7.0
    with pytest.raises(ValueError, match="different bin edges"):
        _ = hist + Histogram.of([0.5], [0.0, 1.0])


@pytest.mark.parametrize(
    "edges",
    [
        EDGES,
        [0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0],
        [0, 1, 2, 3, 5, 10, 20, 50, 100, 1000],
        [-1.0, 0.0, 0.0, 1.0],
        [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    ],
)
def test_histogram_counts_equal_numpy_histogram_of_clipped_values(edges: list[float]) -> None:
    """The reference: `np.histogram` of the values clipped to the edges (last bin closed)."""
    rng = np.random.default_rng(len(edges))
    low, high = edges[0], edges[-1]
    values = np.concatenate(
        [
            rng.uniform(low - 1, high + 1, 2000),
            np.asarray(edges, dtype=np.float64),  # exactly on every edge
            np.nextafter(np.asarray(edges, dtype=np.float64), -np.inf),
            rng.integers(int(low) - 2, int(high) + 2, 500).astype(np.float64),
            [np.nan],
        ]
    )
    finite = values[~np.isnan(values)]
    expected, _ = np.histogram(np.clip(finite, low, high), bins=np.asarray(edges, np.float64))
    hist = Histogram.of(values, edges)
    assert hist.counts == expected.tolist()
    assert all(type(count) is int for count in hist.counts)
    assert hist.count == finite.size
    assert hist.scaled_total == int(np.round(finite * SUM_SCALE).astype(np.int64).sum())
    assert (hist.minimum, hist.maximum) == (finite.min(), finite.max())
    assert hist.edges == tuple(float(e) for e in edges)
    assert Histogram.of(values[:0], edges).counts == [0] * (len(edges) - 1)
    assert Histogram.of([np.nan], edges) == Histogram.empty(edges)
