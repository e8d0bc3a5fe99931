"""The `quality` stage: feature columns, then one decide step that writes `drop_reason`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.quality.features import FEATURES, FeatureSettings, compute_features, feature_fields
from pipeline.quality.rules import KEEP, REASONS, decide
from pipeline.quality.segments import as_text_array
from pipeline.schema import DROP_REASON, ID, ORIGINAL_CHARS, TEXT, URL, set_column
from pipeline.stage import StageResult
from pipeline.stats.bag import Stats

if TYPE_CHECKING:
    from pipeline.quality.config import QualityConfig

LANG_COLUMN = "lang"
STOP_WORD_REASON = "gopher_stop_words"
EXAMPLE_TEXT_CHARS = 200


class QualityStage:
    """Scores every document (`q_*` columns) and drops those that fail a configured rule.

    Stats: `quality.docs`, `quality.kept`, `quality.dropped.<reason>` (first failing rule),
    `quality.fails.<reason>` (documents failing the rule whatever the order), fixed-bin histograms
    `quality.<column>` (e.g. `quality.q_word_count`) over all documents seen, and examples
    `quality.<reason>` of dropped ones.
    """

    name = "quality"

    def __init__(self, config: QualityConfig) -> None:
        self.config = config
        self.settings = FeatureSettings(
            stop_words=tuple(word.lower() for word in config.stop_words),
            terminal_punctuation=tuple(config.terminal_punctuation),
            bullet_characters=tuple(config.bullet_characters),
            short_line_chars=config.short_line_chars,
        )
        self.thresholds = config.model_dump()

    def output_fields(self) -> Sequence[pa.Field]:
        return [*feature_fields(), pa.field(DROP_REASON, pa.string())]

    def setup(self) -> None:
        """Nothing heavy: all patterns are RE2 expressions compiled by Arrow's kernels."""

    def process(self, table: pa.Table) -> StageResult:
        stats = Stats()
        n_docs = table.num_rows
        texts = as_text_array(table[TEXT]) if n_docs else pa.array([], pa.string())
        original = None
        if ORIGINAL_CHARS in table.column_names:
            original = table[ORIGINAL_CHARS].combine_chunks()
        features = compute_features(texts, original, self.settings)
        first, failing = decide(features, self.thresholds, applies=self._applies(table))

        for feature in FEATURES:
            values = features[feature.name]
            table = set_column(
                table, pa.field(feature.column, feature.type), pa.array(values, feature.type)
            )
            stats.observe(f"{self.name}.{feature.column}", values.astype(np.float64), feature.edges)
        table = set_column(table, pa.field(DROP_REASON, pa.string()), self._reasons(table, first))

        stats.count(f"{self.name}.docs", n_docs)
        stats.count(f"{self.name}.kept", int(np.count_nonzero(first == KEEP)))
        for reason, mask in failing.items():
            stats.count(f"{self.name}.fails.{reason}", int(np.count_nonzero(mask)))
        dropped = np.flatnonzero(first != KEEP)
        examples = self._examples(table, dropped) if dropped.size else []
        for index, reason in enumerate(REASONS):
            picked = np.flatnonzero(first[dropped] == index)
            if picked.size:
                stats.count(f"{self.name}.dropped.{reason}", int(picked.size))
                stats.add_examples(f"{self.name}.{reason}", [examples[i] for i in picked])
        return StageResult(table, stats)

    def _applies(self, table: pa.Table) -> dict[str, np.ndarray] | None:
        """Restrict the stop-word rule to its languages when a `lang` column is present."""
        languages = self.config.stop_word_languages
        if not languages or LANG_COLUMN not in table.column_names:
            return None
        lang = table[LANG_COLUMN]
        allowed = pc.is_in(lang, value_set=pa.array(languages, lang.type))
        return {STOP_WORD_REASON: pc.fill_null(allowed, False).to_numpy(zero_copy_only=False)}

    @staticmethod
    def _reasons(table: pa.Table, first: np.ndarray) -> pa.Array:
        codes = pa.array(first.astype(np.int32), mask=first == KEEP)
        names = pa.DictionaryArray.from_arrays(codes, pa.array(REASONS, pa.string()))
        names = names.cast(pa.string())
        if DROP_REASON in table.column_names:  # keep an earlier stage's reason, if any
            return pc.coalesce(table[DROP_REASON].combine_chunks(), names)
        return names

    @staticmethod
    def _examples(table: pa.Table, rows: np.ndarray) -> list[dict[str, object]]:
        """A few columns of the dropped documents (the text cut to a short prefix)."""
        columns = [name for name in (ID, URL, TEXT) if name in table.column_names]
        picked = table.select(columns).take(pa.array(rows))
        ids = picked[ID].to_pylist()
        urls = picked[URL].to_pylist() if URL in picked.column_names else [None] * len(ids)
        texts = pc.utf8_slice_codeunits(pc.fill_null(picked[TEXT], ""), 0, EXAMPLE_TEXT_CHARS)
        return [
            {"id": doc_id, "url": url, "text": text}
            for doc_id, url, text in zip(ids, urls, texts.to_pylist(), strict=True)
        ]
