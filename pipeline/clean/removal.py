"""Apply a per-line verdict to a batch: new text, `removed_lines`, and the counts that go with it.

Every text-editing cleaning stage ends the same way. It has decided, for every line of the batch
(a `LineTable`), either "keep" (code 0) or "remove by rule k" (code k, naming `rules[k - 1]`).
`apply_line_verdicts` then

* rebuilds the text of every document that lost a line (blank lines left at the edges or doubled by
  a removal are tidied away; documents without a removal keep their text byte for byte),
* appends the removed lines, with their rule, to the `removed_lines` column,
* counts lines and characters per rule under the stage's name, keeps a bounded deterministic
  sample of removed lines per rule, and adds the per-document histogram of the share of characters
  removed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from pipeline.clean.line_hashes import xxh64_strings
from pipeline.clean.line_table import LineTable, remember_lines, subset
from pipeline.dedup.text_units import utf8_view
from pipeline.schema import (
    ID,
    ORIGINAL_CHARS,
    REMOVED_LINE_TYPE,
    REMOVED_LINES,
    REMOVED_LINES_TYPE,
    TEXT,
    URL,
    set_column,
)
from pipeline.stage import StageResult
from pipeline.stats.bag import DEFAULT_SAMPLE_SIZE, Stats

REMOVED_FRACTION_EDGES: tuple[float, ...] = tuple(round(i * 0.05, 2) for i in range(21))
TEXT_FIELDS: tuple[pa.Field, ...] = (
    pa.field(TEXT, pa.string()),
    pa.field(REMOVED_LINES, REMOVED_LINES_TYPE),
)


def apply_line_verdicts(
    table: pa.Table,
    lines: LineTable,
    codes: np.ndarray,
    rules: Sequence[str],
    *,
    stage_name: str,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> StageResult:
    """Remove the lines with a non-zero code from `table` and account for them.

    Args:
        table: the batch the lines were split from (same row order).
        lines: the batch's lines.
        codes: one small integer per line: 0 keeps the line, k removes it by rule `rules[k - 1]`.
            Blank lines are never reported as removed, whatever their code.
        rules: stable rule names.
        stage_name: prefix of every stats key.
        sample_size: examples kept per rule.
    """
    stats = Stats()
    codes = np.where(lines.blank, 0, np.asarray(codes, dtype=np.int32))
    removed = codes > 0
    text_before = pc.fill_null(table[TEXT], "").combine_chunks()
    chars_before = np.asarray(pc.utf8_length(text_before), dtype=np.int64)
    if not removed.any():
        _observe_fractions(stats, table, stage_name, chars_before, chars_before)
        remember_lines(table, lines)
        return StageResult(table, stats)

    touched = np.bincount(lines.doc[removed], minlength=lines.num_docs) > 0
    keep = ~removed & ~_orphaned_blank_lines(lines, removed, touched)
    kept_index = np.flatnonzero(keep)
    kept_counts = np.bincount(lines.doc[kept_index], minlength=lines.num_docs)
    kept_offsets = np.concatenate([[0], np.cumsum(kept_counts)]).astype(np.int32)
    kept_lines = lines.lines.take(pa.array(kept_index))
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(kept_offsets), kept_lines), "\n")
    new_text = pc.if_else(pa.array(touched), joined, table[TEXT].combine_chunks())
    table = set_column(table, pa.field(TEXT, pa.string()), new_text)
    if kept_counts.all():  # a text left empty splits into one empty line, which `keep` lacks
        remember_lines(table, subset(lines, keep, taken=kept_lines)[0])

    removed_index = np.flatnonzero(removed)
    rule_names = pa.array(list(rules), pa.string())
    rule_column = rule_names.take(pa.array(codes[removed_index] - 1))
    text_column = lines.stripped.take(pa.array(removed_index))
    existing = table[REMOVED_LINES] if REMOVED_LINES in table.column_names else None
    merged = extend_removed_lines(
        existing, lines.doc[removed_index], rule_column, text_column, lines.num_docs
    )
    table = set_column(table, pa.field(REMOVED_LINES, REMOVED_LINES_TYPE), merged)

    removed_chars = lines.raw_chars(removed_index)
    _count_rules(stats, stage_name, rules, codes[removed_index], removed_chars)
    stats.count(f"{stage_name}.docs_changed", int(touched.sum()))
    _sample_examples(stats, table, lines, removed_index, codes, rules, stage_name, sample_size)
    chars_after = np.asarray(pc.utf8_length(pc.fill_null(new_text, "")), dtype=np.int64)
    _observe_fractions(stats, table, stage_name, chars_before, chars_after)
    return StageResult(table, stats)


def _orphaned_blank_lines(lines: LineTable, removed: np.ndarray, touched: np.ndarray) -> np.ndarray:
    """Blank lines that, once `removed` lines are gone, sit at a document edge or follow another
    blank line (only in `touched` documents; others keep their text as it is)."""
    orphan = np.zeros(lines.num_lines, dtype=bool)
    index = np.flatnonzero(~removed & touched[lines.doc])
    if index.size == 0:
        return orphan
    blank = lines.blank[index]
    doc = lines.doc[index]
    text = (~blank).astype(np.int64)
    leading = blank & (grouped_cumsum(text, doc) == 0)
    trailing = blank & (grouped_cumsum(text[::-1], doc[::-1])[::-1] == 0)
    after_blank = np.zeros(index.size, dtype=bool)
    after_blank[1:] = blank[1:] & blank[:-1] & (doc[1:] == doc[:-1])
    orphan[index[leading | trailing | after_blank]] = True
    return orphan


def grouped_cumsum(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of `values` restarting at every change of `groups` (contiguous)."""
    if values.size == 0:
        return values.copy()
    total = np.cumsum(values)
    starts = np.ones(values.size, dtype=bool)
    starts[1:] = groups[1:] != groups[:-1]
    start_index = np.flatnonzero(starts)
    run = np.cumsum(starts) - 1
    return total - total[start_index][run] + values[start_index][run]


