"""Configuration of the cleaning stages (placeholder until the cleaning stages land)."""

from __future__ import annotations

from typing import Literal

from pipeline.config_base import StageConfig


class NormalizeConfig(StageConfig):
    type: Literal["normalize"] = "normalize"


class BlockRulesConfig(StageConfig):
    type: Literal["block_rules"] = "block_rules"


class LineRulesConfig(StageConfig):
    type: Literal["line_rules"] = "line_rules"


class RepeatedBlocksConfig(StageConfig):
    type: Literal["repeated_blocks"] = "repeated_blocks"


class SiteBoilerplateConfig(StageConfig):
    type: Literal["site_boilerplate"] = "site_boilerplate"
