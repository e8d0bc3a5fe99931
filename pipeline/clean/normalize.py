"""`normalize`: cheap, lossless-in-meaning text normalisation before any line rule runs.

In this order:

1. Unicode normalisation (NFC by default), so that `é` written two ways hashes the same;
2. line breaks: `\\r\\n`, `\\r` and the other Unicode line separators become `\\n`;
3. control characters other than `\\n` and `\\t` are deleted;
4. no-break and other Unicode spaces become plain spaces (`unify_spaces`);
5. trailing whitespace is stripped from every line;
6. runs of spaces inside a line collapse to one; leading indentation is kept (`collapse_spaces`);
7. runs of blank lines collapse to `max_blank_lines`; blank lines at the start and end go.

Steps 2-7 are one compiled pass over the batch's bytes (`normalize_kernels`, which gives each step
as the RE2 expression it is equal to); step 1 calls Python's `unicodedata` only for the documents
with a character the quick check cannot clear.

Counts: `normalize.docs_changed` and `normalize.chars_removed` (characters before minus after).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.normalize_kernels import (
    needs_unicode_check,
    normalize_whitespace,
    quick_check_yes,
)
from pipeline.dedup.text_units import utf8_view
from pipeline.quality.segments import as_text_array
from pipeline.schema import TEXT, set_column
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

if TYPE_CHECKING:
    from pipeline.clean.config import NormalizeConfig


class NormalizeStage:
    """Unicode and whitespace normalisation of the `text` column."""

    def __init__(self, config: NormalizeConfig, name: str = "normalize") -> None:
        self.config = config
        self.name = name

    def output_fields(self) -> Sequence[pa.Field]:
        return (pa.field(TEXT, pa.string()),)

    def setup(self) -> None:
        """The Unicode quick-check table (built once per process)."""
        if self.config.unicode_form != "none":
            quick_check_yes(self.config.unicode_form)

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        if table.num_rows == 0:
            return StageResult(table, stats)
        before = as_text_array(table[TEXT])
        after = normalize_text(before, self.config)
        changed = np.asarray(pc.fill_null(pc.not_equal(before, after), False))
        stats.count(f"{self.name}.docs_changed", int(changed.sum()))
        removed = int(pc.sum(pc.utf8_length(before)).as_py() or 0) - int(
            pc.sum(pc.utf8_length(after)).as_py() or 0
        )
        stats.count(f"{self.name}.chars_removed", removed)
        return StageResult(set_column(table, pa.field(TEXT, pa.string()), after), stats)


def unicode_normalize(text: pa.Array, form: str) -> pa.Array:
    """Unicode-normalise the documents that need it (`text`: no nulls).

    Python's `unicodedata` is used rather than Arrow's `utf8_normalize`, which ignores the
    requested form in some pyarrow releases (it always decomposes).
    """
    data, offsets = utf8_view(text)
    candidates = np.flatnonzero(needs_unicode_check(data, offsets, quick_check_yes(form)))
    if candidates.size == 0:
        return text
    values = text.take(pa.array(candidates)).to_pylist()
    changed = [
        (int(row), unicodedata.normalize(form, value))
        for row, value in zip(candidates, values, strict=True)
        if not unicodedata.is_normalized(form, value)
    ]
    if not changed:
        return text
    rows = np.arange(len(text))
    rows[[row for row, _ in changed]] = len(text) + np.arange(len(changed))
    replacements = pa.array([value for _, value in changed], pa.string())
    return pa.concat_arrays([text, replacements]).take(pa.array(rows))


def normalize_text(text: pa.Array, config: NormalizeConfig) -> pa.Array:
    """Apply the normalisation steps of `config` to a string array (no nulls)."""
    if config.unicode_form != "none":
        text = unicode_normalize(text, config.unicode_form)
    data, offsets = utf8_view(text)
    new_offsets, new_data = normalize_whitespace(
        data, offsets, config.unify_spaces, config.collapse_spaces, config.max_blank_lines
    )
    return pa.StringArray.from_buffers(len(text), pa.py_buffer(new_offsets), pa.py_buffer(new_data))
