"""The `dedup` global stage: exact dedup, then MinHash-LSH near dedup, over the whole corpus.

collect  per batch: fingerprints (normalised-text hash, MinHash signature, keeper score)
resolve  once: clusters, keepers, `duplicates.parquet` and `clusters.parquet` in the work dir
apply    per batch: set `drop_reason`, `duplicate_of`, `duplicate_similarity` on duplicates
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.decisions import DUPLICATES_FILE, DuplicateLookup, match_rows
from pipeline.dedup.fingerprint import FingerprintSpec, fingerprint_batch, fingerprint_schema
from pipeline.dedup.index_store import check_new_index_path, open_index
from pipeline.dedup.minhash import Permutations
from pipeline.dedup.resolve import resolve_duplicates
from pipeline.dedup.text_units import word_character_table
from pipeline.schema import (
    DROP_REASON,
    DUPLICATE_OF,
    DUPLICATE_SIMILARITY,
    SEQ,
    TEXT,
    set_column,
)
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

# Texts are fingerprinted in slices of about this many bytes, so numpy's working set stays in cache.
SLICE_BYTES = 512 * 1024


class DedupStage:
    """Exact and near-duplicate removal (see docs/dedup.md)."""

    name = "dedup"

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.spec = FingerprintSpec(
            lowercase=config.lowercase,
            strip_punctuation=config.strip_punctuation,
            shingle=config.shingle,
            ngram=config.ngram_size,
            num_perm=config.num_perm,
            seed=config.seed,
            scheme=config.scheme,
            near=config.near,
            exact_jaccard=config.exact_jaccard,
        )
        if config.near:
            bands, _ = config.lsh_shape()
            if bands < 2:
                raise ValueError(
                    f"dedup: threshold {config.threshold} with num_perm {config.num_perm} gives "
                    f"{bands} LSH band; raise num_perm or set bands and rows"
                )
        self._permutations: Permutations | None = None
        self._lookup: DuplicateLookup | None = None
        self._ready = False

    def output_fields(self) -> Sequence[pa.Field]:
        return (
            pa.field(DROP_REASON, pa.string()),
            pa.field(DUPLICATE_OF, pa.string()),
            pa.field(DUPLICATE_SIMILARITY, pa.float32()),
        )

    def setup(self) -> None:
        """Draw the permutations, build the character table, check the indexes (fail early)."""
        if self._ready:
            return
        if self.config.near:
            self._permutations = Permutations.create(
                self.config.num_perm, self.config.seed, self.config.scheme
            )
        word_character_table(self.config.strip_punctuation)
        for path in self.config.index.dedup_against:
            open_index(path, self.spec)
        if self.config.index.save_to:
            check_new_index_path(self.config.index.save_to)
        self._ready = True

    def fingerprint_schema(self) -> pa.Schema:
        return fingerprint_schema(self.spec)

    def collect(self, table: pa.Table) -> pa.Table:
        """Fingerprints of a batch of live records."""
        self.setup()
        scores = self._keeper_scores(table)
        lengths = pc.fill_null(pc.binary_length(table[TEXT]), 0).to_numpy()
        parts = []
        for begin, end in _slices(np.asarray(lengths, dtype=np.int64), SLICE_BYTES):
            parts.append(
                fingerprint_batch(
                    table.slice(begin, end - begin),
                    self.spec,
                    self._permutations,
                    keeper_scores=scores[begin:end],
                )
            )
        if not parts:
            return self.fingerprint_schema().empty_table()
        return pa.concat_tables(parts).combine_chunks()

    def _keeper_scores(self, table: pa.Table) -> np.ndarray:
        keeper = self.config.keeper
        if keeper == "first":
            return np.zeros(table.num_rows, dtype=np.float64)
        if keeper == "longest":
            return pc.fill_null(pc.utf8_length(table[TEXT]), 0).to_numpy().astype(np.float64)
        column = self.config.quality_column
        if column not in table.column_names:
            raise ValueError(
                f"dedup: quality_column {column!r} is not a column of the records "
                f"(columns: {', '.join(table.column_names)})"
            )
        values = pc.cast(table[column], pa.float64()).to_numpy(zero_copy_only=False)
        return np.where(np.isnan(values), -np.inf, values)

    def resolve(self, fingerprint_files: Sequence[Path], work_dir: Path) -> Stats:
        """Decide the duplicates of the corpus; writes duplicates.parquet and clusters.parquet."""
        return resolve_duplicates(
            self.config, self.spec, list(fingerprint_files), Path(work_dir), name=self.name
        )

    def apply(self, table: pa.Table, work_dir: Path) -> StageResult:
        """Mark the duplicates among a batch of live records."""
        path = Path(work_dir) / DUPLICATES_FILE
        if self._lookup is None or self._lookup.path != path:
            self._lookup = DuplicateLookup(path)
        seqs = pc.cast(table[SEQ], pa.uint64()).to_numpy()
        decisions = self._lookup.rows_for(seqs)
        found, rows = match_rows(seqs, decisions)
        take = np.zeros(len(seqs), dtype=np.int64)
        take[found] = rows
        indices = pa.array(take, mask=~found)
        current = (
            table[DROP_REASON]
            if DROP_REASON in table.column_names
            else pa.nulls(table.num_rows, pa.string())
        )
        values = {
            DROP_REASON: pc.coalesce(current, decisions[DROP_REASON].take(indices)),
            DUPLICATE_OF: decisions[DUPLICATE_OF].take(indices),
            DUPLICATE_SIMILARITY: decisions[DUPLICATE_SIMILARITY].take(indices),
        }
        for field in self.output_fields():
            table = set_column(table, field, values[field.name])
        return StageResult(table, Stats())


def _slices(lengths: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive row ranges whose text lengths add up to about `budget` bytes (at least 1 row)."""
    if len(lengths) == 0:
        return []
    ends = np.cumsum(lengths)
    cuts = np.searchsorted(ends, np.arange(budget, int(ends[-1]), budget), side="left") + 1
    bounds = np.unique(np.concatenate([[0], np.minimum(cuts, len(lengths)), [len(lengths)]]))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
