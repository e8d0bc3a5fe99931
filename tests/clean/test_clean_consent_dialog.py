"""`consent_dialog`: the sentences of cookie-consent dialogs and sign-up forms, removed at any
length, while prose about cookies and long lines of other rules stay."""

from __future__ import annotations

import pytest
from clean_fixtures import rule_of_each

from pipeline.clean.config import LineRulesConfig
from pipeline.clean.line_rules import LineRulesStage

# Written for the project in the shapes consent-management dialogs use; each is longer than the
# default `max_line_chars` (300), as such dialogs' paragraphs are.
DIALOG = [
    "We and our 112 partners store and/or access information on a device, such as unique IDs in "
    "cookies, to process personal data. You may accept or manage your choices by clicking below, "
    "including your right to object where legitimate interest is used, or at any time in the "
    "privacy policy page. These choices will be signalled to our partners and will not affect "
    "browsing data.",
    "These cookies are necessary for the harbour website to function and cannot be switched off "
    "in our systems. They are usually only set in response to actions made by you which amount "
    "to a request for services, such as setting your privacy preferences, logging in or filling "
    "in forms. You can set your browser to block these cookies, but some parts of the site will "
    "not then work.",
    "This website uses cookies to improve your experience while you navigate through the "
    "website. Out of these cookies, the cookies that are categorised as necessary are stored on "
    "your browser as they are essential for the working of basic functionalities of the website. "
    "We also use third-party cookies that help us analyse how you use this website.",
    "By clicking “Accept All Cookies”, you agree to the storing of cookies on your device to "
    "enhance site navigation, analyse site usage and assist in our marketing efforts. You can "
    "change your mind at any time from the cookie settings link at the foot of every page of the "
    "Harbour Post website, where every partner is listed.",
    "Information about your activity on this service (the pages of the Harbour Post you read, "
    "the forms you fill in) can be stored and combined with other information about you, for "
    "example from your earlier visits to this service and to other websites, to build or "
    "improve a profile of your interests, which is then used to choose the advertising shown to "
    "you here and elsewhere.",
    "By signing up, you agree to receive recurring marketing text messages from Harbour Deals at "
    "the number provided, including cart reminders. Consent is not a condition of purchase. "
    "Message frequency varies. Message and data rates may apply. Reply HELP for help and STOP to "
    "cancel at any time. View our terms and privacy policy.",
]

KEPT = [
    # prose about cookies and consent, longer than max_line_chars
    "Regulators found that nine in ten of the websites they audited use cookies to follow "
    "visitors across the web, and that most consent banners make refusing far harder than "
    "accepting: the reject button sat behind a second screen on 61 of the 80 sites, while accept "
    "was one click away. The watchdog said these cookies are often set before anyone consents.",
    "These technologies are changing how the harbour authority schedules its pilots: the new "
    "tide model predicts a ship's arrival window to within ten minutes, and the pilots' rota is "
    "now drawn up a day ahead instead of on the morning itself, which the union says has ended "
    "the worst of the double shifts its members complained about last winter.",
    # a recipe
    "We use cookies from the freezer for this trifle: crumble twelve of them into the bottom of "
    "the bowl, pour over the warm custard and leave it to set for an hour before the cream goes "
    "on top. Any shortbread works, but the ginger ones give the best contrast with the fruit, "
    "and they hold their crunch longer under the custard.",
    # second person in an article, without a form's consent
    "By signing up for the harbour swim, entrants commit to a training plan of three sessions a "
    "week from March, and the organisers say most of last year's 400 swimmers finished the "
    "crossing in under an hour; the slowest took just over two, helped by a kayak escort that "
    "stayed with every swimmer from the slipway to the far pier.",
]


def test_fixtures_are_longer_than_the_length_limit() -> None:
    limit = LineRulesConfig().max_line_chars
    assert all(len(line) > limit for line in DIALOG + KEPT)


def test_dialog_paragraphs_are_removed_at_any_length(line_rules_stage: LineRulesStage) -> None:
    assert rule_of_each(line_rules_stage, DIALOG) == ["consent_dialog"] * len(DIALOG)


def test_prose_about_cookies_stays(line_rules_stage: LineRulesStage) -> None:
    assert rule_of_each(line_rules_stage, KEPT) == [None] * len(KEPT)


def test_short_dialog_lines_keep_their_earlier_rule(line_rules_stage: LineRulesStage) -> None:
    lines = [
        "This website uses cookies to improve your experience.",
        "We and our partners process data to provide and improve our services.",
        "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service "
        "apply.",
    ]
    assert rule_of_each(line_rules_stage, lines) == [
        "cookie_notice",
        "cookie_notice",
        "consent_dialog",
    ]


def test_other_rules_stay_bounded(line_rules_stage: LineRulesStage) -> None:
    # cookie_notice's broad pattern matches this paragraph, but it is past max_line_chars and
    # cookie_notice is not an any-length rule
    paragraph = (
        "In the survey, the council said we use cookies only for traffic figures, and "
        + "the audit of the harbour's systems found nothing else stored on visitors' devices; " * 3
    )
    assert len(paragraph) > LineRulesConfig().max_line_chars
    assert rule_of_each(line_rules_stage, [paragraph]) == [None]
    unbounded = LineRulesConfig(max_line_chars=5000).build()
    assert rule_of_each(unbounded, [paragraph]) == ["cookie_notice"]


def test_without_any_length_rules_long_dialogs_stay() -> None:
    stage = LineRulesConfig(any_length_rules=[]).build()
    assert rule_of_each(stage, DIALOG) == [None] * len(DIALOG)
    disabled = LineRulesConfig(disabled_rules=["consent_dialog"]).build()
    assert rule_of_each(disabled, DIALOG) == [None] * len(DIALOG)


def test_any_length_rules_must_name_pattern_rules() -> None:
    with pytest.raises(ValueError, match="any_length_rules names"):
        LineRulesConfig(any_length_rules=["consent_dialgo"])
    own = LineRulesConfig(
        extra_rules={"house_terms": [r"harbour terms apply\b.*"]}, any_length_rules=["house_terms"]
    ).build()
    assert rule_of_each(own, ["Harbour terms apply " + "to every sailing. " * 20]) == [
        "house_terms"
    ]
    # a config that replaces `rules` without the default's rule is valid
    replaced = LineRulesConfig(rules={"promo": ["harbour radio"]})
    assert replaced.any_length_rules == ["consent_dialog"]
    assert rule_of_each(replaced.build(), DIALOG[:1]) == [None]


def test_at_max_line_chars() -> None:
    # matched by cookie_notice (first) and consent_dialog alike; only its length decides which
    line = "This website uses cookies to improve your experience and to count our visitors."
    size = len(line)
    assert rule_of_each(LineRulesConfig(max_line_chars=size).build(), [line]) == ["cookie_notice"]
    past = LineRulesConfig(max_line_chars=size - 1)
    assert rule_of_each(past.build(), [line]) == ["consent_dialog"]
    bounded = LineRulesConfig(max_line_chars=size - 1, any_length_rules=[])
    assert rule_of_each(bounded.build(), [line]) == [None]
