"""Configuration of the quality and language stages.

`quality`: pick a `preset` (gopher, c4, fineweb, news, none); every key the YAML does not set is
taken from the preset, so `config.resolved.yaml` shows the exact thresholds used. Any threshold
can be overridden, or disabled with `null`. The defaults below are the `news` preset (the default
preset); the source of each published value is given next to its key.

`language`: langdetect's answer for each document, reproduced exactly and fast (see
`pipeline/quality/language/`), and an optional filter on the language and its probability.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from pipeline.config_base import StageConfig
from pipeline.quality.presets import DEFAULT_PRESET, PRESETS, preset_values

Fraction = float | None
# The 55 languages of langdetect 1.0.9 (its profile names), plus "und" (no letters / no features).
LANGDETECT_LANGUAGES = (
    "af",
    "ar",
    "bg",
    "bn",
    "ca",
    "cs",
    "cy",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fa",
    "fi",
    "fr",
    "gu",
    "he",
    "hi",
    "hr",
    "hu",
    "id",
    "it",
    "ja",
    "kn",
    "ko",
    "lt",
    "lv",
    "mk",
    "ml",
    "mr",
    "ne",
    "nl",
    "no",
    "pa",
    "pl",
    "pt",
    "ro",
    "ru",
    "sk",
    "sl",
    "so",
    "sq",
    "sv",
    "sw",
    "ta",
    "te",
    "th",
    "tl",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh-cn",
    "zh-tw",
)
UNDETERMINED = "und"


class QualityConfig(StageConfig):
    """Document-level quality rules (Gopher, C4, FineWeb) and their news-tuned preset."""

    type: Literal["quality"] = "quality"
    preset: Literal["gopher", "c4", "fineweb", "news", "none"] = DEFAULT_PRESET

    drop_empty: bool = Field(True, description="drop documents without any word (crawlsieve)")
    # Gopher quality filters: Rae et al. 2021, appendix A.1.1.
    gopher_min_words: int | None = Field(50, ge=0, description="Gopher: 50")
    gopher_max_words: int | None = Field(100_000, ge=0, description="Gopher: 100,000")
    gopher_min_mean_word_length: float | None = Field(3.0, ge=0, description="Gopher: 3")
    gopher_max_mean_word_length: float | None = Field(10.0, ge=0, description="Gopher: 10")
    gopher_max_symbol_word_ratio: float | None = Field(
        0.1, ge=0, description="Gopher: 0.1, for '#' and for ellipses separately"
    )
    gopher_max_bullet_line_frac: Fraction = Field(0.9, ge=0, le=1, description="Gopher: 0.9")
    gopher_max_ellipsis_line_frac: Fraction = Field(0.3, ge=0, le=1, description="Gopher: 0.3")
    gopher_min_alpha_word_frac: Fraction = Field(0.8, ge=0, le=1, description="Gopher: 0.8")
    gopher_min_stop_words: int | None = Field(2, ge=0, description="Gopher: 2")
    # Gopher repetition filters: Rae et al. 2021, table A1.
    gopher_max_dup_line_frac: Fraction = Field(0.30, ge=0, le=1, description="Gopher: 0.30")
    gopher_max_dup_para_frac: Fraction = Field(0.30, ge=0, le=1, description="Gopher: 0.30")
    gopher_max_dup_line_char_frac: Fraction = Field(0.20, ge=0, le=1, description="Gopher: 0.20")
    gopher_max_dup_para_char_frac: Fraction = Field(0.20, ge=0, le=1, description="Gopher: 0.20")
    gopher_max_top_2gram_char_frac: Fraction = Field(0.20, ge=0, le=1, description="Gopher: 0.20")
    gopher_max_top_3gram_char_frac: Fraction = Field(0.18, ge=0, le=1, description="Gopher: 0.18")
    gopher_max_top_4gram_char_frac: Fraction = Field(0.16, ge=0, le=1, description="Gopher: 0.16")
    gopher_max_dup_5gram_char_frac: Fraction = Field(0.15, ge=0, le=1, description="Gopher: 0.15")
    gopher_max_dup_6gram_char_frac: Fraction = Field(0.14, ge=0, le=1, description="Gopher: 0.14")
    gopher_max_dup_7gram_char_frac: Fraction = Field(0.13, ge=0, le=1, description="Gopher: 0.13")
    gopher_max_dup_8gram_char_frac: Fraction = Field(0.12, ge=0, le=1, description="Gopher: 0.12")
    gopher_max_dup_9gram_char_frac: Fraction = Field(0.11, ge=0, le=1, description="Gopher: 0.11")
    gopher_max_dup_10gram_char_frac: Fraction = Field(0.10, ge=0, le=1, description="Gopher: 0.10")
    # C4 document-level rules: Raffel et al. 2020, section 2.2; tfds c4_utils.
    c4_drop_lorem_ipsum: bool = Field(True, description="C4: drop pages with 'lorem ipsum'")
    c4_drop_curly_bracket: bool = Field(True, description="C4: drop pages with '{'")
    c4_min_sentences: int | None = Field(
        3, ge=0, description="C4: 5 in tfds c4_utils and datatrove, 3 in the paper; news: 3"
    )
    # FineWeb: Penedo et al. 2024, section 3.3; datatrove FineWebQualityFilter defaults.
    fineweb_min_line_punct_frac: Fraction = Field(0.12, ge=0, le=1, description="FineWeb: 0.12")
    fineweb_max_short_line_frac: Fraction = Field(0.67, ge=0, le=1, description="FineWeb: 0.67")
    fineweb_max_dup_line_char_frac: Fraction = Field(
        None, ge=0, le=1, description="FineWeb: 0.01; news: null (Gopher's rules apply)"
    )
    fineweb_max_newline_word_ratio: float | None = Field(0.3, ge=0, description="FineWeb: 0.3")
    # crawlsieve: opt-in only, never part of a preset (boilerplate removal is not a defect).
    max_removed_char_frac: Fraction = Field(
        None, ge=0, le=1, description="crawlsieve: opt-in; null keeps it a statistic"
    )

    # Settings of the features (not thresholds).
    stop_words: list[str] = Field(
        default_factory=lambda: list(PRESETS[DEFAULT_PRESET]["stop_words"]),
        description="Gopher: the, be, to, of, and, that, have, with",
    )
    stop_word_languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description="the stop-word rule applies to these `lang` values when a language stage ran "
        "before this one (all documents otherwise); empty list: all documents",
    )
    terminal_punctuation: list[str] = Field(
        default_factory=lambda: list(PRESETS[DEFAULT_PRESET]["terminal_punctuation"]),
        description="FineWeb: . ' \" ! ?  (news adds ” ’ » …)",
    )
    bullet_characters: list[str] = Field(
        default_factory=lambda: list(PRESETS[DEFAULT_PRESET]["bullet_characters"]),
        description="a line starting with one of these is a bullet line",
    )
    short_line_chars: int = Field(30, ge=1, description="FineWeb: short_line_length 30")

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        """Fill every key the user did not set from the chosen preset."""
        if not isinstance(data, dict):
            return data
        preset = data.get("preset", DEFAULT_PRESET)
        if preset not in PRESETS:
            return data  # the `preset` field reports the error
        merged = preset_values(preset)
        merged.update(data)
        return merged

    @field_validator("terminal_punctuation", "bullet_characters")
    @classmethod
    def _single_characters(cls, value: list[str]) -> list[str]:
        for item in value:
            if len(item) != 1:
                raise ValueError(f"each entry must be a single character, got {item!r}")
        return value

    @model_validator(mode="after")
    def _ranges(self) -> QualityConfig:
        low, high = self.gopher_min_words, self.gopher_max_words
        if low is not None and high is not None and low > high:
            raise ValueError("gopher_min_words must not exceed gopher_max_words")
        low_len, high_len = self.gopher_min_mean_word_length, self.gopher_max_mean_word_length
        if low_len is not None and high_len is not None and low_len > high_len:
            raise ValueError(
                "gopher_min_mean_word_length must not exceed gopher_max_mean_word_length"
            )
        return self

    def feature_thresholds(self) -> list[dict[str, Any]]:
        """The enabled rules as (feature column, bound, value, drop reason, config key), for the
        statistics tools (`explain`, `inspect`, the report's histogram markers)."""
        from pipeline.quality.features import FEATURE_PREFIX
        from pipeline.quality.rules import RULES, threshold_of

        settings = self.model_dump()
        items = []
        for rule in RULES:
            threshold = threshold_of(rule, settings)
            if threshold is None:
                continue
            flag = rule.comparison == "flag"
            items.append(
                {
                    "feature": FEATURE_PREFIX + rule.feature,
                    "bound": "min" if rule.comparison == "below" else "max",
                    "value": 0.0 if flag else threshold,
                    "reason": rule.reason,
                    "key": rule.key,
                }
            )
        return items

    def build(self) -> Any:
        from pipeline.quality.stage import QualityStage

        return QualityStage(self)


class LanguageConfig(StageConfig):
    """Language identification with langdetect's profiles and an optional language filter."""

    type: Literal["language"] = "language"
    languages: list[str] = Field(
        default_factory=list,
        description="keep only these langdetect codes ('und': no letters); empty keeps all",
    )
    min_score: float | None = Field(
        None, ge=0, le=1, description="drop documents whose langdetect probability is lower"
    )
    seed: int = Field(0, ge=0, description="langdetect's DetectorFactory.seed")
    window_chars: int | None = Field(
        600,
        ge=50,
        description="classify first/middle/last windows of this many characters of longer texts; "
        "null: the whole text (up to langdetect's 10,000 characters)",
    )
    windows: int = Field(3, ge=1, le=20, description="number of windows")
    escalate_below: float | None = Field(
        0.99,
        ge=0,
        le=1,
        description="re-classify on the whole text when the windows give a lower probability",
    )

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        known = [*LANGDETECT_LANGUAGES, UNDETERMINED]
        for code in value:
            if code not in known:
                close = difflib.get_close_matches(code, known, n=1, cutoff=0.5)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"unknown language {code!r}{hint} (langdetect codes: {', '.join(known)})"
                )
        return value

    def feature_thresholds(self) -> list[dict[str, Any]]:
        """`min_score` as a threshold on `lang_score`, for the statistics tools."""
        if self.min_score is None:
            return []
        return [
            {
                "feature": "lang_score",
                "bound": "min",
                "value": self.min_score,
                "reason": "language_low_score",
                "key": "min_score",
            }
        ]

    def build(self) -> Any:
        from pipeline.quality.language.stage import LanguageStage

        return LanguageStage(self)
