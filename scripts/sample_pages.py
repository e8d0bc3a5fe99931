"""Page shapes of the bundled sample crawl: sites, stories, and the functions that dress a story
as a scraped page (site lines, byline, related headlines, trailers, a body pasted twice) or build a
junk page.

Every line of a page carries a role, so the generator can write the truth for each line:
content roles (`CONTENT_ROLES`) are what a cleaner must keep, boilerplate roles
(`BOILERPLATE_ROLES`) what it should remove, and `junk` marks the lines of a page that a quality
filter should drop as a whole.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

Line = tuple[str, str]  # (text, role)

CONTENT_ROLES = ("headline", "subheading", "paragraph", "quote", "list_heading", "list_item")
BOILERPLATE_ROLES = (
    "nav",
    "footer",
    "byline",
    "related_heading",
    "related_item",
    "trailer",
    "repeated_body",
)
JUNK_ROLE = "junk"
QUOTE_ENDINGS = ("”", "’")
# Trailers that go at the end of an article, in this order; "advertisement" goes mid-body.
END_TRAILERS = (
    "read_more",
    "find_out_more",
    "share",
    "newsletter",
    "follow_twitter",
    "copyright",
    "source_link",
)


@dataclass(frozen=True)
class Site:
    """A website of the sample crawl and the lines it puts on its pages."""

    key: str
    name: str
    domain: str
    lang: str
    spelling: str
    nav: tuple[str, ...]
    footer: tuple[str, ...]
    bylines: tuple[str, ...]
    related: str
    trailers: tuple[str, ...]

    @classmethod
    def from_data(cls, key: str, data: dict[str, Any]) -> Site:
        return cls(
            key=key,
            name=data["name"],
            domain=data["domain"],
            lang=data["lang"],
            spelling=data.get("spelling", ""),
            nav=tuple(data.get("nav", ())),
            footer=tuple(data.get("footer", ())),
            bylines=tuple(data.get("bylines", ())),
            related=data.get("related", "none"),
            trailers=tuple(data.get("trailers", ())),
        )


@dataclass(frozen=True)
class Story:
    """An English story: headline and body lines with their roles."""

    key: str
    home: str
    section: str
    wire: bool
    headline: str
    alt_headline: str | None
    body: tuple[Line, ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Story:
        return cls(
            key=data["key"],
            home=data["home"],
            section=data["section"],
            wire=bool(data.get("wire", False)),
            headline=data["headline"],
            alt_headline=data.get("alt_headline"),
            body=tuple(parse_story_line(line) for line in data["lines"]),
        )

    @property
    def has_genuine_list(self) -> bool:
        return any(role == "list_item" for _, role in self.body)


@dataclass(frozen=True)
class PageStyle:
    """The shared tables of `sample_sites.yaml`: byline, related-list and trailer styles, names."""

    bylines: dict[str, tuple[str, ...]]
    related: dict[str, dict[str, Any]]
    trailers: dict[str, str]
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]


@dataclass
class Dressing:
    """Which optional parts a page gets (decided by `choose_dressing`)."""

    byline: str | None = None
    related: str | None = None
    trailers: list[str] = field(default_factory=list)


@dataclass
class Page:
    """One record of the sample crawl while it is being planned."""

    lines: list[Line]
    url: str
    shapes: list[str]
    source: Page | None = None
    relation: str | None = None  # "exact_copy_of" | "near_copy_of" | "rewrite_of"
    id: str = ""
    feed: str = ""
    crawl_date: str = ""
    similarity: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(text for text, _ in self.lines)

    @property
    def content(self) -> str:
        return "\n".join(text for text, role in self.lines if role in CONTENT_ROLES)


def parse_story_line(line: str) -> Line:
    """Turn one line of story markup into (text, role)."""
    if line.startswith("### "):
        return line[4:], "list_heading"
    if line.startswith("## "):
        return line[3:], "subheading"
    if line.startswith("* "):
        return line[2:], "list_item"
    return line, "quote" if line.endswith(QUOTE_ENDINGS) else "paragraph"


def content_lines(story: Story, *, headline: str | None = None) -> list[Line]:
    """The story's headline and body."""
    return [(headline or story.headline, "headline"), *story.body]


def choose_dressing(site: Site, rng: random.Random) -> Dressing:
    """Pick a byline, a related-headlines list and trailers the way `site` uses them."""
    dressing = Dressing()
    if site.bylines and rng.random() < 0.7:
        dressing.byline = rng.choice(site.bylines)
    if site.related != "none" and rng.random() < 0.5:
        dressing.related = site.related
    if site.trailers:
        count = min(len(site.trailers), rng.choice((0, 1, 1, 2, 2, 3)))
        picked = set(rng.sample(site.trailers, count))
        dressing.trailers = [name for name in site.trailers if name in picked]
    return dressing


