"""`line_title`: the title a page's URL names, and where every line is from it, on page shapes
(the whole matrix is also checked against a plain reference in `test_clean_line_context`)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from pipeline.clean.line_context import FEATURES, line_context_features
from pipeline.clean.line_table import LineTable
from pipeline.clean.line_title import TITLE_FEATURES

URL = "https://www.example.com/2025/03/harbour-wall-repairs-delayed/"
ARTICLE = [
    "Home",
    "World",
    "Business",
    "Harbour wall repairs delayed until autumn",
    "By Jo Park",
    "",
    "The harbour board said the repairs to the north wall will not start before the autumn.",
    "Related: Harbour wall repairs delayed again?",
    "Contact us",
]
TITLE = 3


def title_columns(
    pages: list[list[str]], urls: list[str | None] | None, hit: set[tuple[int, int]] = frozenset()
) -> list[dict[str, list[float]]]:
    """Per page, the five title features of its lines (blank lines included, as zeros)."""
    lines = LineTable.from_text(pa.array(["\n".join(page) for page in pages]))
    matched = np.zeros(lines.num_lines, dtype=bool)
    for d, i in hit:
        matched[lines.offsets[d] + i] = True
    none = np.zeros(lines.num_lines, dtype=bool)
    features = line_context_features(
        lines, matched, none, urls=None if urls is None else pa.array(urls, pa.string())
    )
    return [
        {
            name: features[lines.offsets[d] : lines.offsets[d + 1], FEATURES.index(name)].tolist()
            for name in TITLE_FEATURES
        }
        for d in range(len(pages))
    ]


def log1p(values: list[int]) -> list[float]:
    return np.log1p(values).astype(np.float32).tolist()


def test_the_line_that_spells_the_url_is_the_title() -> None:
    (page,) = title_columns([ARTICLE], [URL])
    assert page["url_title_match"][TITLE] == 1.0
    assert page["url_words_share"][TITLE] == np.float32(4 / 6)
    assert page["url_title_match"][6] == np.float32(3 / 4)  # harbour, wall, repairs
    assert page["url_title_match"][:3] == [0.0] * 3
    # Every non-blank line knows how far it is from the title, in non-blank lines.
    assert page["has_url_title"] == [1.0] * 5 + [0.0] + [1.0] * 3
    assert page["log_lines_before_title"] == log1p([3, 2, 1, 0, 0]) + [0.0] * 4
    assert page["log_lines_after_title"] == [0.0] * 4 + log1p([1]) + [0.0] + log1p([2, 3, 4])


def test_the_first_of_equal_matches_wins_and_removed_lines_are_never_the_title() -> None:
    breadcrumb = ["Home › Harbour wall repairs delayed", *ARTICLE]
    (page,) = title_columns([breadcrumb], [URL])
    assert page["log_lines_after_title"][TITLE + 1] == np.float32(np.log1p(TITLE + 1))
    (page,) = title_columns([breadcrumb], [URL], hit={(0, 0)})
    assert page["log_lines_before_title"][0] == np.float32(np.log1p(TITLE + 1))
    assert page["url_title_match"][0] == 1.0  # still scored: it is evidence


def test_pages_without_a_title_get_zeros() -> None:
    zeros = [0.0] * len(ARTICLE)
    for url in (None, "https://example.com/", "https://example.com/harbour", "/p?id=harbour-wall"):
        (page,) = title_columns([ARTICLE], [url])
        assert all(column == zeros for column in page.values()), url
    (page,) = title_columns([ARTICLE], None)
    assert all(column == zeros for column in page.values())
    # Two of five URL words: scored, but no title.
    (page,) = title_columns([ARTICLE], ["/harbour-wall-gate-keeper-lodge"])
    assert page["url_title_match"][TITLE] == np.float32(2 / 5)
    assert page["has_url_title"] == zeros


def test_each_page_of_a_batch_has_its_own_title() -> None:
    other = ["Sign in", "Gate keeper retires", "The gate keeper of the harbour retires in May."]
    first, second, third = title_columns(
        [ARTICLE, other, ARTICLE], [URL, "/gate-keeper-retires", None]
    )
    assert first == title_columns([ARTICLE], [URL])[0]
    assert second["url_title_match"] == [0.0, 1.0, 1.0]  # the first of the two is the title
    assert second["log_lines_before_title"][0] == np.float32(np.log1p(1))
    assert not any(any(column) for column in third.values())
