"""The quality stage end to end: texts in, feature columns, drop reasons and stats out."""

from __future__ import annotations

import pyarrow as pa
import pytest
from quality_fixtures import (
    SENTENCES,
    good_article,
    interview_transcript,
    quote_heavy_interview,
    records,
    repaired_news_page,
    scraped_news_page,
    wire_brief,
    words_text,
)

from pipeline.quality.config import QualityConfig
from pipeline.quality.features import FEATURES
from pipeline.quality.stage import QualityStage
from pipeline.stage import BatchStage


def run(texts: list[str | None], *, original: list[int | None] | None = None, **config):
    stage = QualityConfig(**config).build()
    stage.setup()
    columns = {} if original is None else {"original_chars": pa.array(original, pa.int64())}
    return stage.process(records(texts, **columns))


def reasons(texts: list[str | None], **config) -> list[str | None]:
    return run(texts, **config).table["drop_reason"].to_pylist()


def lines_text(total: int, marked: int, *, mark: str = "", end: str = ".", prefix: str = "") -> str:
    """`total` distinct lines of prose; the first `marked` get `prefix` and end with `mark`."""
    lines = []
    for index in range(total):
        sentence = f"{SENTENCES[index % len(SENTENCES)][:-1]} number {index}"
        if index < marked:
            lines.append(f"{prefix}{sentence}{mark}")
        else:
            lines.append(f"{sentence}{end}")
    return "\n".join(lines)


def test_stage_contract_columns_and_types() -> None:
    stage = QualityConfig().build()
    assert isinstance(stage, QualityStage)
    assert isinstance(stage, BatchStage)
    result = run([good_article(), ""])
    for feature in FEATURES:
        assert result.table.schema.field(feature.column).type == feature.type
    assert {field.name for field in stage.output_fields()} == {
        *(feature.column for feature in FEATURES),
        "drop_reason",
    }
    assert result.table["drop_reason"].to_pylist() == [None, "empty_doc"]


def test_stats_counts_histograms_and_examples() -> None:
    result = run([good_article(), "too short", None])
    stats = result.stats
    assert stats.counters["quality.docs"] == 3
    assert stats.counters["quality.kept"] == 1
    assert stats.counters["quality.dropped.gopher_short_doc"] == 1
    assert stats.counters["quality.dropped.empty_doc"] == 1
    assert stats.counters["quality.fails.gopher_short_doc"] == 2  # the empty one fails it too
    assert stats.histograms["quality.q_word_count"].count == 3
    assert set(stats.histograms) == {f"quality.{feature.column}" for feature in FEATURES}
    examples = stats.samples["quality.gopher_short_doc"].examples()
    assert examples == [{"id": "doc-1", "url": None, "text": "too short"}]


def test_words_at_below_and_above_the_gopher_minimum() -> None:
    texts = [words_text(49), words_text(50), words_text(51)]
    got = reasons(texts, preset="none", drop_empty=False, gopher_min_words=50)
    assert got == ["gopher_short_doc", None, None]


def test_words_at_below_and_above_the_gopher_maximum() -> None:
    texts = [words_text(99), words_text(100), words_text(101)]
    got = reasons(texts, preset="none", gopher_max_words=100)
    assert got == [None, None, "gopher_long_doc"]


def test_bullet_lines_around_ninety_percent() -> None:
    texts = [lines_text(10, count, prefix="• ") for count in (8, 9, 10)]
    got = reasons(texts, preset="none", gopher_max_bullet_line_frac=0.9)
    assert got == [None, None, "gopher_bullet_lines"]


def test_ellipsis_lines_around_thirty_percent() -> None:
    texts = [lines_text(10, count, mark="...") for count in (2, 3, 4)]
    got = reasons(texts, preset="none", gopher_max_ellipsis_line_frac=0.3)
    assert got == [None, None, "gopher_ellipsis_lines"]


def test_duplicate_lines_around_thirty_percent() -> None:
    def text(duplicates: int) -> str:
        return "\n".join([*SENTENCES[: 10 - duplicates], *[SENTENCES[0]] * duplicates])

    got = reasons([text(2), text(3), text(4)], preset="none", gopher_max_dup_line_frac=0.3)
    assert got == [None, None, "gopher_dup_line_frac"]


def test_stop_words_around_two() -> None:
    texts = ["The cat", "The cat and", "The cat and the"]  # 1, 2 and 3 stop words
    got = reasons(texts, preset="none", gopher_min_stop_words=2)
    assert got == ["gopher_stop_words", None, None]


