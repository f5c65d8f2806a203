"""Accelerated titration on the first doses (Simon et al. 1997), before the escalation rule."""

from __future__ import annotations

import numpy as np

from remission.dosefinding.design import TitrationRule
from remission.dosefinding.rules.base import DecisionPoint, DoseBehaviour, DoseRule
from remission.dosefinding.snapshot import EXPANSION, REGULAR, TITRATION, Move

__all__ = ["Titration"]


class Titration(DoseBehaviour):
    """Accelerated titration (Simon R, Freidlin B, Rubinstein L et al. J Natl Cancer Inst
    1997;89:1138-1147, doi:10.1093/jnci/89.15.1138), restricted to the first ``levels`` doses:
    one patient per dose, each evaluated once the outcome is known. The trigger is the first DLT
    or, with ``grade2_trigger``, the second titration patient with a grade ≥ 2 toxicity (a DLT is
    one). At the trigger, ``expand_to_cohort`` fills the dose up to a cohort (the index patient
    counts, as R BOIN's titration does) and the escalation rule decides once that cohort is
    complete; ``next_design`` lets the escalation rule decide at once on the single patient.
    Without a trigger the next dose gets one patient while it is a titration level, a full cohort
    above the last level, and at the top dose the patient's dose is filled up to a cohort (R).
    Simon's designs 2-4 differ otherwise in dose steps (fixed by the protocol's doses) and in
    counting toxicity of later courses (design 4), which a single-infusion cell product does
    not have; so one titration rule covers them.

    While the titration patient is in the window, an arriving patient may be backfilled to an
    open lower dose as in any cohort's window (the design's backfill rules). Should those
    patients eliminate a dose at or below the next titration dose, titration ends and the
    escalation rule (with elimination and its stop) decides; titration never steps past an
    eliminated dose. With cohorts of 1 there is nothing to expand: a trigger, or the top dose,
    hands the decision to the escalation rule."""

    def __init__(self, parent: DoseRule, rule: TitrationRule, doses: int, cohort_size: int) -> None:
        super().__init__(parent)
        self.rule = rule
        self.levels = rule.levels if rule.levels is not None else doses
        self.cohort_size = cohort_size

    def first_cohort(self, ctx: DecisionPoint) -> tuple[int, int]:
        if ctx.design.start_dose <= self.levels:
            return TITRATION, 1
        return self.parent.first_cohort(ctx)

    def evaluate(self, ctx: DecisionPoint) -> Move:
        s = ctx.s
        titrating = s.cohort_kind == TITRATION
        if not titrating.any():
            return self.parent.evaluate(ctx)
        cur = s.current
        grade2 = s.grade2_seen >= 2 if self.rule.grade2_trigger else np.zeros(s.rows, dtype=bool)
        dlt = s.cohort_dlt > 0
        trigger = titrating & (dlt | grade2)
        # The rules of the parent decide a trigger handed to it, a cohort that is already full
        # (cohorts of 1), and any titration step once a dose at or below the next one has been
        # eliminated (backfill patients treated during titration can do that): titration never
        # steps over an elimination or the stop it calls for.
        nxt = np.minimum(cur + 1, s.doses - 1)
        gone = ctx.eliminated[np.arange(s.rows), nxt] if ctx.eliminated.size else np.zeros(s.rows, dtype=bool)
        full = s.cohort_treated >= self.cohort_size
        at_top = cur == s.doses - 1
        handed = titrating & ((trigger & (self.rule.on_trigger == "next_design")) | gone | (full & (trigger | at_top)))
        if ctx.explaining and trigger[0]:
            why = "a DLT" if dlt[0] else "a second grade ≥ 2 toxicity"
            then = (
                "the escalation rule decides on the single patient"
                if handed[0]
                else (f"expand dose {cur[0] + 1} to a cohort of {self.cohort_size}")
            )
            ctx.say(f"titration triggered by {why} at dose {cur[0] + 1}: {then}")
        move = Move.stay(cur, self.cohort_size)
        parent_rows = np.flatnonzero(~titrating | handed)
        if parent_rows.size:
            # The escalation rule decides the other cohorts, and a trigger handed over to it.
            move.put(parent_rows, self.parent.evaluate(ctx.take(parent_rows)))
        own = titrating & ~handed
        expand = own & trigger
        top = own & ~trigger & at_top
        step = own & ~trigger & ~top & (cur + 1 < self.levels)
        beyond = own & ~trigger & ~top & ~step
        moves = ((expand | top, cur, EXPANSION, self.cohort_size), (step, cur + 1, TITRATION, 1),
                 (beyond, cur + 1, REGULAR, self.cohort_size))  # fmt: skip
        for mask, dose, kind, size in moves:
            move.dose[mask], move.kind[mask], move.size[mask] = dose[mask], kind, size
            move.continues[mask] = kind == EXPANSION
        if ctx.explaining and titrating[0] and not trigger[0] and not handed[0]:
            d = int(cur[0]) + 1
            if top[0]:
                ctx.say(f"titration reached the top dose: expand dose {d} to a cohort of {self.cohort_size}")
            elif step[0]:
                ctx.say(f"titration: no DLT and fewer than two grade ≥ 2 toxicities; one patient at dose {d + 1}")
            else:
                ctx.say(f"titration ended above dose {self.levels}: a cohort of {self.cohort_size} at dose {d + 1}")
        return move

    def own(self) -> list[str]:
        trigger = "first DLT or second grade ≥ 2 toxicity" if self.rule.grade2_trigger else "first DLT"
        then = self.rule.on_trigger.replace("_", " ")
        return [f"accelerated titration (Simon 1997) on doses 1-{self.levels}: one patient each until the "
                f"{trigger}; then {then}"]  # fmt: skip
