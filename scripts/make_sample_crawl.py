"""Generate the bundled sample crawl, `examples/sample-crawl/`, from stories written for crawlsieve.

    python scripts/make_sample_crawl.py [--out examples/sample-crawl] [--seed 20241104]

Writes `crawl-000.jsonl.gz` ... (records `{"id", "url", "text", "source", "crawl_date"}`),
`_MANIFEST.json` (the planted truth: shapes per record, similarity of every planted copy, a role
for every line) and `_README.md`. The output is byte-identical on every run with the same seed:
the only randomness is one seeded `random.Random`, and gzip headers carry no time or name.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from sample_junk import SITELESS_JUNK, cookie_wall_page, menu_page, short_page
from sample_manifest import write_outputs
from sample_pages import (
    Dressing,
    Page,
    PageStyle,
    Site,
    Story,
    choose_dressing,
    content_lines,
    dress_article,
    dress_body_twice,
    dress_plain,
    dressing_shapes,
)
from text_edits import edit_fraction, edit_words, reword, word_swaps

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_OUT = ROOT / "examples" / "sample-crawl"
DEFAULT_SEED = 20241104

FILES = 3
BODY_TWICE = 7  # originals scraped with their body pasted twice
SINGLE_COPY_STORIES = 14  # non-wire stories that one other site also runs
WIRE_COPIES = (2, 5)  # each wire story appears on this many other sites (inclusive range)
NEAR_COPY_EDITS = (0.06, 0.19)  # target share of edited words of a syndicated copy
REWRITES = 14  # spun rewrites on the aggregator, ending in "Source link"
MIRRORED = 14  # exact copies on the scraper site
URL_VARIANTS = 32  # exact copies at another URL of the same site (AMP, print, tracking, mobile)
JUNK_COPIES = 2  # exact copies of error pages at another URL
JUNK_COUNTS = {"lorem": 3, "keyword_spam": 4, "code": 3, "no_letters": 2}
COOKIE_WALLS = 4  # on as many different news sites
NEWS_SITES = (
    "northdale-gazette",
    "harbor-city-herald",
    "eastmoor-echo",
    "riverbend-courier",
    "kestrel-valley-times",
)
AGGREGATOR = "daily-digest-wire"
MIRROR = "news-mirror-24"
JUNK_DOMAINS = {
    "lorem": "www.sitebuilder-demo.net",
    "keyword_spam": "best-cheap-deals-online.biz",
    "code": "cdn-widget-cache.net",
}
JUNK_PATHS = {
    "lorem": "sample-page-{n}/",
    "keyword_spam": "deals/best-price-{n}.html",
    "code": "embed/{n}.html",
    "no_letters": "contact/numbers-{n}",
}
CRAWL_START = datetime(2024, 11, 4, tzinfo=timezone.utc)


@dataclass
class SampleData:
    """Everything read from `scripts/data/`."""

    sites: dict[str, Site]
    stories: list[Story]
    style: PageStyle
    foreign: dict[str, list[list[str]]]
    junk: dict[str, Any]

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> SampleData:
        site_data = yaml.safe_load((data_dir / "sample_sites.yaml").read_text(encoding="utf-8"))
        story_data = yaml.safe_load((data_dir / "sample_stories.yaml").read_text(encoding="utf-8"))
        style = PageStyle(
            bylines={k: tuple(v) for k, v in site_data["bylines"].items()},
            related=site_data["related"],
            trailers=site_data["trailers"],
            first_names=tuple(site_data["first_names"]),
            surnames=tuple(site_data["surnames"]),
        )
        return cls(
            sites={k: Site.from_data(k, v) for k, v in site_data["sites"].items()},
            stories=[Story.from_data(s) for s in story_data["stories"]],
            style=style,
            foreign=site_data["foreign_pages"],
            junk=site_data["junk"],
        )


def slug(headline: str, words: int = 9) -> str:
    """A URL slug: the first words of the headline, ASCII letters and digits only."""
    plain = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode()
    parts = "".join(c if c.isalnum() else " " for c in plain.lower().replace("’", "")).split()
    return "-".join(parts[:words])


def article_url(site: Site, section: str, headline: str, rng: random.Random) -> str:
    if site.key == AGGREGATOR:
        return f"https://{site.domain}/2024/11/{slug(headline)}/"
    return f"https://{site.domain}/{section}/{slug(headline)}-{rng.randint(1_000_000, 9_999_999)}"


class SamplePlanner:
    """Plans every page of the sample crawl with one seeded random source."""

    def __init__(self, data: SampleData, seed: int) -> None:
        self.data = data
        self.rng = random.Random(seed)
        self.sites = data.sites

    def related_headlines(self, story: Story) -> list[str]:
        others = [s.headline for s in self.data.stories if s.key != story.key]
        return self.rng.sample(others, 5)

    def original(self, story: Story, body_twice: bool) -> Page:
        site = self.sites[story.home]
        content = content_lines(story)
        shapes = ["article", f"story:{story.key}"]
        if story.has_genuine_list:
            shapes.append("genuine_list")
        if body_twice:
            byline = self.rng.choice(site.bylines)
            lines = dress_body_twice(
                site, content, byline, self.data.style, self.rng, self.related_headlines(story)
            )
            related = site.related if site.related != "none" else "latest_developments"
            dressing = Dressing(byline=byline, related=related, trailers=["find_out_more"])
            shapes += ["body_twice", *dressing_shapes(site, dressing)]
        else:
            dressing = choose_dressing(site, self.rng)
            lines = dress_article(
                site, content, dressing, self.data.style, self.rng, self.related_headlines(story)
            )
            shapes += dressing_shapes(site, dressing)
        url = article_url(site, story.section, story.headline, self.rng)
        return Page(lines=lines, url=url, shapes=shapes)

    def near_copy(self, story: Story, source: Page, site: Site) -> Page:
        """A syndicated copy on `site`: 5-20% of the words edited, the site's own dressing."""
        content = content_lines(story)
        texts = [text for text, _ in content]
        editable = [role not in ("list_heading", "list_item") for _, role in content]
        home = self.sites[story.home]
        spelling = None
        if home.spelling != site.spelling:
            swaps = word_swaps()
            spelling = swaps.uk_to_us if site.spelling == "us" else swaps.us_to_uk
        for _ in range(20):
            target = self.rng.uniform(*NEAR_COPY_EDITS)
            edited = edit_words(
                texts, self.rng, fraction=target, spelling=spelling, editable=editable
            )
            kept = [
                (text, role)
                for text, (_, role) in zip(edited, content, strict=True)
                if text is not None
            ]
            measured = edit_fraction("\n".join(texts), "\n".join(text for text, _ in kept))
            if 0.05 <= measured <= 0.20:
                break
        else:
            raise RuntimeError(f"could not edit {story.key} within 5-20% of its words")
        new_content = kept
        dressing = choose_dressing(site, self.rng)
        if not dressing.trailers and site.trailers:
            dressing.trailers = [self.rng.choice(site.trailers)]
        lines = dress_article(
            site, new_content, dressing, self.data.style, self.rng, self.related_headlines(story)
        )
        shapes = ["article", f"story:{story.key}", *dressing_shapes(site, dressing)]
        if story.has_genuine_list:
            shapes.insert(2, "genuine_list")
        url = article_url(site, story.section, kept[0][0], self.rng)
        return Page(lines, url, shapes, source=source, relation="near_copy_of")

    def rewrite(self, story: Story, source: Page) -> Page:
        """A spun copy on the aggregator under a new headline, ending in "Source link"."""
        site = self.sites[AGGREGATOR]
        content = content_lines(story, headline=story.alt_headline)
        fixed = [role != "paragraph" and role != "quote" for _, role in content]
        spun, order = reword([text for text, _ in content], self.rng, fixed=fixed)
        new_content = [(text, content[i][1]) for text, i in zip(spun, order, strict=True)]
        byline = "published" if self.rng.random() < 0.5 else None
        dressing = Dressing(byline=byline, trailers=["source_link"])
        lines = dress_article(site, new_content, dressing, self.data.style, self.rng, [])
        shapes = ["article", f"story:{story.key}", *dressing_shapes(site, dressing)]
        url = article_url(site, story.section, spun[0], self.rng)
        return Page(lines, url, shapes, source=source, relation="rewrite_of")

    def exact_copy(self, source: Page, variant: str) -> Page:
        """The same text at another URL."""
        mirror = self.sites[MIRROR].domain
        base = source.url.split("://", 1)[1]
        domain, path = base.split("/", 1)
        urls = {
            "amp": f"{source.url.rstrip('/')}/amp",
            "print": f"{source.url}?print=true",
            "utm": f"{source.url}?utm_source=twitter&utm_medium=social",
            "mobile": f"https://m.{domain.removeprefix('www.')}/{path}",
            "mirror": f"https://{mirror}/{domain.removeprefix('www.')}/{path.replace('/', '-')}",
            "alias": f"https://{domain}/{path.rstrip('/')}-{self.rng.randint(100, 999)}",
        }
        shapes = [*source.shapes, f"url_variant:{variant}"]
        return Page(
            list(source.lines), urls[variant], shapes, source=source, relation="exact_copy_of"
        )

    def foreign_pages(self) -> list[Page]:
        pages = []
        for lang, articles in self.data.foreign.items():
            site = next(s for s in self.sites.values() if s.lang == lang)
            for article in articles:
                content = [(article[0], "headline")] + [(text, "paragraph") for text in article[1:]]
                url = f"https://{site.domain}/{slug(article[0], 7)}.html"
                shapes = [f"non_english:{lang}", f"site_boilerplate:{site.key}"]
                pages.append(Page(dress_plain(site, content), url, shapes))
        return pages

    def junk_pages(self) -> list[Page]:
        rng, junk = self.rng, self.data.junk
        pages = []
        menu_sites = [*NEWS_SITES, rng.choice(NEWS_SITES)]
        for number, key in enumerate(menu_sites):
            site = self.sites[key]
            section = "all" if number >= len(NEWS_SITES) else "news"
            url = f"https://{site.domain}/sections/{section}/"
            shapes = ["junk:menu", f"site_boilerplate:{key}"]
            pages.append(Page(menu_page(site, junk, rng), url, shapes))
        for kind, count in JUNK_COUNTS.items():
            for _ in range(count):
                lines = SITELESS_JUNK[kind](junk, rng)
                domain = JUNK_DOMAINS.get(kind) or self.sites[rng.choice(NEWS_SITES)].domain
                path = JUNK_PATHS[kind].format(n=rng.randint(10_000, 99_999))
                url = f"https://{domain}/{path}"
                pages.append(Page(lines, url, [f"junk:{kind}"]))
        for key in rng.sample(NEWS_SITES, COOKIE_WALLS):
            site = self.sites[key]
            url = f"https://{site.domain}/consent/?return=%2Fnews%2F{rng.randint(10_000, 99_999)}"
            pages.append(Page(cookie_wall_page(site, junk, rng), url, ["junk:cookie_wall"]))
        for text in junk["short_pages"]:
            domain = self.sites[rng.choice(NEWS_SITES)].domain
            url = f"https://{domain}/news/article-{rng.randint(1_000_000, 9_999_999)}"
            pages.append(Page(short_page(text), url, ["junk:short"]))
        return pages

    def plan(self) -> list[Page]:
        """Every page of the crawl, in corpus order (each copy after the page it copies)."""
        rng, stories = self.rng, self.data.stories
        eligible = [s for s in stories if not s.has_genuine_list and s.home in NEWS_SITES]
        twice = {s.key for s in rng.sample(eligible, BODY_TWICE)}
        originals = {s.key: self.original(s, s.key in twice) for s in stories}
        near: list[Page] = []
        local = [s for s in stories if not s.wire and not s.has_genuine_list]
        single = {s.key for s in rng.sample(local, SINGLE_COPY_STORIES)}
        for story in stories:
            targets = [k for k in (*NEWS_SITES, AGGREGATOR) if k != story.home]
            count = rng.randint(*WIRE_COPIES) if story.wire else int(story.key in single)
            for key in rng.sample(targets, count):
                near.append(self.near_copy(story, originals[story.key], self.sites[key]))
        rewritable = [s for s in stories if s.alt_headline]
        rewrites = [self.rewrite(s, originals[s.key]) for s in rng.sample(rewritable, REWRITES)]
        foreign, junk = self.foreign_pages(), self.junk_pages()
        articles = list(originals.values()) + near
        sources = rng.sample(articles, MIRRORED + URL_VARIANTS)
        copies = [self.exact_copy(page, "mirror") for page in sources[:MIRRORED]]
        for page in sources[MIRRORED:]:
            variants = ["amp", "print", "utm", "mobile"]
            if page.url.endswith("/"):
                variants.remove("amp")
            copies.append(self.exact_copy(page, rng.choice(variants)))
        short = [p for p in junk if "junk:short" in p.shapes]
        copies += [self.exact_copy(page, "alias") for page in rng.sample(short, JUNK_COPIES)]
        pages = articles + rewrites + foreign + junk + copies
        return self.corpus_order(pages)

    def corpus_order(self, pages: list[Page]) -> list[Page]:
        """A random order in which every copy comes after its source; then ids, dates, feeds."""
        children: dict[int, list[Page]] = {}
        for page in pages:
            if page.source is not None:
                children.setdefault(id(page.source), []).append(page)
        ready = [page for page in pages if page.source is None]
        ordered: list[Page] = []
        while ready:
            page = ready.pop(self.rng.randrange(len(ready)))
            ordered.append(page)
            ready.extend(children.get(id(page), []))
        for number, page in enumerate(ordered, start=1):
            page.id = f"sample-{number:04d}"
            junk = page.shapes[0].startswith("junk:")
            page.feed = "link" if junk else self.rng.choice(("rss", "rss", "sitemap", "link"))
            moment = CRAWL_START + timedelta(seconds=self.rng.randrange(6 * 86_400))
            page.crawl_date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return ordered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    pages = SamplePlanner(SampleData.load(), args.seed).plan()
    written = write_outputs(pages, args.out, seed=args.seed, files=FILES)
    print(f"wrote {len(pages)} records to {args.out} ({', '.join(written)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
