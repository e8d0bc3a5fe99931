"""Structural rules of `line_rules` on full-page text: header, footer, and pages left alone."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.config import LineRulesConfig, PageStructureConfig
from pipeline.clean.line_rules import LineRulesStage
from pipeline.clean.line_table import LineTable
from pipeline.clean.page_structure import removal_kinds, thresholds

ARTICLE = [
    "The harbour board approved the new sea wall on Tuesday after a decade of delays and disputes.",
    "Engineers say the wall will protect about four hundred homes from the worst winter storms.",
    "Work is due to begin in the spring, and the board expects it to take three years to finish.",
    "Residents who campaigned for the wall said they were relieved but would watch the costs.",
]
HEADER = [
    "Skip to content",
    "* News",
    "* Sport",
    "* Weather",
    "* Travel",
    "Sign in",
    "Subscribe",
]
TITLE = ["Harbour board backs sea wall", "A decade-long dispute ends with a vote"]
FOOTER = [
    "* About us",
    "* Contact",
    "* Careers",
    "Privacy Policy",
    "© 2025 Harbour Media",
    "Terms of Use",
]


# The structural rules are off by default (page_furniture does their work); these tests switch
# them on, and page_furniture off, to see them alone.
STRUCTURAL_ONLY = ["furniture_block", "page_furniture"]


@pytest.fixture(scope="module")
def stage() -> LineRulesStage:
    built = LineRulesConfig(disabled_rules=STRUCTURAL_ONLY).build()
    built.setup()
    return built


@pytest.fixture(scope="module")
def default_stage() -> LineRulesStage:
    built = LineRulesConfig().build()
    built.setup()
    return built


def removals(
    stage: LineRulesStage, *docs: list[str], url: str | None = None
) -> list[list[tuple[str, str]]]:
    """(rule, line) of each removed line per document; `url` is every document's URL."""
    lines = LineTable.from_text(pa.array(["\n".join(doc) for doc in docs]))
    codes = stage.find_removals(lines, pa.array([url] * len(docs), pa.string()))
    text = lines.lines.to_pylist()
    out: list[list[tuple[str, str]]] = [[] for _ in docs]
    for index, code in enumerate(codes.tolist()):
        if code:
            out[lines.doc[index]].append((stage.rules[code - 1], text[index]))
    return out


def test_structural_rules_are_off_by_default(default_stage: LineRulesStage) -> None:
    assert not {"page_header", "page_footer", "furniture_block"} & set(default_stage.rules)
    assert "page_furniture" in default_stage.rules


def test_full_page_header_and_footer(stage: LineRulesStage) -> None:
    page = HEADER + TITLE + ARTICLE + ["Ingredients of the plan", "- Sea wall", "- Pumps"] + FOOTER
    result = removals(stage, page)[0]
    assert result == [
        ("navigation", "Skip to content"),
        ("page_header", "* News"),
        ("page_header", "* Sport"),
        ("page_header", "* Weather"),
        ("page_header", "* Travel"),
        ("login_cart", "Sign in"),
        ("call_to_action", "Subscribe"),
        ("navigation", "* About us"),
        ("page_footer", "* Contact"),
        ("page_footer", "* Careers"),
        ("copyright", "Privacy Policy"),
        ("copyright", "© 2025 Harbour Media"),
        ("copyright", "Terms of Use"),
    ]


def test_extracted_article_is_left_to_the_pattern_rules(
    stage: LineRulesStage, default_stage: LineRulesStage
) -> None:
    # Headline, standfirst, a short list at the end: no furniture zone, nothing structural.
    page = TITLE + ARTICLE + ["Key dates", "- March: tender", "- May: contract"]
    assert removals(stage, page)[0] == []
    assert removals(default_stage, page)[0] == []


