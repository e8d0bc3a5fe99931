"""Documents of the benchmark corpus: invented sites with recurring lines, and pages built from
real newswire stories (Reuters) or real web-page segments (WCXB).

Every document is a pure function of (seed, index), so a planted copy can regenerate its source
from the source's index instead of keeping it in memory. Each line carries a one-character role
(see `ROLES`), written to the truth table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench_sources import ROLE_BODY, ROLE_HEADLINE, ROLE_SOURCE_TRAILER, Segment, Story

ROLES = {
    "n": "site navigation line (recurs on every page of the site)",
    "f": "site footer line (recurs on every page of the site)",
    "t": "trailer line (the site's calls to action)",
    "h": "newswire headline",
    "b": "newswire paragraph",
    "r": "newswire trailer ('Reuter')",
    "c": "web-page line labelled content by WCXB",
    "x": "web-page line labelled boilerplate by WCXB",
    "u": "web-page line without a WCXB label",
    "e": "empty web-page line",
    "d": "line of the repeated second copy of a body",
}
BODY_ROLES = "hbrcxue"  # roles of the lines that make up a page body
EDITABLE_ROLES = "hbcxu"  # roles a syndicated copy may edit (not "Reuter", not empty lines)

PLACES = ("Ash", "Bel", "Cor", "Dun", "Elm", "Fair", "Glen", "Hart", "Iver", "Kings", "Lang")
PLACE_ENDS = ("ford", "ton", "field", "mouth", "bury", "wick", "dale", "port", "ham", "stead")
TITLES = (
    "Herald",
    "Post",
    "Times",
    "Chronicle",
    "Gazette",
    "Journal",
    "Observer",
    "Courier",
    "Wire",
    "Bulletin",
    "Monitor",
    "Review",
    "Express",
    "Record",
    "Insider",
    "Report",
)
SECTIONS = (
    "News",
    "Business",
    "Markets",
    "Sport",
    "Politics",
    "World",
    "Tech",
    "Culture",
    "Opinion",
    "Weather",
    "Travel",
    "Health",
    "Science",
    "Property",
    "Jobs",
    "Video",
)
NAV_TEMPLATES = (
    "Skip to content",
    "Subscribe to {name}",
    "Sign in",
    "Search {name}",
    "{name} | {tagline}",
    "Menu",
    "Today's paper",
)
FOOTER_TEMPLATES = (
    "© 2024 {name}. All rights reserved.",
    "About {name} | Contact | Privacy policy | Terms of use",
    "{name} is published by {place} Media Group.",
    "Cookie settings | Accessibility | Sitemap",
    "Advertise with {name}",
    "Registered office: {number} {place} Road",
)
TAGLINES = (
    "Independent since 1898",
    "News that matters",
    "Your city, your news",
    "Markets and money",
    "Read all about it",
    "Trusted local journalism",
)
TRAILERS = (
    "Source link",
    "Read more",
    "Share this article",
    "Sign up to our newsletter",
    "Follow us on Twitter",
    "Advertisement",
    "Find Out More...",
    "Continue reading",
    "Comments",
    "Related Topics",
)


@dataclass(frozen=True)
class BenchSite:
    """An invented site: its domain and the lines it puts on every page."""

    key: str
    name: str
    domain: str
    nav: tuple[str, ...]
    footer: tuple[str, ...]
    trailers: tuple[str, ...]


@dataclass
class Page:
    """Lines of one document and their roles."""

    lines: list[str]
    roles: list[str]

    def add(self, lines: list[str] | tuple[str, ...], role: str) -> None:
        self.lines.extend(lines)
        self.roles.extend(role * len(lines))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def make_site(seed: int, index: int) -> BenchSite:
    """Site number `index`: a name, a domain and its recurring nav, footer and trailer lines."""
    rng = random.Random(f"{seed}:site:{index}")
    place = rng.choice(PLACES) + rng.choice(PLACE_ENDS)
    title = rng.choice(TITLES)
    name = f"The {place} {title}"
    values = {
        "name": name,
        "place": place,
        "tagline": rng.choice(TAGLINES),
        "number": rng.randint(1, 250),
    }
    menu = " | ".join(rng.sample(SECTIONS, rng.randint(5, 9)))
    nav = [t.format(**values) for t in rng.sample(NAV_TEMPLATES, rng.randint(1, 3))] + [menu]
    footer = [t.format(**values) for t in rng.sample(FOOTER_TEMPLATES, rng.randint(2, 4))]
    return BenchSite(
        key=f"site-{index:05d}",
        name=name,
        domain=f"www.{place.lower()}{title.lower()}-{index}.com",
        nav=tuple(nav),
        footer=tuple(footer),
        trailers=tuple(rng.sample(TRAILERS, rng.randint(1, 3))),
    )


def news_body(stories: list[Story], rng: random.Random, target: int) -> Page:
    """Newswire stories, one after another, until the body reaches `target` characters."""
    body = Page([], [])
    size = 0
    while size < target:
        story = stories[rng.randrange(len(stories))]
        body.add([story.headline], ROLE_HEADLINE)
        body.add(story.paragraphs, ROLE_BODY)
        if story.trailer:
            body.add([story.trailer], ROLE_SOURCE_TRAILER)
        size += len(story.headline) + sum(len(p) + 1 for p in story.paragraphs)
    return body


def web_body(segments: list[Segment], rng: random.Random, target: int) -> Page:
    """Segments of real web pages until the body reaches `target` characters."""
    body = Page([], [])
    size = 0
    while size < target:
        segment = segments[rng.randrange(len(segments))]
        body.lines.extend(segment.lines)
        body.roles.extend(segment.roles)
        size += sum(len(line) + 1 for line in segment.lines)
    return body


def dress(site: BenchSite, body: Page, rng: random.Random, *, body_twice: bool) -> Page:
    """Put the site's lines and some of its trailers around `body` (pasted twice if asked: the
    second copy starts at the body's second line and is followed by the trailers again)."""
    trailers = [t for t in site.trailers if rng.random() < 0.7]
    page = Page([], [])
    page.add(site.nav, "n")
    page.lines.extend(body.lines)
    page.roles.extend(body.roles)
    page.add(trailers, "t")
    if body_twice:
        page.add(body.lines[1:], "d")
        page.add(trailers, "t")
    page.add(site.footer, "f")
    return page


def body_of(page: Page) -> Page:
    """The body lines of a dressed page (its first copy only)."""
    body = Page([], [])
    for line, role in zip(page.lines, page.roles, strict=True):
        if role in BODY_ROLES:
            body.lines.append(line)
            body.roles.append(role)
    return body
