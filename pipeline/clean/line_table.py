"""`LineTable`: every line of a batch as one flat Arrow array, with per-line features in numpy.

The cleaning stages work on lines, and a batch holds thousands of documents with tens of lines
each. Rather than looping over documents in Python, a stage splits the whole text column once
(`text.split("\n")` semantics), keeps the lines as one flat `pa.StringArray` with the document each
line belongs to, and computes features with Arrow kernels (RE2 regular expressions, which run in
linear time) into numpy arrays. Context rules (neighbours, runs, document edges) are then numpy
operations over those arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.schema import TEXT

# A line "ends a sentence" when its last visible character is terminal punctuation, possibly
# followed by closing quotes or brackets, or when it ends in a closing quote: quoted speech such as
# `... go far enough”` is a complete utterance even without a full stop.
SENTENCE_END = r"(?:[.!?…。！？]['\"”’»)\]]*|[\"”’»])$"
# A clause ending: a sentence ending, or a colon / semicolon / closing bracket ending a clause.
CLAUSE_END = r"(?:[.!?…。！？:;]['\"”’»)\]]*|[\"”’»)\]])$"
FULL_STOP = r"(?:^|[^.])\.$"
# Endings and list markers are tested on this many characters at the end / start of a line.
EDGE_CHARS = 8
BULLET = r"^(?:[-*•·–—+o▪►‣◦]|\d{1,3}[.)]|[a-z]\))\s+"


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
        """Split the `text` column of `table` into lines (null text counts as empty)."""
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
    def chars(self) -> np.ndarray:
        """Length of each stripped line in characters."""
        return _numpy(pc.utf8_length(self.stripped), np.int64)

    @cached_property
    def raw_chars(self) -> np.ndarray:
        """Length of each line as it is in the text, in characters."""
        return _numpy(pc.utf8_length(self.lines), np.int64)

    @cached_property
    def blank(self) -> np.ndarray:
        """True for empty or whitespace-only lines."""
        return self.chars == 0

    @cached_property
    def words(self) -> np.ndarray:
        """Space-separated tokens per line (spaces + 1 for a non-blank line: exact once
        `normalize` has collapsed runs of spaces; tabs do not separate words here)."""
        spaces = _numpy(pc.count_substring(self.stripped, pattern=" "), np.int64)
        return np.where(self.blank, 0, spaces + 1)

    @cached_property
    def tail(self) -> pa.StringArray:
        """The last `EDGE_CHARS` characters of each stripped line (cheap to test endings on)."""
        return pc.utf8_slice_codeunits(self.stripped, start=-EDGE_CHARS)

    @cached_property
    def head(self) -> pa.StringArray:
        """The first `EDGE_CHARS` characters of each stripped line."""
        return pc.utf8_slice_codeunits(self.stripped, start=0, stop=EDGE_CHARS)

    @cached_property
    def ends_sentence(self) -> np.ndarray:
        """True when the line ends in terminal punctuation or a closing quote."""
        return _numpy(pc.match_substring_regex(self.tail, pattern=SENTENCE_END), bool)

    @cached_property
    def ends_clause(self) -> np.ndarray:
        """True when the line ends a sentence or a clause (also `:`, `;`, a closing bracket)."""
        return _numpy(pc.match_substring_regex(self.tail, pattern=CLAUSE_END), bool)

    @cached_property
    def ends_full_stop(self) -> np.ndarray:
        """True when the line ends in a single full stop (not an ellipsis)."""
        return _numpy(pc.match_substring_regex(self.tail, pattern=FULL_STOP), bool)

    @cached_property
    def bullet(self) -> np.ndarray:
        """True when the line starts with a list marker (`-`, `*`, `•`, `1.`, `a)` ...)."""
        return _numpy(pc.match_substring_regex(self.head, pattern=BULLET), bool)

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
            result = _numpy(
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
                result = _numpy(hits, bool) & short
            elif short.any():
                index = np.flatnonzero(short)
                candidates = self.stripped.take(pa.array(index))
                hits = pc.match_substring_regex(
                    candidates, pattern=pattern, ignore_case=ignore_case
                )
                result[index] = _numpy(hits, bool)
        self._cache[key] = result
        return result


def _numpy(array: pa.Array | pa.ChunkedArray, dtype: type) -> np.ndarray:
    """An Arrow array without nulls as a numpy array of `dtype` (nulls become 0 / False)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        array = pc.fill_null(array, pa.scalar(0 if dtype is not bool else False, array.type))
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=dtype)


def subset(lines: LineTable, keep: np.ndarray) -> tuple[LineTable, np.ndarray]:
    """The lines where `keep` is true, as a new `LineTable` over the same documents, and the index
    of each kept line in `lines`."""
    index = np.flatnonzero(keep)
    counts = np.bincount(lines.doc[index], minlength=lines.num_docs)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return LineTable(lines.lines.take(pa.array(index)), offsets), index
