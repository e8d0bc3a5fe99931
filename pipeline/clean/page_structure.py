"""Structural rules for full-page text: page furniture around and between parts of the body.

Scraped full pages (menus, breadcrumbs, footers) put the article body in the middle. The body is
found from its prose, not from words: an *anchor* is a prose line (`sentence_min_words` words and a
clause ending, or `prose_min_words` words) that no pattern rule matched, with another such line
within `anchor_window` lines (or `anchor_min_words` long on its own). The runs of non-anchor lines
are *gaps*: the one before the first anchor (header), the one after the last anchor (footer) and
those between anchors (interior). Furniture evidence is a line a pattern rule matched ("Skip to
content", "Privacy Policy", "© 2025 ...").

A gap is cleaned only when the page is clearly a full page and the gap clearly furniture:

* the page has enough prose (`min_prose_share` of its words are in prose lines), so a product page
  or a listing made of short lines is left alone;
* the part of the gap that is cleaned has at least `zone_min_lines` lines and
  `zone_min_furniture` furniture lines (interior gaps need `interior_min_furniture` and a share
  `interior_min_share`), so the headline and standfirst above an extracted news article are never
  a "header".

The cleaned part is bounded by furniture: in the header, from the top of the page to the last
furniture line (what follows, down to the body, is the title area and is kept); in the footer,
from the first furniture line to the end (a list that closes the article is kept); in an interior
gap, from its first to its last furniture line. There, `page_header`, `furniture_block` and
`page_footer` remove the short lines and the lone prose lines; in the header, lines of
`header_heading_words` or more words without a list marker are kept as possible titles.

Everything is computed in one compiled pass over the non-blank lines of a batch, document by
document (`removal_kinds`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numba
import numpy as np

from pipeline.clean.line_table import LineTable

if TYPE_CHECKING:
    from pipeline.clean.config import PageStructureConfig

STRUCTURAL_RULES: tuple[str, ...] = ("page_header", "furniture_block", "page_footer")
FAR = 1 << 40


def structural_removals(
    lines: LineTable,
    matched: np.ndarray,
    config: PageStructureConfig,
    rules: Sequence[str],
) -> dict[str, np.ndarray]:
    """Masks (over all lines) of the lines each structural rule removes.

    Args:
        lines: the batch's lines.
        matched: lines a pattern rule already removes (furniture evidence; never anchors).
        config: thresholds.
        rules: the structural rules that are enabled.
    """
    if not rules or lines.num_lines == 0:
        return {}
    index = np.flatnonzero(~lines.blank)
    if index.size == 0:
        return {}
    words = lines.words[index]
    prose = ((words >= config.sentence_min_words) & lines.ends_clause[index]) | (
        words >= config.prose_min_words
    )
    heading = (words >= config.header_heading_words) & ~lines.bullet[index]
    kinds = removal_kinds(
        lines.doc[index],
        words,
        np.ascontiguousarray(matched[index]),
        prose,
        heading,
        *thresholds(config),
    )
    out: dict[str, np.ndarray] = {}
    for kind, rule in enumerate(STRUCTURAL_RULES, start=1):
        if rule not in rules:
            continue
        mask = kinds == kind
        if mask.any():
            full = np.zeros(lines.num_lines, dtype=bool)
            full[index[mask]] = True
            out[rule] = full
    return out


def thresholds(config: PageStructureConfig) -> tuple[int, int, float, int, int, int, float]:
    """The settings `removal_kinds` takes after its arrays, in its order."""
    return (
        config.anchor_window,
        config.anchor_min_words,
        config.min_prose_share,
        config.zone_min_lines,
        config.zone_min_furniture,
        config.interior_min_furniture,
        config.interior_min_share,
    )


@numba.njit(cache=True, nogil=True)
def removal_kinds(
    doc: np.ndarray,
    words: np.ndarray,
    matched: np.ndarray,
    prose: np.ndarray,
    heading: np.ndarray,
    anchor_window: int,
    anchor_min_words: int,
    min_prose_share: float,
    zone_min_lines: int,
    zone_min_furniture: int,
    interior_min_furniture: int,
    interior_min_share: float,
) -> np.ndarray:
    """Per non-blank line (in order, `doc` sorted): 0 to keep, else the structural rule that
    removes it (1 `page_header`, 2 `furniture_block`, 3 `page_footer`)."""
    n = doc.size
    out = np.zeros(n, dtype=np.int8)
    anchor = np.zeros(n, dtype=np.bool_)
    start = 0
    while start < n:
        end = start + 1
        while end < n and doc[end] == doc[start]:
            end += 1
        # Anchors: own prose lines with another within `anchor_window` lines, or long enough.
        previous = -1
        for i in range(start, end):
            own = prose[i] and not matched[i]
            near = previous >= 0 and i - previous <= anchor_window
            anchor[i] = own and (near or words[i] >= anchor_min_words)
            if own:
                previous = i
        following = -1
        first = last = -1
        prose_words = all_words = 0.0
        for i in range(end - 1, start - 1, -1):
            own = prose[i] and not matched[i]
            if own and following >= 0 and following - i <= anchor_window:
                anchor[i] = True
            if own:
                following = i
                prose_words += words[i]
            all_words += words[i]
        for i in range(start, end):
            if anchor[i]:
                last = i
                if first < 0:
                    first = i
        if last >= 0 and prose_words >= min_prose_share * max(all_words, 1.0):
            _mark_gaps(
                out, anchor, matched, prose, heading, start, end, first, last,
                zone_min_lines, zone_min_furniture, interior_min_furniture, interior_min_share,
            )  # fmt: skip
        start = end
    return out


@numba.njit(cache=True, nogil=True)
def _mark_gaps(
    out: np.ndarray,
    anchor: np.ndarray,
    matched: np.ndarray,
    prose: np.ndarray,
    heading: np.ndarray,
    start: int,
    end: int,
    first: int,
    last: int,
    zone_min_lines: int,
    zone_min_furniture: int,
    interior_min_furniture: int,
    interior_min_share: float,
) -> None:
    """Mark the removed lines of the gaps (runs of non-anchor lines) of one full page, whose
    anchors run from line `first` to line `last`."""
    gap_start = start
    while gap_start < end:
        if anchor[gap_start]:
            gap_start += 1
            continue
        gap_end = gap_start
        while gap_end + 1 < end and not anchor[gap_end + 1]:
            gap_end += 1
        count = 0
        first_furniture, last_furniture = FAR, -1
        for i in range(gap_start, gap_end + 1):
            if matched[i]:
                count += 1
                first_furniture = min(first_furniture, i)
                last_furniture = i
        header, footer = gap_start < first, gap_start > last
        span_first = gap_start if header else first_furniture
        span_last = gap_end if footer else last_furniture
        span_lines = span_last - span_first + 1
        ok = count >= zone_min_furniture and span_lines >= zone_min_lines
        if not header and not footer:
            ok = ok and (
                count >= interior_min_furniture and count >= interior_min_share * max(span_lines, 1)
            )
        kind = 1 if header else 3 if footer else 2
        # In a gap every line is a non-anchor, so all but the furniture already matched go
        # (short lines and lone prose alike); the header keeps its possible titles.
        for i in range(max(gap_start, span_first), min(gap_end, span_last) + 1):
            if ok and not matched[i] and not (kind == 1 and heading[i] and not prose[i]):
                out[i] = kind
        gap_start = gap_end + 1
