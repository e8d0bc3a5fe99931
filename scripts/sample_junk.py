"""Junk pages of the bundled sample crawl: pages a quality filter should drop as a whole.

Each function returns the page's lines with roles; the lines of junk carry the role `junk`, the
site lines of a menu page keep their `nav` and `footer` roles.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from sample_pages import JUNK_ROLE, Line, Site, site_bottom, site_top


def menu_page(site: Site, junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """A section index: the site's lines and a column of section links, nothing else."""
    sections = rng.sample(junk["menu_sections"], rng.randint(9, 14))
    arrows = rng.random() < 0.5
    links = [(f"{name} ›" if arrows else name, JUNK_ROLE) for name in sections]
    return [*site_top(site), *links, *site_bottom(site)]


def lorem_page(junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """Placeholder text from an unfinished site template."""
    vocabulary = junk["lorem_words"]
    lines = []
    for _ in range(rng.randint(3, 5)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            picked = [rng.choice(vocabulary) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(picked).capitalize() + ".")
        lines.append((" ".join(sentences), JUNK_ROLE))
    return [("Lorem ipsum dolor sit amet", JUNK_ROLE), *lines]


def keyword_spam_page(junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """Keyword stuffing: the same few search phrases over and over."""
    keywords = rng.sample(junk["spam_keywords"], 4)
    lines = []
    for _ in range(rng.randint(5, 8)):
        picked = [rng.choice(keywords) for _ in range(rng.randint(6, 12))]
        separator = rng.choice((" ", " | ", ", "))
        lines.append((separator.join(picked), JUNK_ROLE))
    return [(f"{keywords[0].title()} {keywords[1].title()} 2024", JUNK_ROLE), *lines]


def code_page(junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """Script and template residue (braces and brackets) that leaked into the text."""
    lines = []
    for _ in range(rng.randint(8, 14)):
        template = rng.choice(junk["code_lines"])
        suffix = f" // {rng.choice(('slot', 'cb', 'tmp', 'el'))}{rng.randint(0, 9999)}"
        lines.append((template + (suffix if rng.random() < 0.6 else ""), JUNK_ROLE))
    return lines


def short_page(text: Sequence[str]) -> list[Line]:
    """An error, paywall or loading stub: a line or two."""
    return [(line, JUNK_ROLE) for line in text]


def no_letters_page(junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """Phone numbers, times, ratings and page numbers: no letters at all."""
    picked = rng.sample(junk["no_letter_lines"], rng.randint(4, 6))
    return [(line, JUNK_ROLE) for line in picked]


def cookie_wall_page(site: Site, junk: dict[str, Any], rng: random.Random) -> list[Line]:
    """A consent banner scraped instead of the article behind it."""
    lines = [line.format(site=site.name) for line in junk["cookie_lines"]]
    if rng.random() < 0.5:
        lines = lines[:2] + lines[3:4] + lines[2:3] + lines[4:]
    return [(line, JUNK_ROLE) for line in lines]


PageMaker = Callable[[dict[str, Any], random.Random], list[Line]]
SITELESS_JUNK: dict[str, PageMaker] = {
    "lorem": lorem_page,
    "keyword_spam": keyword_spam_page,
    "code": code_page,
    "no_letters": no_letters_page,
}
