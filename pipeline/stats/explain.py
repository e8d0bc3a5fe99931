"""`crawlsieve explain OUT --id ID`: the whole story of one input record.

The record is looked up in `data/` and `rejected/`, and re-read from the input paths of the run's
`config.resolved.yaml`. The story: where it was read, whether it was kept or which stage dropped
it and why, its language, the lines each rule removed (a diff of input and output text), its
feature values against the config's thresholds, and, for a duplicate, the record it duplicated
and their estimated similarity (for a kept record, the duplicates that were dropped in its favour).
"""

from __future__ import annotations

from typing import Any

import pyarrow.compute as pc

from pipeline.schema import (
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    ID,
    ORIGINAL_CHARS,
    REMOVED_LINES,
    TEXT,
    URL,
)
from pipeline.stats.input_records import InputRecord, find_input_records
from pipeline.stats.run_output import FoundRecord, RunOutput, RunOutputError
from pipeline.stats.summary import INPUT_STAGE
from pipeline.stats.table import pct, plural, text_table
from pipeline.stats.text_diff import diff_text, format_diff
from pipeline.stats.thresholds import FeatureThreshold, feature_thresholds, format_value

LANG, LANG_SCORE = "lang", "lang_score"
NOT_FEATURES = {
    ID,
    TEXT,
    URL,
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    REMOVED_LINES,
    ORIGINAL_CHARS,
    LANG,
}
MAX_DUPLICATES_LISTED = 10


def explain_record(output: RunOutput, record_id: str, *, context: int = 2) -> str:
    """The story of record `record_id` as text (raises `RunOutputError` when it is unknown)."""
    found = output.find_record(record_id)
    hints = [i for i in [output.input_file_index(found.path)] if i is not None] if found else []
    source = find_input_records(output.config, [record_id], first_files=hints).get(record_id)
    if found is None and source is None:
        raise RunOutputError(f"no record with id {record_id!r} in {output.root} or its input")
    lines = [f"record {record_id}"]
    lines += _overview(output, found, source)
    lines += _text_section(found, source, context)
    lines += _feature_section(output, found, source)
    lines += _duplicate_section(output, found, record_id)
    return "\n".join(lines)


def _overview(
    output: RunOutput, found: FoundRecord | None, source: InputRecord | None
) -> list[str]:
    record = found.record if found else {}
    rows = [["url", str(record.get(URL) or (source.url if source else None) or "-")]]
    rows.append(["input", source.location if source else "not found in the input paths"])
    rows.append(["outcome", _outcome(output, found)])
    if record.get(LANG) is not None:
        score = record.get(LANG_SCORE)
        rows.append(
            ["language", record[LANG] + (f" (score {format_value(score)})" if score else "")]
        )
    read = record.get(ORIGINAL_CHARS)
    if read is None and source is not None:
        read = len(source.text)
    if read is not None and found is not None:
        now = len(record.get(TEXT) or "")
        state = "kept" if found.kept else "when dropped"
        removed = f" ({pct(read - now, read)} removed)" if read else ""
        rows.append(["chars", f"{read:,} read, {now:,} {state}{removed}"])
    return [f"  {name:<9} {value}" for name, value in rows]


def _outcome(output: RunOutput, found: FoundRecord | None) -> str:
    if found is None:
        if not output.config.output.write_rejected:
            return "not kept (output.write_rejected is off, so the reason was not recorded)"
        return "not in the output (unreadable? see quarantine/)"
    where = found.path.relative_to(output.root)
    if found.kept:
        return f"kept ({where})"
    reason = found.record.get(DROP_REASON)
    stage = _stage_of_reason(output.summary, reason)
    by = " when read" if stage == INPUT_STAGE else f" by {stage}" if stage else ""
    return f"dropped{by}: {reason} ({where})"


def _stage_of_reason(summary: dict[str, Any], reason: str | None) -> str | None:
    for row in summary.get("funnel", []):
        if reason in row.get("dropped", {}):
            return row["stage"]
    return None


