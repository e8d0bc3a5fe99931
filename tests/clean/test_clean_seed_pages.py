"""End to end on pages shaped like the seeds: normalize -> block_rules -> line_rules ->
repeated_blocks with default configs gives exactly the expected text and removals."""

from __future__ import annotations

import clean_fixtures as fx
import pyarrow as pa

from pipeline.clean.config import (
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    RepeatedBlocksConfig,
)
from pipeline.schema import REMOVED_LINES, TEXT
from pipeline.stats.bag import Stats


def run_default_stages(table: pa.Table) -> tuple[pa.Table, Stats]:
    stats = Stats()
    for config in (
        NormalizeConfig(),
        BlockRulesConfig(),
        LineRulesConfig(),
        RepeatedBlocksConfig(),
    ):
        stage = config.build()
        stage.setup()
        result = stage.process(table)
        table, stats = result.table, stats + result.stats
    return table, stats


def test_doubled_article_becomes_one_clean_copy() -> None:
    table, stats = run_default_stages(fx.make_table([fx.DOUBLED_ARTICLE]))
    assert table[TEXT][0].as_py() == fx.DOUBLED_ARTICLE_CLEAN
    removed = [(item["rule"], item["text"]) for item in table[REMOVED_LINES][0].as_py()]
    expected_first = [
        ("byline", "Marta Quell"),
        ("byline", "Guest Reporter"),
        ("related_links_heading", fx.RELATED_HEADING),
        ("related_links_block", fx.RELATED_HEADING),
        *[("related_links_block", item) for item in fx.RELATED_ITEMS],
    ]
    assert removed[: len(expected_first)] == expected_first
    trailers = removed[len(expected_first) : len(expected_first) + 2]
    assert [text for _, text in trailers] == [fx.TRAILER, fx.TRAILER]
    repeat = removed[len(expected_first) + 2 :]
    assert repeat == [("repeated_block", line) for line in fx.BODY_HEAD + fx.BODY_TAIL]
    assert stats.counters["repeated_blocks.lines_removed.repeated_block"] == 11
    assert stats.counters["block_rules.lines_removed.related_links_block"] == 4


def test_rewrite_loses_only_its_source_link() -> None:
    table, _ = run_default_stages(fx.make_table([fx.REWRITE_ARTICLE]))
    assert table[TEXT][0].as_py() == fx.REWRITE_ARTICLE_CLEAN
    removed = [(item["rule"], item["text"]) for item in table[REMOVED_LINES][0].as_py()]
    assert removed == [("source_link", "Source link")]


def test_every_quoted_line_and_subheading_survives() -> None:
    table, _ = run_default_stages(fx.make_table([fx.DOUBLED_ARTICLE, fx.REWRITE_ARTICLE]))
    kept = set(table[TEXT][0].as_py().split("\n")) | set(table[TEXT][1].as_py().split("\n"))
    quoted = [line for line in fx.BODY_HEAD + fx.BODY_TAIL + fx.REWRITE_LINES if line[-1] in "”’"]
    assert len(quoted) == 5
    assert all(line in kept for line in quoted)
    for subheading in ("The memo followed a complaint", "Call for a public inquiry"):
        assert subheading in kept