def extend_removed_lines(
    existing: pa.ChunkedArray | pa.Array | None,
    doc: np.ndarray,
    rules: pa.Array,
    texts: pa.Array,
    num_docs: int,
) -> pa.ListArray:
    """Append `(rule, text)` items, item `i` to document `doc[i]`, after each document's existing
    items (`doc` must be sorted)."""
    new_values = pa.StructArray.from_arrays([rules, texts], fields=list(REMOVED_LINE_TYPE))
    new_counts = np.bincount(doc, minlength=num_docs).astype(np.int64)
    if existing is None:
        offsets = np.concatenate([[0], np.cumsum(new_counts)]).astype(np.int32)
        return pa.ListArray.from_arrays(pa.array(offsets), new_values, type=REMOVED_LINES_TYPE)
    if isinstance(existing, pa.ChunkedArray):
        existing = existing.combine_chunks() if existing.num_chunks else pa.nulls(0)
    existing = existing.cast(REMOVED_LINES_TYPE)
    old_counts = np.asarray(pc.fill_null(pc.list_value_length(existing), 0), dtype=np.int64)
    old_values = pc.list_flatten(existing)
    total_counts = old_counts + new_counts
    offsets = np.concatenate([[0], np.cumsum(total_counts)])
    old_doc = np.repeat(np.arange(num_docs), old_counts)
    old_rank = np.arange(old_doc.size) - np.concatenate([[0], np.cumsum(old_counts)])[old_doc]
    new_rank = np.arange(doc.size) - np.concatenate([[0], np.cumsum(new_counts)])[doc]
    target = np.concatenate(
        [offsets[old_doc] + old_rank, offsets[doc] + old_counts[doc] + new_rank]
    )
    order = np.empty(target.size, dtype=np.int64)
    order[target] = np.arange(target.size)
    values = pa.concat_arrays([old_values.cast(REMOVED_LINE_TYPE), new_values]).take(
        pa.array(order)
    )
    return pa.ListArray.from_arrays(
        pa.array(offsets.astype(np.int32)), values, type=REMOVED_LINES_TYPE
    )


def _count_rules(
    stats: Stats, stage_name: str, rules: Sequence[str], codes: np.ndarray, chars: np.ndarray
) -> None:
    line_counts = np.bincount(codes, minlength=len(rules) + 1)
    char_counts = np.bincount(codes, weights=chars, minlength=len(rules) + 1)
    for code, rule in enumerate(rules, start=1):
        if line_counts[code]:
            stats.count(f"{stage_name}.lines_removed.{rule}", int(line_counts[code]))
            stats.count(f"{stage_name}.chars_removed.{rule}", int(char_counts[code]))


