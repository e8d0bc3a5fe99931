"""The per-document loops of `block_rules`, compiled: related-link lists after a heading, each
line's distance to an edge and the runs of edge lines that reach past the edge zone, and the
nearest non-blank neighbours of a line.

They read per-line numpy arrays of a `LineTable` (`offsets`: each document's first line) and
follow the documents' lines in order, as the rules in `block_rules` describe them.
"""

from __future__ import annotations

import numba
import numpy as np

BLOCK, HEADING = 1, 2


@numba.njit(cache=True, nogil=True)
def related_link_blocks(
    headings: np.ndarray,
    doc: np.ndarray,
    blank: np.ndarray,
    headline: np.ndarray,
    bullet: np.ndarray,
    codes: np.ndarray,
    list_min_items: int,
    list_max_items: int,
) -> None:
    """Mark each heading (in order; one already inside an earlier block is skipped) `BLOCK` with
    its list when at least `list_min_items` headline-like lines follow it, else `HEADING`.

    The list: the headline-like lines after the heading in its document (blank lines skipped),
    all with a list marker or all without, at most `list_max_items`. Without markers, a last
    item directly followed by prose is the next section's subheading and leaves the list."""
    items = np.empty(max(list_max_items, 1), dtype=np.int64)
    end = doc.size
    for heading in headings:
        if codes[heading]:
            continue
        count = 0
        position = heading + 1
        while position < end and doc[position] == doc[heading] and count < list_max_items:
            if blank[position]:
                position += 1
                continue
            if not headline[position] or (count and bullet[position] != bullet[items[0]]):
                break
            items[count] = position
            count += 1
            position += 1
        follows_prose = position < end and doc[position] == doc[heading] and not blank[position]
        if count > 1 and not bullet[items[0]] and follows_prose:
            count -= 1
        if count >= list_min_items:
            codes[heading] = BLOCK
            for k in range(count):
                codes[items[k]] = BLOCK
        else:
            codes[heading] = HEADING


@numba.njit(cache=True, nogil=True)
def edge_distance(offsets: np.ndarray, blank: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """Per non-blank line, the least `k` whose edge zone holds it: the line is among the first or
    last `k` non-blank lines of its document, or among the `k` non-blank lines just before its
    first prose line or just after its last one. `edge_distance(...) <= k` is the zone of `k`;
    blank lines are in no zone (a distance past every line)."""
    never = blank.size + 1
    distance = np.full(blank.size, never, dtype=np.int64)
    for d in range(offsets.size - 1):
        start, end = offsets[d], offsets[d + 1]
        count = 0
        first = last = -1
        for line in range(start, end):
            if blank[line]:
                continue
            if prose[line]:
                last = count
                if first < 0:
                    first = count
            count += 1
        rank = 0
        for line in range(start, end):
            if blank[line]:
                continue
            best = min(rank + 1, count - rank)
            if first >= 0 and rank < first:
                best = min(best, first - rank)
            if last >= 0 and rank > last:
                best = min(best, rank - last)
            distance[line] = best
            rank += 1
    return distance


@numba.njit(cache=True, nogil=True)
def edge_runs(
    offsets: np.ndarray, blank: np.ndarray, zone: np.ndarray, matched: np.ndarray
) -> np.ndarray:
    """`matched` lines in the `zone`, and the `matched` lines joined to one of those by a run of
    `matched` lines (blank lines between them do not break a run): a header of eight byline and
    date lines is removed whole though `zone` holds only its first few."""
    out = matched & zone
    for d in range(offsets.size - 1):
        start, end = offsets[d], offsets[d + 1]
        joined = False
        for line in range(start, end):
            if not blank[line]:
                joined = matched[line] and (joined or out[line])
                out[line] = joined
        joined = False
        for line in range(end - 1, start - 1, -1):
            if not blank[line]:
                joined = matched[line] and (joined or out[line])
                out[line] = joined
    return out


@numba.njit(cache=True, nogil=True)
def nearest_non_blank(
    offsets: np.ndarray, doc: np.ndarray, blank: np.ndarray, lines: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each of `lines`: the nearest non-blank line before and after it in its document
    (-1 when there is none)."""
    before = np.full(lines.size, -1, dtype=np.int64)
    after = np.full(lines.size, -1, dtype=np.int64)
    for i in range(lines.size):
        line = lines[i]
        start, end = offsets[doc[line]], offsets[doc[line] + 1]
        other = line - 1
        while other >= start and blank[other]:
            other -= 1
        if other >= start:
            before[i] = other
        other = line + 1
        while other < end and blank[other]:
            other += 1
        if other < end:
            after[i] = other
    return before, after
