"""Base classes for configuration models: strict, immutable, with friendly errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A config section: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class StageConfig(StrictModel):
    """Base of every stage's config. Subclasses set `type` to a `Literal` and implement `build`."""

    enabled: bool = True

    def build(self) -> Any:
        """Return the stage object (a `BatchStage` or a `GlobalStage`) this config describes."""
        raise NotImplementedError(f"{type(self).__name__}.build")