def test_stop_word_rule_only_for_its_languages_when_lang_is_known() -> None:
    german = "Der Hund läuft schnell über die Wiese"
    batch = records([german, german], lang=["de", "en"])
    stage = QualityConfig(preset="none", gopher_min_stop_words=2).build()
    assert stage.process(batch).table["drop_reason"].to_pylist() == [None, "gopher_stop_words"]
    assert reasons([german], preset="none", gopher_min_stop_words=2) == ["gopher_stop_words"]


def test_sentences_around_c4_minimum() -> None:
    texts = [" ".join(SENTENCES[:count]) for count in (4, 5, 6)]
    got = reasons(texts, preset="none", c4_min_sentences=5)
    assert got == ["c4_too_few_sentences", None, None]


def test_c4_page_flags() -> None:
    texts = [
        good_article() + "\nlorem ipsum dolor.",
        good_article() + "\nvar a = {};",
        good_article(),
    ]
    assert reasons(texts, preset="c4") == ["c4_lorem_ipsum", "c4_curly_bracket", None]


def test_line_punctuation_around_twelve_percent() -> None:
    texts = [lines_text(25, count, end="", mark=".") for count in (2, 3, 4)]
    got = reasons(texts, preset="none", fineweb_min_line_punct_frac=0.12)
    assert got == ["fineweb_line_punct_ratio", None, None]


def test_short_lines_around_sixty_seven_percent() -> None:
    long_line = SENTENCES[0]

    def text(short: int) -> str:
        return "\n".join([f"Short line {i}." for i in range(short)] + [long_line] * (100 - short))

    got = reasons([text(66), text(67), text(68)], preset="none", fineweb_max_short_line_frac=0.67)
    assert got == [None, None, "fineweb_short_lines"]


def test_removed_share_is_a_statistic_unless_opted_in() -> None:
    text = "x" * 50
    original = [99, 100, 101]
    assert reasons([text] * 3, preset="none") == [None, None, None]
    got = run([text] * 3, original=original, preset="none", max_removed_char_frac=0.5)
    assert got.table["drop_reason"].to_pylist() == [None, None, "cleaning_removed_char_frac"]
    assert got.table["q_removed_char_frac"].to_pylist() == [49 / 99, 0.5, 51 / 101]


def test_empty_documents() -> None:
    assert reasons(["", None, "  \n\t ", "... --- !!!"]) == ["empty_doc"] * 4


def test_repaired_seed_like_page_survives_the_news_preset() -> None:
    scraped, repaired = scraped_news_page(), repaired_news_page()
    result = run([repaired], original=[len(scraped)], preset="news")
    assert result.table["drop_reason"].to_pylist() == [None]
    removed = result.table["q_removed_char_frac"].to_pylist()[0]
    assert removed == 1 - len(repaired) / len(scraped)
    assert removed > 0.5
    # What the news preset fixes: Gopher's repetition rules drop the page as scraped, and an
    # explicit removed-share threshold would drop the repaired one.
    assert reasons([scraped], preset="gopher") == ["gopher_dup_line_frac"]
    opt_in = run([repaired], original=[len(scraped)], preset="news", max_removed_char_frac=0.5)
    assert opt_in.table["drop_reason"].to_pylist() == ["cleaning_removed_char_frac"]


def test_typographic_quotes_end_lines_in_the_news_preset() -> None:
    interview = quote_heavy_interview()
    assert reasons([interview], preset="fineweb") == ["fineweb_line_punct_ratio"]
    assert reasons([interview], preset="news") == [None]


def test_earlier_drop_reason_is_kept() -> None:
    batch = records([good_article(), "short"], drop_reason=pa.array(["earlier", None]))
    result = QualityConfig().build().process(batch)
    assert result.table["drop_reason"].to_pylist() == ["earlier", "gopher_short_doc"]


@pytest.mark.parametrize("preset", ["gopher", "c4", "fineweb", "news"])
def test_good_article_passes_every_preset(preset: str) -> None:
    assert reasons([good_article()], preset=preset) == [None]


def test_news_preset_keeps_wire_briefs_that_c4_drops() -> None:
    brief = wire_brief()
    assert reasons([brief], preset="c4") == ["c4_too_few_sentences"]
    assert reasons([brief], preset="news") == [None]


def test_news_preset_keeps_repeated_speaker_labels_that_fineweb_drops() -> None:
    transcript = interview_transcript()
    assert reasons([transcript], preset="fineweb") == ["fineweb_dup_line_char_frac"]
    assert reasons([transcript], preset="news") == [None]
