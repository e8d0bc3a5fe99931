"""`LineTable`: every line of a batch as one flat Arrow array, with per-line features in numpy.

The cleaning stages work on lines, and a batch holds thousands of documents with tens of lines
each. Rather than looping over documents in Python, a stage splits the whole text column once
(`text.split("\n")` semantics), keeps the lines as one flat `pa.StringArray` with the document each
line belongs to, and computes features into numpy arrays: the per-line ones in one compiled pass
over the bytes (`line_features`), pattern matches with Arrow's RE2 kernels (linear time). Context
rules (neighbours, runs, document edges) are then numpy operations over those arrays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.line_features import (
    CHARS,
    ENDS_CLAUSE,
    ENDS_FULL_STOP,
    ENDS_SENTENCE,
    SPACES,
    STARTS_BULLET,
    line_features,
)
from pipeline.schema import TEXT


@dataclass
class LineTable:
    """The lines of one batch of documents.

    Attributes:
        lines: every line of every document, in order (a document with empty text has one empty
            line).
        offsets: `offsets[d]:offsets[d + 1]` are the lines of document `d` (numpy int64).
    """

    lines: pa.StringArray
    offsets: np.ndarray
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def from_table(cls, table: pa.Table) -> LineTable:
        """Split the `text` column of `table` into lines (null text counts as empty); the lines
        `remember_lines` was given for this very text column are returned as they are."""
        remembered = getattr(_LATEST, "entry", None)
        if remembered is not None:
            text, lines = remembered
            if lines.num_docs == table.num_rows and _same_text(text, table[TEXT]):
                return lines
        text = pc.fill_null(table[TEXT], "").combine_chunks()
        return cls.from_text(text)

    @classmethod
    def from_text(cls, text: pa.Array) -> LineTable:
        """Split a string array into lines."""
        if len(text) == 0:
            return cls(pa.array([], pa.string()), np.zeros(1, np.int64))
        split = pc.split_pattern(text, pattern="\n")
        values = split.flatten()
        offsets = np.asarray(split.offsets, dtype=np.int64) - int(split.offsets[0].as_py())
        if values.type != pa.string():
            values = values.cast(pa.string())
        return cls(values, offsets)

    @property
    def num_docs(self) -> int:
        return len(self.offsets) - 1

    @property
    def num_lines(self) -> int:
        return len(self.lines)

    @cached_property
    def doc(self) -> np.ndarray:
        """Index of the document each line belongs to."""
        counts = np.diff(self.offsets)
        return np.repeat(np.arange(self.num_docs, dtype=np.int64), counts)

    @cached_property
    def position(self) -> np.ndarray:
        """Index of each line within its document (0 for the first line)."""
        return np.arange(self.num_lines, dtype=np.int64) - self.offsets[self.doc]

    @cached_property
    def lines_after(self) -> np.ndarray:
        """How many lines of the same document follow each line (0 for the last line)."""
        return self.offsets[self.doc + 1] - 1 - np.arange(self.num_lines, dtype=np.int64)

    @cached_property
    def stripped(self) -> pa.StringArray:
        """Each line without leading and trailing whitespace."""
        return pc.utf8_trim_whitespace(self.lines)

    @cached_property
    def features(self) -> np.ndarray:
        """`line_features` of the stripped lines (one compiled pass gives all the columns)."""
        return line_features(self.stripped)

    @cached_property
    def chars(self) -> np.ndarray:
        """Length of each stripped line in characters."""
        return self.features[:, CHARS].copy()

    def raw_chars(self, index: np.ndarray) -> np.ndarray:
        """Length of the lines at `index` as they are in the text, in characters (only those
        lines are measured: callers want the few a stage removes)."""
        return arrow_to_numpy(pc.utf8_length(self.lines.take(pa.array(index))), np.int64)

    @cached_property
    def blank(self) -> np.ndarray:
        """True for empty or whitespace-only lines."""
        return self.chars == 0

    @cached_property
    def words(self) -> np.ndarray:
        """Space-separated tokens per line (spaces + 1 for a non-blank line: exact once
        `normalize` has collapsed runs of spaces; tabs do not separate words here)."""
        return np.where(self.blank, 0, self.features[:, SPACES] + 1)

    @cached_property
    def ends_sentence(self) -> np.ndarray:
        """True when the line ends in terminal punctuation or a closing quote (`SENTENCE_END` on
        its last `EDGE_CHARS` characters)."""
        return self.features[:, ENDS_SENTENCE].astype(bool)

    @cached_property
    def ends_clause(self) -> np.ndarray:
        """True when the line ends a sentence or a clause (also `:`, `;`, a closing bracket;
        `CLAUSE_END` on its last `EDGE_CHARS` characters)."""
        return self.features[:, ENDS_CLAUSE].astype(bool)

    @cached_property
    def ends_full_stop(self) -> np.ndarray:
        """True when the line ends in a single full stop, not an ellipsis (`FULL_STOP`)."""
        return self.features[:, ENDS_FULL_STOP].astype(bool)

    @cached_property
    def bullet(self) -> np.ndarray:
        """True when the line starts with a list marker (`-`, `*`, `•`, `1.`, `a)` ...; `BULLET`
        on its first `EDGE_CHARS` characters)."""
        return self.features[:, STARTS_BULLET].astype(bool)

    def matches(
        self, pattern: str, *, max_chars: int | None, ignore_case: bool = False
    ) -> np.ndarray:
        """True where the stripped line matches the RE2 `pattern` (a search, anchor it yourself).

        Lines longer than `max_chars` never match, which bounds the work any pattern does.
        """
        if self.num_lines == 0:
            return np.zeros(0, dtype=bool)
        key = f"{pattern}\x00{max_chars}\x00{ignore_case}"
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if max_chars is None:
            result = arrow_to_numpy(
                pc.match_substring_regex(self.stripped, pattern=pattern, ignore_case=ignore_case),
                bool,
            )
        else:
            short = (self.chars <= max_chars) & ~self.blank
            result = np.zeros(self.num_lines, dtype=bool)
            if short.mean() > 0.5:
                hits = pc.match_substring_regex(
                    self.stripped, pattern=pattern, ignore_case=ignore_case
                )
                result = arrow_to_numpy(hits, bool) & short
            elif short.any():
                index = np.flatnonzero(short)
                candidates = self.stripped.take(pa.array(index))
                hits = pc.match_substring_regex(
                    candidates, pattern=pattern, ignore_case=ignore_case
                )
                result[index] = arrow_to_numpy(hits, bool)
        self._cache[key] = result
        return result


# The lines of the text a cleaning stage produced last (per thread): the next stage of the batch
# splits the same text, and `apply_line_verdicts` already knows its lines (the ones it kept).
_LATEST = threading.local()


def remember_lines(table: pa.Table, lines: LineTable) -> None:
    """Let the next `LineTable.from_table` of `table`'s text column reuse `lines`, which must be
    exactly the lines `from_table` would split it into."""
    _LATEST.entry = (table[TEXT], lines)


def _same_text(a: pa.ChunkedArray, b: pa.ChunkedArray) -> bool:
    """Whether two text columns are chunked alike over equal buffers (compared by content, at once
    when they are the same memory, as a stage's output column is when the next stage reads it)."""
    if a.num_chunks != b.num_chunks:
        return False
    for x, y in zip(a.chunks, b.chunks, strict=True):
        if x.offset != y.offset or len(x) != len(y):
            return False
        for p, q in zip(x.buffers(), y.buffers(), strict=True):
            if (p is None) != (q is None) or (p is not None and not p.equals(q)):
                return False
    return True


def arrow_to_numpy(array: pa.Array | pa.ChunkedArray, dtype: type) -> np.ndarray:
    """An Arrow array without nulls as a numpy array of `dtype` (nulls become 0 / False)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        array = pc.fill_null(array, pa.scalar(0 if dtype is not bool else False, array.type))
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=dtype)


def subset(
    lines: LineTable, keep: np.ndarray, *, taken: pa.StringArray | None = None
) -> tuple[LineTable, np.ndarray]:
    """The lines where `keep` is true, as a new `LineTable` over the same documents, and the index
    of each kept line in `lines` (per-line features and stripped lines already computed are
    carried over). `taken`: those lines, if the caller has already taken them from `lines`."""
    index = np.flatnonzero(keep)
    counts = np.bincount(lines.doc[index], minlength=lines.num_docs)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    positions = pa.array(index)
    kept = LineTable(lines.lines.take(positions) if taken is None else taken, offsets)
    if "features" in lines.__dict__:
        kept.features = lines.features[index]
    if "stripped" in lines.__dict__:
        kept.stripped = lines.stripped.take(positions)
    return kept, index
