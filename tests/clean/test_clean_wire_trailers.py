"""`line_rules`' trailers of press-release wires and news agencies (`wire_trailer`), follow and
podcast lines (`social_follow`) and affiliate disclosures (`advertisement`): the fixed lines a
news crawl carries under its releases and stories, and the prose that shares their words."""

from __future__ import annotations

from clean_fixtures import rule_of_each

from pipeline.clean.line_rules import LineRulesStage

# Lines written for the project in the shapes the wires print (PR Newswire, Business Wire,
# GlobeNewswire and their German, French, Spanish, Italian, Portuguese, Dutch and Russian
# editions), with the rule that names each.
TRAILERS = {
    "View original content:https://www.prnewswire.com/news-releases/acme-tools-301234567.html": (
        "wire_trailer"
    ),
    "View original content to download multimedia:https://www.prnewswire.com/acme-301.html": (
        "wire_trailer"
    ),
    "SOURCE Acme Garden Tools, Inc.": "wire_trailer",
    "View source version on businesswire.com: https://www.businesswire.com/news/home/2026/en/": (
        "wire_trailer"
    ),
    "Logo - https://mma.prnewswire.com/media/1234567/Acme_Logo.jpg": "wire_trailer",
    "Photo - https://mma.prnewswire.com/media/1234568/Acme_Tools.jpg": "wire_trailer",
    "Media Contact:": "wire_trailer",
    "Investor Relations Contact:": "wire_trailer",
    "Media and Investor Contacts": "wire_trailer",
    "###": "wire_trailer",
    "-30-": "wire_trailer",
    "– ENDS –": "wire_trailer",
    "ENDS": "wire_trailer",
    "Our Standards: The Thomson Reuters Trust Principles.": "wire_trailer",
    "Originalinhalt anzeigen:https://www.prnewswire.com/de/pressemitteilungen/acme-301.html": (
        "wire_trailer"
    ),
    "QUELLE Acme Gartengeräte GmbH": "wire_trailer",
    "Pressekontakt:": "wire_trailer",
    "Voir le contenu original : https://www.prnewswire.com/fr/communiques-de-presse/acme.html": (
        "wire_trailer"
    ),
    "Contact presse :": "wire_trailer",
    "FUENTE Acme Herramientas S.A.": "wire_trailer",
    "Contacto de prensa:": "wire_trailer",
    "Ufficio stampa": "wire_trailer",
    "Assessoria de imprensa": "wire_trailer",
    "Perscontact": "wire_trailer",
    "Контакты для СМИ:": "wire_trailer",
    "Follow Marta Quell on X: @martaquell": "social_follow",
    "Follow Eastvale Tools on Instagram": "social_follow",
    "Listen on Apple Podcasts": "social_follow",
    "Subscribe: Apple Podcasts | Spotify | RSS": "social_follow",
    "Subscribe to the podcast on Spotify": "social_follow",
    "As an Amazon Associate I earn from qualifying purchases.": "advertisement",
    "As an Amazon Associate, we earn from qualifying purchases made through links on this page.": (
        "advertisement"
    ),
}

# Prose, attributions and headlines that share their words: no rule takes them.
KEPT = [
    "Source: Eastvale District Council flood report, 2025",
    "QUELLE: dpa",
    "SOURCE CODE: how the leak at the council happened",
    "Sources say the council will vote on the barrier next week.",
    "Media contacts at the council were told about the memo on Tuesday.",
    "Our standards for flood barriers are higher than they were in the 1990s.",
    "Follow the river path on foot until you reach the old bridge.",
    "Follow the steps on YouTube to replace the washer yourself.",
    "Listen to the full interview with the council leader below.",
    "The minister ends the inquiry",
    "Ends of the barrier were repaired first, then the middle section.",
    "As an Amazon employee for ten years, she saw the warehouse grow.",
    "Press contacts said the release would come on Monday, but it never did.",
]


def test_wire_and_follow_lines_are_named(line_rules_stage: LineRulesStage) -> None:
    lines = list(TRAILERS)
    assert dict(zip(lines, rule_of_each(line_rules_stage, lines), strict=True)) == TRAILERS


def test_prose_that_shares_their_words_stays(line_rules_stage: LineRulesStage) -> None:
    assert rule_of_each(line_rules_stage, KEPT) == [None] * len(KEPT)


def test_the_issuer_line_is_matched_in_capitals_only(line_rules_stage: LineRulesStage) -> None:
    # "Source Acme Corp" in title case could be a caption or a heading; only the wires' own
    # capitals are an issuer line.
    assert rule_of_each(
        line_rules_stage, ["SOURCE Acme Corp", "Source Acme Corp", "source acme corp"]
    ) == [
        "wire_trailer",
        None,
        None,
    ]
