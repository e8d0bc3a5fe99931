"""`line_rules`: each pattern rule by name, hard negatives, config knobs, stats."""

from __future__ import annotations

import numpy as np
from clean_fixtures import make_table, rule_of_each

from pipeline.clean.config import LineRulesConfig
from pipeline.clean.line_rules import LineRulesStage
from pipeline.schema import REMOVED_LINES, TEXT

EXPECTED = {
    "Source link": "source_link",
    "Sources": "source_link",
    "Read more": "call_to_action",
    "[Read More...]": "call_to_action",
    "Continue reading": "call_to_action",
    "Find Out More...": "call_to_action",
    "Click here to subscribe": "call_to_action",
    "Back to top": "call_to_action",
    "Listen to this article": "call_to_action",
    "Rate this recipe": "call_to_action",
    "Click to expand...": "call_to_action",
    "Was this review helpful? Yes (12) No (1)": "call_to_action",
    "Did you make this recipe? Tag us on Instagram!": "call_to_action",
    "Thanks for reading!": "call_to_action",
    "Download our app": "call_to_action",
    "Have a tip? Send it to tips@harbour.example": "call_to_action",
    "Contact the author at jdoe@harbour.example": "call_to_action",
    "READ MORE: Storm closes coastal road": "related_link",
    "Share this article": "share_line",
    "Facebook Twitter LinkedIn Email": "share_line",
    "Like Loading...": "share_line",
    "Facebook X Reddit Email Share Link": "share_line",
    "Follow us on Instagram": "social_follow",
    "Follow us on Telegram, Facebook and X for the latest news": "social_follow",
    "Tag us on Instagram with #harbourbakes": "social_follow",
    "Sign up to our newsletter": "newsletter",
    "Sign up for our free daily newsletter to get the top stories in your inbox.": "newsletter",
    "Advertisement": "advertisement",
    "Advertisement - Continue Reading Below": "advertisement",
    "Story continues below advertisement": "advertisement",
    "Image: Harbour Authority": "image_credit",
    "[embedded content]": "media_placeholder",
    "Your browser does not support the video tag.": "media_placeholder",
    "This video is not available in your country": "media_placeholder",
    "You need to enable JavaScript to run this app.": "media_placeholder",
    "JavaScript is disabled. For the best experience, enable JavaScript.": "media_placeholder",
    "Photo by Lee Park/Getty Images": "image_credit",
    "Copyright 2024 Daily Post Ltd. All rights reserved.": "copyright",
    "© 2025 Example Media Group": "copyright",
    "Privacy Policy | Terms of Use": "copyright",
    "Proudly powered by WordPress | Theme: Harbour": "copyright",
    "This website uses cookies to improve your experience.": "cookie_notice",
    "Accept all cookies": "cookie_notice",
    "12 comments": "comment_counter",
    "Leave a comment": "comment_counter",
    "Leave a Reply Cancel reply": "comment_counter",
    "Your email address will not be published. Required fields are marked *": "comment_counter",
    "Comments are closed.": "comment_counter",
    "You must log in or register to reply here.": "comment_counter",
    "Thread starter harbourfan": "forum_meta",
    "Start date Mar 3, 2025": "forum_meta",
    "Joined: Feb 2019": "forum_meta",
    "Posts: 1,077": "forum_meta",
    "Well-known member": "forum_meta",
    "Sign in": "login_cart",
    "Add to cart": "login_cart",
    "Free shipping on orders over $50": "login_cart",
    "We accept Visa, Mastercard and PayPal": "login_cart",
    "Secure checkout": "login_cart",
    "Skip to content": "navigation",
    "Jump to Recipe": "navigation",
    "Table of Contents": "navigation",
    "On this page": "navigation",
    "Sort by: Most recent": "navigation",
    "Home > News > World": "navigation",
    "Page 2 of 5": "navigation",
    "Tags: flooding, council, budget": "navigation",
    "Tagged: flooding, harbour": "navigation",
    "Posted in Local News, Politics": "navigation",
    "This article was originally published on The Conversation.": "originally_published",
}


def test_every_rule_by_name(line_rules_stage: LineRulesStage) -> None:
    lines = list(EXPECTED)
    assert dict(zip(lines, rule_of_each(line_rules_stage, lines), strict=True)) == EXPECTED


