"""`block_rules`' `comment_thread`: reader comments under an article go whole; a forum's posts, a
question site's answers and a live blog's dated entries stay."""

from __future__ import annotations

import pytest
from clean_fixtures import removed_lines

from pipeline.clean.block_rules import BlockRulesStage
from pipeline.clean.config import BlockRulesConfig

ARTICLE = [
    "How we rebuilt the village orchard",
    "The orchard behind the school had not been pruned for twenty years when the parish council "
    "asked for volunteers to take it on last spring.",
    "Most of the trees were old cider varieties, and three of them had split down the middle "
    "after the storms of the previous winter.",
    "A retired gardener showed the volunteers how to cut back the dead wood without shocking "
    "the trees, one branch at a time over two seasons.",
    "By September the first crop was large enough to press, and the school sold the juice at "
    "its autumn fair to pay for new stakes and guards.",
    "The council now hopes to plant a second row of trees along the lane, using grafts taken "
    "from the oldest survivors in the orchard.",
]

WORDPRESS = [
    "3 Comments",
    "1. Margaret says",
    "July 14, 2015 at 3:53 pm",
    "What a lovely project, our village tried the same thing and it worked wonders for us.",
    "Reply",
    "2. Tom Ellery says",
    "July 15, 2015 at 9:02 am",
    "Do you know which varieties they grafted? We are looking for something hardy.",
    "Reply",
    "3. Priya says",
    "July 17, 2015 at 11:40 pm",
    "Thank you for writing this up, I shared it with our allotment group.",
    "Reply",
]

BLOGGER = [
    "10 comments:",
    "MargaretSeptember 11, 2008 at 2:06 PM",
    "This is the clearest account of pruning old trees that I have read anywhere.",
    "ReplyDelete",
    "TomSeptember 15, 2008 at 9:19 PM",
    "We did something similar, though our trees were younger and recovered faster.",
    "ReplyDelete",
    "AnonymousApril 27, 2009 at 8:59 AM",
    "Great post, and the photographs of the orchard in blossom are wonderful too.",
    "ReplyDelete",
]

SIDEBAR = [
    "About the author",
    "Jo writes about gardens, orchards and the people who look after them in the north of England.",
]


@pytest.mark.parametrize("blank_lines", [True, False])
def test_a_wordpress_thread_goes_whole(
    block_rules_stage: BlockRulesStage, blank_lines: bool
) -> None:
    out = removed_lines(
        block_rules_stage, [*ARTICLE, *WORDPRESS, *SIDEBAR], blank_lines=blank_lines
    )
    assert out == {line: "comment_thread" for line in WORDPRESS}


def test_a_thread_ends_at_its_last_reply_line(block_rules_stage: BlockRulesStage) -> None:
    out = removed_lines(block_rules_stage, [*ARTICLE, *BLOGGER, *SIDEBAR])
    assert out == {line: "comment_thread" for line in BLOGGER}


def test_without_an_end_line_the_last_comment_is_as_long_as_the_others(
    block_rules_stage: BlockRulesStage,
) -> None:
    comments = [line for line in BLOGGER if line != "ReplyDelete"]
    out = removed_lines(block_rules_stage, [*ARTICLE, *comments, *SIDEBAR])
    assert out == {line: "comment_thread" for line in comments}


def test_dates_without_a_time_sign_comments_under_a_heading(
    block_rules_stage: BlockRulesStage,
) -> None:
    comments = [
        "COMMENTS",
        "* July 25, 2019",
        "Rob and Ann",
        "We loved the orchard when we visited, the cider was excellent.",
        "Reply",
        "+ July 26, 2019",
        "Jo Hartley",
        "Thank you both, do come back for the blossom in spring.",
        "Reply",
        "* July 30, 2019",
        "Sam",
        "Which weekend is the autumn fair this year?",
        "Reply",
    ]
    out = removed_lines(block_rules_stage, [*ARTICLE, *comments, *SIDEBAR])
    assert out == {line: "comment_thread" for line in comments}


def test_relative_times_sign_comments_too(block_rules_stage: BlockRulesStage) -> None:
    comments = [
        "12 Comments",
        "Amy • 3 years ago",
        "Great read, thanks for sharing this with the rest of us.",
        "Tom • 2 years ago",
        "Grafting trees that old rarely works in my experience.",
        "Sam • a year ago",
        "Where can I buy the juice from the fair?",
        "Reply",
    ]
    out = removed_lines(block_rules_stage, [*ARTICLE, *comments, *SIDEBAR])
    assert out == {line: "comment_thread" for line in comments}


def test_a_listing_with_dates_and_comment_buttons_is_kept(
    block_rules_stage: BlockRulesStage,
) -> None:
    # A news listing: the "Comment" button under each story (the lead story's too) is not a
    # comments heading.
    listing = ["Comment"]
    for day, title in [
        (28, "Orchard wins county award"),
        (27, "Cider press restored"),
        (26, "School fair raises record sum"),
        (25, "Volunteers plant new row"),
    ]:
        listing += [title, f"November {day}, 2025", ARTICLE[day - 24], "Comment"]
    out = removed_lines(block_rules_stage, [*ARTICLE, *listing])
    assert "comment_thread" not in out.values()


def test_says_lines_stand_for_a_heading(block_rules_stage: BlockRulesStage) -> None:
    comments = WORDPRESS[1:]
    out = removed_lines(block_rules_stage, [*ARTICLE, "Share your garden", *comments, *SIDEBAR])
    assert out == {line: "comment_thread" for line in comments}


