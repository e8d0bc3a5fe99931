"""`block_rules`: related-link blocks and edge bylines / datelines, with the hard negatives."""

from __future__ import annotations

from clean_fixtures import verdicts

from pipeline.clean.block_rules import BlockRulesStage
from pipeline.clean.config import BlockRulesConfig

PROSE = "The committee met on Tuesday and agreed to publish its findings before the summer recess."
PROSE_2 = "Officials said the decision would be reviewed by an independent panel later this year."


def test_related_blocks_with_and_without_markers(block_rules_stage: BlockRulesStage) -> None:
    bulleted = [
        PROSE,
        "RELATED STORIES",
        "• Storm closes coastal road",
        "• Ferry timetable cut",
        PROSE_2,
    ]
    plain = [
        PROSE,
        "Most Read",
        "Minister resigns over expenses row",
        "Club sacks manager",
        PROSE_2,
    ]
    numbered = [
        PROSE,
        "You might also like:",
        "1. Ten walks for winter",
        "2. Best soup recipes",
        PROSE_2,
    ]
    read_more = [PROSE, "Read more:", "* Markets slide on rate fears", "* Oil price falls again"]
    result = verdicts(block_rules_stage, bulleted, plain, numbered, read_more)
    assert result[0] == [("related_links_block", line) for line in bulleted[1:4]]
    # Without markers, the last item right before prose is kept as a possible subheading; one
    # item is not a list, so the heading goes alone.
    assert result[1] == [("related_links_heading", "Most Read")]
    assert result[2] == [("related_links_block", line) for line in numbered[1:4]]
    assert result[3] == [("related_links_block", line) for line in read_more[1:4]]


def test_plain_list_of_three_keeps_last_line_before_prose(
    block_rules_stage: BlockRulesStage,
) -> None:
    doc = [PROSE, "Most Read", "Minister resigns", "Club sacks manager", "Storm warning", PROSE_2]
    assert verdicts(block_rules_stage, doc)[0] == [
        ("related_links_block", line) for line in doc[1:4]
    ]


def test_a_question_site_sidebar_goes_as_a_block(block_rules_stage: BlockRulesStage) -> None:
    sidebar = [
        "Hot Network Questions",
        "* Why does my sourdough collapse in the oven?",
        "* Is it safe to proof dough overnight at room temperature?",
        "* How do I convert a recipe from cups to grams?",
    ]
    result = verdicts(block_rules_stage, [PROSE, PROSE_2, *sidebar])
    assert result[0] == [("related_links_block", line) for line in sidebar]


def test_a_shop_carousel_goes_as_a_block(block_rules_stage: BlockRulesStage) -> None:
    carousel = ["Customers also bought", "Cast Iron Care Kit", "Silicone Handle Cover", "Trivet"]
    result = verdicts(block_rules_stage, [PROSE, PROSE_2, *carousel])
    assert result[0] == [("related_links_block", line) for line in carousel]


def test_heading_followed_by_prose_goes_alone(block_rules_stage: BlockRulesStage) -> None:
    doc = [PROSE, "LATEST DEVELOPMENTS:", PROSE_2, "Trailing words of the story are here."]
    assert verdicts(block_rules_stage, doc)[0] == [
        ("related_links_heading", "LATEST DEVELOPMENTS:")
    ]


def test_genuine_lists_are_kept(block_rules_stage: BlockRulesStage) -> None:
    ingredients = [PROSE, "Ingredients", "- 200g flour", "- 2 eggs", "- 1 pinch of salt", PROSE_2]
    recommendations = [PROSE, "Our recommendations", "* Hiking boots", "* Rain jacket", PROSE_2]
    results = [PROSE, "Results:", "1. Team A 3-1 Team B", "2. Team C 0-0 Team D", PROSE_2]
    steps = [
        PROSE,
        "Latest updates:",
        "1. Preheat the oven to 180C and grease the tin.",
        "2. Mix the flour with the eggs until smooth.",
        PROSE_2,
    ]
    result = verdicts(block_rules_stage, ingredients, recommendations, results, steps)
    assert result[:3] == [[], [], []]
    # Numbered steps are sentences, not headlines: only the heading goes.
    assert result[3] == [("related_links_heading", "Latest updates:")]


def test_prose_mentioning_related_phrases_is_kept(block_rules_stage: BlockRulesStage) -> None:
    doc = [
        "The latest developments in the case surprised even the prosecutors.",
        "Readers can read more about the inquiry on the council's website.",
        "A source close to the family said the most read stories were about the trial.",
    ]
    assert verdicts(block_rules_stage, doc)[0] == []