def byline_lines(style_name: str, style: PageStyle, rng: random.Random) -> list[Line]:
    """The byline lines of one style, with an invented name, age or time filled in."""
    name = f"{rng.choice(style.first_names)} {rng.choice(style.surnames)}"
    values = {
        "name": name,
        "hours": rng.randint(2, 11),
        "time": f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}",
    }
    return [(template.format(**values), "byline") for template in style.bylines[style_name]]


def related_lines(
    style_name: str, style: PageStyle, headlines: list[str], *, items: bool = True
) -> list[Line]:
    """A headed list of related headlines (just the heading when `items` is False)."""
    spec = style.related[style_name]
    lines: list[Line] = [(spec["heading"], "related_heading")]
    if items:
        for number, headline in enumerate(headlines[: spec["items"]], start=1):
            marker = spec["marker"].format(n=number)
            lines.append((f"{marker}{headline}", "related_item"))
    return lines


def trailer_line(name: str, site: Site, style: PageStyle) -> Line:
    return style.trailers[name].format(site=site.name), "trailer"


def site_top(site: Site) -> list[Line]:
    return [(line, "nav") for line in site.nav]


def site_bottom(site: Site) -> list[Line]:
    return [(line, "footer") for line in site.footer]


def dressing_shapes(site: Site, dressing: Dressing) -> list[str]:
    """The manifest shapes that describe a dressing."""
    shapes = []
    if site.nav or site.footer:
        shapes.append(f"site_boilerplate:{site.key}")
    if dressing.byline:
        shapes.append(f"byline:{dressing.byline}")
    if dressing.related:
        shapes.append(f"related:{dressing.related}")
    shapes.extend(f"trailer:{name}" for name in dressing.trailers)
    return shapes


def _paragraph_slots(body: list[Line]) -> list[int]:
    """Indexes after which a block may be inserted: after a paragraph, not at the very end."""
    return [
        i + 1
        for i, (_, role) in enumerate(body[:-1])
        if role in ("paragraph", "quote") and body[i + 1][1] in ("paragraph", "quote", "subheading")
    ]


def dress_article(
    site: Site,
    content: list[Line],
    dressing: Dressing,
    style: PageStyle,
    rng: random.Random,
    related_headlines: list[str],
) -> list[Line]:
    """A scraped article page: site lines, headline, byline, body with blocks, trailers."""
    headline, body = content[0], list(content[1:])
    slots = _paragraph_slots(body)
    inserts: dict[int, list[Line]] = {}
    if dressing.related == "latest_developments" and slots:
        at = slots[(len(slots) * 3) // 5]
        inserts[at] = related_lines("latest_developments", style, related_headlines)
    if "advertisement" in dressing.trailers and slots:
        at = rng.choice([slot for slot in slots if slot not in inserts] or slots)
        inserts.setdefault(at, []).insert(0, trailer_line("advertisement", site, style))
    lines = [*site_top(site), headline]
    if dressing.byline:
        lines.extend(byline_lines(dressing.byline, style, rng))
    for index, line in enumerate(body):
        lines.extend(inserts.get(index, []))
        lines.append(line)
    if dressing.related and dressing.related != "latest_developments":
        lines.extend(related_lines(dressing.related, style, related_headlines))
    for name in END_TRAILERS:
        if name in dressing.trailers:
            lines.append(trailer_line(name, site, style))
    return lines + site_bottom(site)


def dress_body_twice(
    site: Site,
    content: list[Line],
    byline: str,
    style: PageStyle,
    rng: random.Random,
    related_headlines: list[str],
) -> list[Line]:
    """The scraper artefact of seed page 001: byline, the body with a related-list heading that
    runs straight into prose, "Find Out More...", then the body again (from its second paragraph)
    with the heading and its bullets, and "Find Out More..." once more."""
    headline, body = content[0], list(content[1:])
    slots = _paragraph_slots(body)
    at = slots[(len(slots) * 3) // 5]
    related = site.related if site.related != "none" else "latest_developments"
    first = body[:at] + related_lines(related, style, [], items=False) + body[at:]
    repeat = [(text, "repeated_body") for text, _ in body[1:at]]
    repeat += related_lines(related, style, related_headlines)
    repeat += [(text, "repeated_body") for text, _ in body[at:]]
    more = trailer_line("find_out_more", site, style)
    lines = [*site_top(site), headline, *byline_lines(byline, style, rng)]
    return lines + first + [more] + repeat + [more] + site_bottom(site)


def dress_plain(site: Site, content: list[Line]) -> list[Line]:
    """A page with the site's lines around the content and nothing else."""
    return [*site_top(site), *content, *site_bottom(site)]
