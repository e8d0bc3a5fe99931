"""Write the sample crawl: JSONL.gz shards, `_MANIFEST.json` (the planted truth) and `_README.md`.

All output is deterministic: records and manifest entries are written in corpus order, JSON with
fixed key order, gzip with `mtime=0` and no file name in the header.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sample_pages import BOILERPLATE_ROLES, CONTENT_ROLES, JUNK_ROLE, Page
from text_edits import edit_fraction, shingle_jaccard, word_jaccard

# Shapes whose value is an id or a key: counted by their name alone.
VALUED_SHAPES = ("exact_copy_of", "near_copy_of", "rewrite_of", "story", "site_boilerplate")


def record_shapes(page: Page) -> list[str]:
    """The page's shapes plus its relation to its source (`near_copy_of:sample-0003`)."""
    shapes = list(page.shapes)
    if page.relation and page.source is not None:
        shapes.append(f"{page.relation}:{page.source.id}")
    return shapes


def similarity(page: Page) -> dict[str, Any]:
    """How a planted near-copy or rewrite compares with its source (content lines only)."""
    assert page.source is not None
    before, after = page.source.content, page.content
    return {
        "of": page.source.id,
        "relation": page.relation,
        "edit_fraction": round(edit_fraction(before, after), 3),
        "word_jaccard": round(word_jaccard(before, after), 3),
        "shingle5_jaccard": round(shingle_jaccard(before, after, 5), 3),
    }


def check_plan(pages: Sequence[Page]) -> None:
    """Fail loudly if the plan has an unplanted exact copy, a repeated id or URL, or a copy
    that comes before its source."""
    ids = [page.id for page in pages]
    urls = [page.url for page in pages]
    if len(set(ids)) != len(ids) or len(set(urls)) != len(urls):
        raise AssertionError("ids and urls must be unique")
    position = {id(page): index for index, page in enumerate(pages)}
    first_with_text: dict[str, Page] = {}
    for page in pages:
        if page.source is not None and position[id(page.source)] > position[id(page)]:
            raise AssertionError(f"{page.id} comes before its source {page.source.id}")
        first = first_with_text.setdefault(page.text, page)
        if first is not page and not (page.relation == "exact_copy_of" and page.source is first):
            raise AssertionError(f"{page.id} has the same text as {first.id} but is not planted")


def shape_counts(shapes: Sequence[list[str]]) -> dict[str, int]:
    counter: Counter[str] = Counter()
    for record in shapes:
        for shape in record:
            name = shape.split(":", 1)[0]
            counter[name if name in VALUED_SHAPES else shape] += 1
    return dict(sorted(counter.items()))


def split_files(pages: Sequence[Page], files: int) -> list[tuple[str, Sequence[Page]]]:
    """Contiguous, nearly equal shards in corpus order."""
    size, extra = divmod(len(pages), files)
    shards, start = [], 0
    for index in range(files):
        end = start + size + (1 if index < extra else 0)
        shards.append((f"crawl-{index:03d}.jsonl.gz", pages[start:end]))
        start = end
    return shards


def write_jsonl_gz(path: Path, pages: Sequence[Page]) -> None:
    lines = []
    for page in pages:
        record = {
            "id": page.id,
            "url": page.url,
            "text": page.text,
            "source": page.feed,
            "crawl_date": page.crawl_date,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as stream,
    ):
        stream.write(payload)


def _json_block(name: str, mapping: dict[str, Any], last: bool = False) -> str:
    """One top-level key of the manifest with one entry per line, for readable diffs."""
    rows = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in mapping.items()]
    return f'  "{name}": {{\n' + ",\n".join(rows) + "\n  }" + ("" if last else ",")


def manifest_text(
    pages: Sequence[Page], seed: int, shards: list[tuple[str, Sequence[Page]]]
) -> str:
    shapes = {page.id: record_shapes(page) for page in pages}
    header = {
        "about": "Planted truth of the synthetic sample crawl; see _README.md.",
        "generator": f"python scripts/make_sample_crawl.py --seed {seed}",
        "seed": seed,
        "records": len(pages),
        "files": {name: [shard[0].id, shard[-1].id] for name, shard in shards},
        "roles": {
            "content": list(CONTENT_ROLES),
            "boilerplate": list(BOILERPLATE_ROLES),
            "junk": [JUNK_ROLE],
        },
        "counts": shape_counts(list(shapes.values())),
    }
    top = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in header.items()]
    similar = {page.id: page.similarity for page in pages if page.similarity}
    roles = {page.id: [role for _, role in page.lines] for page in pages}
    blocks = [
        _json_block("shapes", shapes),
        _json_block("similarity", similar),
        _json_block("line_roles", roles, last=True),
    ]
    return "{\n" + "\n".join(top + blocks) + "\n}\n"


def crawl_parts(pages: Sequence[Page]) -> dict[str, int]:
    """Records per part of the crawl (each record in exactly one part)."""
    parts: Counter[str] = Counter()
    for page in pages:
        kind = page.shapes[0]
        if page.relation:
            part = {
                "exact_copy_of": "exact copies (same text, another URL)",
                "near_copy_of": "syndicated near-copies (5-20% of words edited)",
                "rewrite_of": 'reworded rewrites ending in "Source link"',
            }[page.relation]
        elif kind.startswith("non_english:"):
            part = "non-English articles"
        elif kind.startswith("junk:"):
            part = "junk pages"
        else:
            part = "original English articles (one per story)"
        parts[part] += 1
    return dict(sorted(parts.items(), key=lambda item: (-item[1], item[0])))


