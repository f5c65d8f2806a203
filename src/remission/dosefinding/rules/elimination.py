"""Safety behaviours: dose elimination and the extra-safe stop at the lowest dose."""

from __future__ import annotations

from typing import Literal

import numpy as np

from remission.dosefinding.arrays import first_true
from remission.dosefinding.boundaries import eliminated_from, elimination_hits, extrasafe_stops
from remission.dosefinding.rules.base import DecisionPoint, DoseBehaviour, DoseRule
from remission.dosefinding.snapshot import NO_CATEGORY, SAFETY, BoolArray, Move

__all__ = ["Elimination", "ExtraSafe"]


class Elimination(DoseBehaviour):
    """Elimination (Liu & Yuan 2015, section 2.2; R BOIN 2.7.2): at a cohort decision, a dose with
    n ≥ 3 patients of known outcome and y DLTs such that Pr(p > φ | Beta(1 + y, 1 + n − y)) >
    ``cutoff_eli`` is eliminated with every dose above it, for good (a later decision never
    brings it back). When dose 1 is eliminated the trial stops without an MTD; when the current
    dose is, the next cohort goes to the dose below the lowest eliminated one.

    ``scope="every"`` checks every dose at each decision, with every patient of known outcome,
    backfill included (Zhao 2024 as implemented by simFastBOIN, which reproduces the article's
    Table 4; for BOIN without backfill only the current dose's data change between decisions,
    so it is R BOIN's rule exactly). ``scope="current"`` checks only the current dose (bfboin)."""

    def __init__(self, parent: DoseRule, cutoff: float, scope: Literal["every", "current"] = "every") -> None:
        super().__init__(parent)
        self.cutoff = cutoff
        self.scope = scope

    def eliminated(self, ctx: DecisionPoint) -> BoolArray:
        before = self.parent.eliminated(ctx)
        s = ctx.s
        hit = elimination_hits(ctx.cuts, s.done, s.dlt)
        if self.scope == "current":
            hit &= np.arange(s.doses)[None, :] == s.current[:, None]
        now = eliminated_from(hit)
        if ctx.explaining:
            fresh = np.flatnonzero(now[0] & ~before[0])
            if fresh.size:
                j = int(fresh[0])
                gone = f"dose {j + 1} eliminated" if j + 1 == s.doses else f"doses {j + 1}-{s.doses} eliminated"
                ctx.say(f"dose {j + 1}: {s.dlt[0, j]} DLT in {s.done[0, j]}, Pr(DLT rate > {ctx.design.target}) > "
                        f"{self.cutoff}: {gone}")  # fmt: skip
        return before | now

    def evaluate(self, ctx: DecisionPoint) -> Move:
        s = ctx.s
        rows = np.arange(s.rows)
        gone = ctx.eliminated
        first = first_true(gone)
        if ctx.explaining and (gone[0, 0] or gone[0, s.current[0]]):
            # One trial being explained: the other rules' view of a dose that is gone would only
            # contradict what follows.
            move = Move.stay(s.current, ctx.design.cohort_size)
        else:
            move = self.parent.evaluate(ctx)
        stop = gone[:, 0] & move.goes_on
        move.end[stop] = SAFETY
        here = gone[rows, s.current] & ~stop & move.goes_on
        move.dose[here] = first[here] - 1
        move.category[here] = NO_CATEGORY
        move.blocked[here] = False
        if ctx.explaining:
            if stop[0]:
                ctx.say("dose 1 is eliminated: the trial stops without an MTD")
            elif here[0]:
                ctx.say(f"dose {s.current[0] + 1} is eliminated: the next cohort goes to dose {first[0]}")
        return move

    def own(self) -> list[str]:
        where = "every dose" if self.scope == "every" else "the current dose"
        return [f"elimination: Pr(DLT rate > φ) > {self.cutoff} with n ≥ 3 at {where} eliminates it and the "
                "doses above; dose 1 eliminated stops the trial"]  # fmt: skip


class ExtraSafe(DoseBehaviour):
    """R BOIN's ``extrasafe``: at a cohort decision at the lowest dose with n ≥ 3 patients of
    known outcome, stop the trial without an MTD when Pr(p1 > φ | Beta(1 + y, 1 + n − y)) >
    cutoff_eli − offset. R BOIN 2.7.2's get.oc and get.boundary (its stop table starts at n = 3)
    and simFastBOIN check it from 3 patients; a reading of the MD Anderson app's guide ("more
    than 3") cannot be settled against the BF-BOIN article, whose simulations use no extra-safe
    rule, so R BOIN's rule is kept, and its reference files agree."""

    def __init__(self, parent: DoseRule, offset: float) -> None:
        super().__init__(parent)
        self.offset = offset

    def evaluate(self, ctx: DecisionPoint) -> Move:
        move = self.parent.evaluate(ctx)
        s = ctx.s
        n1, y1 = s.done[:, 0], s.dlt[:, 0]
        exists = ctx.cuts.eliminate[n1] <= n1  # R's get.oc checks it where an elimination boundary exists
        stop = (s.current == 0) & exists & extrasafe_stops(ctx.cuts, n1, y1) & move.goes_on
        move.end[stop] = SAFETY
        if ctx.explaining and stop[0]:
            ctx.say(f"dose 1: {y1[0]} DLT in {n1[0]} meets the extra-safe rule: the trial stops without an MTD")
        return move

    def own(self) -> list[str]:
        return [f"extra-safe stop at dose 1: Pr(DLT rate > φ) > cutoff − {self.offset} with n ≥ 3"]
