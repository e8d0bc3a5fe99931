"""Configuration of the `dedup` stage: exact dedup, then MinHash-LSH near dedup, each switchable.

Every key, its default and the default's source are documented in docs/dedup.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from pipeline.config_base import StageConfig, StrictModel

if TYPE_CHECKING:
    from pipeline.dedup.stage import DedupStage

# Shingle sizes when `ngram` is not given: word 5-grams (datatrove's MinhashConfig, FineWeb),
# character 24-grams (NeMo Curator's FuzzyDeduplicationWorkflow).
DEFAULT_NGRAM = {"word": 5, "char": 24}
# datasketch's MinHashLSH default weights, and the recall-leaning weights used with verification.
DATASKETCH_WEIGHTS = (0.5, 0.5)
VERIFIED_WEIGHTS = (0.05, 0.95)


class DedupIndexConfig(StrictModel):
    """Saving this run's fingerprints as an index, and deduplicating against earlier indexes."""

    save_to: str | None = Field(
        default=None, description="write the kept documents' fingerprints to this new directory"
    )
    dedup_against: list[str] = Field(
        default_factory=list, description="index directories whose documents always win"
    )
    update: bool = Field(
        default=False, description="append this run's kept documents to the dedup_against index"
    )

    @model_validator(mode="after")
    def _update_needs_one_index(self) -> DedupIndexConfig:
        if self.update and len(self.dedup_against) != 1:
            raise ValueError("update: true needs exactly one path in dedup_against (the index)")
        if self.save_to is not None and self.save_to in self.dedup_against:
            raise ValueError("save_to must differ from the dedup_against paths (use update: true)")
        return self


class DedupConfig(StageConfig):
    """Exact and near-duplicate removal over the whole corpus (a global stage)."""

    type: Literal["dedup"] = "dedup"
    exact: bool = Field(default=True, description="drop copies with the same normalised text")
    near: bool = Field(default=True, description="drop near-duplicates found by MinHash-LSH")
    lowercase: bool = True
    strip_punctuation: bool = Field(
        default=True, description="words are runs of letters, marks and digits"
    )
    shingle: Literal["word", "char"] = "word"
    ngram: int | None = Field(
        default=None, ge=1, le=64, description="shingle size; default 5 words or 24 characters"
    )
    num_perm: int = Field(default=128, ge=8, le=1024, description="MinHash permutations")
    seed: int = Field(default=1, ge=0, lt=2**32, description="datasketch's default seed")
    scheme: Literal["affine32", "legacy"] = Field(
        default="affine32", description="datasketch's permutation scheme (>= 2.0 default)"
    )
    threshold: float = Field(default=0.8, gt=0.0, lt=1.0, description="Jaccard similarity")
    bands: int | None = Field(default=None, ge=1, description="LSH bands (default: optimised)")
    rows: int | None = Field(default=None, ge=1, description="signature rows per band")
    optimizer_weights: tuple[float, float] | None = Field(
        default=None,
        description="(false positive, false negative) weights; default (0.05, 0.95) with verify, "
        "datasketch's (0.5, 0.5) without",
    )
    verify: bool = Field(
        default=True, description="link a candidate pair only if its estimated Jaccard passes"
    )
    exact_jaccard: bool = Field(
        default=False,
        description="decide pairs by the exact Jaccard of stored shingle sets (4 bytes a shingle)",
    )
    keeper: Literal["first", "longest", "best_quality"] = "first"
    quality_column: str | None = Field(
        default=None, description="numeric column for keeper: best_quality (higher is better)"
    )
    index: DedupIndexConfig = Field(default_factory=DedupIndexConfig)

    @model_validator(mode="after")
    def _consistent(self) -> DedupConfig:
        if not (self.exact or self.near):
            raise ValueError("exact and near are both off; disable the stage instead")
        if (self.bands is None) != (self.rows is None):
            raise ValueError("give both bands and rows, or neither (then they are optimised)")
        if self.bands is not None and self.rows is not None:
            if self.bands * self.rows > self.num_perm:
                raise ValueError(
                    f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}"
                )
            if self.bands < 2:
                raise ValueError("LSH needs at least 2 bands")
        if self.exact_jaccard and not (self.near and self.verify):
            raise ValueError("exact_jaccard needs near: true and verify: true")
        if self.keeper == "best_quality" and not self.quality_column:
            raise ValueError("keeper: best_quality needs quality_column (a numeric column)")
        if self.quality_column and self.keeper != "best_quality":
            raise ValueError("quality_column is only used with keeper: best_quality")
        weights = self.optimizer_weights
        if weights is not None and (any(w < 0 for w in weights) or sum(weights) <= 0):
            raise ValueError("optimizer_weights must be non-negative and not both zero")
        return self

    @property
    def ngram_size(self) -> int:
        """The shingle size in effect (`ngram`, or the default for the shingle unit)."""
        return self.ngram if self.ngram is not None else DEFAULT_NGRAM[self.shingle]

    @property
    def lsh_weights(self) -> tuple[float, float]:
        """The optimiser's (false positive, false negative) weights in effect.

        With `verify`, a false candidate costs one signature comparison while a missed one is lost
        for good, so missing is weighted 19 times heavier; without it datasketch's (0.5, 0.5).
        """
        if self.optimizer_weights is not None:
            return (float(self.optimizer_weights[0]), float(self.optimizer_weights[1]))
        return VERIFIED_WEIGHTS if self.verify else DATASKETCH_WEIGHTS

    def lsh_shape(self) -> tuple[int, int]:
        """(bands, rows): as given, or datasketch's optimum for `threshold` and `num_perm`."""
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        from pipeline.dedup.bands import optimal_bands_rows

        return optimal_bands_rows(self.threshold, self.num_perm, self.lsh_weights)

    def build(self) -> DedupStage:
        from pipeline.dedup.stage import DedupStage

        return DedupStage(self)
