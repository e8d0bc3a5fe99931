"""What lies above and below a line: counts and shares over the rest of its page."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from pipeline.clean.line_context import FEATURES, line_context_features
from pipeline.clean.line_table import LineTable

# A news page as a scraper extracts it: menu, story, a rule-removed heading and what follows it.
PAGE = [
    "Home",  # 0 short
    "World",  # 1 short
    "",
    "Harbour wall repairs delayed until spring",  # 3 (6 words, no ending)
    "The harbour board met on Tuesday and agreed that the repairs cannot start before March.",
    "Engineers found that the north wall needs new foundations, which will take longer to build.",
    "Related stories",  # 6 removed by a rule
    "Ferry timetable changes 12 May 2025",  # 7 dated
    "Council budget approved",  # 8 short
]
REMOVED = {6}


def features(texts: list[str], removed: set[int]) -> tuple[LineTable, np.ndarray]:
    lines = LineTable.from_text(pa.array(texts))
    matched = np.zeros(lines.num_lines, dtype=bool)
    matched[list(removed)] = True
    return lines, line_context_features(lines, matched, np.zeros_like(matched))


def column(values: np.ndarray, name: str) -> list[float]:
    return values[:, FEATURES.index(name)].tolist()


def test_counts_above_and_below_leave_out_the_line_and_blank_lines() -> None:
    _, values = features(["\n".join(PAGE)], REMOVED)
    log = np.log1p
    f32 = np.float32
    # The rule-removed heading is above the two teaser lines and below everything else.
    assert column(values, "log_removed_above")[7] == f32(log(1))
    assert column(values, "log_removed_above")[5] == 0.0
    assert column(values, "log_removed_below")[0] == f32(log(1))
    assert column(values, "log_removed_below")[6] == 0.0  # not counted on its own line
    assert column(values, "removed_above")[8] == 1.0
    assert column(values, "removed_below")[4] == 1.0
    # Two prose lines; the blank line counts on no side.
    assert column(values, "log_prose_above")[6] == f32(log(2))
    assert column(values, "log_prose_below")[3] == f32(log(2))
    assert column(values, "log_prose_below")[4] == f32(log(1))
    # Short lines: the menu, the heading (removed or not) and the last teaser; one dated line.
    assert column(values, "log_short_above")[3] == f32(log(2))
    assert column(values, "log_short_below")[3] == f32(log(2))
    assert column(values, "log_short_below")[7] == f32(log(1))
    assert column(values, "log_dated_above")[8] == f32(log(1))
    assert column(values, "log_dated_below")[0] == f32(log(1))
    assert column(values, "log_dated_below")[7] == 0.0
    assert all(v == 0.0 for v in values[2])  # a blank line has no features


def test_shares_of_the_page_words_and_prose_words() -> None:
    _, values = features(["\n".join(PAGE)], REMOVED)
    words = [0 if not line else line.count(" ") + 1 for line in PAGE]
    prose_words = words[4] + words[5]
    f32 = np.float32
    assert column(values, "page_log_prose_words")[0] == f32(np.log1p(prose_words))
    # Above the story: no prose; below the first paragraph: the second one.
    assert column(values, "prose_words_above")[3] == 0.0
    assert column(values, "prose_words_below")[3] == 1.0
    assert column(values, "prose_words_below")[4] == f32(words[5] / prose_words)
    assert column(values, "prose_words_above")[7] == 1.0
    total = sum(words)
    assert column(values, "words_above")[4] == f32(sum(words[:4]) / total)
    assert column(values, "words_below")[4] == f32(sum(words[5:]) / total)
    # Every line: above + its own + below = the whole page.
    for i in (0, 3, 5, 8):
        own = words[i] / total
        assert (
            abs(column(values, "words_above")[i] + own + column(values, "words_below")[i] - 1)
            < 1e-6
        )


def test_a_page_without_prose_or_removed_lines_gets_zero_shares() -> None:
    _, values = features(["Home\nWorld\nSport\nContact us"], set())
    for name in ("prose_words_above", "prose_words_below", "removed_above", "removed_below"):
        assert column(values, name) == [0.0] * 4, name
    assert column(values, "page_log_prose_words") == [0.0] * 4
    assert column(values, "log_short_above") == np.log1p([0, 1, 2, 3]).astype(np.float32).tolist()


def test_pages_of_a_batch_are_counted_apart() -> None:
    lines, together = features(["\n".join(PAGE), "Menu\nAbout\n" + PAGE[4]], REMOVED)
    _, first = features(["\n".join(PAGE)], REMOVED)
    _, second = features(["Menu\nAbout\n" + PAGE[4]], set())
    assert lines.num_docs == 2
    start = len(PAGE)
    for name in ("log_removed_above", "log_prose_below", "words_above", "page_log_prose_words"):
        assert column(together, name)[:start] == column(first, name), name
        assert column(together, name)[start:] == column(second, name), name


def test_a_page_of_more_prose_words_than_the_logarithm_table() -> None:
    """Pages' prose words can pass the shared table's size (set by the longest line)."""
    paragraph = " ".join(["word"] * 2_000) + "."
    _, values = features(["\n".join([paragraph] * 3)], set())
    assert column(values, "page_log_prose_words") == [np.float32(np.log1p(6_000))] * 3
