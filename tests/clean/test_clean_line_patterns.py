"""`LinePatternRules.match`: the first rule (in order) whose pattern matches the whole decorated
line, against a plain-Python reference (`re.fullmatch` of each rule's pattern, rule by rule)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from pipeline.clean.line_patterns import (
    SCREEN_CHARS,
    LinePatternRules,
    full_line_pattern,
    screen_groups,
)
from pipeline.clean.line_table import LineTable

# Rules that overlap (a line can match several; the first one wins), a scanning pattern, and
# multi-byte text. The patterns use only syntax that RE2 and Python's `re` read alike.
RULES = {
    "share": ["share( this)?( article)?", "tweet"],
    "empty_rule": [],
    "related": ["(read more|related): .+", "more from [a-z]+"],
    "any_share": [".*share.*"],
    "photo": ["photo: [^.]+", "фото: .+"],
    "digits": [r"\d+ comments?"],
}
MAX_CHARS = 40

DOCS = [
    "Share this\n\nPrices rose in March.\n- Tweet\nRead more: Bank raises rates",
    "",
    "single line of prose that no rule takes.",
    "• Фото: Иван Петров\n\n\n12 comments\n» More from Reuters «",
    "please share your views on the matter here\nshare this article:",
    "Related: a headline that is far too long to be boilerplate at all, really",
    "   \nPhoto: café crème\n3 Comments |\nnot share",
    "SHARE THIS ARTICLE\nread more: x\n1. tweet\n",
]


def reference_codes(
    lines: LineTable, candidates: np.ndarray | None, any_length: frozenset[str] = frozenset()
) -> list[int]:
    """1 + the index of the first rule of `RULES` (empty rules counted out) whose whole-line
    pattern `re.fullmatch`es the stripped, non-blank line of at most `MAX_CHARS` characters (of
    any length for the rules in `any_length`)."""
    named = [(name, patterns) for name, patterns in RULES.items() if patterns]
    compiled = [
        (name in any_length, re.compile(full_line_pattern(patterns), re.IGNORECASE))
        for name, patterns in named
    ]
    codes = []
    for i, line in enumerate(lines.stripped.to_pylist()):
        code = 0
        if line and (candidates is None or candidates[i]):
            fits = len(line) <= MAX_CHARS
            hits = (
                k
                for k, (unbounded, rx) in enumerate(compiled, 1)
                if (unbounded or fits) and rx.fullmatch(line)
            )
            code = next(hits, 0)
        codes.append(code)
    return codes


def test_match_gives_the_first_matching_rule_of_each_line() -> None:
    rules = LinePatternRules(RULES, max_chars=MAX_CHARS)
    lines = LineTable.from_text(pa.array(DOCS))
    codes = rules.match(lines)
    expected = reference_codes(lines, None)
    assert codes.tolist() == expected
    # the fixture exercises every rule, overlaps included
    assert set(expected) == {0, 1, 2, 3, 4, 5}
    assert rules.names == ("share", "related", "any_share", "photo", "digits")


def test_match_only_takes_candidate_lines() -> None:
    rules = LinePatternRules(RULES, max_chars=MAX_CHARS)
    lines = LineTable.from_text(pa.array(DOCS))
    candidates = np.arange(lines.num_lines) % 2 == 0
    assert rules.match(lines, candidates).tolist() == reference_codes(lines, candidates)


def test_match_of_no_lines_and_of_no_rules() -> None:
    rules = LinePatternRules(RULES, max_chars=MAX_CHARS)
    assert rules.match(LineTable.from_text(pa.array([], pa.string()))).size == 0
    nothing = LinePatternRules({"none": []}, max_chars=MAX_CHARS)
    assert nothing.match(LineTable.from_text(pa.array(DOCS))).tolist() == [0] * sum(
        doc.count("\n") + 1 for doc in DOCS
    )


def test_screen_groups_keep_order_and_budget() -> None:
    patterns = ["a" * 30, "b" * 50, "c" * 30, "d" * 120, "e" * 10]
    groups = screen_groups(patterns, 80)
    assert groups == [["a" * 30, "b" * 50], ["c" * 30], ["d" * 120], ["e" * 10]]
    assert [p for group in groups for p in group] == patterns
    assert screen_groups([], 80) == [[]]


def test_many_patterns_are_screened_in_several_alternations() -> None:
    # a user's long extra list: more characters of patterns than one screen holds
    words = [f"widget{i:04d} (?:alpha|beta|gamma) (?:one|two|three)" for i in range(400)]
    rules = {**RULES, "widgets": words}
    many = LinePatternRules(rules, max_chars=MAX_CHARS)
    assert sum(len(w) for w in words) > SCREEN_CHARS
    assert len(many.screens) >= 3
    docs = [*DOCS, "widget0000 alpha one\nwidget0399 gamma three\nwidget0400 beta two"]
    codes = many.match(LineTable.from_text(pa.array(docs))).tolist()
    assert codes[-3:] == [6, 6, 0]
    assert codes[:-3] == reference_codes(LineTable.from_text(pa.array(DOCS)), None)


def test_any_length_rules_also_match_long_lines() -> None:
    # "Related: a headline that is far too long ..." is past MAX_CHARS: only an any-length rule
    # takes it, and a rule before it that matches too but is bounded gives way to it
    for any_length in ({"related"}, {"any_share", "digits"}, {"related", "any_share"}):
        rules = LinePatternRules(RULES, max_chars=MAX_CHARS, any_length=any_length)
        lines = LineTable.from_text(pa.array(DOCS))
        expected = reference_codes(lines, None, frozenset(any_length))
        assert expected != reference_codes(lines, None)  # some long line is taken
        assert rules.match(lines).tolist() == expected
    rules = LinePatternRules(RULES, max_chars=MAX_CHARS, any_length={"any_share"})
    long_share = "share " + "x" * MAX_CHARS
    lines = LineTable.from_text(pa.array([long_share, "share this", "x" * 50]))
    # "share this" is short: the first matching rule, `share`, names it; the long line only
    # `any_share` may take
    assert rules.match(lines).tolist() == [3, 1, 0]
    assert LinePatternRules(RULES, max_chars=MAX_CHARS).match(lines).tolist() == [0, 1, 0]


def test_many_any_length_patterns_are_screened_in_several_alternations() -> None:
    words = [f"widget{i:04d} (?:alpha|beta|gamma) .*" for i in range(400)]
    rules = LinePatternRules({"widgets": words}, max_chars=MAX_CHARS, any_length={"widgets"})
    assert len(rules.long_screens) >= 2
    tail = " and" * MAX_CHARS
    lines = ["widget0000 alpha" + tail, "widget0399 gamma" + tail, "widget0400 beta" + tail]
    assert all(len(line) > MAX_CHARS for line in lines)
    codes = rules.match(LineTable.from_text(pa.array(["\n".join(lines)])))
    assert codes.tolist() == [1, 1, 0]
