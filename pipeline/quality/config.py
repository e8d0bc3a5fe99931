"""Configuration of the quality and language stages (placeholder until they land)."""

from __future__ import annotations

from typing import Literal

from pipeline.config_base import StageConfig


class QualityConfig(StageConfig):
    type: Literal["quality"] = "quality"


class LanguageConfig(StageConfig):
    type: Literal["language"] = "language"
