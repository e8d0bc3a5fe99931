"""Reader comments under an article: the thread is removed whole (`comment_thread`).

A comment thread is a run of comment signatures: short lines that end in a date
(`comment_date_patterns`), with or without a time, after an optional commenter
(`comment_commenter_pattern`) ("Sharon says: July 14, 2015 at 3:53 pm", "December 18, 2025, 9:46
pm", "Amy · 3 years ago", "July 25, 2019"), never a line that starts "asked", "edited",
"posted" ... (a question site's or a post's own metadata: `comment_signature_exclusions`).
Signatures whose gaps are at most `comment_max_gap` non-blank lines form a run; a run of
`comment_min_signatures` or more is a thread when

* the page has no line of `comment_skip_page_patterns` (a question site's "answered Jun 8, 2018
  at 10:24": there the comments under each answer are part of the content);
* at least `comment_min_prose_words` words of prose (lines of 8+ words ending a sentence) stand
  above it in the text: there is an article the comments are under (a forum thread's first post
  has none above it). Leading signatures with less prose above them (the article's own date)
  leave the run first; and
* a comments heading ("42 Comments", "12 thoughts on “…”", "Reader Interactions", "Leave a Reply")
  is among the `comment_heading_lookback` non-blank lines above its first signature, or at least
  half its signatures are "Name says" lines (WordPress's form, on the signature line or the one
  just above it). A forum's "60 replies" is no such heading: its posts, the page's content, stay.

The thread runs from that heading (or the first "Name says" line, or the first signature) to the
end of its last comment: the first `comment_end_patterns` line ("Reply", "ReplyDelete", "Log in to
Reply") within `comment_max_gap` lines after the last signature, or else as many lines after it as
the median gap between the run's signatures. Every non-blank line in it is removed, the comments'
own text with it, which is what no line rule can tell from prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np

from pipeline.clean.line_patterns import DECORATION_END, full_line_pattern
from pipeline.clean.line_table import LineTable, subset

if TYPE_CHECKING:
    from pipeline.clean.config import BlockRulesConfig

SIGNATURE_TAIL = r"(?:\s*(?:\||#\d+|says:?).*)?"  # after the date: "| Reply", "#12", "says:"
SIGNATURE_MAX_CHARS = 100  # the longest signature of a WCXB dev thread has 52
HEADING_MAX_CHARS = 200


@dataclass(frozen=True)
class CommentPatterns:
    """The compiled whole-line patterns of the rule (see `BlockRulesConfig`)."""

    screen: str
    signature: str
    exclusion: str
    skip_page: str
    heading: str
    says: str
    end: str

    @classmethod
    def from_config(cls, config: BlockRulesConfig) -> CommentPatterns:
        dates = "|".join(f"(?:{pattern})" for pattern in config.comment_date_patterns)
        commenter = config.comment_commenter_pattern
        return cls(
            screen=f"(?:{dates}){SIGNATURE_TAIL}{DECORATION_END}$",
            signature=full_line_pattern([f"(?:{commenter})?(?:{dates}){SIGNATURE_TAIL}"]),
            exclusion=full_line_pattern(config.comment_signature_exclusions),
            skip_page=full_line_pattern(config.comment_skip_page_patterns),
            heading=full_line_pattern(config.comment_heading_patterns),
            says=full_line_pattern(config.comment_says_patterns),
            end=full_line_pattern(config.comment_end_patterns),
        )


def comment_thread_lines(
    lines: LineTable, prose: np.ndarray, patterns: CommentPatterns, config: BlockRulesConfig
) -> np.ndarray:
    """True for every non-blank line of a comment thread (see the module docstring); `prose`:
    the prose lines, whose words must stand above a thread (`block_rules`' prose lines)."""
    in_thread = np.zeros(lines.num_lines, dtype=bool)
    if config.comment_min_signatures == 0 or lines.num_lines == 0:
        return in_thread
    # The screen (a search for a date at the end of a line) is cheap on every line; the whole
    # signature and its exclusions run only on the few lines it finds.
    screened = lines.matches(patterns.screen, max_chars=SIGNATURE_MAX_CHARS, ignore_case=True)
    if np.count_nonzero(screened) < config.comment_min_signatures:
        return in_thread
    found, found_index = subset(lines, screened)
    signature = np.zeros(lines.num_lines, dtype=bool)
    signature[found_index] = found.matches(
        patterns.signature, max_chars=None, ignore_case=True
    ) & ~found.matches(patterns.exclusion, max_chars=None, ignore_case=True)
    per_doc = np.bincount(lines.doc[signature], minlength=lines.num_docs)
    candidate_docs = per_doc >= config.comment_min_signatures
    if not candidate_docs.any():
        return in_thread
    # The other patterns only run on the documents that have enough signatures.
    pending = candidate_docs[lines.doc] & ~lines.blank
    part, index = subset(lines, pending)
    skip = part.matches(patterns.skip_page, max_chars=SIGNATURE_MAX_CHARS, ignore_case=True)
    candidate_docs[lines.doc[index[skip]]] = False
    heading = np.zeros(lines.num_lines, dtype=bool)
    says = np.zeros(lines.num_lines, dtype=bool)
    end = np.zeros(lines.num_lines, dtype=bool)
    heading[index] = part.matches(patterns.heading, max_chars=HEADING_MAX_CHARS, ignore_case=True)
    says[index] = part.matches(patterns.says, max_chars=SIGNATURE_MAX_CHARS, ignore_case=True)
    end[index] = part.matches(patterns.end, max_chars=SIGNATURE_MAX_CHARS, ignore_case=True)
    prose_words = np.where(prose, lines.words, 0).astype(np.int64)
    mark_threads(
        lines.offsets,
        lines.blank,
        candidate_docs,
        signature,
        heading,
        says,
        end,
        prose_words,
        config.comment_min_signatures,
        config.comment_max_gap,
        config.comment_min_prose_words,
        config.comment_heading_lookback,
        in_thread,
    )
    return in_thread


@numba.njit(cache=True, nogil=True)
def mark_threads(
    offsets: np.ndarray,
    blank: np.ndarray,
    candidate_docs: np.ndarray,
    signature: np.ndarray,
    heading: np.ndarray,
    says: np.ndarray,
    end: np.ndarray,
    prose_words: np.ndarray,
    min_signatures: int,
    max_gap: int,
    min_prose_words: int,
    lookback: int,
    out: np.ndarray,
) -> None:
    """Set `out` on the non-blank lines of each document's comment threads."""
    for d in range(offsets.size - 1):
        if not candidate_docs[d]:
            continue
        start, stop = offsets[d], offsets[d + 1]
        # The document's non-blank lines, in order; positions below index into `rows`.
        rows = np.empty(stop - start, dtype=np.int64)
        count = 0
        for line in range(start, stop):
            if not blank[line]:
                rows[count] = line
                count += 1
        sigs = np.empty(count, dtype=np.int64)
        above = np.empty(count, dtype=np.int64)  # words of prose on the lines before each
        n_sigs = 0
        total = 0
        for k in range(count):
            above[k] = total
            total += prose_words[rows[k]]
            if signature[rows[k]]:
                sigs[n_sigs] = k
                n_sigs += 1
        first = 0
        while first < n_sigs:
            last = first
            while last + 1 < n_sigs and sigs[last + 1] - sigs[last] <= max_gap:
                last += 1
            # A signature with too little prose above it is the article's own date, not a
            # comment's: the run starts after it.
            lead = first
            while lead <= last and above[sigs[lead]] < min_prose_words:
                lead += 1
            if last - lead + 1 >= min_signatures:
                _mark_run(
                    rows[:count],
                    sigs[lead : last + 1],
                    heading,
                    says,
                    end,
                    max_gap,
                    lookback,
                    out,
                )
            first = last + 1


@numba.njit(cache=True, nogil=True)
def _mark_run(
    rows: np.ndarray,
    sigs: np.ndarray,
    heading: np.ndarray,
    says: np.ndarray,
    end: np.ndarray,
    max_gap: int,
    lookback: int,
    out: np.ndarray,
) -> None:
    """Mark one run of signatures (positions in `rows`, the article above it) when it is a
    thread."""
    begin = -1
    for k in range(sigs[0] - 1, max(sigs[0] - 1 - lookback, -1), -1):
        if heading[rows[k]]:
            begin = k
            break
    if begin < 0:
        said = 0
        for s in sigs:
            if says[rows[s]] or (s > 0 and says[rows[s - 1]]):
                said += 1
        if 2 * said < sigs.size:
            return
        begin = sigs[0] - 1 if sigs[0] > 0 and says[rows[sigs[0] - 1]] else sigs[0]
    finish = -1
    for k in range(sigs[-1] + 1, min(sigs[-1] + 1 + max_gap, rows.size)):
        if end[rows[k]]:
            finish = k
            break
    if finish < 0:
        gaps = np.diff(sigs)
        finish = min(sigs[-1] + int(np.median(gaps)) - 1, rows.size - 1)
    for k in range(begin, finish + 1):
        out[rows[k]] = True
