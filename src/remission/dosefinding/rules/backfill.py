"""BF-BOIN backfilling: where a patient goes while the escalation cohort is in its DLT window, and
how the cohort decision reconciles the current dose with the backfilled doses below it.

Zhao Y, Yuan Y, Korn EL, Freidlin B. Backfilling patients in phase I dose-escalation trials using
BOIN. Clin Cancer Res 2024;30:673-679, doi:10.1158/1078-0432.CCR-23-2585. The article is the
arbiter: the default rules (``paper``) are the reading that reproduces its Table 4 (BF-BOIN and
BOIN rows, scenarios 1-6, within the transcription's tolerances; ``benchmarks/zhao2024_table4.py``
and ``tests/dosefinding/test_zhao2024.py``). Where two independent implementations that cite the
article differ from bfboin 0.1.1 (simFastBOIN, which reproduces Table 4, and an audit of the MD
Anderson app's guide, as listed by the clinical review), each point was settled so:

1. **Opening** needs a response at b *or at a lower dose* (the article's "a dose is open for
   backfilling once a response has been observed at or below it"; with the response at b alone,
   the mean number of patients below the MTD falls 1-2 short of Table 4, e.g. scenario 5).
2. **Closure**: b closes when its own DLT rate *and* the rate pooled with b + 1 both call for
   de-escalation (y ≥ the table's de-escalation cut), and the doses above close with it; the
   rule is evaluated at every arrival, so a closed dose reopens when new data no longer meet it.
3. **Cap**: fewer than ``cap`` patients at b, escalation and backfill, pending ones included.
4. **Conflicts** at a cohort decision are looked for among the doses that received backfill
   patients only (the article's Table 2 speaks of "backfilled doses"): b conflicts when its own
   category is de-escalate, or stay while the current dose says escalate. From the highest
   conflicting dose b* to the current dose the data are pooled: escalate, stay, or de-escalate
   to the highest dose k in [b*, current) whose pooled data from b* do not call for
   de-escalation, else to b* − 1 (the lowest dose at the bottom).
5. **Elimination** at every dose at each cohort decision (``Elimination(scope="every")``).
6. **The end**: the escalation ends when its last cohort is enrolled, and backfilling with it;
   every patient is followed to the end of the window and the MTD uses all of them (the
   article's durations run "until every enrolled patient has completed the DLT assessment").
7. Responses are seen when they happen inside the window (the article does not say when; the
   simulation draws the time of a response as it draws the time of a DLT, simFastBOIN's model).

``rules="bfboin"`` keeps bfboin 0.1.1 (openpharma/bfboin, ``sim.one.trial``), which the three
``get_oc_bf_*`` reference files hold: a response at b itself; b safe when its own data *or* the
data pooled with b + 1 are below λd (the table read at max(1, n)), and an unsafe dose closes the
doses above; the cap as "≤ cap" before adding one; conflicts with every lower dose, an untreated
one counting as "escalate"; elimination at the current dose only; backfilling goes on while the
last cohort is in its window, and the MTD is selected from the data known when that cohort's
windows close (pending backfill patients left out). Its quirks in branches the references never
reach (the extra-safe rule tested on escalation patients only when pooling falls below dose 1;
1/3 "stay" applied to the current dose only) are not copied.
"""

from __future__ import annotations

import numpy as np

from remission.dosefinding.arrays import first_true, last_true
from remission.dosefinding.design import BackfillRule
from remission.dosefinding.rules.base import DecisionPoint, DoseBehaviour, DoseRule, boin_category
from remission.dosefinding.snapshot import (
    DEESCALATE,
    ESCALATE,
    NO_CATEGORY,
    SAFETY,
    STAY,
    BoolArray,
    IntArray,
    Move,
)

__all__ = ["Backfill"]


def _pad_next(values: IntArray) -> IntArray:
    """Each dose's value at the dose above (0 above the top)."""
    return np.concatenate([values[:, 1:], np.zeros((values.shape[0], 1), dtype=values.dtype)], axis=1)