def _sample_examples(
    stats: Stats,
    table: pa.Table,
    lines: LineTable,
    removed_index: np.ndarray,
    codes: np.ndarray,
    rules: Sequence[str],
    stage_name: str,
    size: int,
) -> None:
    """Offer, per rule, the `size` removed lines with the smallest sample key (the same choice the
    bounded `Sample` would make if every removed line were offered). The keys of all removed
    lines are hashed in one compiled pass (`example_keys`); Python objects are built only for the
    chosen examples."""
    rule_codes = codes[removed_index]
    docs = lines.doc[removed_index]
    texts = lines.stripped.take(pa.array(removed_index))
    ids = pc.cast(table[ID].combine_chunks(), pa.string())
    urls = (
        pc.cast(table[URL].combine_chunks(), pa.string())
        if URL in table.column_names
        else pa.nulls(table.num_rows, pa.string())
    )
    keys = example_keys(ids.take(pa.array(docs)), texts, urls.take(pa.array(docs)))
    order = np.lexsort((keys, rule_codes))
    sorted_keys, sorted_codes = keys[order], rule_codes[order]
    first = np.ones(order.size, dtype=bool)  # one line per (rule, key), as `Sample` keeps
    first[1:] = (sorted_keys[1:] != sorted_keys[:-1]) | (sorted_codes[1:] != sorted_codes[:-1])
    order, sorted_codes = order[first], sorted_codes[first]
    rank = np.arange(order.size) - np.searchsorted(sorted_codes, sorted_codes, side="left")
    chosen, chosen_codes = order[rank < size], sorted_codes[rank < size]
    chosen_docs = docs[chosen]
    id_list = table[ID].take(pa.array(chosen_docs)).to_pylist()
    url_list = (
        table[URL].take(pa.array(chosen_docs)).to_pylist()
        if URL in table.column_names
        else [None] * chosen.size
    )
    line_list = texts.take(pa.array(chosen)).to_pylist()
    for code in np.unique(chosen_codes).tolist():
        examples = [
            {"id": id_list[i], "url": url_list[i], "line": line_list[i]}
            for i in np.flatnonzero(chosen_codes == code).tolist()
        ]
        stats.add_examples(f"{stage_name}.{rules[code - 1]}", examples, size=size)


def example_keys(ids: pa.Array, lines: pa.Array, urls: pa.Array) -> np.ndarray:
    """`example_key` of each (id, url, line) (string arrays; null is `None`, as Python prints
    it), as XXH64 of the joined UTF-8 bytes in one compiled pass (`line_hashes`)."""
    none = pa.scalar("None")
    joined = pc.binary_join_element_wise(
        "id=", pc.fill_null(ids, none), "\x1fline=", lines, "\x1furl=", pc.fill_null(urls, none), ""
    )
    data, offsets = utf8_view(joined)
    return xxh64_strings(data, offsets)


def example_key(doc_id: str, url: str | None, line: str) -> int:
    """`stats.bag.sample_key({"id": doc_id, "url": url, "line": line})`, computed directly."""
    text = f"id={doc_id}\x1fline={line}\x1furl={url}"
    return xxhash.xxh64_intdigest(text.encode("utf-8", "surrogatepass"))


def _observe_fractions(
    stats: Stats,
    table: pa.Table,
    stage_name: str,
    chars_before: np.ndarray,
    chars_after: np.ndarray,
) -> None:
    removed = np.divide(
        chars_before - chars_after,
        chars_before,
        out=np.zeros(chars_before.size, dtype=np.float64),
        where=chars_before > 0,
    )
    stats.observe(f"{stage_name}.removed_char_frac", removed, REMOVED_FRACTION_EDGES)
    if ORIGINAL_CHARS in table.column_names:
        original = np.asarray(pc.fill_null(table[ORIGINAL_CHARS], 0), dtype=np.float64)
        total = np.divide(
            original - chars_after,
            original,
            out=np.zeros(original.size, dtype=np.float64),
            where=original > 0,
        )
        stats.observe(
            f"{stage_name}.total_removed_char_frac",
            np.clip(total, 0.0, 1.0),
            REMOVED_FRACTION_EDGES,
        )
