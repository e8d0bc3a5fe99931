"""`block_rules`' compiled loops against plain-Python definitions, on random documents of lines
(empty documents, single lines, blank runs, documents at the batch's ends)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.clean.block_kernels import (
    BLOCK,
    HEADING,
    edge_distance,
    edge_runs,
    nearest_non_blank,
    related_link_blocks,
)


def random_lines(seed: int, docs: int = 300) -> dict[str, np.ndarray]:
    """Per-line flags of `docs` documents of 0 to 12 lines."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 13, size=docs)
    counts[0], counts[-1] = 1, 0
    n = int(counts.sum())
    return {
        "offsets": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "doc": np.repeat(np.arange(docs, dtype=np.int64), counts),
        "blank": rng.random(n) < 0.3,
        "headline": rng.random(n) < 0.6,
        "bullet": rng.random(n) < 0.3,
        "prose": rng.random(n) < 0.3,
        "heading": rng.random(n) < 0.15,
    }


def reference_blocks(lines: dict[str, np.ndarray], min_items: int, max_items: int) -> np.ndarray:
    doc, blank, headline, bullet = lines["doc"], lines["blank"], lines["headline"], lines["bullet"]
    codes = np.zeros(doc.size, dtype=np.int32)
    for heading in np.flatnonzero(lines["heading"]).tolist():
        if codes[heading]:
            continue
        items: list[int] = []
        position = heading + 1
        while position < doc.size and doc[position] == doc[heading] and len(items) < max_items:
            if blank[position]:
                position += 1
                continue
            if not headline[position] or (items and bullet[position] != bullet[items[0]]):
                break
            items.append(position)
            position += 1
        prose_next = position < doc.size and doc[position] == doc[heading] and not blank[position]
        if len(items) > 1 and not bullet[items[0]] and prose_next:
            items.pop()
        if len(items) >= min_items:
            codes[[heading, *items]] = BLOCK
        else:
            codes[heading] = HEADING
    return codes


def reference_zone(lines: dict[str, np.ndarray], k: int) -> np.ndarray:
    zone = np.zeros(lines["doc"].size, dtype=bool)
    offsets = lines["offsets"]
    for d in range(offsets.size - 1):
        rows = [i for i in range(offsets[d], offsets[d + 1]) if not lines["blank"][i]]
        prose = [rank for rank, i in enumerate(rows) if lines["prose"][i]]
        for rank, i in enumerate(rows):
            near = rank < k or len(rows) - 1 - rank < k
            before = bool(prose) and rank < prose[0] and prose[0] - rank <= k
            after = bool(prose) and rank > prose[-1] and rank - prose[-1] <= k
            zone[i] = near or before or after
    return zone


@pytest.mark.parametrize(("seed", "min_items", "max_items"), [(0, 2, 30), (1, 1, 3), (2, 3, 1)])
def test_related_link_blocks(seed: int, min_items: int, max_items: int) -> None:
    lines = random_lines(seed)
    codes = np.zeros(lines["doc"].size, dtype=np.int32)
    headings = np.flatnonzero(lines["heading"])
    related_link_blocks(
        headings,
        lines["doc"],
        lines["blank"],
        lines["headline"],
        lines["bullet"],
        codes,
        min_items,
        max_items,
    )
    expected = reference_blocks(lines, min_items, max_items)
    assert (expected > 0).sum() > 10
    assert codes.tolist() == expected.tolist()


@pytest.mark.parametrize("k", [1, 2, 4])
def test_edge_zone(k: int) -> None:
    lines = random_lines(k)
    zone = edge_distance(lines["offsets"], lines["blank"], lines["prose"]) <= k
    expected = reference_zone(lines, k)
    assert 0 < expected.sum() < expected.size
    assert zone.tolist() == expected.tolist()


def reference_runs(lines: dict[str, np.ndarray], zone: np.ndarray, matched: np.ndarray) -> list:
    """Matched lines joined to a matched line of the zone through matched non-blank lines."""
    out = matched & zone
    offsets = lines["offsets"]
    for d in range(offsets.size - 1):
        rows = [i for i in range(offsets[d], offsets[d + 1]) if not lines["blank"][i]]
        runs: list[list[int]] = []
        for i in rows:
            if matched[i] and runs and runs[-1][-1] == rows[rows.index(i) - 1]:
                runs[-1].append(i)
            elif matched[i]:
                runs.append([i])
        for run in runs:
            if any(zone[i] for i in run):
                out[run] = True
    return out.tolist()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_edge_runs(seed: int) -> None:
    lines = random_lines(seed)
    rng = np.random.default_rng(seed + 10)
    zone = edge_distance(lines["offsets"], lines["blank"], lines["prose"]) <= 1
    matched = rng.random(zone.size) < 0.7
    runs = edge_runs(lines["offsets"], lines["blank"], zone, matched)
    expected = reference_runs(lines, zone, matched)
    assert sum(expected) > (matched & zone).sum()  # runs reach past the zone
    assert runs.tolist() == expected


def test_nearest_non_blank() -> None:
    lines = random_lines(5)
    doc, blank = lines["doc"], lines["blank"]
    chosen = np.arange(doc.size)
    before, after = nearest_non_blank(lines["offsets"], doc, blank, chosen)
    for line in chosen.tolist():
        same = [i for i in range(doc.size) if doc[i] == doc[line] and not blank[i]]
        assert before[line] == max([i for i in same if i < line], default=-1)
        assert after[line] == min([i for i in same if i > line], default=-1)
