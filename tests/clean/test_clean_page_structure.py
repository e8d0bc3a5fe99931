"""Structural rules of `line_rules` on full-page text: header, footer, and pages left alone."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.clean.config import LineRulesConfig, PageStructureConfig
from pipeline.clean.line_rules import LineRulesStage
from pipeline.clean.line_table import LineTable

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


@pytest.fixture(scope="module")
def stage() -> LineRulesStage:
    built = LineRulesConfig().build()
    built.setup()
    return built


def removals(stage: LineRulesStage, *docs: list[str]) -> list[list[tuple[str, str]]]:
    lines = LineTable.from_text(pa.array(["\n".join(doc) for doc in docs]))
    codes = stage.find_removals(lines)
    text = lines.lines.to_pylist()
    out: list[list[tuple[str, str]]] = [[] for _ in docs]
    for index, code in enumerate(codes.tolist()):
        if code:
            out[lines.doc[index]].append((stage.rules[code - 1], text[index]))
    return out


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


def test_extracted_article_is_left_to_the_pattern_rules(stage: LineRulesStage) -> None:
    # Headline, standfirst, a short list at the end: no furniture zone, nothing structural.
    page = TITLE + ARTICLE + ["Key dates", "- March: tender", "- May: contract"]
    assert removals(stage, page)[0] == []


def test_page_with_little_prose_is_left_alone(stage: LineRulesStage) -> None:
    # A product page: mostly short lines, one sentence pair; the menu items stay.
    page = (
        HEADER
        + ["Trail Shoe 2", "$120", "Size", "8", "9", "10", "Colour", "Blue", "Grey"]
        + ARTICLE[:2]
        + ["Weight: 300 g", "Drop: 6 mm", "Lugs: 4 mm", "Upper: mesh", "Sole: rubber"] * 16
        + FOOTER
    )
    removed = removals(stage, page)[0]
    rules = {rule for rule, _ in removed}
    assert rules == {"navigation", "login_cart", "call_to_action", "copyright", "page_furniture"}
    # No structural rule fires; the furniture model only takes footer links, no specification.
    assert {line for rule, line in removed if rule == "page_furniture"} <= set(FOOTER)


def test_title_lines_above_the_body_are_kept(stage: LineRulesStage) -> None:
    page = HEADER + ["Home > News > Local"] + TITLE + ["Share"] + ARTICLE + FOOTER
    kept = [
        line for line, (_, removed) in zip(page, _flags(stage, page), strict=True) if not removed
    ]
    assert TITLE[0] in kept and TITLE[1] in kept


def test_structural_rules_can_be_disabled() -> None:
    stage = LineRulesConfig(disabled_rules=["page_header", "page_footer"]).build()
    page = HEADER + TITLE + ARTICLE + FOOTER
    assert {rule for rule, _ in removals(stage, page)[0]} == {
        "navigation",
        "login_cart",
        "call_to_action",
        "copyright",
    }


def test_zone_needs_furniture_evidence() -> None:
    config = LineRulesConfig(page_structure=PageStructureConfig(zone_min_furniture=5))
    stage = config.build()
    page = HEADER + TITLE + ARTICLE + FOOTER
    assert "page_header" not in {rule for rule, _ in removals(stage, page)[0]}


def _flags(stage: LineRulesStage, page: list[str]) -> list[tuple[str, bool]]:
    lines = LineTable.from_text(pa.array(["\n".join(page)]))
    codes = stage.find_removals(lines)
    return [(line, bool(code)) for line, code in zip(page, codes.tolist(), strict=True)]
