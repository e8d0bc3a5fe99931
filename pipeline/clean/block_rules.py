"""`block_rules`: headed lists of related links, and bylines / datelines at the edges.

Related links. A heading from `related_headings` ("LATEST DEVELOPMENTS:", "Most Read", "You
might also like", ...) followed by `list_min_items` or more headline-like lines (short, not ending
in a full stop, all with a list marker or all without) is removed as one block
(`related_links_block`). The heading followed by prose is removed alone
(`related_links_heading`): on real pages the scraper stripped the list. A list after any other
heading (ingredients, results, recommendations, numbered steps whose items are sentences) is never
touched. Without list markers, a last headline-like line directly followed by prose is left alone:
it is more likely the next section's subheading than a link.

Edges. Near the start and end of the text, and just before or after the article body of a full
page (the first and last prose lines), lines matching `byline_patterns` or `role_patterns` ("By
Jane Doe", "Guest Reporter") are removed as `byline`, with a lone person-name line next to a role
line; lines matching `dateline_patterns` ("Published 3 hours ago", "Updated: 14:32", "5 min read")
as `dateline`. A line that reads like a sentence is never an edge line.

Rule names: `related_links_block`, `related_links_heading`, `byline`, `dateline`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pipeline.clean.line_patterns import full_line_pattern
from pipeline.clean.line_table import LineTable, subset
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.stage import StageResult

if TYPE_CHECKING:
    from pipeline.clean.config import BlockRulesConfig

RULES: tuple[str, ...] = ("related_links_block", "related_links_heading", "byline", "dateline")
BLOCK, HEADING, BYLINE, DATELINE = 1, 2, 3, 4
# A sentence line, for edge detection: this many words and a sentence ending.
SENTENCE_WORDS = 6
PROSE_WORDS = 8


class BlockRulesStage:
    """Related-link blocks and edge bylines / datelines."""

    def __init__(self, config: BlockRulesConfig, name: str = "block_rules") -> None:
        self.config = config
        self.name = name
        self.rules = RULES
        self._patterns: dict[str, str] = {}

    def output_fields(self) -> Sequence[pa.Field]:
        return TEXT_FIELDS

    def setup(self) -> None:
        if not self._patterns:
            config = self.config
            self._patterns = {
                "heading": full_line_pattern(config.related_headings),
                "byline": full_line_pattern(config.byline_patterns),
                "role": full_line_pattern(config.role_patterns),
                "dateline": full_line_pattern(config.dateline_patterns),
                "name": full_line_pattern([config.person_name_pattern]),
            }

    def process(self, table: pa.Table) -> StageResult:
        lines = LineTable.from_table(table)
        codes = self.find_removals(lines)
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)

    def find_removals(self, lines: LineTable) -> np.ndarray:
        """Per line: 0 to keep, or 1 + the index in `RULES` of the rule that removes it."""
        self.setup()
        codes = np.zeros(lines.num_lines, dtype=np.int32)
        if lines.num_lines == 0:
            return codes
        self._related_links(lines, codes)
        self._edges(lines, codes)
        return codes

    def _related_links(self, lines: LineTable, codes: np.ndarray) -> None:
        config = self.config
        headings = np.flatnonzero(
            lines.matches(
                self._patterns["heading"], max_chars=config.heading_max_chars, ignore_case=True
            )
        )
        if headings.size == 0:
            return
        full_stop = lines.ends_full_stop
        headline = (
            ~lines.blank
            & (lines.words <= config.list_item_max_words)
            & (lines.chars <= config.list_item_max_chars)
            & ~full_stop
        )
        blank, bullet, doc = lines.blank, lines.bullet, lines.doc
        end = lines.num_lines
        for heading in headings.tolist():
            if codes[heading]:
                continue
            items: list[int] = []
            position = heading + 1
            while (
                position < end
                and doc[position] == doc[heading]
                and len(items) < (config.list_max_items)
            ):
                if blank[position]:
                    position += 1
                    continue
                if not headline[position] or (items and bullet[position] != bullet[items[0]]):
                    break
                items.append(position)
                position += 1
            follows_prose = position < end and doc[position] == doc[heading] and not blank[position]
            if items and not bullet[items[0]] and follows_prose and len(items) > 1:
                items.pop()  # the next section's subheading, not a link
            if len(items) >= config.list_min_items:
                codes[heading] = BLOCK
                codes[np.asarray(items)] = BLOCK
            else:
                codes[heading] = HEADING

    def _edges(self, lines: LineTable, codes: np.ndarray) -> None:
        config = self.config
        if config.edge_lines == 0:
            return
        edge = self._edge_zone(lines) & (codes == 0)
        if not edge.any():
            return
        sentence = lines.ends_sentence & (lines.words >= SENTENCE_WORDS)
        candidate = edge & ~sentence & (lines.chars <= config.edge_max_chars)
        if not candidate.any():
            return
        pending, index = subset(lines, candidate)
        byline = pending.matches(self._patterns["byline"], max_chars=None)
        role = pending.matches(self._patterns["role"], max_chars=None, ignore_case=True)
        date = pending.matches(self._patterns["dateline"], max_chars=None, ignore_case=True)
        name = pending.matches(self._patterns["name"], max_chars=None)
        codes[index[date]] = DATELINE
        codes[index[(byline | role) & ~date]] = BYLINE
        role_lines = set(index[role].tolist())
        for position, is_name in zip(index.tolist(), name.tolist(), strict=True):
            if not is_name or codes[position]:
                continue
            neighbours = _neighbours(lines, position)
            if any(n in role_lines for n in neighbours):
                codes[position] = BYLINE

    def _edge_zone(self, lines: LineTable) -> np.ndarray:
        """Non-blank lines within `edge_lines` of the text's edges or of its prose body's edges."""
        k = self.config.edge_lines
        index = np.flatnonzero(~lines.blank)
        zone = np.zeros(lines.num_lines, dtype=bool)
        if index.size == 0:
            return zone
        doc = lines.doc[index]
        rank = np.arange(index.size)
        starts = np.searchsorted(doc, doc, side="left")
        ends = np.searchsorted(doc, doc, side="right")
        near = (rank - starts < k) | (ends - 1 - rank < k)
        prose = lines.ends_sentence[index] & (lines.words[index] >= PROSE_WORDS)
        first = np.full(lines.num_docs, -1, dtype=np.int64)
        last = np.full(lines.num_docs, -1, dtype=np.int64)
        prose_rank = rank[prose]
        np.maximum.at(last, doc[prose], prose_rank)
        first_candidates = np.full(lines.num_docs, index.size, dtype=np.int64)
        np.minimum.at(first_candidates, doc[prose], prose_rank)
        first = np.where(last >= 0, first_candidates, -1)
        has = last[doc] >= 0
        before_body = has & (rank < first[doc]) & (first[doc] - rank <= k)
        after_body = has & (rank > last[doc]) & (rank - last[doc] <= k)
        zone[index[near | before_body | after_body]] = True
        return zone


def _neighbours(lines: LineTable, position: int) -> list[int]:
    """The nearest non-blank lines before and after `position` in the same document."""
    out = []
    doc = lines.doc[position]
    for step in (-1, 1):
        other = position + step
        while 0 <= other < lines.num_lines and lines.doc[other] == doc and lines.blank[other]:
            other += step
        if 0 <= other < lines.num_lines and lines.doc[other] == doc:
            out.append(other)
    return out