class Backfill(DoseBehaviour):
    """See the module docstring."""

    def __init__(self, parent: DoseRule, rule: BackfillRule) -> None:
        super().__init__(parent)
        self.rule = rule

    # -- while the escalation cohort is pending ---------------------------------------------
    def while_pending(self, ctx: DecisionPoint) -> tuple[IntArray, BoolArray]:
        s, cuts = ctx.s, ctx.cuts
        doses = np.arange(s.doses)[None, :]
        lower = doses < s.current[:, None]
        n_next, y_next = s.done + _pad_next(s.done), s.dlt + _pad_next(s.dlt)
        if self.rule.rules == "paper":
            responded = doses >= first_true(s.responded)[:, None] if self.rule.require_response else lower
            own, pooled = boin_category(cuts, s.done, s.dlt), boin_category(cuts, n_next, y_next)
            closing = (own == DEESCALATE) & (pooled == DEESCALATE)
            roomy = s.treated < self.rule.cap
            allowed = ~s.eliminated
        else:
            at_least_one = np.maximum(s.done, 1)
            own_safe = s.dlt < cuts.deescalate[at_least_one]
            pooled_safe = y_next < cuts.deescalate[np.maximum(n_next, 1)]
            closing = ~(own_safe | pooled_safe)
            responded = s.responded if self.rule.require_response else lower
            roomy = s.treated <= self.rule.cap
            allowed = np.ones_like(lower)
        closed = np.logical_or.accumulate(closing & lower, axis=1)
        open_doses = lower & responded & ~closed & roomy & allowed
        dose = last_true(open_doses) if self.rule.assign == "highest" else first_true(open_doses, none=-1)
        if ctx.explaining:
            self._explain(ctx, lower[0], responded[0], closed[0], roomy[0], allowed[0])
        return dose, open_doses

    def _explain(self, ctx: DecisionPoint, lower: BoolArray, responded: BoolArray, closed: BoolArray,
                 roomy: BoolArray, allowed: BoolArray) -> None:  # fmt: skip
        s = ctx.s
        where = "at or below it" if self.rule.rules == "paper" else "at it"
        for b in np.flatnonzero(lower):
            d = int(b) + 1
            if not allowed[b]:
                ctx.say(f"dose {d}: eliminated")
            elif closed[b]:
                ctx.say(f"dose {d}: closed for backfill (DLT rate ≥ λd alone and pooled with the dose above, "
                        "here or below)" if self.rule.rules == "paper" else
                        f"dose {d}: closed for backfill (DLT rate ≥ λd here or below, alone and pooled)")  # fmt: skip
            elif not responded[b]:
                ctx.say(f"dose {d}: no response yet {where}")
            elif not roomy[b]:
                ctx.say(f"dose {d}: {s.treated[0, b]} patients, at the cap of {self.rule.cap}")

    # -- at a cohort decision ----------------------------------------------------------------
    def evaluate(self, ctx: DecisionPoint) -> Move:
        move = self.parent.evaluate(ctx)
        s, cuts = ctx.s, ctx.cuts
        rows = np.arange(s.rows)
        cur = s.current
        here = move.category
        doses = np.arange(s.doses)[None, :]
        lower = doses < cur[:, None]
        if self.rule.rules == "paper":
            cats = boin_category(cuts, s.done, s.dlt)
            considered = lower & (s.backfilled > 0) & (s.done > 0)
            conflict = considered & ((cats == DEESCALATE) | ((cats == STAY) & (here == ESCALATE)[:, None]))
        else:
            cats = boin_category(cuts, np.maximum(s.done, 1), s.dlt)  # an untreated dose reads as "escalate"
            conflict = lower & np.where((here == ESCALATE)[:, None], cats != ESCALATE, cats == DEESCALATE)
        conflict &= (move.goes_on & (here != NO_CATEGORY))[:, None]
        has = conflict.any(axis=1)
        if not has.any():
            return move
        b_star = last_true(conflict, none=0)
        zeros = np.zeros((s.rows, 1), dtype=np.int64)
        cum_n = np.concatenate([zeros, np.cumsum(s.done, axis=1)], axis=1)
        cum_y = np.concatenate([zeros, np.cumsum(s.dlt, axis=1)], axis=1)
        pool_n = cum_n[rows, cur + 1] - cum_n[rows, b_star]
        pool_y = cum_y[rows, cur + 1] - cum_y[rows, b_star]
        pooled = boin_category(cuts, pool_n, pool_y)
        top = s.doses - 1
        up_blocked = (cur == top) | ctx.eliminated[rows, np.minimum(cur + 1, top)]
        # De-escalation: the highest k in [b*, current) whose data pooled from b* stay below the
        # de-escalation cut; else b* - 1.
        k_n = cum_n[:, 1:] - cum_n[rows, b_star][:, None]
        k_y = cum_y[:, 1:] - cum_y[rows, b_star][:, None]
        fine = (doses >= b_star[:, None]) & lower & (boin_category(cuts, np.maximum(k_n, 0), k_y) != DEESCALATE)
        fine &= k_n > 0
        best = last_true(fine, none=b_star - 1)
        up, down = pooled == ESCALATE, pooled == DEESCALATE
        new = np.where(up, np.where(up_blocked, cur, cur + 1), np.where(down, np.maximum(best, 0), cur))
        move.dose[has] = new[has]
        move.category[has] = pooled[has]
        move.blocked[has] = (up & up_blocked)[has]
        if self.rule.rules == "bfboin":
            # bfboin checks dose 1's elimination when pooling sends the trial below it.
            bottom = has & down & (best < 0) & (s.dlt[:, 0] >= cuts.eliminate[s.done[:, 0]])
            move.end[bottom] = SAFETY
        if ctx.explaining and has[0]:
            b, d = int(b_star[0]) + 1, int(cur[0]) + 1
            said = f"conflict with backfilled dose {b}: pooled doses {b}-{d} have {pool_y[0]} DLT in {pool_n[0]}"
            text = (
                ("escalate" if not up_blocked[0] else "escalate blocked: stay")
                if up[0]
                else (f"de-escalate to dose {max(best[0], 0) + 1}" if down[0] else "stay")
            )
            ctx.say(f"{said}: {text}")
        return move

    def own(self) -> list[str]:
        need = ("a response at or below the dose" if self.rule.rules == "paper" else "a response at the dose") \
            if self.rule.require_response else "no response needed"  # fmt: skip
        return [f"backfill (BF-BOIN, {self.rule.rules} rules): {self.rule.assign} open dose below the current one; "
                f"{need}; cap {self.rule.cap} per dose"]  # fmt: skip

    def finish_waits(self) -> bool:
        return self.rule.rules == "paper" and self.parent.finish_waits()

    def final_day(self, ctx: DecisionPoint) -> IntArray:
        return ctx.s.cohort_last_known.copy() if self.rule.rules == "bfboin" else self.parent.final_day(ctx)