def test_page_with_little_prose_is_left_alone(
    stage: LineRulesStage, default_stage: LineRulesStage
) -> None:
    # A product page: mostly short lines, one sentence pair; the menu items stay.
    page = (
        HEADER
        + ["Trail Shoe 2", "$120", "Size", "8", "9", "10", "Colour", "Blue", "Grey"]
        + ARTICLE[:2]
        + ["Weight: 300 g", "Drop: 6 mm", "Lugs: 4 mm", "Upper: mesh", "Sole: rubber"] * 16
        + FOOTER
    )
    patterns = {"navigation", "login_cart", "call_to_action", "copyright"}
    assert {rule for rule, _ in removals(stage, page)[0]} == patterns
    # The furniture model takes menu and footer links and may take option pickers ("Size",
    # "Colour", a colour) and a bare price (WCXB's labels call most of those boilerplate: price
    # lines of product pages 526:33), never the product's specification or prose, nor its name
    # where the URL spells it, as product URLs do.
    removed = removals(default_stage, page, url="https://shop.example.com/p/trail-shoe-2")[0]
    assert {rule for rule, _ in removed} <= patterns | {"page_furniture"}
    options = ["$120", "Size", "8", "9", "10", "Colour", "Blue", "Grey"]
    furniture = {line for rule, line in removed if rule == "page_furniture"}
    assert furniture <= set(HEADER + FOOTER + options)
    assert {"* News", "* Careers"} <= furniture
    kept = set(page) - {line for _, line in removed}
    assert {"Trail Shoe 2", "Weight: 300 g", "Sole: rubber", *ARTICLE[:2]} <= kept


def test_title_lines_above_the_body_are_kept(
    stage: LineRulesStage, default_stage: LineRulesStage
) -> None:
    page = HEADER + ["Home > News > Local"] + TITLE + ["Share"] + ARTICLE + FOOTER
    for built in (stage, default_stage):
        flags = _flags(built, page)
        kept = [line for line, (_, removed) in zip(page, flags, strict=True) if not removed]
        assert TITLE[0] in kept and TITLE[1] in kept
        assert all(line in kept for line in ARTICLE)


def test_structural_rules_can_be_disabled() -> None:
    stage = LineRulesConfig(disabled_rules=[*STRUCTURAL_ONLY, "page_header", "page_footer"]).build()
    page = HEADER + TITLE + ARTICLE + FOOTER
    assert {rule for rule, _ in removals(stage, page)[0]} == {
        "navigation",
        "login_cart",
        "call_to_action",
        "copyright",
    }


def test_zone_needs_furniture_evidence() -> None:
    config = LineRulesConfig(
        disabled_rules=STRUCTURAL_ONLY, page_structure=PageStructureConfig(zone_min_furniture=5)
    )
    stage = config.build()
    page = HEADER + TITLE + ARTICLE + FOOTER
    assert "page_header" not in {rule for rule, _ in removals(stage, page)[0]}


def _flags(stage: LineRulesStage, page: list[str]) -> list[tuple[str, bool]]:
    lines = LineTable.from_text(pa.array(["\n".join(page)]))
    codes = stage.find_removals(lines)
    return [(line, bool(code)) for line, code in zip(page, codes.tolist(), strict=True)]