def test_bylines_and_datelines_at_the_edges(block_rules_stage: BlockRulesStage) -> None:
    doc = [
        "Harbour plan approved",
        "By Jane Doe and Ravi Patel",
        "Published 3 hours ago",
        "Updated: 14:32",
        "5 min read",
        PROSE,
        PROSE_2,
        "Staff Writer, The Daily Post",
    ]
    assert verdicts(block_rules_stage, doc)[0] == [
        ("byline", "By Jane Doe and Ravi Patel"),
        ("dateline", "Published 3 hours ago"),
        ("dateline", "Updated: 14:32"),
        ("dateline", "5 min read"),
        ("byline", "Staff Writer, The Daily Post"),
    ]


def test_name_and_role_lines_and_agency_credits(block_rules_stage: BlockRulesStage) -> None:
    doc = [
        "Ana Lopes | Political Editor",
        PROSE,
        PROSE_2,
        "(Reporting by Ana Lopes in Lisbon; Editing by Ravi Patel)",
        "Additional reporting by Tom Reed",
    ]
    headline = ["Harbour Plan - Next Steps", PROSE, PROSE_2]  # no role: a subheading
    result = verdicts(block_rules_stage, doc, headline)
    assert result[0] == [("byline", line) for line in doc if line not in (PROSE, PROSE_2)]
    assert result[1] == []


def test_a_run_of_edge_lines_is_followed_past_the_window(
    block_rules_stage: BlockRulesStage,
) -> None:
    header = [
        "By Jane Doe",
        "Published 3 hours ago",
        "",
        "Updated: 14:32",
        "Last updated: 14:40",
        "5 min read",  # fifth edge line in a row: outside the window of four
        "Monday 3 March 2025",
    ]
    middle = ["Harbour plan approved", "A short standfirst", "Another line", "Fourth", "Fifth"]
    broken = ["By Jane Doe", "Harbour plan approved", "Plan news", "Two", "Three", "5 min read"]
    result = verdicts(
        block_rules_stage, header + middle + [PROSE, PROSE_2], broken + middle + [PROSE, PROSE_2]
    )
    assert [line for _, line in result[0]] == [line for line in header if line]
    # the run ends at the first line that is not an edge line; "5 min read" is 6th, alone
    assert result[1] == [("byline", "By Jane Doe")]


def test_name_line_goes_only_next_to_a_role_line(block_rules_stage: BlockRulesStage) -> None:
    with_role = ["Ana Lopes", "Senior Correspondent", PROSE, PROSE_2]
    headline = ["Boris Gray Resigns", PROSE, PROSE_2]
    result = verdicts(block_rules_stage, with_role, headline)
    assert result[0] == [("byline", "Ana Lopes"), ("byline", "Senior Correspondent")]
    assert result[1] == []


def test_name_line_next_to_a_role_line_across_blank_lines(
    block_rules_stage: BlockRulesStage,
) -> None:
    after_role = [PROSE, PROSE_2, "Political Editor", "", "", "Ana Lopes"]
    two_away = ["Ana Lopes", "Updated: 14:32", "Political Editor", PROSE, PROSE_2]
    # The role line ends the first document: the next document's first line is not its neighbour.
    next_doc = [PROSE, PROSE_2, "Political Editor"]
    first_line = ["Ana Lopes", PROSE, PROSE_2]
    result = verdicts(block_rules_stage, after_role, two_away, next_doc, first_line)
    assert result[0] == [("byline", "Political Editor"), ("byline", "Ana Lopes")]
    assert result[1] == [("dateline", "Updated: 14:32"), ("byline", "Political Editor")]
    assert result[2] == [("byline", "Political Editor")]
    assert result[3] == []


def test_edge_lines_in_the_middle_are_kept(block_rules_stage: BlockRulesStage) -> None:
    middle = [PROSE] * 5 + ["By Jane Doe", "Updated: 14:32"] + [PROSE_2] * 5
    assert verdicts(block_rules_stage, middle)[0] == []


def test_sentences_at_the_edges_are_kept(block_rules_stage: BlockRulesStage) -> None:
    doc = [
        "By Monday the river had risen above the highest mark recorded since 1953.",
        "Updated figures released today show the damage was worse than feared.",
        PROSE,
    ]
    assert verdicts(block_rules_stage, doc)[0] == []


def test_edge_window_is_configurable() -> None:
    stage = BlockRulesConfig(edge_lines=0).build()
    assert verdicts(stage, ["By Jane Doe", PROSE])[0] == []


def test_custom_heading_list() -> None:
    stage = BlockRulesConfig(related_headings=["elsewhere on the site"]).build()
    doc = [PROSE, "Elsewhere on the site", "* One link", "* Two link", "Most Read", PROSE_2]
    assert verdicts(stage, doc)[0] == [("related_links_block", line) for line in doc[1:4]]
