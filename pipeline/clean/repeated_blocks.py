"""`repeated_blocks`: repair a page whose body appears twice by removing the repeat.

Scrapers sometimes capture an article twice (the AMP and the desktop body, a print version, a
"continue reading" expansion). A document-level repetition filter would then drop a good article;
this stage keeps the first copy and removes the second, so it must run before such filters.

How: every line is reduced to a key (the stripped line in lower case; `normalize` has already
unified spaces). Lines at least `min_line_chars` long are *anchors*; an anchor
whose key occurred earlier in the document is a repeat of that earlier line. Consecutive repeats
that point to increasing earlier positions, with at most `max_gap_lines` other lines between them
(a changed line, an extra line in one copy), form a repeated block; the block is stretched over
neighbouring lines that repeat (or nearly repeat: `near_match_similarity` of their words) the lines
around the original, such as a short subheading. A block with at least `min_block_lines` anchors,
`min_block_chars` characters and `min_block_share` of the document's characters is removed
(`repeated_block`); lines between the two copies (boilerplate) are left to the other rules. A line
repeated on its own (a pull quote), a short refrain or a quoted post in a forum thread is not a
block.

Cost: the keys are computed with Arrow kernels for the whole batch and the repeats found with one
`numpy.unique`; only documents that have a repeated anchor are walked in Python, in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.line_table import LineTable
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.stage import StageResult

if TYPE_CHECKING:
    from pipeline.clean.config import RepeatedBlocksConfig

RULES: tuple[str, ...] = ("repeated_block",)
WORD = re.compile(r"\w+")


class RepeatedBlocksStage:
    """Keep the first copy of a repeated body, remove the repeat."""

    def __init__(self, config: RepeatedBlocksConfig, name: str = "repeated_blocks") -> None:
        self.config = config
        self.name = name
        self.rules = RULES

    def output_fields(self) -> Sequence[pa.Field]:
        return TEXT_FIELDS

    def setup(self) -> None:
        """Nothing to prepare."""

    def process(self, table: pa.Table) -> StageResult:
        lines = LineTable.from_table(table)
        codes = self.find_removals(lines)
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)

    def find_removals(self, lines: LineTable) -> np.ndarray:
        """Per line: 0 to keep, 1 for a line of a repeated block."""
        codes = np.zeros(lines.num_lines, dtype=np.int32)
        if lines.num_lines == 0:
            return codes
        keys = line_keys(lines)
        anchor = (lines.chars >= self.config.min_line_chars) & (keys >= 0)
        earlier = first_occurrence(keys, lines.doc, anchor)
        repeated = anchor & (earlier < np.arange(lines.num_lines))
        if not repeated.any():
            return codes
        for doc in np.unique(lines.doc[repeated]).tolist():
            start, end = int(lines.offsets[doc]), int(lines.offsets[doc + 1])
            for first, last in self._blocks(lines, keys, earlier, repeated, start, end):
                span = np.arange(first, last + 1)
                codes[span[~lines.blank[span]]] = 1
        return codes

    def _blocks(
        self,
        lines: LineTable,
        keys: np.ndarray,
        earlier: np.ndarray,
        repeated: np.ndarray,
        start: int,
        end: int,
    ) -> list[tuple[int, int]]:
        """(first, last) line positions of the repeated blocks of one document."""
        config = self.config
        visible = (start + np.flatnonzero(~lines.blank[start:end])).tolist()
        rank = {position: r for r, position in enumerate(visible)}
        doc_chars = int(lines.chars[start:end].sum())
        runs: list[list[int]] = []
        for position in (start + np.flatnonzero(repeated[start:end])).tolist():
            run = runs[-1] if runs else None
            if (
                run is not None
                and earlier[position] > earlier[run[-1]]
                and rank[position] - rank[run[-1]] - 1 <= config.max_gap_lines
            ):
                run.append(position)
            else:
                runs.append([position])
        blocks: list[tuple[int, int]] = []
        for run in runs:
            if len(run) < config.min_block_lines:
                continue
            source_first, source_last = int(earlier[run[0]]), int(earlier[run[-1]])
            if run[0] <= source_last:
                continue  # overlapping repetition (a list of equal lines), not a second copy
            lo, hi = rank[run[0]], rank[run[-1]]
            src_lo, src_hi = rank[source_first], rank[source_last]
            # Stretch over lines that repeat the lines around the original copy.
            while lo > 0 and src_lo > 0 and visible[lo - 1] > source_last:
                if not self._same(lines, keys, visible[lo - 1], visible[src_lo - 1]):
                    break
                lo, src_lo = lo - 1, src_lo - 1
            while hi + 1 < len(visible) and src_hi + 1 < lo:
                if not self._same(lines, keys, visible[hi + 1], visible[src_hi + 1]):
                    break
                hi, src_hi = hi + 1, src_hi + 1
            first, last = visible[lo], visible[hi]
            chars = int(lines.chars[first : last + 1].sum())
            if chars >= config.min_block_chars and chars >= config.min_block_share * doc_chars:
                blocks.append((first, last))
        return blocks

    def _same(self, lines: LineTable, keys: np.ndarray, copy: int, source: int) -> bool:
        """True when line `copy` repeats line `source` exactly (same key) or nearly."""
        if keys[copy] >= 0 and keys[copy] == keys[source]:
            return True
        copy_words = set(WORD.findall(str(lines.stripped[copy].as_py()).lower()))
        source_words = set(WORD.findall(str(lines.stripped[source].as_py()).lower()))
        if not copy_words or not source_words:
            return False
        shared = len(copy_words & source_words) / max(len(copy_words), len(source_words))
        return shared >= self.config.near_match_similarity


def line_keys(lines: LineTable) -> np.ndarray:
    """A batch-wide integer per distinct line (stripped, lower case); -1 for blank lines."""
    encoded = pc.dictionary_encode(pc.utf8_lower(lines.stripped))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    keys = np.asarray(encoded.indices, dtype=np.int64)
    return np.where(lines.blank, -1, keys)


def first_occurrence(keys: np.ndarray, doc: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """For each masked line, the position of the first masked line of its document with the same
    key (itself when it is the first); -1 elsewhere."""
    out = np.full(keys.size, -1, dtype=np.int64)
    index = np.flatnonzero(mask)
    if index.size == 0:
        return out
    width = int(keys.max()) + 2
    composite = doc[index].astype(np.int64) * width + keys[index]
    _, first, inverse = np.unique(composite, return_index=True, return_inverse=True)
    out[index] = index[first[inverse]]
    return out
