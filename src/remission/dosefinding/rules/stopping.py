"""Stopping behaviours: a maximum sample size, and enough patients at the current dose."""

from __future__ import annotations

from typing import Literal

import numpy as np

from remission.dosefinding.rules.base import DecisionPoint, DoseBehaviour, DoseRule
from remission.dosefinding.snapshot import SELECT, STAY, BoolArray, IntArray, Move

__all__ = ["StopAtN", "StopWhenNAtDose"]


class StopAtN(DoseBehaviour):
    """No patient beyond ``n``: counting every patient (``count="all"``, the NCT07095075 protocol's
    36 with backfill included) or the escalation's only (``"escalation"``: R BOIN's ncohort ×
    cohort size, titration patients included; BF-BOIN's backfill patients come on top, Zhao
    2024). The cohort that reaches ``n`` is cut to fit; then the trial takes nobody more, waits
    for the open windows and selects the MTD (R BOIN decides nothing after its last cohort).
    ``after="evaluation"`` (bfboin) ends the trial only once that last cohort's outcomes are all
    known, so backfilling goes on while it is in its window."""

    def __init__(self, parent: DoseRule, n: int, count: Literal["all", "escalation"],
                 after: Literal["enrolment", "evaluation"] = "enrolment") -> None:  # fmt: skip
        super().__init__(parent)
        self.n = n
        self.count = count
        self.after = after

    def _counted(self, ctx: DecisionPoint) -> IntArray:
        return ctx.s.total if self.count == "all" else ctx.s.escalation_treated

    def over(self, ctx: DecisionPoint) -> BoolArray:
        reached = self._counted(ctx) >= self.n
        if self.after == "evaluation":
            reached &= ctx.s.cohort_done >= ctx.s.cohort_treated
        if ctx.explaining and reached[0]:
            what = "patients" if self.count == "all" else "escalation patients"
            ctx.say(f"maximum sample size reached: {self.n} {what}")
            return reached
        return reached | self.parent.over(ctx)

    def escalation_room(self, ctx: DecisionPoint) -> IntArray:
        return np.minimum(self.n - self._counted(ctx), self.parent.escalation_room(ctx))

    def backfill_room(self, ctx: DecisionPoint) -> IntArray:
        if self.count == "escalation":
            return self.parent.backfill_room(ctx)
        return np.minimum(self.n - ctx.s.total, self.parent.backfill_room(ctx))

    def own(self) -> list[str]:
        what = "patients in all, backfill included" if self.count == "all" else "escalation patients"
        return [f"stop at {self.n} {what}"]


class StopWhenNAtDose(DoseBehaviour):
    """Stop once ``n`` patients have been treated at the current dose (pending ones included, as
    the BF-BOIN article's n_stop counts "treated"), and select the MTD. ``rule="with_stay"`` stops
    only when the decision keeps the dose (stay, an escalation blocked at the top or by an
    eliminated dose, a de-escalation blocked at dose 1: R BOIN's n.earlystop, the reading that
    reproduces the article's BOIN rows); ``"simple"`` stops whatever the decision."""

    def __init__(self, parent: DoseRule, n: int, rule: Literal["with_stay", "simple"]) -> None:
        super().__init__(parent)
        self.n = n
        self.rule = rule

    def evaluate(self, ctx: DecisionPoint) -> Move:
        move = self.parent.evaluate(ctx)
        s = ctx.s
        at = s.treated[np.arange(s.rows), s.current]
        keeps = (move.category == STAY) | move.blocked if self.rule == "with_stay" else np.ones(s.rows, dtype=bool)
        stop = (at >= self.n) & keeps & move.goes_on
        move.end[stop] = SELECT
        if ctx.explaining and stop[0]:
            how = "and the decision keeps the dose" if self.rule == "with_stay" else ""
            ctx.say(f"{at[0]} patients at dose {s.current[0] + 1} reach n_earlystop ({self.n}) {how}: stop".replace(
                "  ", " "))  # fmt: skip
        return move

    def own(self) -> list[str]:
        when = " when the decision keeps the dose" if self.rule == "with_stay" else ""
        return [f"stop with {self.n} patients at the current dose{when} (n_earlystop)"]
