"""The `language` stage: `lang` and `lang_score` columns, and an optional language filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.language.identify import UNDETERMINED, LanguageIdentifier
from pipeline.quality.segments import as_text_array
from pipeline.schema import DROP_REASON, TEXT, set_column
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

if TYPE_CHECKING:
    from pipeline.quality.config import LanguageConfig

LANG = "lang"
LANG_SCORE = "lang_score"
NOT_ALLOWED = "language_not_allowed"
LOW_SCORE = "language_low_score"
REASONS = (NOT_ALLOWED, LOW_SCORE)
SCORE_EDGES: tuple[float, ...] = (
    *(i / 20 for i in range(0, 19)),
    0.95,
    0.99,
    0.999,
    0.9999,
    1.0,
)


class LanguageStage:
    """Writes `lang` (langdetect code, `und` without letters) and `lang_score` (float32), and
    drops documents outside `languages` (`language_not_allowed`) or below `min_score`
    (`language_low_score`), in that order.

    Stats: `language.docs`, `language.lang.<code>`, `language.escalated`,
    `language.dropped.<reason>`, histogram `language.lang_score`.
    """

    name = "language"

    def __init__(self, config: LanguageConfig) -> None:
        self.config = config
        self.identifier = LanguageIdentifier(
            seed=config.seed,
            window_chars=config.window_chars,
            windows=config.windows,
            escalate_below=config.escalate_below,
        )

    def output_fields(self) -> Sequence[pa.Field]:
        return [
            pa.field(LANG, pa.string()),
            pa.field(LANG_SCORE, pa.float32()),
            pa.field(DROP_REASON, pa.string()),
        ]

    def setup(self) -> None:
        """Load langdetect's profiles (about a second, once per worker process)."""
        self.identifier.setup()

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        texts = as_text_array(table[TEXT]) if table.num_rows else pa.array([], pa.string())
        result = self.identifier.identify(texts)
        codes = result.codes()
        score = result.score.astype(np.float32)
        table = set_column(table, pa.field(LANG, pa.string()), codes)
        table = set_column(table, pa.field(LANG_SCORE, pa.float32()), pa.array(score))

        # Index into REASONS of the reason to drop (-1: keep); the language check comes first.
        reasons = np.full(table.num_rows, -1, dtype=np.int32)
        if self.config.min_score is not None:
            reasons[score < np.float32(self.config.min_score)] = REASONS.index(LOW_SCORE)
        if self.config.languages:
            allowed = pc.is_in(codes, value_set=pa.array(self.config.languages, pa.string()))
            reasons[~allowed.to_numpy(zero_copy_only=False)] = REASONS.index(NOT_ALLOWED)
        drop = pa.DictionaryArray.from_arrays(
            pa.array(reasons, mask=reasons < 0), pa.array(REASONS, pa.string())
        ).cast(pa.string())
        if DROP_REASON in table.column_names:  # keep an earlier stage's reason, if any
            drop = pc.coalesce(table[DROP_REASON].combine_chunks(), drop)
        table = set_column(table, pa.field(DROP_REASON, pa.string()), drop)

        stats.count(f"{self.name}.docs", table.num_rows)
        stats.count(f"{self.name}.escalated", int(result.escalated.sum()))
        stats.observe(f"{self.name}.lang_score", score.astype(np.float64), SCORE_EDGES)
        for entry in pc.value_counts(codes).to_pylist():
            stats.count(f"{self.name}.lang.{entry['values']}", entry["counts"])
        for index, reason in enumerate(REASONS):
            dropped = int(np.count_nonzero(reasons == index))
            if dropped:
                stats.count(f"{self.name}.dropped.{reason}", dropped)
        return StageResult(table, stats)


__all__ = ["LANG", "LANG_SCORE", "LOW_SCORE", "NOT_ALLOWED", "UNDETERMINED", "LanguageStage"]
