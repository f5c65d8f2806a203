"""Dose-finding protocol files: TOML a statistician writes and reviews.

``[trial]`` names the trial and its doses; ``[design]`` is a ``DoseDesign`` (with its
``[design.titration]`` and ``[design.backfill]`` tables), the same shape REST takes as JSON.
``assumed`` lists the design's values the trial has not published, so that every face marks
them as assumptions. Parsing works on the text: reading the file is the caller's job.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DesignError, DoseDesign, design_from, field_problems, option_path

__all__ = ["DoseProtocol", "TrialInfo", "read_protocol"]


class TrialInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    title: str = ""
    doses: tuple[str, ...] = Field(min_length=1, max_length=20)
    dose_unit: str = ""


class DoseProtocol(BaseModel):
    """A trial's dose-finding protocol: its doses and its design."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trial: TrialInfo
    design: DoseDesign

    @model_validator(mode="after")
    def _fits(self) -> DoseProtocol:
        self.design.check_doses(len(self.trial.doses))
        return self

    def with_design(self, overrides: Mapping[str, Any], source: str = "options") -> DoseProtocol:
        """The protocol with some design values overridden (named by option or field path): an
        overridden value is no longer an assumption of the protocol's."""
        design = design_from(self.design, overrides, source)
        paths = {option_path(k) for k, v in overrides.items() if v is not None}
        kept = tuple(p for p in design.assumed if p not in paths)
        design = design.model_copy(update={"assumed": kept})
        design.check_doses(len(self.trial.doses))
        return DoseProtocol(trial=self.trial, design=design)


def read_protocol(text: str, source: str = "protocol") -> DoseProtocol:
    """The protocol file ``text`` (named ``source`` in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DoseFindingError(f"{source}: not valid TOML: {exc}") from None
    try:
        return DoseProtocol.model_validate(data)
    except ValidationError as exc:
        raise DesignError(field_problems(exc), source) from None
    except DesignError as exc:
        raise DesignError(exc.problems, source) from None
