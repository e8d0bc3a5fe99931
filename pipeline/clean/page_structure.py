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

Everything is computed with numpy over all lines of a batch at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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
    page = _PageLines(lines, index, matched[index], config)
    out: dict[str, np.ndarray] = {}
    for kind, rule in enumerate(STRUCTURAL_RULES, start=1):
        if rule not in rules:
            continue
        mask = page.removed(kind)
        if mask.any():
            full = np.zeros(lines.num_lines, dtype=bool)
            full[index[mask]] = True
            out[rule] = full
    return out


class _PageLines:
    """Features of the non-blank lines of a batch, in order, and the furniture spans."""

    def __init__(
        self, lines: LineTable, index: np.ndarray, matched: np.ndarray, config: PageStructureConfig
    ) -> None:
        self.config = config
        num_docs = lines.num_docs
        doc = lines.doc[index]
        words = lines.words[index]
        self.doc, self.words, self.matched = doc, words, matched
        self.bullet = lines.bullet[index]
        self.prose = ((words >= config.sentence_min_words) & lines.ends_clause[index]) | (
            words >= config.prose_min_words
        )
        own = self.prose & ~matched
        self.anchor = own & (
            (_gap_to_previous(own, doc) <= config.anchor_window)
            | (_gap_to_next(own, doc) <= config.anchor_window)
            | (words >= config.anchor_min_words)
        )
        self.lone_prose = self.prose & ~self.anchor & ~matched
        position = np.arange(index.size)
        first = np.full(num_docs, FAR, dtype=np.int64)
        last = np.full(num_docs, -1, dtype=np.int64)
        np.minimum.at(first, doc[self.anchor], position[self.anchor])
        np.maximum.at(last, doc[self.anchor], position[self.anchor])
        prose_words = np.bincount(doc, weights=np.where(own, words, 0), minlength=num_docs)
        all_words = np.bincount(doc, weights=words, minlength=num_docs)
        full_page = (last >= 0) & (prose_words >= config.min_prose_share * np.maximum(all_words, 1))
        # Gaps: runs of non-anchor lines of full pages, between anchors or a text edge and one.
        member = ~self.anchor & full_page[doc]
        start = member.copy()
        start[1:] &= ~(member[:-1] & (doc[1:] == doc[:-1]))
        gap = np.where(member, np.cumsum(start) - 1, -1)
        num_gaps = int(start.sum())
        self.kind = np.zeros(index.size, dtype=np.int8)  # 0 none, 1 header, 2 interior, 3 footer
        self.in_span = np.zeros(index.size, dtype=bool)
        if num_gaps == 0:
            return
        in_gap = gap >= 0
        gap_of = gap[in_gap]
        furniture = in_gap & matched
        count = np.bincount(gap[furniture], minlength=num_gaps)
        first_f = np.full(num_gaps, FAR, dtype=np.int64)
        last_f = np.full(num_gaps, -1, dtype=np.int64)
        np.minimum.at(first_f, gap[furniture], position[furniture])
        np.maximum.at(last_f, gap[furniture], position[furniture])
        gap_start = np.flatnonzero(start)
        gap_end = np.full(num_gaps, -1, dtype=np.int64)
        np.maximum.at(gap_end, gap_of, position[in_gap])
        gap_doc = doc[gap_start]
        header = gap_start < first[gap_doc]
        footer = gap_start > last[gap_doc]
        span_first = np.where(header, gap_start, first_f)
        span_last = np.where(footer, gap_end, last_f)
        span_lines = span_last - span_first + 1
        ok = (count >= config.zone_min_furniture) & (span_lines >= config.zone_min_lines)
        interior = ~header & ~footer
        ok &= ~interior | (
            (count >= config.interior_min_furniture)
            & (count >= config.interior_min_share * np.maximum(span_lines, 1))
        )
        kind = np.where(header, 1, np.where(footer, 3, 2)).astype(np.int8)
        self.kind[in_gap] = np.where(ok[gap_of], kind[gap_of], 0)
        self.in_span[in_gap] = (
            ok[gap_of]
            & (position[in_gap] >= span_first[gap_of])
            & (position[in_gap] <= span_last[gap_of])
        )

    def removed(self, kind: int) -> np.ndarray:
        """Lines of the spans of one kind that are not prose anchors (nor already matched)."""
        span = self.in_span & (self.kind == kind) & ~self.matched
        removable = ~self.prose | self.lone_prose
        if kind == 1:
            heading = (self.words >= self.config.header_heading_words) & ~self.bullet
            removable &= ~(heading & ~self.prose)
        return span & removable


def _gap_to_previous(flag: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Lines back to the previous flagged line of the same document (FAR when there is none)."""
    position = np.arange(flag.size)
    previous = np.where(flag, position, -1)
    previous = np.concatenate([[-1], np.maximum.accumulate(previous)[:-1]])
    valid = previous >= 0
    valid[valid] = doc[previous[valid]] == doc[valid]
    return np.where(valid, position - previous, FAR)


def _gap_to_next(flag: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Lines forward to the next flagged line of the same document (FAR when there is none)."""
    return _gap_to_previous(flag[::-1], doc[::-1])[::-1]


def _run_lengths(member: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each member line, the length of its run of consecutive members in one document."""
    if member.size == 0:
        return np.zeros(0, dtype=np.int64)
    start = member.copy()
    start[1:] &= ~(member[:-1] & (doc[1:] == doc[:-1]))
    run_id = np.cumsum(start) - 1
    lengths = np.bincount(run_id[member], minlength=int(start.sum()))
    return np.where(member, lengths[np.maximum(run_id, 0)], 0)
