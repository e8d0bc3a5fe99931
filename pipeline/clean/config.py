"""Configuration of the cleaning stages: `normalize`, `block_rules`, `line_rules`,
`repeated_blocks` and `site_boilerplate`.

Rules are data: every pattern list and threshold is a key here, with its default and where the
default comes from. Patterns are RE2 expressions (Arrow's regex engine), matched case-insensitively
against whole lines; a pattern RE2 cannot compile is a configuration error, reported before any
work starts.
"""

from __future__ import annotations

from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, field_validator, model_validator

from pipeline.clean import default_patterns as defaults
from pipeline.clean import other_language_comments as comments
from pipeline.clean import other_language_patterns as other
from pipeline.config_base import StageConfig, StrictModel


def check_patterns(patterns: list[str]) -> list[str]:
    """Raise `ValueError` naming the first pattern RE2 cannot compile.

    The probe is a null string array: RE2 compiles the pattern all the same, and unlike
    `pa.array([...])` from a Python list it does not make pyarrow import pandas (about 1 s of
    start-up on a config validation that needs none of it).
    """
    probe = pa.nulls(1, pa.string())
    for pattern in patterns:
        try:
            pc.match_substring_regex(probe, pattern=pattern)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"not a valid RE2 pattern {pattern!r}: {exc}") from None
    return patterns


class NormalizeConfig(StageConfig):
    """Unicode and whitespace normalisation (run it first; it is cheap)."""

    type: Literal["normalize"] = "normalize"
    unicode_form: Literal["NFC", "NFKC", "none"] = Field(
        default="NFC", description="Unicode normalisation form; NFC changes no visible character"
    )
    unify_spaces: bool = Field(
        default=True, description="turn no-break and other Unicode spaces into plain spaces"
    )
    collapse_spaces: bool = Field(
        default=True, description="collapse runs of spaces inside a line (indentation is kept)"
    )
    max_blank_lines: int = Field(
        default=1, ge=0, le=10, description="longest run of blank lines kept between text lines"
    )

    def build(self) -> Any:
        from pipeline.clean.normalize import NormalizeStage

        return NormalizeStage(self)


