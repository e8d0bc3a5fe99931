"""`collect`: turn a batch of live records into compact dedup fingerprints (no text).

One row per record, fixed-width except `id` (needed to name keepers in `duplicate_of`):

    _seq           uint64                    corpus order
    id             string                    the record's id
    words          int32                     words in the normalised text (0: nothing to dedup)
    exact_hash     fixed_size_binary(16)     128-bit hash of the normalised text
    signature      fixed_size_binary(4 * P)  MinHash signature, P little-endian uint32 (near only)
    keeper_score   float64                   higher wins the keeper rule (length or quality)
    shingles       large_binary              the shingle hashes, uint32 LE (exact_jaccard only)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.exact_hash import normalised_text_hashes
from pipeline.dedup.minhash import Permutations, signatures
from pipeline.dedup.shingle_sets import SHINGLES, shingle_column
from pipeline.dedup.shingles import ngram_shingles
from pipeline.dedup.text_units import Units, character_units, find_words
from pipeline.schema import ID, SEQ, TEXT

SEQ_COLUMN = SEQ
ID_COLUMN = ID
WORDS = "words"
EXACT_HASH = "exact_hash"
SIGNATURE = "signature"
KEEPER_SCORE = "keeper_score"


@dataclass(frozen=True)
class FingerprintSpec:
    """Everything that decides a fingerprint; saved indexes must match it exactly."""

    lowercase: bool
    strip_punctuation: bool
    shingle: str  # "word" | "char"
    ngram: int
    num_perm: int
    seed: int
    scheme: str
    near: bool
    exact_jaccard: bool = False

    def compatible_params(self) -> dict[str, object]:
        """The parameters an index must match (`near`, `exact_jaccard` are capabilities)."""
        return {
            "lowercase": self.lowercase,
            "strip_punctuation": self.strip_punctuation,
            "shingle": self.shingle,
            "ngram": self.ngram,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "scheme": self.scheme,
        }


def fingerprint_schema(spec: FingerprintSpec) -> pa.Schema:
    """The columns `fingerprint_batch` returns."""
    fields = [
        pa.field(SEQ_COLUMN, pa.uint64(), nullable=False),
        pa.field(ID_COLUMN, pa.string(), nullable=False),
        pa.field(WORDS, pa.int32(), nullable=False),
        pa.field(EXACT_HASH, pa.binary(16), nullable=False),
        pa.field(KEEPER_SCORE, pa.float64(), nullable=False),
    ]
    if spec.near:
        fields.append(pa.field(SIGNATURE, pa.binary(4 * spec.num_perm), nullable=False))
    if spec.exact_jaccard:
        fields.append(pa.field(SHINGLES, pa.large_binary(), nullable=False))
    return pa.schema(fields)


def fingerprint_batch(
    table: pa.Table,
    spec: FingerprintSpec,
    permutations: Permutations | None,
    *,
    keeper_scores: np.ndarray,
) -> pa.Table:
    """Fingerprints of the records of `table` (its `text` is the cleaned text)."""
    words = find_words(
        table[TEXT], lowercase=spec.lowercase, strip_punctuation=spec.strip_punctuation
    )
    exact = normalised_text_hashes(words)
    columns: dict[str, pa.Array] = {
        SEQ_COLUMN: pc.cast(table[SEQ], pa.uint64()).combine_chunks(),
        ID_COLUMN: pc.cast(table[ID], pa.string()).combine_chunks(),
        WORDS: pa.array(words.counts.astype(np.int32)),
        EXACT_HASH: fixed_width_binary(exact),
        KEEPER_SCORE: pa.array(keeper_scores.astype(np.float64)),
    }
    if spec.near:
        if permutations is None:
            raise ValueError("near dedup needs MinHash permutations")
        units = (
            Units(words.hashes, words.offsets) if spec.shingle == "word" else character_units(words)
        )
        shingles = ngram_shingles(units, spec.ngram)
        columns[SIGNATURE] = fixed_width_binary(signatures(shingles, permutations))
        if spec.exact_jaccard:
            columns[SHINGLES] = shingle_column(shingles)
    return pa.table(columns, schema=fingerprint_schema(spec))


def fixed_width_binary(rows: np.ndarray) -> pa.Array:
    """A 2-D numpy array as a fixed_size_binary array, one row per value (native byte order)."""
    contiguous = np.ascontiguousarray(rows)
    width = contiguous.shape[1] * contiguous.dtype.itemsize
    return pa.Array.from_buffers(
        pa.binary(width), len(contiguous), [None, pa.py_buffer(contiguous.tobytes())]
    )


def binary_rows(column: pa.Array | pa.ChunkedArray, dtype: np.dtype, width: int) -> np.ndarray:
    """The inverse of `fixed_width_binary`: a (rows x width) array of `dtype`."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    size = np.dtype(dtype).itemsize * width
    if len(array) == 0:
        return np.zeros((0, width), dtype=dtype)
    data = np.frombuffer(array.buffers()[1], dtype=np.uint8)
    start = array.offset * size
    return data[start : start + len(array) * size].view(dtype).reshape(len(array), width)
