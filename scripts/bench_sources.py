"""Source text for the benchmark corpus, read from `../shared/data` (never copied into the repo).

* Reuters-21578 stories become (headline, paragraphs, trailer): the hard-wrapped lines are joined
  into paragraphs (a paragraph starts on a line indented by spaces) and the closing "Reuter" line
  is kept apart, because it is a real trailer that recurs across thousands of documents.
* WCXB pages are cut into segments of consecutive lines (about 1,000 characters each), every line
  with its WCXB label: content, boilerplate or unknown.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REUTERS = Path("reuters21578") / "docs.jsonl.gz"
WCXB_DOCS = Path("wcxb-dev") / "docs.jsonl.gz"
WCXB_LABELS = Path("wcxb-dev") / "labels.jsonl.gz"
REQUIRED = (REUTERS, WCXB_DOCS, WCXB_LABELS)

MIN_STORY_CHARS = 200
MAX_STORY_CHARS = 1_200  # a shared story stays a small part of each page that uses it
SEGMENT_CHARS = 1_000
MAX_LINE_CHARS = 2_500
# Line roles (one character per line) of the benchmark's truth table.
ROLE_HEADLINE = "h"
ROLE_BODY = "b"
ROLE_SOURCE_TRAILER = "r"
WCXB_ROLES = {1: "c", 0: "x", None: "u"}
ROLE_EMPTY = "e"


class MissingDataError(RuntimeError):
    """The shared evaluation data is not where the benchmark expects it."""


@dataclass(frozen=True)
class Story:
    """One newswire story."""

    headline: str
    paragraphs: tuple[str, ...]
    trailer: str | None


@dataclass(frozen=True)
class Segment:
    """Consecutive lines of one WCXB page and their roles (one character each)."""

    lines: tuple[str, ...]
    roles: str


def check_data(data_dir: Path) -> None:
    """Raise `MissingDataError` naming every missing file."""
    missing = [str(data_dir / path) for path in REQUIRED if not (data_dir / path).is_file()]
    if missing:
        raise MissingDataError(
            "the shared evaluation data is missing: "
            + ", ".join(missing)
            + f"\nexpected the folders of {data_dir / 'README.md'} (reuters21578, wcxb-dev);"
            + " pass --data DIR if they are elsewhere"
        )


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


def parse_reuters(text: str) -> Story | None:
    """Split a Reuters story into headline, unwrapped paragraphs and trailer (None if too short)."""
    lines = text.replace("\r", "").rstrip().split("\n")
    if len(lines) < 2:
        return None
    trailer = None
    if lines[-1].strip().lower().startswith("reuter"):
        trailer = lines.pop().strip()
    headline = lines[0].strip()
    paragraphs: list[list[str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        if not paragraphs or line.startswith(" "):
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    joined = tuple(" ".join(words) for words in paragraphs)
    size = sum(len(p) for p in joined)
    if not headline or not MIN_STORY_CHARS <= size <= MAX_STORY_CHARS:
        return None
    return Story(headline=headline, paragraphs=joined, trailer=trailer)


def load_reuters(data_dir: Path) -> list[Story]:
    """Every usable Reuters story, in file order."""
    stories = (parse_reuters(row["text"]) for row in _jsonl(data_dir / REUTERS))
    return [story for story in stories if story is not None]


def page_segments(text: str, labels: list[int | None]) -> list[Segment]:
    """Cut one page into segments of about `SEGMENT_CHARS` characters at line boundaries."""
    segments: list[Segment] = []
    lines: list[str] = []
    roles: list[str] = []
    size = 0
    for line, label in zip(text.split("\n"), labels, strict=True):
        if len(line) > MAX_LINE_CHARS:
            continue
        lines.append(line)
        roles.append(WCXB_ROLES[label] if line.strip() else ROLE_EMPTY)
        size += len(line) + 1
        if size >= SEGMENT_CHARS:
            segments.append(Segment(tuple(lines), "".join(roles)))
            lines, roles, size = [], [], 0
    if size >= SEGMENT_CHARS // 3:
        segments.append(Segment(tuple(lines), "".join(roles)))
    return [s for s in segments if any(role != ROLE_EMPTY for role in s.roles)]


def load_wcxb(data_dir: Path) -> list[Segment]:
    """Segments of every WCXB page, in file order."""
    labels = {row["id"]: row["line_labels"] for row in _jsonl(data_dir / WCXB_LABELS)}
    segments: list[Segment] = []
    for row in _jsonl(data_dir / WCXB_DOCS):
        segments.extend(page_segments(row["text"], labels[row["id"]]))
    return segments