class BlockRulesConfig(StageConfig):
    """Headed lists of related links, reader comments under an article, and bylines / datelines
    at the edges of the text."""

    type: Literal["block_rules"] = "block_rules"
    related_headings: list[str] = Field(
        default_factory=lambda: [*defaults.RELATED_HEADINGS, *other.RELATED_HEADINGS],
        description=(
            "headings of related-link lists ('LATEST DEVELOPMENTS:', 'Most Read', 'Mehr zum "
            "Thema', ...)"
        ),
    )
    heading_max_chars: int = Field(
        default=80, ge=10, le=300, description="longer lines are never related-link headings"
    )
    list_min_items: int = Field(
        default=2, ge=1, le=20, description="headline-like lines needed after a heading (issue 3)"
    )
    list_item_max_words: int = Field(
        default=25, ge=3, le=100, description="headline-like: at most this many words"
    )
    list_item_max_chars: int = Field(
        default=180, ge=20, le=1000, description="headline-like: at most this many characters"
    )
    list_max_items: int = Field(
        default=30, ge=1, le=500, description="a related-link list ends after this many items"
    )
    byline_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.BYLINE_PATTERNS, *other.BYLINE_PATTERNS],
        description="'By Jane Doe', 'Reviewed by ...' (edge lines only)",
    )
    role_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.ROLE_PATTERNS, *other.ROLE_PATTERNS],
        description="'Guest Reporter', 'Political Editor' (edge lines only)",
    )
    dateline_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.DATELINE_PATTERNS, *other.DATELINE_PATTERNS],
        description="'Published 3 hours ago', 'Updated: 14:32', '5 min read' (edge lines only)",
    )
    person_name_pattern: str = Field(
        default=defaults.PERSON_NAME,
        description="a lone name line, removed only next to a role line ('Guest Reporter')",
    )
    edge_lines: int = Field(
        default=4,
        ge=0,
        le=50,
        description="how many non-blank lines at each edge (of the text, and of the article body "
        "inside a full page) bylines and datelines are looked for in; a run of them that starts "
        "there is followed up to three times as far",
    )
    edge_max_chars: int = Field(
        default=120, ge=10, le=500, description="longer lines are never bylines or datelines"
    )
    comment_date_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.COMMENT_DATES, *comments.COMMENT_DATES],
        description="the date of a comment's signature, with or without a time ('July 14, 2015 "
        "at 3:53 pm', 'July 25, 2019', '3 years ago')",
    )
    comment_commenter_pattern: str = Field(
        default=comments.COMMENT_COMMENTER,
        description="what may stand before the date in a signature: a name, 'says', a separator "
        "('Sharon says: ', 'Amy · ')",
    )
    comment_signature_exclusions: list[str] = Field(
        default_factory=lambda: [
            *defaults.COMMENT_SIGNATURE_EXCLUSIONS,
            *comments.COMMENT_SIGNATURE_EXCLUSIONS,
        ],
        description="lines that are never signatures ('asked May 2, 2009 at 0:01', 'Posted ...')",
    )
    comment_skip_page_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.COMMENT_SKIP_PAGE, *comments.COMMENT_SKIP_PAGE],
        description="a page with such a line keeps its comments (a question site's 'answered "
        "Jun 8, 2018 at 10:24': the comments under its answers are content)",
    )
    comment_heading_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.COMMENT_HEADINGS, *comments.COMMENT_HEADINGS],
        description="headings of a comment thread ('42 Comments', 'Reader Interactions', '3 "
        "Kommentare'; English, then the seven other languages' forms)",
    )
    comment_says_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.COMMENT_SAYS, *comments.COMMENT_SAYS],
        description="a commenter line that makes a heading unnecessary ('Sharon says', 'Sharon "
        "sagt:')",
    )
    comment_end_patterns: list[str] = Field(
        default_factory=lambda: [*defaults.COMMENT_ENDS, *comments.COMMENT_ENDS],
        description="the line that closes a comment ('Reply', 'Log in to Reply')",
    )
    comment_min_signatures: int = Field(
        default=3,
        ge=0,
        le=1000,
        description="signatures a comment thread needs (0 switches `comment_thread` off)",
    )
    comment_max_gap: int = Field(
        default=30,
        ge=1,
        le=1000,
        description="non-blank lines between two signatures of one thread, at most",
    )
    comment_min_prose_words: int = Field(
        default=50,
        ge=0,
        le=100000,
        description="words of prose lines that must stand above a thread (the article it is "
        "under; a forum thread's posts are kept)",
    )
    comment_heading_lookback: int = Field(
        default=8,
        ge=0,
        le=100,
        description="non-blank lines above the first signature searched for a comments heading",
    )

    @field_validator(
        "related_headings",
        "byline_patterns",
        "role_patterns",
        "dateline_patterns",
        "comment_date_patterns",
        "comment_signature_exclusions",
        "comment_skip_page_patterns",
        "comment_heading_patterns",
        "comment_says_patterns",
        "comment_end_patterns",
    )
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        return check_patterns(value)

    @field_validator("person_name_pattern", "comment_commenter_pattern")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        check_patterns([value])
        return value

    def build(self) -> Any:
        from pipeline.clean.block_rules import BlockRulesStage

        return BlockRulesStage(self)


