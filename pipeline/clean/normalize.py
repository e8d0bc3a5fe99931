"""`normalize`: cheap, lossless-in-meaning text normalisation before any line rule runs.

Every step is one vectorised Arrow kernel over the whole text column (RE2 regular expressions,
linear time), in this order:

1. Unicode normalisation (NFC by default), so that `é` written two ways hashes the same;
2. line breaks: `\\r\\n`, `\\r` and the other Unicode line separators become `\\n`;
3. control characters other than `\\n` and `\\t` are deleted;
4. no-break and other Unicode spaces become plain spaces (`unify_spaces`);
5. trailing whitespace is stripped from every line;
6. runs of spaces inside a line collapse to one; leading indentation is kept (`collapse_spaces`);
7. runs of blank lines collapse to `max_blank_lines`; blank lines at the start and end go.

Counts: `normalize.docs_changed` and `normalize.chars_removed` (characters before minus after).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.schema import TEXT, set_column
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

if TYPE_CHECKING:
    from pipeline.clean.config import NormalizeConfig

LINE_BREAKS = r"\r\n|[\r\x0b\x0c\x{85}\x{2028}\x{2029}]"
CONTROL_CHARS = r"[\x00-\x08\x0e-\x1f\x7f\x{80}-\x{84}\x{86}-\x{9f}\x{feff}]"
UNICODE_SPACES = r"[\x{a0}\x{1680}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}]"
TRAILING_WHITESPACE = r"(?m)[ \t]+$"
INNER_SPACE_RUN = r"(\S) {2,}"


class NormalizeStage:
    """Unicode and whitespace normalisation of the `text` column."""

    def __init__(self, config: NormalizeConfig, name: str = "normalize") -> None:
        self.config = config
        self.name = name

    def output_fields(self) -> Sequence[pa.Field]:
        return (pa.field(TEXT, pa.string()),)

    def setup(self) -> None:
        """Nothing to prepare: Arrow compiles each RE2 pattern once per batch."""

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        if table.num_rows == 0:
            return StageResult(table, stats)
        before = pc.fill_null(table[TEXT], "").combine_chunks()
        after = normalize_text(before, self.config)
        changed = np.asarray(pc.fill_null(pc.not_equal(before, after), False))
        stats.count(f"{self.name}.docs_changed", int(changed.sum()))
        removed = int(pc.sum(pc.utf8_length(before)).as_py() or 0) - int(
            pc.sum(pc.utf8_length(after)).as_py() or 0
        )
        stats.count(f"{self.name}.chars_removed", removed)
        return StageResult(set_column(table, pa.field(TEXT, pa.string()), after), stats)


def unicode_normalize(text: pa.Array, form: str) -> pa.Array:
    """Unicode-normalise the documents that need it (ASCII text never does).

    Python's `unicodedata` is used rather than Arrow's `utf8_normalize`, which ignores the
    requested form in some pyarrow releases (it always decomposes).
    """
    non_ascii = np.flatnonzero(~np.asarray(pc.string_is_ascii(text), dtype=bool))
    if non_ascii.size == 0:
        return text
    candidates = text.take(pa.array(non_ascii)).to_pylist()
    changed = [
        (int(i), unicodedata.normalize(form, value))
        for i, value in zip(non_ascii, candidates, strict=True)
        if not unicodedata.is_normalized(form, value)
    ]
    if not changed:
        return text
    values = text.to_pylist()
    for i, value in changed:
        values[i] = value
    return pa.array(values, pa.string())


def normalize_text(text: pa.Array, config: NormalizeConfig) -> pa.Array:
    """Apply the normalisation steps of `config` to a string array (no nulls)."""
    if config.unicode_form != "none":
        text = unicode_normalize(text, config.unicode_form)
    text = pc.replace_substring_regex(text, pattern=LINE_BREAKS, replacement="\n")
    text = pc.replace_substring_regex(text, pattern=CONTROL_CHARS, replacement="")
    if config.unify_spaces:
        text = pc.replace_substring_regex(text, pattern=UNICODE_SPACES, replacement=" ")
    text = pc.replace_substring_regex(text, pattern=TRAILING_WHITESPACE, replacement="")
    if config.collapse_spaces:
        text = pc.replace_substring_regex(text, pattern=INNER_SPACE_RUN, replacement=r"\1 ")
    blank_run = "\n" * (config.max_blank_lines + 2)
    text = pc.replace_substring_regex(
        text,
        pattern="\n{" + str(config.max_blank_lines + 2) + ",}",
        replacement=blank_run[:-1],
    )
    return pc.utf8_trim(text, characters="\n")