def readme_text(pages: Sequence[Page], seed: int, shards: list[tuple[str, Sequence[Page]]]) -> str:
    counts = shape_counts([record_shapes(page) for page in pages])
    near = [p.similarity for p in pages if p.relation == "near_copy_of"]
    rewrites = [p.similarity for p in pages if p.relation == "rewrite_of"]

    def span(values: list[dict[str, Any]], key: str) -> str:
        numbers = sorted(v[key] for v in values)
        return f"{numbers[0]:.2f}-{numbers[-1]:.2f}" if numbers else "-"

    lines = [
        "# Sample crawl (synthetic)",
        "",
        "A small scraped-news crawl for trying crawlsieve and for its end-to-end tests. **Every",
        "word is invented** for this project: the stories, people, places, sites and pages are",
        "fiction written for crawlsieve, and nothing is copied from real pages or from",
        "`../shared/data`. Generated by `python scripts/make_sample_crawl.py` "
        f"(seed {seed}); do not edit",
        "by hand: `tests/test_sample_crawl.py` checks that these files equal the generator's",
        "output. The truth and this file start with `_`, so that crawlsieve skips them when it",
        "reads the directory (as it skips `_SUCCESS`).",
        "",
        "    crawlsieve run configs/news.yaml --input examples/sample-crawl/ --output out/",
        "",
        "## Files",
        "",
        "| file | records | ids |",
        "|---|---|---|",
    ]
    for name, shard in shards:
        lines.append(f"| `{name}` | {len(shard)} | {shard[0].id} … {shard[-1].id} |")
    lines += [
        "",
        'Each record is `{"id", "url", "text", "source", "crawl_date"}`; `source` (the crawl feed)',
        "and `crawl_date` are passthrough columns. `_MANIFEST.json` holds the planted truth:",
        "",
        "- `shapes`: id → list of planted shapes (table below);",
        "- `similarity`: for every near-copy and rewrite, its source id, the share of the",
        "  source's words edited (word-level diff), word Jaccard and word 5-gram Jaccard,",
        "  measured on content lines only;",
        '- `line_roles`: id → one role per line of `text.split("\\n")`. Content roles',
        f"  ({', '.join(CONTENT_ROLES)}) must be kept by cleaning; boilerplate roles",
        f"  ({', '.join(BOILERPLATE_ROLES)}) should be removed; `junk` lines belong to pages",
        "  a quality filter should drop whole.",
        "",
        "## What is in it",
        "",
        "| part of the crawl | records |",
        "|---|---|",
    ]
    for part, count in crawl_parts(pages).items():
        lines.append(f"| {part} | {count} |")
    lines += [f"| **total** | {len(pages)} |", "", "| shape | records |", "|---|---|"]
    for shape, count in counts.items():
        lines.append(f"| `{shape}` | {count} |")
    lines += [
        "",
        "- Sites: five English news sites, each with its own navigation and footer lines on every",
        "  page (`site_boilerplate:<site>`), an aggregator that posts syndicated copies and spun",
        '  rewrites ending in "Source link", a scraper mirror, four non-English sites.',
        "- `near_copy_of`: syndicated copies on another site with "
        f"{span(near, 'edit_fraction')} of the words edited",
        "  (clustered: a paragraph cut, clauses trimmed, words swapped in a few sentences), word",
        f"  5-gram Jaccard {span(near, 'shingle5_jaccard')}.",
        f"- `rewrite_of`: reworded copies, word Jaccard {span(rewrites, 'word_jaccard')}, "
        f"word 5-gram Jaccard {span(rewrites, 'shingle5_jaccard')}.",
        "- `exact_copy_of`: the same text at another URL (`url_variant:` amp, print, utm, mobile,",
        "  mirror on another domain, alias). Every copy comes after its source in corpus order.",
        "- `body_twice`: the article body pasted twice, the related-list heading running into",
        '  prose in the first copy and followed by its items in the second, "Find Out More..."',
        "  after each copy.",
        "- `genuine_list`: recipes and sports results whose lists must survive cleaning.",
        "",
    ]
    return "\n".join(lines)


def write_outputs(pages: Sequence[Page], out: Path, *, seed: int, files: int) -> list[str]:
    """Write shards, manifest and README into `out`; return the shard names."""
    check_plan(pages)
    for page in pages:
        if page.relation in ("near_copy_of", "rewrite_of"):
            page.similarity = similarity(page)
    out.mkdir(parents=True, exist_ok=True)
    shards = split_files(pages, files)
    for name, shard in shards:
        write_jsonl_gz(out / name, shard)
    # Names starting with "_" are skipped when crawlsieve reads a directory (like `_SUCCESS`), so
    # `--input examples/sample-crawl/` reads the shards only.
    (out / "_MANIFEST.json").write_text(manifest_text(pages, seed, shards), encoding="utf-8")
    (out / "_README.md").write_text(readme_text(pages, seed, shards), encoding="utf-8")
    return [name for name, _ in shards]