class PageStructureConfig(StrictModel):
    """Thresholds of the full-page structure rules (see `pipeline/clean/page_structure.py`).

    Defaults were measured on WCXB dev pages (docs/cleaning.md): they keep at least 95% of the
    content lines of a page on average.
    """

    sentence_min_words: int = Field(
        default=8, ge=1, le=100, description="a prose line: this many words and a sentence ending"
    )
    prose_min_words: int = Field(
        default=20, ge=1, le=500, description="... or this many words whatever its ending"
    )
    anchor_window: int = Field(
        default=3, ge=1, le=50, description="an anchor has another prose line this close"
    )
    anchor_min_words: int = Field(
        default=30, ge=1, le=1000, description="... or this many words on its own"
    )
    min_prose_share: float = Field(
        default=0.15,
        ge=0.0,
        le=1.0,
        description="pages with a smaller share of words in prose lines are left alone",
    )
    zone_min_lines: int = Field(
        default=6, ge=1, le=1000, description="a header / footer zone has at least this many lines"
    )
    zone_min_furniture: int = Field(
        default=1,
        ge=0,
        le=100,
        description="... of which at least this many were matched by a pattern rule",
    )
    interior_min_furniture: int = Field(
        default=3,
        ge=0,
        le=1000,
        description="a furniture span between two parts of the body needs this many pattern lines",
    )
    interior_min_share: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="... and this share of its lines matched by a pattern rule",
    )
    header_heading_words: int = Field(
        default=4,
        ge=1,
        le=100,
        description="header lines this long without a list marker look like a title and are kept",
    )


class PageFurnitureConfig(StrictModel):
    """The `page_furniture` rule: the furniture model's threshold (see `furniture_model.py`)."""

    threshold: float = Field(
        default=0.9075,
        gt=0.0,
        le=1.0,
        description="a line the model scores as furniture with this probability or more is "
        "removed; chosen by cross-validation grouped by site on WCXB dev (docs/cleaning.md)",
    )
    min_lines: int = Field(
        default=8,
        ge=1,
        le=10_000,
        description="texts with fewer non-blank lines are left alone: a few lines have no page "
        "around them to judge by",
    )
    min_short_lines: int = Field(
        default=3,
        ge=0,
        le=10_000,
        description="... and texts with fewer short lines (4 words or fewer, no sentence ending): "
        "furniture is short lines, so prose-only text such as a newswire story is not scored",
    )
    model_path: str | None = Field(
        default=None,
        description="a model JSON of your own (scripts/train_furniture_model.py); null: the "
        "model shipped in pipeline/clean/furniture_model.json",
    )
    flat_model_path: str | None = Field(
        default=None,
        description="the model for texts without a blank line between two blocks of lines (text "
        "extracted without block breaks, as in WET files; train one with --no-blank-copies); "
        "null: the one shipped in pipeline/clean/furniture_model_flat.json",
    )


