"""Whole-line pattern matching over a `LineTable`: named rules, first match wins.

A rule is a list of RE2 patterns. A line matches a rule when one pattern matches the whole line once
its decoration is set aside (list markers, brackets and arrows at the start; `:`, `.`, `…`, `»`,
`|`, `!`, `*` and brackets at the end), case-insensitively. All rules are first tried together, as
two alternations (linear-time RE2 passes over the lines no longer than `max_chars`): the patterns
that begin by scanning the line (`.*`, `[^.!?]*`) apart from the others, whose automaton gives up
on most lines after a few characters, where one alternation of both kinds keeps every line's
automaton alive to its end (the two passes cost ~20% less than the one). The first kind is cut
into alternations of at most `SCREEN_CHARS` characters of patterns: past ~10,000, one
alternation's automaton outgrows RE2's memory budget and RE2 falls back to a matcher ~8x slower
(the 109 default patterns in one alternation: 1.4 s against 0.16 s in three, on 1,000 WCXB
pages). Only the lines that matched are then tried rule by rule, in order, to name the removal
(each rule on the lines no earlier rule took).

Lines longer than `max_chars` are prose to every rule but the `any_length` ones, whose patterns
are tried on them alone in screens of their own, cut to `SCREEN_CHARS` the same way
(`LineRulesConfig.any_length_rules`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.line_table import LineTable, arrow_to_numpy

DECORATION_START = r"(?:[-*•·+▪►‣◦>»›|#~\[(]\s*|o\s+|\d{1,3}[.)]\s+)*"
DECORATION_END = r"[\s:.…»›→>|!\])*]*"
SCANS_FROM_START = re.compile(r"^(?:\.[*+]|\[\^[^\]]*\][*+])")
SCREEN_CHARS = 7000  # characters of patterns per screen alternation


def full_line_pattern(patterns: Sequence[str]) -> str:
    """One RE2 pattern matching a whole decorated line that one of `patterns` matches."""
    body = "|".join(f"(?:{pattern})" for pattern in patterns)
    return f"^{DECORATION_START}(?:{body}){DECORATION_END}$"


def screen_groups(patterns: Sequence[str], budget: int) -> list[list[str]]:
    """`patterns` in order, cut into groups of at most `budget` characters each (a longer pattern
    is a group of its own)."""
    groups: list[list[str]] = [[]]
    size = 0
    for pattern in patterns:
        if groups[-1] and size + len(pattern) > budget:
            groups.append([])
            size = 0
        groups[-1].append(pattern)
        size += len(pattern)
    return groups


class LinePatternRules:
    """Named full-line rules compiled into RE2 patterns once (per worker)."""

    def __init__(
        self,
        rules: Mapping[str, Sequence[str]],
        *,
        max_chars: int,
        any_length: Collection[str] = (),
    ) -> None:
        self.names: tuple[str, ...] = tuple(name for name, patterns in rules.items() if patterns)
        self.patterns: tuple[str, ...] = tuple(full_line_pattern(rules[n]) for n in self.names)
        every = [pattern for name in self.names for pattern in rules[name]]
        scanning = [pattern for pattern in every if SCANS_FROM_START.match(pattern)]
        anchored = [pattern for pattern in every if not SCANS_FROM_START.match(pattern)]
        groups = [*screen_groups(anchored, SCREEN_CHARS), scanning]
        self.screens = tuple(full_line_pattern(group) for group in groups if group)
        self.max_chars = max_chars
        # Per rule: does it match lines longer than `max_chars` too?
        self.any_length = tuple(name in any_length for name in self.names)
        long_patterns = [p for n in self.names if n in any_length for p in rules[n]]
        self.long_screens = tuple(
            full_line_pattern(group)
            for group in screen_groups(long_patterns, SCREEN_CHARS)
            if group
        )

    def match(self, lines: LineTable, candidates: np.ndarray | None = None) -> np.ndarray:
        """Per line: 0 when no rule matches, else 1 + the index of the first matching rule.

        Args:
            lines: the lines to test.
            candidates: optional mask; other lines are never matched.
        """
        codes = np.zeros(lines.num_lines, dtype=np.int32)
        if not self.names or lines.num_lines == 0:
            return codes
        remaining = np.zeros(lines.num_lines, dtype=bool)
        for screen in self.screens:
            remaining |= lines.matches(screen, max_chars=self.max_chars, ignore_case=True)
        long = lines.chars > self.max_chars
        if self.long_screens and long.any():
            # only the long lines: the screens above have tried the others
            at = np.flatnonzero(long)
            texts = lines.stripped.take(pa.array(at))
            for screen in self.long_screens:
                hits = pc.match_substring_regex(texts, pattern=screen, ignore_case=True)
                remaining[at[arrow_to_numpy(hits, bool)]] = True
        if candidates is not None:
            remaining = remaining & candidates
        if not remaining.any():
            return codes
        # Each rule is tried only on the lines no earlier rule matched: RE2 builds its automaton
        # anew in every call, state by state as the lines need them, so fewer lines cost less.
        index = np.flatnonzero(remaining)
        texts = lines.stripped.take(pa.array(index))
        for code, pattern in enumerate(self.patterns, start=1):
            hits = pc.match_substring_regex(texts, pattern=pattern, ignore_case=True)
            matched = arrow_to_numpy(hits, bool)
            if not self.any_length[code - 1]:
                matched &= ~long[index]
            codes[index[matched]] = code
            if matched.all():
                break
            if matched.any():
                index, texts = index[~matched], texts.filter(pa.array(~matched))
        return codes
