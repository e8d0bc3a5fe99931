"""`repeated_blocks`: exact and near second copies go, genuine repetition stays."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.config import RepeatedBlocksConfig
from pipeline.clean.line_table import LineTable
from pipeline.clean.repeated_blocks import RepeatedBlocksStage

PARAGRAPHS = [
    f"Paragraph {word} of the report explains how the harbour wall was planned and paid for."
    for word in ("one", "two", "three", "four", "five", "six")
]


FILLER = [f"Filler sentence number {i} talks about something else entirely." for i in range(40)]


@pytest.fixture(scope="module")
def stage() -> RepeatedBlocksStage:
    return RepeatedBlocksConfig().build()


def removed(stage: RepeatedBlocksStage, *docs: list[str]) -> list[list[int]]:
    """Per document, the indices of the removed lines."""
    lines = LineTable.from_text(pa.array(["\n".join(doc) for doc in docs]))
    codes = stage.find_removals(lines)
    out: list[list[int]] = [[] for _ in docs]
    for index in np.flatnonzero(codes):
        out[lines.doc[index]].append(int(lines.position[index]))
    return out


def test_exact_second_copy_with_boilerplate_between(stage: RepeatedBlocksStage) -> None:
    doc = ["Harbour wall approved"] + PARAGRAPHS + ["Find Out More..."] + PARAGRAPHS
    assert removed(stage, doc)[0] == list(range(8, 14))


def test_near_copy_with_changed_and_extra_lines(stage: RepeatedBlocksStage) -> None:
    second = list(PARAGRAPHS)
    second[2] = second[2].replace("planned and paid", "designed and financed")  # changed line
    second.insert(4, "- A related headline pasted inside the copy")  # extra line
    second[0] = second[0].upper().replace(".", "")  # case and punctuation differ
    doc = ["Harbour wall approved"] + PARAGRAPHS + ["Advertisement"] + second
    assert removed(stage, doc)[0] == list(range(8, 15))


def test_short_heading_at_the_start_of_the_copy_goes_with_it(stage: RepeatedBlocksStage) -> None:
    doc = ["Wall approved", *PARAGRAPHS, "Share", "Wall approved", *PARAGRAPHS]
    assert removed(stage, doc)[0] == list(range(8, 15))


def test_genuine_repetition_is_kept(stage: RepeatedBlocksStage) -> None:
    pull_quote = [*PARAGRAPHS[:3], PARAGRAPHS[1], *PARAGRAPHS[3:]]  # one line quoted again
    chorus = ["Oh the tide comes in", "and the tide goes out", "Verse two", "Oh the tide comes in"]
    short_lines = ["Share", "Reply", "Share", "Reply", "Share", "Reply"]
    small_share = PARAGRAPHS + PARAGRAPHS[:2] + FILLER  # a 2-line repeat in a long page
    result = removed(stage, pull_quote, chorus, short_lines, small_share)
    assert result == [[], [], [], []]


def test_thresholds_are_configurable() -> None:
    strict = RepeatedBlocksConfig(min_block_lines=7).build()
    doc = PARAGRAPHS + PARAGRAPHS
    assert removed(strict, doc)[0] == []
    loose = RepeatedBlocksConfig(min_block_share=0.0, min_block_chars=100).build()
    small = PARAGRAPHS + PARAGRAPHS[:2] + FILLER
    assert removed(loose, small)[0] == [6, 7]
