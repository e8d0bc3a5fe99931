"""The funnel's character counts and the empty-text check of the batch runner.

Characters are counted once per batch and carried from stage to stage: after a stage that only sets
drop reasons, the dropped records' characters are subtracted. The counts must equal a plain-Python
count of the live texts after every stage.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.run.batch import blank_texts, mark_empty, run_batch_stages
from pipeline.schema import DROP_REASON, TEXT
from pipeline.stage import StageResult

TEXTS = [
    "Première ligne\nSecond line with ümlauts",
    "短い記事です。\n二行目",
    "x",
    "drop me: 😀 emoji 😀",
    "",
    "   \n\t",
    "A longer article body.\n\nWith a blank line between paragraphs.",
    "drop me too",
    "\u3000\u2003",  # ideographic and em spaces only
    "keep\u00a0this",
]


class DropPrefixed:
    """Sets a drop reason on texts that start with "drop me"; never edits text."""

    name = "dropper"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(DROP_REASON, pa.string())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        hit = pc.starts_with(table[TEXT], "drop me")
        reasons = pc.if_else(hit, pa.scalar("prefixed", pa.string()), table[DROP_REASON])
        index = table.column_names.index(DROP_REASON)
        return StageResult(table.set_column(index, DROP_REASON, reasons))


class KeepFirstLine:
    """A cleaning stage: keeps each text's first line (a text of blank lines becomes empty)."""

    name = "first_line"

    def output_fields(self) -> Sequence[pa.Field]:
        return [pa.field(TEXT, pa.string())]

    def setup(self) -> None:
        pass

    def process(self, table: pa.Table) -> StageResult:
        first = [text.split("\n")[0].strip() for text in table[TEXT].to_pylist()]
        index = table.column_names.index(TEXT)
        return StageResult(table.set_column(index, TEXT, pa.array(first, pa.string())))


def batch(texts: list[str]) -> pa.Table:
    table = pa.table(
        {
            "id": [f"d{i}" for i in range(len(texts))],
            TEXT: pa.array(texts, pa.string()),
            DROP_REASON: pa.nulls(len(texts), pa.string()),
        }
    )
    return mark_empty(table, "empty_text")


# The Unicode White_Space characters (Arrow's definition of whitespace).
REFERENCE_SPACES = "".join(
    chr(c)
    for c in [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B)]
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)


def reference_funnel(texts: list[str], stage_names: list[str]) -> dict[str, int]:
    """Docs and characters in and out of each stage, counted on Python strings."""
    live = [t for t in texts if t.strip(REFERENCE_SPACES)]
    counts: dict[str, int] = {}
    for name in stage_names:
        if not live:
            break
        counts |= {f"{name}.docs_in": len(live), f"{name}.chars_in": sum(map(len, live))}
        if name == KeepFirstLine.name:
            live = [
                t for t in (t.split("\n")[0].strip() for t in live) if t.strip(REFERENCE_SPACES)
            ]
        else:
            live = [t for t in live if not t.startswith("drop me")]
        counts |= {f"{name}.docs_out": len(live), f"{name}.chars_out": sum(map(len, live))}
    return counts


@pytest.mark.parametrize(
    "texts",
    [TEXTS, TEXTS[3:] + TEXTS[:3], ["drop me", "drop me 2"], ["kept é", "kept 😀"], ["", " "]],
)
@pytest.mark.parametrize("clean_first", [False, True])
def test_funnel_characters_match_a_python_count(texts: list[str], clean_first: bool) -> None:
    stages = [KeepFirstLine(), DropPrefixed()] if clean_first else [DropPrefixed(), KeepFirstLine()]
    outcome = run_batch_stages(batch(texts), stages)
    expected = reference_funnel(texts, [stage.name for stage in stages])
    funnel = {
        key.removeprefix("funnel."): value
        for key, value in outcome.stats.counters.items()
        if key.startswith("funnel.") and ".dropped." not in key
    }
    assert funnel == expected


def trimmed_empty(text: pa.Array) -> pa.Array:
    """The former definition: empty after trimming whitespace."""
    trimmed = pc.utf8_trim_whitespace(pc.fill_null(text, ""))
    return pc.equal(pc.utf8_length(trimmed), 0)


def test_blank_texts_equals_trimming_for_every_code_point() -> None:
    code_points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    array = pa.array(code_points, pa.string())
    assert blank_texts(pa.chunked_array([array])).combine_chunks().equals(trimmed_empty(array))
    spaced = pa.array([" " + c + "\n" for c in code_points[:0x3100]], pa.string())
    assert blank_texts(pa.chunked_array([spaced])).combine_chunks().equals(trimmed_empty(spaced))


def test_blank_texts_on_nulls_empty_and_mixed_texts() -> None:
    texts = [None, "", " ", "\u3000\u2003\n", " a ", "\u200b", "é", "\x00"]
    chunked = pa.chunked_array([texts[:3], texts[3:]], pa.string())
    expected = trimmed_empty(pa.array(texts, pa.string())).to_pylist()
    assert blank_texts(chunked).to_pylist() == expected
    assert expected == [True, True, True, True, False, False, False, False]
