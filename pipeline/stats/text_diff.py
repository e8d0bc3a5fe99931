"""A line diff of a record's input and output text, each removed line labelled with its rule.

Lines are compared with `difflib.SequenceMatcher` (no junk heuristic, so repeated lines are
matched faithfully). A removed line takes the rule of the first unused `removed_lines` entry with
the same text (a multi-line entry, such as a heading and its list, labels each of its lines); a
line that changed rather than disappeared (normalisation) shows as removed and added without rule.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.stats.table import plural

KEPT, REMOVED, ADDED = " ", "-", "+"
MAX_LINE_CHARS = 300


@dataclass(frozen=True)
class DiffLine:
    """One line of the diff: `op` is " " (kept), "-" (removed) or "+" (added or changed)."""

    op: str
    text: str
    rule: str | None = None


def diff_text(
    before: str, after: str, removed: Iterable[Mapping[str, Any]] | None = None
) -> list[DiffLine]:
    """The diff of `before` (input) and `after` (output), removed lines labelled by rule."""
    rules: dict[str, deque[str]] = {}
    for entry in removed or []:
        for line in str(entry.get("text") or "").split("\n"):
            rules.setdefault(line.strip(), deque()).append(str(entry.get("rule")))
    old, new = _lines(before), _lines(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(DiffLine(KEPT, line) for line in old[i1:i2])
            continue
        for line in old[i1:i2]:
            queue = rules.get(line.strip())
            out.append(DiffLine(REMOVED, line, queue.popleft() if queue else None))
        out.extend(DiffLine(ADDED, line) for line in new[j1:j2])
    return out


def format_diff(lines: list[DiffLine], *, context: int = 2, indent: str = "  ") -> list[str]:
    """Text lines of the diff; runs of kept lines longer than `2 * context + 1` are shortened."""
    if not lines:
        return [f"{indent}  (empty text)"]
    if all(line.op == KEPT for line in lines):
        return [f"{indent}  (no change: {plural(len(lines), 'line')})"]
    out: list[str] = []
    run: list[DiffLine] = []

    def flush(*, first: bool, last: bool) -> None:
        head = 0 if first else context
        tail = 0 if last else context
        if len(run) > head + tail + 1:
            out.extend(_line(d, indent) for d in run[:head])
            out.append(f"{indent}  … {len(run) - head - tail} unchanged lines")
            out.extend(_line(d, indent) for d in run[len(run) - tail :])
        else:
            out.extend(_line(d, indent) for d in run)
        run.clear()

    first = True
    for line in lines:
        if line.op == KEPT:
            run.append(line)
            continue
        flush(first=first, last=False)
        first = False
        out.append(_line(line, indent))
    flush(first=False, last=True)
    return out


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _line(line: DiffLine, indent: str) -> str:
    text = line.text
    if len(text) > MAX_LINE_CHARS:
        text = text[:MAX_LINE_CHARS] + f"… (+{len(line.text) - MAX_LINE_CHARS} chars)"
    label = f"[{line.rule}] " if line.rule else ""
    return f"{indent}{line.op} {label}{text}".rstrip()
