"""`Stats`: the one mergeable statistics object every stage returns.

A `Stats` holds three kinds of data, all of which merge associatively and commutatively, so the
totals of a run are the same whatever the number of workers, the order in which shards finish, or
whether the run was resumed:

* counters: flat dotted keys (`clean.lines_removed.source_link`) to numbers, merged by `+`;
* histograms: fixed bin edges and counts (plus count, sum, min and max), merged bin by bin;
* samples: at most `k` examples per key, chosen by the smallest stable hash of the example, so the
  same examples are kept whatever the merge order.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xxhash

DEFAULT_SAMPLE_SIZE = 20
# Histogram sums are kept as integers of this many units per 1.0, so that merging is exact and the
# totals do not depend on the order in which parts are added (float addition is not associative).
SUM_SCALE = 1_000_000


@dataclass
class Histogram:
    """Counts of values in fixed bins `[edges[i], edges[i+1])`; the last bin is closed."""

    edges: tuple[float, ...]
    counts: list[int]
    count: int = 0
    scaled_total: int = 0
    minimum: float = math.inf
    maximum: float = -math.inf

    @classmethod
    def empty(cls, edges: Sequence[float]) -> Histogram:
        edge_values = _edge_values(tuple(edges))[0]
        return cls(edges=edge_values, counts=[0] * (len(edge_values) - 1))

    @classmethod
    def of(cls, values: np.ndarray | Sequence[float], edges: Sequence[float]) -> Histogram:
        """Histogram of `values` (NaN ignored; values outside the edges go to the end bins).

        The bins are found with one binary search per value (`np.histogram` sorts the values
        first, which costs more than the rest of this function on a batch's few thousand values).
        Stages call this dozens of times per batch, so it makes few numpy calls.
        """
        arr = np.asarray(values, dtype=np.float64)
        nan = np.isnan(arr)
        if nan.any():
            arr = arr[~nan]
        edge_values, inner_edges = _edge_values(tuple(edges))
        if arr.size == 0:
            return cls(edges=edge_values, counts=[0] * (len(edge_values) - 1))
        # A value's bin is the number of inner edges at or below it: values below the first edge
        # land in the first bin, values at or above the last edge in the last (closed) one.
        index = np.searchsorted(inner_edges, arr, side="right")
        return cls(
            edges=edge_values,
            counts=np.bincount(index, minlength=len(edge_values) - 1).tolist(),
            count=int(arr.size),
            scaled_total=int(np.rint(arr * SUM_SCALE).astype(np.int64).sum()),
            minimum=float(arr.min()),
            maximum=float(arr.max()),
        )

    @property
    def total(self) -> float:
        return self.scaled_total / SUM_SCALE

    @property
    def mean(self) -> float | None:
        return self.scaled_total / SUM_SCALE / self.count if self.count else None

    def __add__(self, other: Histogram) -> Histogram:
        if self.edges != other.edges:
            raise ValueError("cannot merge histograms with different bin edges")
        return Histogram(
            edges=self.edges,
            counts=[a + b for a, b in zip(self.counts, other.counts, strict=True)],
            count=self.count + other.count,
            scaled_total=self.scaled_total + other.scaled_total,
            minimum=min(self.minimum, other.minimum),
            maximum=max(self.maximum, other.maximum),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "edges": list(self.edges),
            "counts": self.counts,
            "count": self.count,
            "sum": self.total,
            "min": self.minimum if self.count else None,
            "max": self.maximum if self.count else None,
            "mean": self.mean,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Histogram:
        return cls(
            edges=tuple(data["edges"]),
            counts=list(data["counts"]),
            count=data["count"],
            scaled_total=round(data["sum"] * SUM_SCALE),
            minimum=data["min"] if data["min"] is not None else math.inf,
            maximum=data["max"] if data["max"] is not None else -math.inf,
        )


@functools.lru_cache(maxsize=256)
def _edge_values(edges: tuple[float, ...]) -> tuple[tuple[float, ...], np.ndarray]:
    """The edges as floats, and the inner ones (all but the first and last) as a read-only array;
    cached, as the same few edge lists are used for every batch."""
    values = tuple(float(e) for e in edges)
    inner = np.asarray(values[1:-1], dtype=np.float64)
    inner.setflags(write=False)
    return values, inner


def sample_key(example: Mapping[str, Any]) -> int:
    """The stable hash that decides which examples a bounded sample keeps."""
    text = "\x1f".join(f"{k}={example[k]}" for k in sorted(example))
    return xxhash.xxh64_intdigest(text.encode("utf-8", "surrogatepass"))


@dataclass
class Sample:
    """At most `size` examples, those with the smallest `sample_key`."""

    size: int = DEFAULT_SAMPLE_SIZE
    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def add(self, example: dict[str, Any]) -> None:
        self.items.append((sample_key(example), example))
        self._trim()

    def _trim(self) -> None:
        seen: set[int] = set()
        unique = []
        for key, example in sorted(self.items, key=lambda item: item[0]):
            if key not in seen:
                seen.add(key)
                unique.append((key, example))
        self.items = unique[: self.size]

    def __add__(self, other: Sample) -> Sample:
        merged = Sample(size=max(self.size, other.size), items=self.items + other.items)
        merged._trim()
        return merged

    def examples(self) -> list[dict[str, Any]]:
        return [example for _, example in self.items]


@dataclass
class Stats:
    """Counters, histograms and samples that merge with `+`."""

    counters: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, Histogram] = field(default_factory=dict)
    samples: dict[str, Sample] = field(default_factory=dict)

    def count(self, key: str, amount: float = 1) -> None:
        """Add `amount` to counter `key`."""
        self.counters[key] = self.counters.get(key, 0) + amount

    def observe(
        self, key: str, values: np.ndarray | Sequence[float], edges: Sequence[float]
    ) -> None:
        """Add `values` to the fixed-bin histogram `key`."""
        hist = Histogram.of(values, edges)
        self.histograms[key] = self.histograms[key] + hist if key in self.histograms else hist

    def add_examples(
        self, key: str, examples: Iterable[dict[str, Any]], *, size: int = DEFAULT_SAMPLE_SIZE
    ) -> None:
        """Offer examples to the bounded sample `key`."""
        sample = self.samples.setdefault(key, Sample(size=size))
        for example in examples:
            sample.items.append((sample_key(example), example))
        sample._trim()

    def __add__(self, other: Stats) -> Stats:
        counters = dict(self.counters)
        for key, value in other.counters.items():
            counters[key] = counters.get(key, 0) + value
        histograms = dict(self.histograms)
        for key, hist in other.histograms.items():
            histograms[key] = histograms[key] + hist if key in histograms else hist
        samples = dict(self.samples)
        for key, sample in other.samples.items():
            samples[key] = samples[key] + sample if key in samples else sample
        return Stats(counters=counters, histograms=histograms, samples=samples)

    def __iadd__(self, other: Stats) -> Stats:
        """Merge `other` into this object in place (so references to it see the totals)."""
        merged = self + other
        self.counters, self.histograms, self.samples = (
            merged.counters,
            merged.histograms,
            merged.samples,
        )
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "counters": {k: _plain_number(v) for k, v in sorted(self.counters.items())},
            "histograms": {k: h.to_json() for k, h in sorted(self.histograms.items())},
            "samples": {
                k: {"size": s.size, "examples": s.examples()}
                for k, s in sorted(self.samples.items())
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Stats:
        samples = {}
        for key, value in data.get("samples", {}).items():
            sample = Sample(size=value["size"])
            sample.items = [(sample_key(example), example) for example in value["examples"]]
            sample._trim()
            samples[key] = sample
        return cls(
            counters=dict(data.get("counters", {})),
            histograms={k: Histogram.from_json(v) for k, v in data.get("histograms", {}).items()},
            samples=samples,
        )


def merge_all(parts: Iterable[Stats]) -> Stats:
    """Merge any number of `Stats` (an empty iterable gives empty stats)."""
    total = Stats()
    for part in parts:
        total = total + part
    return total


def _plain_number(value: float) -> float | int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
