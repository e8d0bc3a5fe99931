"""A stage's output lines are reused by the next stage, and are always what a fresh split gives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from clean_fixtures import BODY_HEAD, RELATED_HEADING, RELATED_ITEMS, TRAILER, make_table

from pipeline.clean.config import BlockRulesConfig, LineRulesConfig, RepeatedBlocksConfig
from pipeline.clean.line_table import LineTable
from pipeline.schema import TEXT

MENU = ["Home", "News", "Sport", "Weather", "Contact us"]
PAGES = [
    "\n".join([*BODY_HEAD, "", RELATED_HEADING, *RELATED_ITEMS, "", TRAILER]),
    "\n".join(["", *MENU, "", *BODY_HEAD, *BODY_HEAD, "Share this article", ""]),
    "  \n\nOnly one line of text, ünïcode and all  \n",
    "",
    "\n".join([*BODY_HEAD[:2], "   ", "", "", BODY_HEAD[2], "Source link"]),
]


def fresh_split(table: pa.Table) -> LineTable:
    return LineTable.from_text(pc.fill_null(table[TEXT], "").combine_chunks())


def assert_same_lines(got: LineTable, expected: LineTable) -> None:
    assert got.lines.equals(expected.lines)
    assert np.array_equal(got.offsets, expected.offsets)
    assert np.array_equal(got.features, expected.features)
    assert got.stripped.equals(expected.stripped)
    every = np.arange(expected.num_lines)
    assert np.array_equal(got.raw_chars(every), expected.raw_chars(every))


@pytest.mark.parametrize("texts", [PAGES, [PAGES[0]], [None, *PAGES, None], ["", ""]])
def test_lines_of_every_stage_output_equal_a_fresh_split(texts: list[str | None]) -> None:
    table = make_table([t or "" for t in texts])
    table = table.set_column(1, TEXT, pa.array(texts, pa.string()))
    for config in (BlockRulesConfig(), LineRulesConfig(), RepeatedBlocksConfig()):
        stage = config.build()
        table = stage.process(table).table
        assert_same_lines(LineTable.from_table(table), fresh_split(table))


def test_a_stage_reuses_the_lines_the_previous_one_kept() -> None:
    table = BlockRulesConfig().build().process(make_table(PAGES)).table
    assert LineTable.from_table(table) is LineTable.from_table(table)


def test_other_text_is_split_afresh() -> None:
    table = BlockRulesConfig().build().process(make_table(PAGES)).table
    edited = table.set_column(1, TEXT, pc.utf8_upper(table[TEXT]))
    assert_same_lines(LineTable.from_table(edited), fresh_split(edited))
    fewer = table.slice(1)
    assert_same_lines(LineTable.from_table(fewer), fresh_split(fewer))


def test_a_text_left_empty_is_one_empty_line() -> None:
    trailer_only = make_table(["Source link", BODY_HEAD[0]])
    table = LineRulesConfig().build().process(trailer_only).table
    assert table[TEXT].to_pylist()[0] == ""
    lines = LineTable.from_table(table)
    assert_same_lines(lines, fresh_split(table))
    assert lines.num_lines == 2
