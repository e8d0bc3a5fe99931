"""Split a stage list into passes at its global stages.

Stages `[b1, b2, G1, b3, G2, b4]` run as three passes over the data:

    pass 0: read input, b1, b2, collect G1          -> resolve G1 (whole corpus)
    pass 1: apply G1, b3, collect G2                -> resolve G2 (whole corpus)
    pass 2: apply G2, b4, write kept / rejected

Each pass is a set of independent units (one per input file in pass 0, one per intermediate file
after), so units run in parallel and a resumed run redoes only unfinished units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.stage import BatchStage, GlobalStage


@dataclass
class Pass:
    """One pass over the data."""

    index: int
    apply: GlobalStage | None = None
    stages: list[BatchStage] = field(default_factory=list)
    collect: GlobalStage | None = None

    @property
    def is_final(self) -> bool:
        return self.collect is None


def is_global(stage: Any) -> bool:
    """True for stages with the collect / resolve / apply protocol."""
    return all(hasattr(stage, attr) for attr in ("collect", "resolve", "apply"))


def plan_passes(stages: Sequence[Any]) -> list[Pass]:
    """Group built stages into passes; there is always at least one pass."""
    passes = [Pass(index=0)]
    for stage in stages:
        current = passes[-1]
        if is_global(stage):
            current.collect = stage
            passes.append(Pass(index=current.index + 1, apply=stage))
        else:
            current.stages.append(stage)
    return passes


def stage_names(passes: Sequence[Pass]) -> list[str]:
    """Every stage name in execution order."""
    names: list[str] = []
    for p in passes:
        names.extend(stage.name for stage in p.stages)
        if p.collect is not None:
            names.append(p.collect.name)
    return names
