"""`block_rules`: headed lists of related links, comment threads, and bylines / datelines at the
edges.

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
as `dateline`. A run of such lines that starts there is followed past the window (a header of
byline, date, reading-time and credit lines), up to three windows from the edge. A line that reads
like a sentence is never an edge line.

Comment threads. The reader comments under an article, from their heading ("42 Comments") to the
end of the last comment, are removed whole as `comment_thread` (`comment_threads.py` says how a
thread is told from a forum's posts); the article's edges are then looked for above it.

Rule names: `related_links_block`, `related_links_heading`, `byline`, `dateline`,
`comment_thread`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pipeline.clean.block_kernels import (
    edge_distance,
    edge_runs,
    nearest_non_blank,
    related_link_blocks,
)
from pipeline.clean.comment_threads import CommentPatterns, comment_thread_lines
from pipeline.clean.line_patterns import full_line_pattern
from pipeline.clean.line_table import LineTable, subset
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.stage import StageResult

if TYPE_CHECKING:
    from pipeline.clean.config import BlockRulesConfig

RULES: tuple[str, ...] = (
    "related_links_block",
    "related_links_heading",
    "byline",
    "dateline",
    "comment_thread",
)
BYLINE, DATELINE, COMMENT_THREAD = 3, 4, 5  # after block_kernels' BLOCK and HEADING (1, 2)
# A sentence line, for edge detection: this many words and a sentence ending.
SENTENCE_WORDS = 6
PROSE_WORDS = 8  # a prose line (8+ words, sentence end): body edges, the article above a thread
RUN_REACH = 3  # a run of edge lines is followed up to this many times `edge_lines` from an edge


class BlockRulesStage:
    """Related-link blocks and edge bylines / datelines."""

    def __init__(self, config: BlockRulesConfig, name: str = "block_rules") -> None:
        self.config = config
        self.name = name
        self.rules = RULES
        self._patterns: dict[str, str] = {}
        self._comments: CommentPatterns | None = None

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
            self._comments = CommentPatterns.from_config(config)

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
        assert self._comments is not None
        prose = lines.ends_sentence & (lines.words >= PROSE_WORDS)
        codes[comment_thread_lines(lines, prose, self._comments, self.config)] = COMMENT_THREAD
        self._related_links(lines, codes)
        self._edges(lines, codes, prose)
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
        headline = (
            ~lines.blank
            & (lines.words <= config.list_item_max_words)
            & (lines.chars <= config.list_item_max_chars)
            & ~lines.ends_full_stop
        )
        related_link_blocks(
            headings,
            lines.doc,
            lines.blank,
            headline,
            lines.bullet,
            codes,
            config.list_min_items,
            config.list_max_items,
        )

    def _edges(self, lines: LineTable, codes: np.ndarray, prose: np.ndarray) -> None:
        config = self.config
        if config.edge_lines == 0:
            return
        # A comment thread's prose is not the article's: its edges are above the thread.
        article = prose & (codes != COMMENT_THREAD)
        distance = edge_distance(lines.offsets, lines.blank, article)
        zone = distance <= config.edge_lines
        if not zone.any():
            return
        # A run of edge lines that starts in the zone is followed past it (`edge_runs`), as far
        # as the zone of `RUN_REACH` times the edge lines.
        wide = (distance <= config.edge_lines * RUN_REACH) & (codes == 0)
        sentence = lines.ends_sentence & (lines.words >= SENTENCE_WORDS)
        candidate = wide & ~sentence & (lines.chars <= config.edge_max_chars)
        if not candidate.any():
            return
        # Each RE2 pass costs a pattern compilation per batch (~1 ms) on top of its lines, so the
        # three patterns every candidate needs run once each, and the person-name pattern only on
        # the few lines next to a role line (the only place a name line is removed).
        pending, index = subset(lines, candidate)
        date = pending.matches(self._patterns["dateline"], max_chars=None, ignore_case=True)
        role = pending.matches(self._patterns["role"], max_chars=None, ignore_case=True)
        byline = pending.matches(self._patterns["byline"], max_chars=None)
        matched = np.zeros(lines.num_lines, dtype=bool)
        matched[index[date | role | byline]] = True
        accepted = edge_runs(lines.offsets, lines.blank, zone & (codes == 0), matched)[index]
        date &= accepted
        role &= accepted
        byline &= accepted
        codes[index[date]] = DATELINE
        codes[index[(byline | role) & ~date]] = BYLINE
        roles = index[role]
        if roles.size == 0:
            return
        before, after = nearest_non_blank(lines.offsets, lines.doc, lines.blank, roles)
        beside = np.zeros(lines.num_lines, dtype=bool)
        beside[before[before >= 0]] = True
        beside[after[after >= 0]] = True
        beside &= candidate & (codes == 0)
        if not beside.any():
            return
        names, names_index = subset(lines, beside)
        person = names.matches(self._patterns["name"], max_chars=None)
        codes[names_index[person]] = BYLINE