def test_dated_lines_without_a_heading_or_says_are_kept(block_rules_stage: BlockRulesStage) -> None:
    # A live blog: timestamped entries under an article are its content.
    live = [
        "Live updates",
        "July 14, 2025 at 10:32 am",
        "Fire crews have reached the warehouse and are working to stop the blaze spreading.",
        "July 14, 2025 at 10:47 am",
        "Police have closed the ring road between the two roundabouts in both directions.",
        "July 14, 2025 at 11:05 am",
        "The council says the leisure centre will open as a rest centre for residents.",
    ]
    out = removed_lines(block_rules_stage, [*ARTICLE, *live])
    assert "comment_thread" not in out.values()
    assert not set(out) & {line for line in live if line.endswith(".")}


def test_a_reactions_section_of_the_article_is_kept(block_rules_stage: BlockRulesStage) -> None:
    # Quoted posts the article itself gathers under a bare "Reactions" heading: only a counted
    # "12 Reactions" heads a thread.
    reactions = [
        "Reactions",
        "@orchardfan · March 3, 2025",
        "Best news our village has had all year, well done to every volunteer.",
        "@ciderpress · March 3, 2025",
        "We will be at the autumn fair with a stall, see you there.",
        "@parishcouncil · March 4, 2025",
        "Thank you to everyone who gave up their weekends for the orchard.",
    ]
    out = removed_lines(block_rules_stage, [*ARTICLE, *reactions])
    assert "comment_thread" not in out.values()
    counted = removed_lines(block_rules_stage, [*ARTICLE, "3 Reactions", *reactions[1:]])
    assert set(counted.values()) == {"comment_thread"}


def test_a_forum_thread_keeps_its_posts(block_rules_stage: BlockRulesStage) -> None:
    # The first post opens the page: no article stands above the signatures.
    forum = [
        "Best hardy apple for a windy garden?",
        "12 replies",
        "greenfingers · 03/03/2026 19:44",
        "Our garden is on a hill and gets battered every winter. Which varieties cope?",
        "orchardtom · 03/03/2026 19:49",
        "Try the old northern varieties, they flower late and miss the frosts.",
        "MargaretP · 03/03/2026 20:02",
        "We have had a Bramley on an exposed site for years and it has never failed.",
    ]
    assert removed_lines(block_rules_stage, forum) == {}


def test_a_question_site_keeps_the_comments_under_its_answers(
    block_rules_stage: BlockRulesStage,
) -> None:
    answer = [
        "answered Jun 8, 2018 at 10:24",
        "3 Comments",
        "greenfingers Jun 8, 2018 at 11:02",
        "This worked for me, thanks for the clear steps.",
        "orchardtom Jun 8, 2018 at 12:15",
        "Would the same approach work for pears as well?",
        "MargaretP Jun 9, 2018 at 08:40",
        "Yes, pears respond the same way in my experience.",
    ]
    assert removed_lines(block_rules_stage, [*ARTICLE, *answer]) == {}


def test_two_signatures_are_not_a_thread_and_the_rule_can_be_off(
    block_rules_stage: BlockRulesStage,
) -> None:
    assert removed_lines(block_rules_stage, [*ARTICLE, *WORDPRESS[:9], *SIDEBAR]) == {}
    off = BlockRulesConfig(comment_min_signatures=0).build()
    off.setup()
    assert removed_lines(off, [*ARTICLE, *WORDPRESS, *SIDEBAR]) == {}


def test_the_article_edges_are_found_above_the_thread(block_rules_stage: BlockRulesStage) -> None:
    # The byline after the article's last paragraph is at the body's edge: the thread's own
    # prose lines do not move the body's end below it.
    out = removed_lines(block_rules_stage, [*ARTICLE, "By Jo Hartley", *WORDPRESS])
    assert out == {"By Jo Hartley": "byline", **{line: "comment_thread" for line in WORDPRESS}}


def test_the_prose_above_and_the_gap_between_signatures_at_their_thresholds(
    block_rules_stage: BlockRulesStage,
) -> None:
    def article(words: int) -> list[str]:
        return [" ".join(["orchard"] * (words - 1)) + " trees."]

    # 50 words of prose above (the default) make an article; 49 do not.
    assert set(removed_lines(block_rules_stage, [*article(50), *WORDPRESS]).values()) == {
        "comment_thread"
    }
    assert (
        "comment_thread"
        not in removed_lines(block_rules_stage, [*article(49), *WORDPRESS]).values()
    )
    # Signatures at most `comment_max_gap` non-blank lines apart form one run: WORDPRESS's are 4
    # apart, a thread with a gap of 4; a "Like" line under each comment puts them 5 apart, three
    # runs of one.
    narrow = BlockRulesConfig(comment_max_gap=4).build()
    narrow.setup()
    assert set(removed_lines(narrow, [*ARTICLE, *WORDPRESS]).values()) == {"comment_thread"}
    spaced = [WORDPRESS[0]]
    for first in range(1, len(WORDPRESS), 4):
        spaced += [*WORDPRESS[first : first + 4], "Like"]
    assert "comment_thread" not in removed_lines(narrow, [*ARTICLE, *spaced]).values()
    assert set(removed_lines(block_rules_stage, [*ARTICLE, *spaced]).values()) == {"comment_thread"}


def test_the_heading_is_looked_for_up_to_eight_lines_above_the_first_signature(
    block_rules_stage: BlockRulesStage,
) -> None:
    def page(fillers: int) -> list[str]:
        return [*ARTICLE, "Comments", *[f"Sort option {k}" for k in range(fillers)], *BLOGGER[1:]]

    # 7 lines between: the heading is the 8th line above the first signature, and is found.
    assert "comment_thread" in removed_lines(block_rules_stage, page(7)).values()
    assert "comment_thread" not in removed_lines(block_rules_stage, page(8)).values()
