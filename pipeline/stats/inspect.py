"""`crawlsieve inspect OUT --reason R [-n 10]`: examples of what a drop reason or a line rule hit.

* For a drop reason (`gopher_short_doc`, `exact_duplicate` ...): documents from `rejected/`, with
  the feature values its thresholds judge, the record a duplicate duplicated, and the first lines
  of the text as it was when dropped.
* For a line rule (`source_link`, or `line_rules.source_link`): removed lines from the
  `removed_lines` column of `data/` and `rejected/` (or, when that column was not written, from the
  bounded sample in `stats.json`), each with the lines around it in the input record, re-read from
  the run's input paths.

Sampling is deterministic and independent of how the output is sharded: documents are ordered by
the stable hash `sample_key({"id": id})`, removed lines by `sample_key({"id", "url", "line"})`,
the same hash and order the run's own bounded samples use (`pipeline.stats.bag`), smallest first.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.schema import (
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    ID,
    REMOVED_LINES,
    TEXT,
    URL,
)
from pipeline.stats.bag import sample_key
from pipeline.stats.input_records import find_input_records
from pipeline.stats.run_output import RunOutput, RunOutputError
from pipeline.stats.table import pct, plural
from pipeline.stats.thresholds import feature_thresholds, format_value

DOC_LINES = 6
MAX_CHARS = 160


@dataclass(frozen=True)
class LineExample:
    """One removed line and where it was removed."""

    key: int
    id: str
    url: str | None
    line: str
    source: Path | None = None  # the output file, when the example came from one


def inspect_reason(output: RunOutput, reason: str, *, n: int = 10, context: int = 1) -> str:
    """Examples for `reason` (a drop reason, a rule, or both) as text."""
    summary = output.summary
    sections = []
    if reason in summary.get("drop_reasons", {}):
        sections.append(inspect_documents(output, reason, n=n))
    rules = [
        r for r in summary.get("rules", []) if reason in (r["rule"], f"{r['stage']}.{r['rule']}")
    ]
    if rules:
        sections.append(inspect_lines(output, rules, n=n, context=context))
    if not sections:
        raise RunOutputError(_unknown(summary, reason))
    return "\n\n".join(sections)


def inspect_documents(output: RunOutput, reason: str, *, n: int = 10) -> str:
    """Up to `n` documents dropped for `reason`, smallest sample key first."""
    summary = output.summary
    total = summary["drop_reasons"][reason]
    stage = next((r["stage"] for r in summary.get("funnel", []) if reason in r["dropped"]), None)
    by = f" by {stage}" if stage and stage != "input" else " when read" if stage else ""
    read = summary["records"]["read"]
    header = f"{reason}: {plural(total, 'document')} dropped{by} ({pct(total, read)} of read)"
    judged = [t for t in feature_thresholds(output.config) if t.reason == reason]
    columns = [ID, URL, TEXT, DUPLICATE_OF, DUPLICATE_SIMILARITY, *(t.feature for t in judged)]
    best: list[tuple[int, str, dict[str, Any]]] = []
    reason_filter = pc.field(output.output_name(DROP_REASON)) == reason
    for path in output.rejected_files:
        table = output.read(path, columns, filters=reason_filter)
        ids = table[ID].to_pylist() if table.num_rows else []
        keys = [sample_key({"id": record_id}) for record_id in ids]
        chosen = heapq.nsmallest(n, range(len(ids)), key=lambda i: (keys[i], ids[i]))
        best += [(keys[i], ids[i], table.slice(i, 1).to_pylist()[0]) for i in chosen]
        best = heapq.nsmallest(n, best, key=lambda item: (item[0], item[1]))
    if not best:
        if not output.config.output.write_rejected:
            return header + "\n  (no examples: the run had output.write_rejected off)"
        return header + "\n  (no examples found in rejected/)"
    lines = [header, f"showing {len(best)} (deterministic sample)", ""]
    for number, (_, _, row) in enumerate(best, start=1):
        lines.append(f"[{number}] {row[ID]}  {row.get(URL) or '-'}")
        for t in judged:
            lines.append(
                f"    {t.feature} = {format_value(row.get(t.feature))}  (keep if {t.describe()})"
            )
        if row.get(DUPLICATE_OF):
            similarity = row.get(DUPLICATE_SIMILARITY)
            estimate = f" (estimated similarity {similarity:.3f})" if similarity is not None else ""
            lines.append(f"    duplicate of {row[DUPLICATE_OF]}{estimate}")
        lines += _text_excerpt(row.get(TEXT) or "")
        lines.append("")
    return "\n".join(lines).rstrip()


def inspect_lines(
    output: RunOutput, rules: list[dict[str, Any]], *, n: int = 10, context: int = 1
) -> str:
    """Up to `n` lines removed by the rule(s) `rules` (rows of the summary's `rules`)."""
    names = sorted({r["rule"] for r in rules})
    total_lines = sum(r["lines"] for r in rules)
    total_chars = sum(r["chars"] for r in rules)
    label = ", ".join(f"{r['stage']}.{r['rule']}" for r in rules)
    header = f"{label}: {plural(total_lines, 'line')} removed ({total_chars:,} chars)"
    examples, origin = _column_examples(output, names, n)
    if origin is None:
        examples, origin = _sample_examples(output, rules, n), "the sample in stats.json"
    if not examples:
        return header + "\n  (no examples recorded)"
    hints = [output.input_file_index(e.source) for e in examples if e.source is not None]
    inputs: dict[str, Any] = {}
    note = ""
    if context > 0:
        try:
            inputs = find_input_records(
                output.config,
                {e.id for e in examples},
                first_files=[h for h in hints if h is not None],
            )
        except Exception as exc:  # noqa: BLE001 - context is optional, the examples are not
            note = f" (no context: the input could not be re-read: {exc})"
    lines = [header, f"showing {len(examples)} from {origin} (deterministic sample){note}", ""]
    for number, example in enumerate(examples, start=1):
        lines.append(f"[{number}] {example.id}  {example.url or '-'}")
        record = inputs.get(example.id)
        around = _line_context(record.text, example.line, context) if record else None
        if around is None:
            lines += [f"    - {_cut(part)}" for part in example.line.split("\n")]
        else:
            lines += around
        lines.append("")
    return "\n".join(lines).rstrip()


def _column_examples(
    output: RunOutput, rules: list[str], n: int
) -> tuple[list[LineExample], str | None]:
    """Examples from the `removed_lines` columns, or `(_, None)` when no file has that column."""
    best: list[LineExample] = []
    has_column = False
    rule_set = pa.array(rules, pa.string())
    for path, _ in output.files():
        table = output.read(path, [ID, URL, REMOVED_LINES])
        if REMOVED_LINES not in table.column_names:
            continue
        has_column = True
        removed = table[REMOVED_LINES]
        flat = pc.list_flatten(removed)
        if len(flat) == 0:
            continue
        parents = pc.list_parent_indices(removed)
        mask = pc.is_in(pc.struct_field(flat, "rule"), value_set=rule_set)
        texts = pc.struct_field(flat, "text").filter(mask).to_pylist()
        owners = parents.filter(mask)
        ids = pc.take(table[ID], owners).to_pylist()
        urls = (
            pc.take(table[URL], owners).to_pylist()
            if URL in table.column_names
            else [None] * len(ids)
        )
        for record_id, url, line in zip(ids, urls, texts, strict=True):
            key = sample_key({"id": record_id, "url": url, "line": line})
            best.append(LineExample(key, record_id, url, line, path))
        best = _dedupe_smallest(best, n)
    return best, ("the removed_lines columns" if has_column else None)


def _sample_examples(output: RunOutput, rules: list[dict[str, Any]], n: int) -> list[LineExample]:
    samples = output.summary.get("samples", {})
    examples = []
    for rule in rules:
        for example in samples.get(f"{rule['stage']}.{rule['rule']}", {}).get("examples", []):
            key = sample_key(example)
            examples.append(
                LineExample(key, example.get("id"), example.get("url"), example.get("line", ""))
            )
    return _dedupe_smallest(examples, n)


def _dedupe_smallest(examples: Iterable[LineExample], n: int) -> list[LineExample]:
    unique: dict[int, LineExample] = {}
    for example in sorted(examples, key=lambda e: (e.key, e.id, e.line)):
        unique.setdefault(example.key, example)
    return list(unique.values())[:n]


def _line_context(text: str, removed: str, context: int) -> list[str] | None:
    """The removed line(s) marked `-` between `context` input lines on each side."""
    lines = text.split("\n")
    block = removed.split("\n")
    stripped = [line.strip() for line in lines]
    target = [line.strip() for line in block]
    for start in range(len(lines) - len(block) + 1):
        if stripped[start : start + len(block)] == target:
            end = start + len(block)
            before = lines[max(0, start - context) : start]
            after = lines[end : end + context]
            out = [f"      {_cut(line)}".rstrip() for line in before]
            out += [f"    - {_cut(line)}" for line in lines[start:end]]
            out += [f"      {_cut(line)}".rstrip() for line in after]
            return out
    return None


def _text_excerpt(text: str) -> list[str]:
    lines = text.split("\n") if text else []
    out = [f"    | {_cut(line)}".rstrip() for line in lines[:DOC_LINES]]
    if len(lines) > DOC_LINES:
        out.append(f"    | … {plural(len(lines) - DOC_LINES, 'more line')}")
    return out or ["    | (empty text)"]


def _cut(line: str) -> str:
    return line if len(line) <= MAX_CHARS else line[:MAX_CHARS] + "…"


def _unknown(summary: dict[str, Any], reason: str) -> str:
    reasons = list(summary.get("drop_reasons", {}))
    rules = [r["rule"] for r in summary.get("rules", [])]
    close = difflib.get_close_matches(reason, reasons + rules, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = ", ".join(reasons) or "(none)"
    listing = f"drop reasons: {known}; line rules: {', '.join(rules) or '(none)'}"
    return f"{reason!r} is neither a drop reason nor a line rule of this run{hint}\n  {listing}"