HARD_NEGATIVES = [
    "Call for a public inquiry",  # subheading without punctuation
    "'They wanted to keep me quiet'",  # quoted subheading
    "The 7 Biggest Diet Trends of the Year",  # headline
    "“Most of those managers have retired – they have never been held to account.”",
    "He said the plans were “not nearly enough”",  # quote ending in a typographic quote
    "The memo was completed in 2022 but has never been published.",  # one-sentence paragraph
    "A source within the council said talks were meant to explain the legal risks.",
    "You can read more about the latest developments in the full report.",
    "Copyright law protects the authors of original works.",
    "We use butter and sugar in all our cookies.",
    "Share prices fell sharply on Monday.",
    "Follow the river north for two miles.",
    "Image processing takes several minutes on a laptop.",
    "Follow us on the trail to the summit, the guide told the group.",
    "Listen to the story of how the bridge was built, told by those who built it.",
    "Thank you for reading my letter, the minister wrote.",
    "The video is not available in Canada, the broadcaster said.",
    "JavaScript is required knowledge for front-end developers.",
    "Posted in 2019, the video went viral.",
    "Powered by renewable energy",  # a subheading
    "Like this:",  # a tutorial's lead-in to an example
    "Thanks,",  # a forum post's sign-off
    "Sorted by date, the records show a steady rise in claims since 2019.",
    "Free delivery was one of the promises the minister made.",
    "Joined the club in 2019 and never looked back.",
    "Registered: January 17, 2000 I'm only half as ill as my brother.",  # a signature
    "Enable JavaScript in the settings menu, then restart the app.",
    "Have a question? Contact us at help@harbour.example",  # a service page's own contact line
]


def test_hard_negatives_survive(line_rules_stage: LineRulesStage) -> None:
    assert rule_of_each(line_rules_stage, HARD_NEGATIVES) == [None] * len(HARD_NEGATIVES)


def test_only_whole_lines_match(line_rules_stage: LineRulesStage) -> None:
    lines = [
        "Read more",
        "Read more about the hearing in our guide.",
        "Advertisement feature writers",
    ]
    assert rule_of_each(line_rules_stage, lines) == ["call_to_action", None, None]


def test_long_lines_are_never_matched() -> None:
    stage = LineRulesConfig(max_line_chars=20).build()
    assert rule_of_each(stage, ["Advertisement", "Advertisement " + "x" * 30]) == [
        "advertisement",
        None,
    ]


def test_extra_and_disabled_rules() -> None:
    stage = LineRulesConfig(
        extra_rules={"house_promo": [r"harbour radio is live.*"]},
        disabled_rules=["advertisement", "page_header"],
    ).build()
    assert "advertisement" not in stage.rules and "page_header" not in stage.rules
    assert rule_of_each(stage, ["Harbour Radio is live now", "Advertisement"]) == [
        "house_promo",
        None,
    ]


def test_process_edits_text_and_counts(line_rules_stage: LineRulesStage) -> None:
    table = make_table(
        [
            "Title of the story\nFirst paragraph of the story.\n\nAdvertisement\n\nLast one.",
            "Nothing to remove here.",
            "Source link",
        ],
        urls=["https://a.example/1", None, None],
    )
    result = line_rules_stage.process(table)
    assert result.table[TEXT].to_pylist() == [
        "Title of the story\nFirst paragraph of the story.\n\nLast one.",
        "Nothing to remove here.",
        "",
    ]
    assert result.table[REMOVED_LINES].to_pylist() == [
        [{"rule": "advertisement", "text": "Advertisement"}],
        [],
        [{"rule": "source_link", "text": "Source link"}],
    ]
    counters = result.stats.counters
    assert counters["line_rules.lines_removed.advertisement"] == 1
    assert counters["line_rules.chars_removed.advertisement"] == len("Advertisement")
    assert counters["line_rules.lines_removed.source_link"] == 1
    assert counters["line_rules.docs_changed"] == 2
    examples = result.stats.samples["line_rules.advertisement"].examples()
    assert examples == [{"id": "doc-0", "url": "https://a.example/1", "line": "Advertisement"}]
    histogram = result.stats.histograms["line_rules.removed_char_frac"]
    assert histogram.count == 3 and histogram.counts[-1] == 1 and histogram.counts[0] == 1
    assert np.isclose(histogram.maximum, 1.0)
