"""What every rule reads and what the rule book answers, for many trials at once.

A ``Snapshot`` is the state of T trials at one decision point, as arrays with one row per trial
(and one column per dose): the live decision builds it for one trial from the patients so far,
a simulation keeps it for thousands. The rules are written once over these arrays, so the two
cannot drift apart. Doses are 0-based here; the faces print them 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ACTIONS",
    "BACKFILL",
    "DECLARED",
    "DEESCALATE",
    "ESCALATE",
    "EXPANSION",
    "GOES_ON",
    "NO_CATEGORY",
    "PHASE_COMPLETE",
    "PHASE_ESCALATION",
    "PHASE_TITRATION",
    "REGULAR",
    "SAFETY",
    "SELECT",
    "STAY",
    "STOP",
    "TITRATION",
    "TREAT",
    "WAIT",
    "BoolArray",
    "Choice",
    "IntArray",
    "Move",
    "Snapshot",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# What to do now.
TREAT, BACKFILL, WAIT, STOP = 0, 1, 2, 3
ACTIONS = ("treat", "backfill", "wait", "stop")
# The kind of an escalation cohort.
REGULAR, TITRATION, EXPANSION = 0, 1, 2
# Why a trial ends: it goes on, it stopped for safety (no MTD), the MTD is selected from the
# data, or the design declared the MTD itself (3+3).
GOES_ON, SAFETY, SELECT, DECLARED = 0, 1, 2, 3
# The BOIN category of the current dose's data, after any pooling.
NO_CATEGORY, ESCALATE, STAY, DEESCALATE = -1, 0, 1, 2


class _PerTrial:
    """Dataclasses of arrays with one row per trial: a selection of rows, and rows written back."""

    def take(self, index: IntArray) -> Self:
        """The rows ``index`` (copies)."""
        return type(self)(**{f.name: getattr(self, f.name)[index] for f in fields(self)})  # type: ignore[arg-type]

    def put(self, index: IntArray | BoolArray, other: Self) -> None:
        """Write ``other``'s rows (one per selected row of this) into the rows ``index``."""
        for f in fields(self):  # type: ignore[arg-type]
            getattr(self, f.name)[index] = getattr(other, f.name)


@dataclass(frozen=True)
class Snapshot(_PerTrial):
    """The trials as the rules read them at ``day``. Per dose: patients whose DLT outcome is known
    (a DLT, or a closed window), the DLTs among them, every patient treated (pending included),
    the backfill patients among them, whether a response is known, and whether an earlier cohort
    decision eliminated the dose. Per trial: the current escalation cohort (dose, kind, intended
    size, patients, known outcomes, DLTs), how many cohorts have started, the escalation patients,
    and the titration patients with a known grade ≥ 2 toxicity."""

    day: IntArray
    done: IntArray
    dlt: IntArray
    treated: IntArray
    backfilled: IntArray
    responded: BoolArray
    eliminated: BoolArray
    current: IntArray
    cohort_kind: IntArray
    cohort_target: IntArray
    cohort_treated: IntArray
    cohort_done: IntArray
    cohort_dlt: IntArray
    cohort_last_known: IntArray
    cohorts: IntArray
    escalation_treated: IntArray
    grade2_seen: IntArray

    @property
    def rows(self) -> int:
        return int(self.current.shape[0])

    @property
    def doses(self) -> int:
        return int(self.done.shape[1])

    @property
    def total(self) -> IntArray:
        out: IntArray = self.treated.sum(axis=1)
        return out

    @property
    def pending(self) -> IntArray:
        return self.treated - self.done


@dataclass
class Move(_PerTrial):
    """A cohort decision, for the rows evaluated: where the next cohort goes and of what kind and
    size, whether it continues the current cohort (a titration dose expanded), the BOIN category
    at the current dose after pooling (NO_CATEGORY when another rule decided) and whether the
    dose was kept because escalation or de-escalation was impossible; or that the trial ends
    (``end``), with the MTD when the design declares it."""

    dose: IntArray
    category: IntArray
    blocked: BoolArray
    end: IntArray
    mtd: IntArray
    kind: IntArray
    size: IntArray
    continues: BoolArray

    @classmethod
    def stay(cls, current: IntArray, size: int) -> Move:
        rows = current.shape[0]
        return cls(
            dose=current.copy(),
            category=np.full(rows, NO_CATEGORY, dtype=np.int64),
            blocked=np.zeros(rows, dtype=bool),
            end=np.zeros(rows, dtype=np.int64),
            mtd=np.full(rows, -1, dtype=np.int64),
            kind=np.zeros(rows, dtype=np.int64),
            size=np.full(rows, size, dtype=np.int64),
            continues=np.zeros(rows, dtype=bool),
        )

    @property
    def goes_on(self) -> BoolArray:
        out: BoolArray = self.end == GOES_ON
        return out


@dataclass
class Choice(_PerTrial):
    """What the rule book says to do now, per trial: the action, the dose, how many patients to
    enrol there; the phase; and for a treated patient who starts (or continues) an escalation
    cohort, the cohort's kind and intended size and the doses eliminated by the decision. A stop
    says why (``end``), the MTD when the design declared one, and the day whose known outcomes
    the MTD is to be selected from (``final_day``: now, except for bfboin's rules)."""

    action: IntArray
    dose: IntArray
    count: IntArray
    phase: IntArray
    new_cohort: BoolArray
    kind: IntArray
    target: IntArray
    eliminated: BoolArray
    end: IntArray
    mtd: IntArray
    final_day: IntArray
    open_doses: BoolArray

    @classmethod
    def waiting(cls, s: Snapshot) -> Choice:
        rows, doses = s.rows, s.doses
        return cls(
            action=np.full(rows, WAIT, dtype=np.int64),
            dose=np.full(rows, -1, dtype=np.int64),
            count=np.zeros(rows, dtype=np.int64),
            phase=np.zeros(rows, dtype=np.int64),
            new_cohort=np.zeros(rows, dtype=bool),
            kind=s.cohort_kind.copy(),
            target=s.cohort_target.copy(),
            eliminated=s.eliminated.copy(),
            end=np.zeros(rows, dtype=np.int64),
            mtd=np.full(rows, -1, dtype=np.int64),
            final_day=s.day.copy(),
            open_doses=np.zeros((rows, doses), dtype=bool),
        )


# Phases as the faces name them (the escalation phase is named after the design's escalation).
PHASE_TITRATION, PHASE_ESCALATION, PHASE_COMPLETE = 0, 1, 2
