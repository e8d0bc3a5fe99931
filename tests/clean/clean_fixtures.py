"""Small hand-written pages with the shapes of real scraped text (no real text is copied)."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pyarrow as pa

from pipeline.clean.line_table import LineTable
from pipeline.schema import ID, ORIGINAL_CHARS, SEQ, TEXT, URL

BYLINE = ["Marta Quell", "Guest Reporter"]
BODY_HEAD = [
    "Council inspectors failed to act on repeated warnings about the flood barrier, choosing to "
    "chase cheaper repairs to meet budget targets, according to an internal memo.",
    "Road, drainage and lighting works were given priority by the Eastvale District Council "
    "because they were the measures ministers tracked throughout the 2010s.",
    "The memo, seen by The Chronicle, states: “Throughout the decade the targets were narrow and "
    "engineers were told to close small jobs first rather than inspect the barrier.”",
    "This latest development in the long-running flood inquiry is expected to renew calls for an "
    "independent review of the council's engineering department.",
]
BODY_TAIL = [
    "Once the council received the memo's findings, it rejected them. No further action followed.",
    "Last month, the regional minister promised £4million for local flood reviews; the first is "
    "due to begin in Marlow.",
    "Campaigner Ada Brenn said the plans “do not go nearly far enough”, calling for a full public "
    "inquiry that can question senior officials.",
    "She told The Chronicle: “An inquiry has to ask who knew, who signed off and who kept quiet.",
    "“Several of those managers have since retired – none of them has ever been asked to explain.”",
    "A source from the council said that talks with Brenn about the memo were meant to explain "
    "the legal position.",
    "A council spokesperson said: “The terms of any review are set by the regulator, not by us.”",
]
RELATED_HEADING = "LATEST DEVELOPMENTS:"
RELATED_ITEMS = [
    "- Minister warned of legal action HOURS before flood review announced",
    "- Council leader urged to 'think again' on barrier repairs: 'Paper over the cracks!'",
    "- Mayor's 'blind spot' on flood defences attacked by campaigners after interview",
]
TRAILER = "Find Out More..."

# 001-like: byline, body, a related-links heading whose list the scraper dropped, trailer, then
# the body again with the heading and its list, and the trailer again.
DOUBLED_ARTICLE = "\n".join(
    BYLINE
    + BODY_HEAD
    + [RELATED_HEADING]
    + BODY_TAIL
    + [TRAILER]
    + BODY_HEAD
    + [RELATED_HEADING]
    + RELATED_ITEMS
    + BODY_TAIL
    + [TRAILER]
)
DOUBLED_ARTICLE_CLEAN = "\n".join(BODY_HEAD + BODY_TAIL)

# 000-like: headline, subheadings without punctuation (one in single quotes), quoted speech ending
# in a typographic quote, prose containing "source", and a "Source link" trailer.
REWRITE_LINES = [
    "'Budget culture' means inspectors ignore barrier, says leaked memo",
    "Senior inspectors failed to protect the town because they prioritised cheaper jobs to "
    "satisfy ministers, a leaked memo has revealed.",
    "The memo was completed in 2022 but has never been published.",
    "The memo followed a complaint",
    "It said officials “named the budget targets as one reason the barrier was never a priority”.",
    "Call for a public inquiry",
    "Ms Brenn said the plans “do not go far enough”.",
    "“Most of those managers have retired – they have never been held to account.”",
    "'They wanted to keep me quiet'",
    "A source within the council said talks with Ms Brenn were meant to explain the legal risks.",
    "Readers who want to read more about the latest developments can follow the inquiry online.",
    "A spokesperson said: “The terms of any review are set by the regulator.”",
    "Source link",
]
REWRITE_ARTICLE = "\n".join(REWRITE_LINES)
REWRITE_ARTICLE_CLEAN = "\n".join(REWRITE_LINES[:-1])


def make_table(
    texts: list[str], *, urls: list[str | None] | None = None, ids: list[str] | None = None
) -> pa.Table:
    """A batch of live records with the canonical columns."""
    n = len(texts)
    return pa.table(
        {
            ID: ids or [f"doc-{i}" for i in range(n)],
            TEXT: pa.array(texts, pa.string()),
            URL: pa.array(urls or [None] * n, pa.string()),
            SEQ: pa.array(range(n), pa.uint64()),
            ORIGINAL_CHARS: pa.array([len(t) for t in texts], pa.int64()),
        }
    )


class RuleStage(Protocol):
    rules: tuple[str, ...]

    def find_removals(self, lines: LineTable) -> np.ndarray: ...


def rule_of_each(stage: RuleStage, lines: list[str]) -> list[str | None]:
    """The rule that removes each line when every line is its own document."""
    codes = stage.find_removals(LineTable.from_text(pa.array(lines)))
    return [stage.rules[c - 1] if c else None for c in codes.tolist()]


def verdicts(stage: RuleStage, *docs: list[str]) -> list[list[tuple[str, str]]]:
    """Per document (lines joined by newlines): (rule, line) of every removed line."""
    lines = LineTable.from_text(pa.array(["\n".join(doc) for doc in docs]))
    codes = stage.find_removals(lines)
    text = lines.lines.to_pylist()
    out: list[list[tuple[str, str]]] = [[] for _ in docs]
    for index in np.flatnonzero(codes):
        out[lines.doc[index]].append((stage.rules[codes[index] - 1], text[index]))
    return out


def removed_lines(stage: RuleStage, doc: list[str], *, blank_lines: bool = True) -> dict[str, str]:
    """Each removed line of one document (a blank line between its lines, or none), with the rule
    that removed it."""
    text = "\n\n".join(doc) if blank_lines else "\n".join(doc)
    lines = LineTable.from_text(pa.array([text]))
    codes = stage.find_removals(lines)
    values = lines.lines.to_pylist()
    return {values[i]: stage.rules[codes[i] - 1] for i in np.flatnonzero(codes)}
