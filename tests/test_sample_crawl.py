"""The bundled sample crawl: reproducible, equal to its generator's output, and its planted truth
(`_MANIFEST.json`) describes every record exactly."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-crawl"
GENERATOR = ROOT / "scripts" / "make_sample_crawl.py"
CONTENT_ROLES = {"headline", "subheading", "paragraph", "quote", "list_heading", "list_item"}
WORD = re.compile(r"\w+(?:[’']\w+)*")
TRAILER_TEXT = {
    "source_link": "Source link",
    "find_out_more": "Find Out More...",
    "read_more": "Read more",
    "share": "Share this article",
    "newsletter": "Sign up to our newsletter",
    "follow_twitter": "Follow us on Twitter",
    "advertisement": "Advertisement",
}
RELATED_HEADING = {
    "latest_developments": "LATEST DEVELOPMENTS:",
    "related_stories": "RELATED STORIES",
    "most_read": "Most Read",
    "read_more": "Read more:",
}


def generate(out: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )


def read_records(directory: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in sorted(directory.glob("crawl-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                record = json.loads(line)
                records[record["id"]] = record
    return records


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "a"
    generate(out)
    return out


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads((SAMPLE / "_MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    return read_records(SAMPLE)


def content_text(record: dict[str, Any], roles: list[str]) -> str:
    lines = record["text"].split("\n")
    return "\n".join(line for line, role in zip(lines, roles, strict=True) if role in CONTENT_ROLES)


@pytest.mark.slow
def test_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "b"
    generate(again)
    names = sorted(p.name for p in generated.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (generated / name).read_bytes() == (again / name).read_bytes(), name


def test_committed_sample_equals_generator_output(generated: Path) -> None:
    committed = sorted(p.name for p in SAMPLE.iterdir())
    assert committed == sorted(p.name for p in generated.iterdir())
    for name in committed:
        if name.endswith(".gz"):
            # Compare the payload: another zlib build may compress the same bytes differently.
            header = (SAMPLE / name).read_bytes()[:10]
            assert header[4:8] == b"\0\0\0\0", f"{name}: gzip mtime must be 0"
            assert header[3] & 0x08 == 0, f"{name}: gzip header must not carry a file name"
            assert gzip.decompress((SAMPLE / name).read_bytes()) == gzip.decompress(
                (generated / name).read_bytes()
            ), name
        else:
            assert (SAMPLE / name).read_bytes() == (generated / name).read_bytes(), name


def test_records_have_the_documented_columns(records: dict[str, dict[str, Any]]) -> None:
    assert len(records) >= 200
    for record_id, record in records.items():
        assert list(record) == ["id", "url", "text", "source", "crawl_date"], record_id
        assert record["source"] in ("rss", "sitemap", "link")
        assert re.fullmatch(r"2024-11-\d\dT\d\d:\d\d:\d\dZ", record["crawl_date"])
        assert record["url"].startswith("https://")
    assert len({r["url"] for r in records.values()}) == len(records)


def test_manifest_covers_every_record_and_line(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    assert list(manifest["shapes"]) == sorted(records) == list(manifest["line_roles"])
    assert manifest["records"] == len(records)
    for record_id, record in records.items():
        assert len(manifest["line_roles"][record_id]) == len(record["text"].split("\n"))
    for name, (first, last) in manifest["files"].items():
        with gzip.open(SAMPLE / name, "rt", encoding="utf-8") as stream:
            ids = [json.loads(line)["id"] for line in stream]
        assert (ids[0], ids[-1]) == (first, last)


def test_manifest_counts_match_shapes_and_cover_every_shape(manifest: dict[str, Any]) -> None:
    counter: Counter[str] = Counter()
    for shapes in manifest["shapes"].values():
        for shape in shapes:
            name = shape.split(":", 1)[0]
            valued = ("exact_copy_of", "near_copy_of", "rewrite_of", "story", "site_boilerplate")
            counter[name if name in valued else shape] += 1
    counts = manifest["counts"]
    assert counts == dict(counter)
    minimums = {
        "body_twice": 5,
        "exact_copy_of": 30,
        "near_copy_of": 40,
        "rewrite_of": 10,
        "genuine_list": 4,
        "url_variant:mirror": 5,
        **{f"non_english:{lang}": 3 for lang in ("de", "fr", "es", "it")},
        **{f"junk:{kind}": 2 for kind in ("menu", "lorem", "keyword_spam", "code", "short")},
        "junk:no_letters": 1,
        "junk:cookie_wall": 2,
        **{f"trailer:{name}": 5 for name in [*TRAILER_TEXT, "copyright"]},
        **{f"related:{style}": 5 for style in RELATED_HEADING},
        **{f"byline:{s}": 5 for s in ("guest_reporter", "by", "published", "by_published")},
    }
    short = {
        shape: counts.get(shape, 0) for shape, low in minimums.items() if counts.get(shape, 0) < low
    }
    assert short == {}


def test_copies_point_back_to_earlier_records(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    order = {record_id: index for index, record_id in enumerate(sorted(records))}
    first_with_text: dict[str, str] = {}
    for record_id in sorted(records):
        text = records[record_id]["text"]
        shapes = manifest["shapes"][record_id]
        relations = [s for s in shapes if s.split(":")[0].endswith("_of")]
        assert len(relations) <= 1, record_id
        first = first_with_text.setdefault(text, record_id)
        if first != record_id:
            assert relations == [f"exact_copy_of:{first}"], record_id
        for relation in relations:
            source = relation.split(":", 1)[1]
            assert order[source] < order[record_id]
            if relation.startswith(("near_copy_of", "rewrite_of")):
                similarity = manifest["similarity"][record_id]
                assert similarity["of"] == source
                assert records[source]["text"] != text


def test_near_copies_edit_five_to_twenty_percent_of_words(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    near = {k: v for k, v in manifest["similarity"].items() if v["relation"] == "near_copy_of"}
    assert len(near) == manifest["counts"]["near_copy_of"]
    for record_id, similarity in near.items():
        assert 0.05 <= similarity["edit_fraction"] <= 0.20, record_id
        source = similarity["of"]
        assert records[record_id]["url"].split("/")[2] != records[source]["url"].split("/")[2]
        mine = content_text(records[record_id], manifest["line_roles"][record_id])
        theirs = content_text(records[source], manifest["line_roles"][source])
        assert 0 < similarity["shingle5_jaccard"] < 1
        assert set(WORD.findall(mine.lower())) & set(WORD.findall(theirs.lower()))


def test_rewrites_end_in_source_link_and_share_few_five_grams(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    rewrites = [k for k, v in manifest["similarity"].items() if v["relation"] == "rewrite_of"]
    assert rewrites
    for record_id in rewrites:
        lines = records[record_id]["text"].split("\n")
        roles = manifest["line_roles"][record_id]
        last_content = max(i for i, role in enumerate(roles) if role != "footer")
        assert (lines[last_content], roles[last_content]) == ("Source link", "trailer")
        similarity = manifest["similarity"][record_id]
        assert similarity["shingle5_jaccard"] < 0.3 < similarity["word_jaccard"]


def test_body_twice_pages_repeat_their_body(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    pages = [k for k, v in manifest["shapes"].items() if "body_twice" in v]
    assert pages
    for record_id in pages:
        lines = records[record_id]["text"].split("\n")
        roles = manifest["line_roles"][record_id]
        content = [line for line, role in zip(lines, roles, strict=True) if role in CONTENT_ROLES]
        repeated = [
            line for line, role in zip(lines, roles, strict=True) if role == "repeated_body"
        ]
        assert repeated == content[2:]  # the second copy starts at the body's second paragraph
        assert lines.count("Find Out More...") == 2
        headings = [i for i, role in enumerate(roles) if role == "related_heading"]
        assert len(headings) == 2
        assert roles[headings[0] + 1] in CONTENT_ROLES  # first copy: heading runs into prose
        assert roles[headings[1] + 1] == "related_item"  # second copy: heading and its items


def test_shapes_describe_the_planted_lines(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    for record_id, shapes in manifest["shapes"].items():
        lines = records[record_id]["text"].split("\n")
        roles = manifest["line_roles"][record_id]
        pairs = set(zip(lines, roles, strict=True))
        trailers = {s.split(":")[1] for s in shapes if s.startswith("trailer:")}
        for name in trailers & set(TRAILER_TEXT):
            assert (TRAILER_TEXT[name], "trailer") in pairs, (record_id, name)
        if "trailer:copyright" in shapes:
            assert any(r == "trailer" and line.startswith("Copyright 2024") for line, r in pairs)
        assert ("trailer" in roles) == bool(trailers), record_id
        related = [s.split(":")[1] for s in shapes if s.startswith("related:")]
        assert ("related_heading" in roles) == bool(related), record_id
        for style in related:
            assert (RELATED_HEADING[style], "related_heading") in pairs, record_id
        assert ("byline" in roles) == any(s.startswith("byline:") for s in shapes), record_id
        if shapes[0].startswith("junk:"):
            assert set(roles) <= {"junk", "nav", "footer"}, record_id
        else:
            assert "junk" not in roles, record_id
        if shapes[0].startswith("non_english:") or "genuine_list" in shapes:
            assert roles.count("list_item" if "genuine_list" in shapes else "paragraph") >= 4


def test_every_page_of_a_site_carries_the_same_site_lines(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    site_lines: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for record_id, shapes in manifest["shapes"].items():
        lines = records[record_id]["text"].split("\n")
        roles = manifest["line_roles"][record_id]
        edges = tuple(
            line for line, role in zip(lines, roles, strict=True) if role in ("nav", "footer")
        )
        sites = [s.split(":")[1] for s in shapes if s.startswith("site_boilerplate:")]
        assert len(sites) == (1 if edges else 0), record_id
        for site in sites:
            site_lines[site].add(edges)
    assert len(site_lines) >= 9
    assert {
        site: len(variants) for site, variants in site_lines.items() if len(variants) != 1
    } == {}


def test_unrelated_pages_are_not_near_duplicates(
    manifest: dict[str, Any], records: dict[str, dict[str, Any]]
) -> None:
    """Only planted copies are similar: pages of different stories share few 5-grams."""
    family = {}
    shingles = {}
    for record_id, shapes in manifest["shapes"].items():
        story = next((s for s in shapes if s.startswith("story:")), record_id)
        family[record_id] = story
        tokens = WORD.findall(
            content_text(records[record_id], manifest["line_roles"][record_id]).lower()
        )
        shingles[record_id] = {hash(tuple(tokens[i : i + 5])) for i in range(len(tokens) - 4)}
    ids = sorted(shingles)
    worst = 0.0
    for index, a in enumerate(ids):
        for b in ids[index + 1 :]:
            if family[a] == family[b] or not shingles[a] or not shingles[b]:
                continue
            union = len(shingles[a] | shingles[b])
            worst = max(worst, len(shingles[a] & shingles[b]) / union)
    assert worst < 0.3