def _text_section(found: FoundRecord | None, source: InputRecord | None, context: int) -> list[str]:
    if found is None or source is None:
        return []
    removed = found.record.get(REMOVED_LINES) or []
    out = ["", f"removed lines ({len(removed)})" if removed else "removed lines: none"]
    if removed:
        rows = [[str(r["rule"]), _one_line(str(r["text"]))] for r in removed]
        out += ["  " + line for line in text_table(["rule", "text"], rows).split("\n")[2:]]
    title = "kept" if found.kept else "rejected"
    out += ["", f"text: input -> {title} output"]
    out += format_diff(
        diff_text(source.text, found.record.get(TEXT) or "", removed), context=context
    )
    return out


def _feature_section(
    output: RunOutput, found: FoundRecord | None, source: InputRecord | None
) -> list[str]:
    if found is None:
        return []
    record = found.record
    passthrough = set(source.columns) if source else set()
    values = {
        k: v
        for k, v in record.items()
        if k not in NOT_FEATURES and k not in passthrough and isinstance(v, int | float)
    }
    thresholds: dict[str, list[FeatureThreshold]] = {}
    for t in feature_thresholds(output.config):
        thresholds.setdefault(t.feature, []).append(t)
    if not values:
        return ["", "features: none (no scoring stage ran on this record)"]
    names = list(values) + [f for f in thresholds if f not in values and f in record]
    rows = []
    for name in names:
        value = values.get(name)
        for t in thresholds.get(name) or [None]:
            rows.append([name, format_value(value), *_judge(t, value)])
    table = text_table(["feature", "value", "threshold", "result"], rows)
    return ["", "features", *("  " + line for line in table.split("\n"))]


def _judge(threshold: FeatureThreshold | None, value: float | None) -> list[str]:
    if threshold is None:
        return ["-", ""]
    rule = threshold.describe() + (f" ({threshold.reason})" if threshold.reason else "")
    verdict = threshold.passes(value)
    return [rule, "-" if verdict is None else "pass" if verdict else "FAIL"]


def _duplicate_section(output: RunOutput, found: FoundRecord | None, record_id: str) -> list[str]:
    if found is None:
        return []
    keeper = found.record.get(DUPLICATE_OF)
    if keeper:
        similarity = found.record.get(DUPLICATE_SIMILARITY)
        estimate = f", estimated similarity {similarity:.3f}" if similarity is not None else ""
        return ["", "duplicate", f"  duplicate of {keeper}{estimate}"]
    copies = _duplicates_of(output, record_id)
    if not copies:
        return []
    shown = ", ".join(
        f"{c[ID]} ({c[DUPLICATE_SIMILARITY]:.3f})"
        if c.get(DUPLICATE_SIMILARITY) is not None
        else str(c[ID])
        for c in copies[:MAX_DUPLICATES_LISTED]
    )
    more = f" and {len(copies) - MAX_DUPLICATES_LISTED} more" if len(copies) > 10 else ""
    dropped = plural(len(copies), "duplicate")
    return ["", "duplicate", f"  kept; {dropped} dropped in its favour: {shown}{more}"]


def _duplicates_of(output: RunOutput, record_id: str) -> list[dict[str, Any]]:
    copies: list[dict[str, Any]] = []
    for path in output.rejected_files:
        table = output.read(path, [ID, DUPLICATE_OF, DUPLICATE_SIMILARITY])
        if DUPLICATE_OF not in table.column_names:
            continue
        copies += table.filter(pc.equal(table[DUPLICATE_OF], record_id)).to_pylist()
    return sorted(copies, key=lambda c: str(c[ID]))


def _one_line(text: str, limit: int = 120) -> str:
    flat = text.replace("\n", " ⏎ ")
    return flat if len(flat) <= limit else flat[:limit] + "…"
