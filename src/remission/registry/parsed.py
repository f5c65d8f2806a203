"""What reading one record gives: a parsed trial, or the problems that rejected it."""

from __future__ import annotations

from dataclasses import dataclass, field

from remission.domain.trial import Trial
from remission.registry.errors import Problem


@dataclass
class Parsed:
    trial: Trial
    file: str
    record: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Rejected:
    problems: list[Problem]


ParseOutcome = Parsed | Rejected
