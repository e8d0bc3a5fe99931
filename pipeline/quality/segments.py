"""Lines, paragraphs and words of a batch of documents, flattened into Arrow/numpy arrays.

Each splitter returns `Pieces`: one flat array of the non-empty pieces of every document plus the
document index of each piece, so that per-document features are `np.bincount` reductions instead of
Python loops. All splitting runs in Arrow's C++ kernels (RE2 regular expressions, linear time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PARAGRAPH_BREAK = r"\n\s*\n"


@dataclass(frozen=True)
class Pieces:
    """The non-empty pieces of a batch of documents, in document order."""

    text: pa.Array
    doc: np.ndarray  # int64, non-decreasing
    length: np.ndarray  # int64, characters (code points) of each piece
    n_docs: int

    @property
    def size(self) -> int:
        return int(self.doc.size)

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Number of pieces (where `mask` holds) per document, as int64."""
        doc = self.doc if mask is None else self.doc[mask]
        return np.bincount(doc, minlength=self.n_docs).astype(np.int64)

    def total(self, values: np.ndarray) -> np.ndarray:
        """Sum of `values` (one per piece) per document, as float64."""
        return np.bincount(self.doc, weights=values, minlength=self.n_docs)

    def filter(self, mask: np.ndarray) -> Pieces:
        """The pieces where `mask` holds."""
        return Pieces(
            text=self.text.filter(pa.array(mask)),
            doc=self.doc[mask],
            length=self.length[mask],
            n_docs=self.n_docs,
        )


def as_text_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous string array with nulls replaced by the empty string."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "")


def _flatten(lists: pa.Array, n_docs: int, *, strip: bool) -> Pieces:
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    pieces = pc.list_flatten(lists)
    if strip:
        pieces = pc.utf8_trim_whitespace(pieces)
    length = pc.utf8_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)
    keep = length > 0
    if keep.all():
        return Pieces(text=pieces, doc=parents, length=length, n_docs=n_docs)
    return Pieces(
        text=pieces.filter(pa.array(keep)), doc=parents[keep], length=length[keep], n_docs=n_docs
    )


def split_lines(texts: pa.Array) -> Pieces:
    """Non-empty lines, stripped of surrounding whitespace."""
    return _flatten(pc.split_pattern(texts, "\n"), len(texts), strip=True)


def split_paragraphs(texts: pa.Array) -> Pieces:
    """Non-empty paragraphs (separated by blank lines), stripped of surrounding whitespace."""
    return _flatten(pc.split_pattern_regex(texts, PARAGRAPH_BREAK), len(texts), strip=True)


def split_words(texts: pa.Array) -> Pieces:
    """Whitespace-separated tokens, as they are (punctuation attached)."""
    return _flatten(pc.utf8_split_whitespace(texts), len(texts), strip=False)


def per_doc_max(values: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    """Maximum of `values` per document (`doc` non-decreasing); 0 for documents without values."""
    out = np.zeros(n_docs, dtype=np.float64)
    if values.size == 0:
        return out
    starts = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1])))
    out[doc[starts]] = np.maximum.reduceat(values, starts)
    return out


def per_doc_median(values: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    """Median of non-negative integer `values` per document (`doc` non-decreasing); 0 if none."""
    out = np.zeros(n_docs, dtype=np.float64)
    if values.size == 0:
        return out
    span = int(values.max()) + 1
    ordered = np.sort(doc * span + values)
    counts = np.bincount(doc, minlength=n_docs)
    starts = np.cumsum(counts) - counts
    present = counts > 0
    low = ordered[starts[present] + (counts[present] - 1) // 2] % span
    high = ordered[starts[present] + counts[present] // 2] % span
    out[present] = (low + high) / 2.0
    return out


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """`numerator / denominator` as float64, 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
