"""End to end on a news page of the kind the web at large serves: a header of eight metadata lines
above the article and a pile of widget, comment-form and footer lines below it, on a site no
pattern names. Every body line survives and every one of those lines goes, by a named rule."""

from __future__ import annotations

import clean_fixtures as fx
import pytest
from test_clean_seed_pages import run_default_stages

from pipeline.schema import REMOVED_LINES, TEXT

HEADER = {
    "By Tomas Varga": "byline",
    "Tomas Varga | Staff Writer": "byline",
    "Posted on March 3, 2025": "dateline",
    "Last updated: 3 hours ago": "dateline",
    "5 min read": "dateline",  # the fifth edge line in a row: past the window of four
    "Updated 14:32 GMT, 4 March 2025": "dateline",
    "Photo: Harbour Authority": "image_credit",
    "Listen to this article": "call_to_action",
}
BODY = [
    "Harbour council approves new budget for road repairs",
    "",
    "The council voted on Tuesday to approve a budget for road repairs across the northern "
    "districts, ending months of debate.",
    "",
    "Councillor Ines Moreau said the plan would fix more than two hundred streets over the "
    "next two years. “We have waited long enough,” she said.",
    "",
    "[embedded content]",
    "Your browser does not support the video tag.",
    "",
    "Residents had complained about potholes and flooding since the storms of last winter, "
    "and several groups organised petitions.",
    "",
    "Opponents argued that the money should have gone to public transport instead, and vowed "
    "to raise the issue again next year.",
    "",
    "(Reporting by Tomas Varga; Editing by Lea Brandt)",
]
# the video's placeholder sits where the video was: after the last prose line, its 8 words and
# full stop would read as the body's last sentence to `block_rules`, which runs before the line
# patterns, and move the window the credit line below is looked for in
PLACEHOLDER = {
    "[embedded content]": "media_placeholder",
    "Your browser does not support the video tag.": "media_placeholder",
}
CREDIT = {"(Reporting by Tomas Varga; Editing by Lea Brandt)": "byline"}
TRAILERS = {
    "Follow us on Telegram, Facebook and X for the latest news": "social_follow",
    "Thanks for reading!": "call_to_action",
    "Download our app": "call_to_action",
    "Like Loading...": "share_line",
    "Posted in Local News": "navigation",
    "Tagged: roads, budget": "navigation",
    "Leave a Reply Cancel reply": "comment_counter",
    "Your email address will not be published.": "comment_counter",
    "Required fields are marked *": "comment_counter",
    "Comments are closed.": "comment_counter",
    "Please enable JavaScript to view the comments.": "media_placeholder",
    "Proudly powered by WordPress": "copyright",
}
PAGE = "\n".join([*HEADER, "", *BODY, "", *TRAILERS])
PROSE = [line for line in BODY if line and line not in PLACEHOLDER and line not in CREDIT]


@pytest.mark.parametrize("url", [None, "https://harbour-courier.example/local/road-budget"])
def test_header_run_and_trailer_pile_go_by_name(url: str | None) -> None:
    table, stats = run_default_stages(fx.make_table([PAGE], urls=[url]))
    kept = table[TEXT][0].as_py().split("\n")
    assert [line for line in kept if line] == PROSE
    removed = {item["text"]: item["rule"] for item in table[REMOVED_LINES][0].as_py()}
    assert removed == {**HEADER, **PLACEHOLDER, **CREDIT, **TRAILERS}
    assert stats.counters["block_rules.lines_removed.dateline"] == 4


THREAD = [
    "3 Comments",
    "",
    "1. Margit Olsen says",
    "March 3, 2025 at 6:12 pm",
    "About time. The road past the school has been dangerous for years and nobody listened.",
    "Reply",
    "",
    "2. D. Lindqvist says",
    "March 3, 2025 at 7:40 pm",
    "Two hundred streets in two years sounds ambitious. I will believe it when I see the crews.",
    "Reply",
    "",
    "3. harbourwatcher says",
    "March 4, 2025 at 8:05 am",
    "Public transport needs the money more, the buses are always late in winter.",
    "Reply",
]


def test_a_comment_thread_under_the_article_goes_whole() -> None:
    """The comments are prose, one by one like the article's; as a thread under it they go, by
    `block_rules`' `comment_thread`, and the article's credit line is still found above them."""
    page = "\n".join([*HEADER, "", *BODY, "", *THREAD, "", *TRAILERS])
    table, stats = run_default_stages(fx.make_table([page]))
    kept = table[TEXT][0].as_py().split("\n")
    assert [line for line in kept if line] == PROSE
    removed = {item["text"]: item["rule"] for item in table[REMOVED_LINES][0].as_py()}
    thread = {line: "comment_thread" for line in THREAD if line}
    assert removed == {**HEADER, **PLACEHOLDER, **CREDIT, **thread, **TRAILERS}
    # every line of it counted, the three "Reply" lines each time
    assert stats.counters["block_rules.lines_removed.comment_thread"] == sum(map(bool, THREAD))
