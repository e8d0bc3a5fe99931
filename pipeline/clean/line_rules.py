"""`line_rules`: remove whole lines that are page furniture, wherever they are in the text.

Two kinds of rule, all named and counted separately:

* pattern rules (`LineRulesConfig.rules`): trailers, calls to action, share and follow lines,
  newsletter prompts, advertisements, image credits, copyright and cookie notices, comment
  counters, login and cart lines, navigation. A line is removed only when a pattern matches all of
  it, so prose that merely contains "source" or "read more" stays.
* structural rules for full-page text (`page_structure`): menus (runs of short lines that are not
  sentences), page furniture outside the article body, short lines a page repeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pipeline.clean.line_patterns import LinePatternRules
from pipeline.clean.line_table import LineTable
from pipeline.clean.page_structure import STRUCTURAL_RULES, structural_removals
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.stage import StageResult

if TYPE_CHECKING:
    from pipeline.clean.config import LineRulesConfig


class LineRulesStage:
    """Full-line pattern rules plus structural rules for full pages."""

    def __init__(self, config: LineRulesConfig, name: str = "line_rules") -> None:
        self.config = config
        self.name = name
        merged = {**config.rules, **config.extra_rules}
        self.pattern_rules = {
            rule: patterns for rule, patterns in merged.items() if rule not in config.disabled_rules
        }
        self.structural_rules = tuple(
            rule for rule in STRUCTURAL_RULES if rule not in config.disabled_rules
        )
        self.rules: tuple[str, ...] = tuple(self.pattern_rules) + self.structural_rules
        self._patterns: LinePatternRules | None = None

    def output_fields(self) -> Sequence[pa.Field]:
        return TEXT_FIELDS

    def setup(self) -> None:
        if self._patterns is None:
            self._patterns = LinePatternRules(
                self.pattern_rules, max_chars=self.config.max_line_chars
            )

    def find_removals(self, lines: LineTable) -> np.ndarray:
        """Per line: 0 to keep, or 1 + the index in `self.rules` of the rule that removes it."""
        self.setup()
        assert self._patterns is not None
        codes = self._patterns.match(lines)
        offset = len(self.pattern_rules)
        structural = structural_removals(
            lines, codes > 0, self.config.page_structure, self.structural_rules
        )
        for index, rule in enumerate(self.structural_rules):
            mask = structural.get(rule)
            if mask is not None:
                codes = np.where((codes == 0) & mask, offset + index + 1, codes)
        return codes

    def process(self, table: pa.Table) -> StageResult:
        lines = LineTable.from_table(table)
        codes = self.find_removals(lines)
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)