class LineRulesConfig(StageConfig):
    """Whole-line trailers, calls to action and page furniture, plus menus in full-page text."""

    type: Literal["line_rules"] = "line_rules"
    rules: dict[str, list[str]] = Field(
        default_factory=lambda: other.merged(defaults.LINE_RULES, other.LINE_RULES),
        description=(
            "rule name -> full-line patterns (English, then the same phrases in de, fr, es, it, "
            "pt, nl, ru); the first matching rule names a removal"
        ),
    )
    extra_rules: dict[str, list[str]] = Field(
        default_factory=dict, description="added after `rules` (same shape), for your own lines"
    )
    disabled_rules: list[str] = Field(
        default_factory=lambda: ["furniture_block", "page_header", "page_footer"],
        description="rule names to switch off, including structural ones; `furniture_block`, "
        "`page_header` and `page_footer` are off by default: `page_furniture` removes more of "
        "the same menus and footers for less content (docs/cleaning.md)",
    )
    max_line_chars: int = Field(
        default=300,
        ge=20,
        le=5000,
        description="lines longer than this are prose and never matched by a pattern",
    )
    any_length_rules: list[str] = Field(
        default_factory=lambda: ["consent_dialog"],
        description="pattern rules also tried on lines longer than `max_line_chars`: their "
        "patterns begin with a sentence only a consent dialog or a form writes ('We and our 84 "
        "partners store ...'), which runs past any length limit (docs/cleaning.md)",
    )
    page_structure: PageStructureConfig = Field(
        default_factory=lambda: PageStructureConfig(),
        description="the `page_header` / `furniture_block` / `page_footer` rules for full pages",
    )
    page_furniture: PageFurnitureConfig = Field(
        default_factory=lambda: PageFurnitureConfig(),
        description="the `page_furniture` rule: lines the furniture model scores as boilerplate",
    )

    @field_validator("rules", "extra_rules")
    @classmethod
    def _valid_rules(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, patterns in value.items():
            if not name.isascii() or not name.replace("_", "").isalnum():
                raise ValueError(f"rule names are ASCII identifiers, got {name!r}")
            check_patterns(patterns)
        return value

    @model_validator(mode="after")
    def _known_any_length_rules(self) -> LineRulesConfig:
        # The default names a default rule; a config that replaces `rules` without it is fine.
        if "any_length_rules" in self.model_fields_set:
            known = {*self.rules, *self.extra_rules}
            unknown = [name for name in self.any_length_rules if name not in known]
            if unknown:
                raise ValueError(
                    f"any_length_rules names {unknown}, which are not pattern rules (`rules` or "
                    "`extra_rules`)"
                )
        return self

    def build(self) -> Any:
        from pipeline.clean.line_rules import LineRulesStage

        return LineRulesStage(self)


class RepeatedBlocksConfig(StageConfig):
    """Repair a page whose body appears twice: keep the first copy, remove the repeat."""

    type: Literal["repeated_blocks"] = "repeated_blocks"
    min_line_chars: int = Field(
        default=30,
        ge=1,
        le=1000,
        description="lines at least this long anchor a repeat (short lines repeat naturally)",
    )
    min_block_lines: int = Field(
        default=2, ge=1, le=100, description="anchor lines a repeated block needs"
    )
    min_block_chars: int = Field(
        default=200,
        ge=0,
        description="characters a repeated block needs (a repeated 3-line chorus stays)",
    )
    min_block_share: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="share of the document's characters a repeated block needs (a scraped second "
        "copy is large; a quoted post or a repeated price table is not)",
    )
    max_gap_lines: int = Field(
        default=3,
        ge=0,
        le=50,
        description="changed or extra lines tolerated between two repeated anchor lines",
    )
    near_match_similarity: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="share of a gap line's words found in the first copy for the line to count "
        "as a near copy when it is at the block's edge",
    )

    def build(self) -> Any:
        from pipeline.clean.repeated_blocks import RepeatedBlocksStage

        return RepeatedBlocksStage(self)


class SiteBoilerplateConfig(StageConfig):
    """Lines that recur on many pages of one site, learned from the corpus (a global stage)."""

    type: Literal["site_boilerplate"] = "site_boilerplate"
    min_docs: int = Field(
        default=5,
        ge=2,
        description="a line is site boilerplate when this many pages of its site contain it",
    )
    min_docs_sentence: int = Field(
        default=20,
        ge=2,
        description="the same for lines that read like a sentence (a quote two articles share "
        "should survive)",
    )
    min_site_share: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="and at least this share of the site's pages contain it (0 = no condition)",
    )
    min_line_chars: int = Field(default=3, ge=1, description="shorter lines are not fingerprinted")
    max_line_chars: int = Field(
        default=500, ge=10, description="longer lines are not fingerprinted"
    )
    sentence_min_words: int = Field(
        default=8, ge=1, description="a 'sentence' line has this many words and ends like one"
    )
    resolve_memory_mb: float = Field(
        default=256,
        gt=0,
        description="memory of `resolve` for the fingerprint rows it counts at once (8 bytes "
        "each); more rows are counted in partitions, each read from the files again",
    )

    @model_validator(mode="after")
    def _thresholds(self) -> SiteBoilerplateConfig:
        if self.min_docs_sentence < self.min_docs:
            raise ValueError("min_docs_sentence must be at least min_docs")
        if self.max_line_chars < self.min_line_chars:
            raise ValueError("max_line_chars must be at least min_line_chars")
        return self

    def build(self) -> Any:
        from pipeline.clean.site_boilerplate import SiteBoilerplateStage

        return SiteBoilerplateStage(self)
