"""The rule stages as configured by default, built once for the modules that name lines with
them (building compiles every pattern list)."""

from __future__ import annotations

import pytest

from pipeline.clean.block_rules import BlockRulesStage
from pipeline.clean.config import BlockRulesConfig, LineRulesConfig
from pipeline.clean.line_rules import LineRulesStage


@pytest.fixture(scope="session")
def line_rules_stage() -> LineRulesStage:
    built = LineRulesConfig().build()
    built.setup()
    return built


@pytest.fixture(scope="session")
def block_rules_stage() -> BlockRulesStage:
    built = BlockRulesConfig().build()
    built.setup()
    return built
