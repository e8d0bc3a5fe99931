"""Configuration of the deduplication stage (placeholder until it lands)."""

from __future__ import annotations

from typing import Literal

from pipeline.config_base import StageConfig


class DedupConfig(StageConfig):
    type: Literal["dedup"] = "dedup"