def reference_kinds(
    doc: np.ndarray,
    words: np.ndarray,
    matched: np.ndarray,
    prose: np.ndarray,
    heading: np.ndarray,
    config: PageStructureConfig,
) -> np.ndarray:
    """`removal_kinds` in plain numpy over all lines at once (its definition before it was
    compiled): anchors, full pages, gaps and their spans as array operations."""
    far = 1 << 40
    position = np.arange(doc.size)

    def gap_to_previous(flag: np.ndarray, group: np.ndarray) -> np.ndarray:
        previous = np.where(flag, position, -1)
        previous = np.concatenate([[-1], np.maximum.accumulate(previous)[:-1]])
        valid = previous >= 0
        valid[valid] = group[previous[valid]] == group[valid]
        return np.where(valid, position - previous, far)

    num_docs = int(doc.max()) + 1
    own = prose & ~matched
    anchor = own & (
        (gap_to_previous(own, doc) <= config.anchor_window)
        | (gap_to_previous(own[::-1], doc[::-1])[::-1] <= config.anchor_window)
        | (words >= config.anchor_min_words)
    )
    first = np.full(num_docs, far, dtype=np.int64)
    last = np.full(num_docs, -1, dtype=np.int64)
    np.minimum.at(first, doc[anchor], position[anchor])
    np.maximum.at(last, doc[anchor], position[anchor])
    prose_words = np.bincount(doc, weights=np.where(own, words, 0), minlength=num_docs)
    all_words = np.bincount(doc, weights=words, minlength=num_docs)
    full_page = (last >= 0) & (prose_words >= config.min_prose_share * np.maximum(all_words, 1))
    member = ~anchor & full_page[doc]
    start = member.copy()
    start[1:] &= ~(member[:-1] & (doc[1:] == doc[:-1]))
    gap = np.where(member, np.cumsum(start) - 1, -1)
    num_gaps = int(start.sum())
    out = np.zeros(doc.size, dtype=np.int8)
    if num_gaps == 0:
        return out
    in_gap = gap >= 0
    furniture = in_gap & matched
    count = np.bincount(gap[furniture], minlength=num_gaps)
    first_f = np.full(num_gaps, far, dtype=np.int64)
    last_f = np.full(num_gaps, -1, dtype=np.int64)
    np.minimum.at(first_f, gap[furniture], position[furniture])
    np.maximum.at(last_f, gap[furniture], position[furniture])
    gap_start = np.flatnonzero(start)
    gap_end = np.full(num_gaps, -1, dtype=np.int64)
    np.maximum.at(gap_end, gap[in_gap], position[in_gap])
    header = gap_start < first[doc[gap_start]]
    footer = gap_start > last[doc[gap_start]]
    span_first = np.where(header, gap_start, first_f)
    span_last = np.where(footer, gap_end, last_f)
    span_lines = span_last - span_first + 1
    ok = (count >= config.zone_min_furniture) & (span_lines >= config.zone_min_lines)
    ok &= (header | footer) | (
        (count >= config.interior_min_furniture)
        & (count >= config.interior_min_share * np.maximum(span_lines, 1))
    )
    kind = np.where(header, 1, np.where(footer, 3, 2))
    g = np.maximum(gap, 0)
    in_span = in_gap & ok[g] & (position >= span_first[g]) & (position <= span_last[g])
    lone_prose = prose & ~anchor & ~matched
    removable = (~prose | lone_prose) & ~matched
    removable &= ~((kind[g] == 1) & heading & ~prose)
    return np.where(in_span & removable, kind[g], 0).astype(np.int8)


CONFIGS = [
    PageStructureConfig(),
    PageStructureConfig(anchor_window=1, zone_min_lines=1, zone_min_furniture=1),
    PageStructureConfig(
        min_prose_share=0.2, interior_min_furniture=1, interior_min_share=0.3, anchor_min_words=60
    ),
    PageStructureConfig(
        zone_min_lines=1, zone_min_furniture=0, interior_min_furniture=0, interior_min_share=0.0
    ),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_compiled_kinds_equal_the_numpy_reference(config: PageStructureConfig) -> None:
    rng = np.random.default_rng(11)
    for _ in range(30):
        lines_per_doc = rng.integers(1, 60, size=rng.integers(1, 40))
        doc = np.repeat(np.arange(lines_per_doc.size), lines_per_doc)
        words = rng.choice([1, 2, 3, 5, 8, 12, 20, 45, 80], size=doc.size)
        matched = rng.random(doc.size) < rng.uniform(0.0, 0.5)
        prose = (words >= 8) & (rng.random(doc.size) < 0.8)
        heading = (words >= 5) & (rng.random(doc.size) < 0.7)
        args = (doc, words, matched, prose, heading)
        expected = reference_kinds(*args, config)
        got = removal_kinds(*args, *thresholds(config))
        np.testing.assert_array_equal(got, expected)
