"""`line_rules`: remove whole lines that are page furniture, wherever they are in the text.

Two kinds of rule, all named and counted separately:

* pattern rules (`LineRulesConfig.rules`): trailers, calls to action, share and follow lines,
  newsletter prompts, advertisements, image credits, copyright and cookie notices, comment
  counters, login and cart lines, navigation. A line is removed only when a pattern matches all of
  it, so prose that merely contains "source" or "read more" stays.
* structural rules for full-page text (`page_structure`): the header and footer around the prose
  body of a full page, furniture between two parts of it;
* `page_furniture` (`furniture_model`): a line the boosted-tree model over its context features
  (`line_context`) scores as furniture with probability `threshold` or more -- the menus,
  breadcrumbs, category lists and metadata lines no pattern names. Lines the rules above already
  remove are inputs to the model (evidence), never removed twice. A text with fewer than two
  blocks (no blank line between runs of lines, as some extractors write pages) is scored by the
  model trained for such text (`flat_model_path`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pipeline.clean.furniture_model import FLAT_MODEL, FurnitureModel
from pipeline.clean.line_content_words import content_word_matrix
from pipeline.clean.line_context import FEATURES, SHORT_WORDS, line_context_features
from pipeline.clean.line_patterns import LinePatternRules
from pipeline.clean.line_table import LineTable, subset
from pipeline.clean.page_structure import STRUCTURAL_RULES, structural_removals
from pipeline.clean.removal import TEXT_FIELDS, apply_line_verdicts
from pipeline.schema import URL
from pipeline.stage import StageResult

MODEL_RULES: tuple[str, ...] = ("page_furniture",)
FIRST_IN_BLOCK = FEATURES.index("first_in_block")  # column of the context features

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
        self.model_rules = tuple(rule for rule in MODEL_RULES if rule not in config.disabled_rules)
        self.rules: tuple[str, ...] = (
            tuple(self.pattern_rules) + self.structural_rules + self.model_rules
        )
        self._patterns: LinePatternRules | None = None
        self._model: FurnitureModel | None = None
        self._flat_model: FurnitureModel | None = None

    def output_fields(self) -> Sequence[pa.Field]:
        return TEXT_FIELDS

    def setup(self) -> None:
        if self._patterns is None:
            self._patterns = LinePatternRules(
                self.pattern_rules,
                max_chars=self.config.max_line_chars,
                any_length=self.config.any_length_rules,
            )
        if self.model_rules and self._model is None:
            settings = self.config.page_furniture
            self._model = FurnitureModel.load(settings.model_path)
            self._flat_model = FurnitureModel.load(settings.flat_model_path or FLAT_MODEL)
            # Load the compiled kernels now (once per worker), not in the first batch.
            self.find_removals(LineTable.from_text(pa.array(["\n".join(["Menu"] * 32)])))

    def find_removals(
        self, lines: LineTable, urls: pa.Array | pa.ChunkedArray | None = None
    ) -> np.ndarray:
        """Per line: 0 to keep, or 1 + the index in `self.rules` of the rule that removes it
        (`urls`: one per document of `lines`, for the model's title features)."""
        codes = self.rule_removals(lines)
        if not self.model_rules or lines.num_lines == 0:
            return codes
        scored, margins = self._model_margins(lines, codes, urls)
        threshold = self.config.page_furniture.threshold
        if threshold >= 1.0 or scored.size == 0:
            return codes
        furniture = margins >= float(np.log(threshold / (1.0 - threshold)))
        codes = codes.copy()
        codes[scored[furniture]] = len(self.rules)
        return codes

    def furniture_probability(
        self, lines: LineTable, urls: pa.Array | pa.ChunkedArray | None = None
    ) -> np.ndarray:
        """Per line, the probability of furniture `page_furniture` compares with its threshold
        (NaN for a line it does not score: blank, removed by a rule, or on a page it skips)."""
        out = np.full(lines.num_lines, np.nan)
        if self.model_rules and lines.num_lines:
            scored, margins = self._model_margins(lines, self.rule_removals(lines), urls)
            out[scored] = 1.0 / (1.0 + np.exp(-margins))
        return out

    def _model_margins(
        self, lines: LineTable, codes: np.ndarray, urls: pa.Array | pa.ChunkedArray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The lines the model scores (kept by the rules, non-blank, on a page with enough lines
        and short lines) and the model's log-odds of furniture for each."""
        self.setup()
        assert self._model is not None and self._flat_model is not None
        settings = self.config.page_furniture
        text = ~lines.blank
        short = text & (lines.words <= SHORT_WORDS) & ~lines.ends_sentence
        page_lines = np.bincount(lines.doc[text], minlength=lines.num_docs)
        short_lines = np.bincount(lines.doc[short], minlength=lines.num_docs)
        page = (page_lines >= settings.min_lines) & (short_lines >= settings.min_short_lines)
        if not page.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if page.all():
            pages, index = lines, np.arange(lines.num_lines)
        else:
            pages, index = subset(lines, page[lines.doc])  # the same documents, fewer lines
        page_codes = codes[index]
        candidate = np.flatnonzero((page_codes == 0) & ~pages.blank)
        every_line = self.context_features(pages, page_codes, urls)
        features = every_line[candidate]
        # A text with fewer than two blocks (no blank line between runs of lines) goes to the
        # model trained on such text; `first_in_block` marks the first line of each block.
        first = every_line[:, FIRST_IN_BLOCK]
        blocks = np.bincount(pages.doc, weights=first, minlength=pages.num_docs)
        flat = (blocks < 2)[pages.doc[candidate]]
        both = ((self._model, ~flat), (self._flat_model, flat))
        parts = [(model, rows) for model, rows in both if rows.any()]
        margins = np.zeros(candidate.size, dtype=np.float64)
        for model, rows in parts:
            margins[rows] = model.margin(features[rows])
        two = [(model, rows) for model, rows in parts if model.second_pass is not None]
        if two:
            # A model with a second pass scores again the lines its first pass is unsure of,
            # once it knows the words of the lines the first pass is sure are content.
            confident = np.zeros(pages.num_lines, dtype=bool)
            for model, rows in two:
                confident[candidate[rows]] = model.vouching(margins[rows])
            words = content_word_matrix(pages, first, confident)[candidate]
            for model, rows in two:
                assert model.second_pass is not None
                again = np.flatnonzero(rows)[model.undecided(margins[rows])]
                margins[again] = model.second_pass.margin(features[again], words[again])
        return index[candidate], margins

    def rule_removals(self, lines: LineTable) -> np.ndarray:
        """`find_removals` without the model: the pattern and `page_structure` rules only."""
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

    def context_features(
        self,
        lines: LineTable,
        codes: np.ndarray,
        urls: pa.Array | pa.ChunkedArray | None = None,
    ) -> np.ndarray:
        """The model's input: `line_context` features given the rule verdicts `codes` (and the
        documents' `urls`, if known)."""
        offset = len(self.pattern_rules)
        structure = self.config.page_structure
        return line_context_features(
            lines,
            (codes > 0) & (codes <= offset),
            codes > offset,
            urls=urls,
            sentence_min_words=structure.sentence_min_words,
            prose_min_words=structure.prose_min_words,
        )

    def process(self, table: pa.Table) -> StageResult:
        lines = LineTable.from_table(table)
        urls = table[URL] if URL in table.column_names else None
        codes = self.find_removals(lines, urls)
        return apply_line_verdicts(table, lines, codes, self.rules, stage_name=self.name)
