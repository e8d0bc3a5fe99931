"""`normalize`: exact output for each step, counts, and untouched text."""

from __future__ import annotations

from clean_fixtures import make_table

from pipeline.clean.config import NormalizeConfig
from pipeline.schema import TEXT


def normalize(texts: list[str], **options: object) -> tuple[list[str], dict[str, float]]:
    stage = NormalizeConfig(**options).build()
    stage.setup()
    result = stage.process(make_table(texts))
    return result.table[TEXT].to_pylist(), result.stats.counters


def test_each_step_exactly() -> None:
    texts = [
        "Cafe\u0301 menu\r\nline two\rline three",  # NFC, line breaks
        "bell\x07 and\x00 nul\tkept\x0cpage",  # control chars; form feed is a line break
        "no\u00a0break\u2009thin  double   spaces  ",  # unicode spaces, runs, trailing
        "\n\n  \ntitle\n\n\n\n\nbody   \n\n\n",  # blank runs and edges
        "    indented code  line",  # leading indentation kept
        "already clean",
    ]
    out, counters = normalize(texts)
    assert out == [
        "Café menu\nline two\nline three",
        "bell and nul\tkept\npage",
        "no break thin double spaces",
        "title\n\nbody",
        "    indented code line",
        "already clean",
    ]
    assert counters["normalize.docs_changed"] == 5
    before = sum(len(t) for t in texts)
    after = sum(len(t) for t in out)
    assert counters["normalize.chars_removed"] == before - after


def test_options_switch_steps_off() -> None:
    out, _ = normalize(
        ["e\u0301  x\u00a0y\n\n\n\nz"],
        unicode_form="none",
        unify_spaces=False,
        collapse_spaces=False,
        max_blank_lines=2,
    )
    assert out == ["e\u0301  x\u00a0y\n\n\nz"]


def test_null_text_becomes_empty() -> None:
    stage = NormalizeConfig().build()
    table = make_table(["x"]).set_column(1, TEXT, __import__("pyarrow").array([None], "string"))
    assert stage.process(table).table[TEXT].to_pylist() == [""]
