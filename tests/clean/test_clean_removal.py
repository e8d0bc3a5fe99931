"""`apply_line_verdicts`: text rebuilt exactly, removed lines appended, stats deterministic."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from clean_fixtures import make_table

from pipeline.clean.line_table import LineTable
from pipeline.clean.removal import apply_line_verdicts, example_key, example_keys
from pipeline.schema import REMOVED_LINES, REMOVED_LINES_TYPE, TEXT
from pipeline.stats.bag import sample_key

RULES = ("first_rule", "second_rule")


def apply(table: pa.Table, remove: dict[str, int]) -> tuple[pa.Table, object]:
    """Remove lines whose text is a key of `remove`, by the rule numbered by its value."""
    lines = LineTable.from_table(table)
    text = lines.lines.to_pylist()
    codes = np.asarray([remove.get(line, 0) for line in text], dtype=np.int32)
    result = apply_line_verdicts(table, lines, codes, RULES, stage_name="test_stage", sample_size=2)
    return result.table, result.stats


def test_text_rebuilt_and_blank_lines_tidied() -> None:
    table = make_table(
        [
            "drop\n\nkeep one\n\ndrop\n\nkeep two\n\ndrop",
            "untouched\n\n\n\ntext  ",
            "drop",
        ]
    )
    out, stats = apply(table, {"drop": 1})
    assert out[TEXT].to_pylist() == ["keep one\n\nkeep two", "untouched\n\n\n\ntext  ", ""]
    assert stats.counters == {
        "test_stage.lines_removed.first_rule": 4,
        "test_stage.chars_removed.first_rule": 16,
        "test_stage.docs_changed": 2,
    }


def test_removed_lines_are_appended_to_existing_ones() -> None:
    table = make_table(["a\nb\nc", "d\ne", "f"])
    existing = pa.array([[{"rule": "earlier", "text": "z"}], None, []], type=REMOVED_LINES_TYPE)
    table = table.append_column(REMOVED_LINES, existing)
    out, _ = apply(table, {"a": 1, "c": 2, "e": 2})
    assert out[REMOVED_LINES].to_pylist() == [
        [
            {"rule": "earlier", "text": "z"},
            {"rule": "first_rule", "text": "a"},
            {"rule": "second_rule", "text": "c"},
        ],
        [{"rule": "second_rule", "text": "e"}],
        [],
    ]
    assert out[TEXT].to_pylist() == ["b", "d", "f"]


def test_nothing_removed_returns_the_table_unchanged() -> None:
    table = make_table(["a\nb", "c"])
    out, stats = apply(table, {})
    assert out is table
    assert stats.histograms["test_stage.removed_char_frac"].counts[0] == 2


def test_examples_do_not_depend_on_batching() -> None:
    texts = [f"keep {i}\ndrop {i}" for i in range(10)]
    remove = {f"drop {i}": 1 for i in range(10)}
    _, whole = apply(make_table(texts), remove)
    ids = [f"doc-{i}" for i in range(10)]
    _, first = apply(make_table(texts[:4], ids=ids[:4]), remove)
    _, second = apply(make_table(texts[4:], ids=ids[4:]), remove)
    merged = first + second
    key = "test_stage.first_rule"
    assert merged.samples[key].examples() == whole.samples[key].examples()
    assert len(whole.samples[key].examples()) == 2


def test_removed_fraction_histograms() -> None:
    table = make_table(["aaaa\nbbbb", "cccc"])  # doc 0 loses 5 of 9 characters
    out, stats = apply(table, {"bbbb": 1})
    per_stage = stats.histograms["test_stage.removed_char_frac"]
    assert per_stage.count == 2 and np.isclose(per_stage.total, 5 / 9)
    total = stats.histograms["test_stage.total_removed_char_frac"]
    assert np.isclose(total.maximum, 5 / 9)
    assert out[TEXT].to_pylist() == ["aaaa", "cccc"]


def test_example_key_is_the_sample_key() -> None:
    for doc_id, url, line in [("a", None, "Share"), ("b-1", "https://x.example/é", "“Quote”")]:
        assert example_key(doc_id, url, line) == sample_key(
            {"id": doc_id, "url": url, "line": line}
        )


def test_example_keys_equal_the_python_key() -> None:
    ids = ["a", None, "b-1", "é" * 20, "c"]
    urls = [None, "https://x.example/é", None, "u", "https://y.example/" + "p" * 40]
    lines = ["Share", "", "“Quote”", "Menu  item", "x" * 70]
    keys = example_keys(pa.array(ids, pa.string()), pa.array(lines), pa.array(urls, pa.string()))
    expected = [example_key(i, u, t) for i, u, t in zip(ids, urls, lines, strict=True)]
    assert keys.tolist() == expected


def test_sample_is_the_smallest_keys_per_rule() -> None:
    lines = [f"line {i}" for i in range(30)] + ["line 3"]
    table = make_table(["\n".join(lines[:16]), "\n".join(lines[16:])], ids=["d0", "d1"])
    line_table = LineTable.from_table(table)
    codes = np.arange(line_table.num_lines) % 2 + 1
    result = apply_line_verdicts(
        table, line_table, codes, ["odd", "even"], stage_name="s", sample_size=3
    )
    for code, rule in ((1, "odd"), (2, "even")):
        offered = [
            {"id": "d0" if i < 16 else "d1", "url": None, "line": lines[i]}
            for i in range(len(lines))
            if codes[i] == code
        ]
        best = sorted({sample_key(e): e for e in offered}.items(), key=lambda item: item[0])
        assert result.stats.samples[f"s.{rule}"].examples() == [e for _, e in best[:3]]
