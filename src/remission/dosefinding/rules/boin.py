"""The two bases of the design tree: BOIN and 3+3."""

from __future__ import annotations

import numpy as np

from remission.dosefinding.rules.base import BaseRule, DecisionPoint, boin_category
from remission.dosefinding.snapshot import DECLARED, DEESCALATE, ESCALATE, SAFETY, STAY, Move

__all__ = ["Boin", "ThreePlusThree"]


class Boin(BaseRule):
    """BOIN (Liu S, Yuan Y. J R Stat Soc C 2015;64:507-523, doi:10.1111/rssc.12089): the category
    of the current dose's data from the decision table (escalate if y ≤ ⌊λe n⌋, de-escalate if
    y ≥ ⌈λd n⌉, else stay), on every patient there with a known outcome; escalation never enters
    an eliminated dose or goes past the top dose, and de-escalation stops at the lowest dose (in
    both cases the dose is kept, which the n_earlystop rule reads as "stay")."""

    def evaluate(self, ctx: DecisionPoint) -> Move:
        s = ctx.s
        rows = np.arange(s.rows)
        cur = s.current
        n, y = s.done[rows, cur], s.dlt[rows, cur]
        cat = boin_category(ctx.cuts, n, y)
        top = s.doses - 1
        up_blocked = (cur == top) | ctx.eliminated[rows, np.minimum(cur + 1, top)]
        up, down = cat == ESCALATE, cat == DEESCALATE
        move = Move.stay(cur, self.design.cohort_size)
        move.category = cat
        move.dose = np.where(up & ~up_blocked, cur + 1, np.where(down, np.maximum(cur - 1, 0), cur))
        move.blocked = (up & up_blocked) | (down & (cur == 0))
        if ctx.explaining:
            lambda_e, lambda_d = ctx.table.lambdas
            d = int(cur[0]) + 1
            rate = y[0] / max(n[0], 1)
            said = f"dose {d}: {y[0]} DLT in {n[0]} (rate {rate:.2f}; λe {lambda_e:.3f}, λd {lambda_d:.3f})"
            if up[0]:
                gone = d < s.doses and bool(ctx.eliminated[0, d])
                text = (f"escalate, but dose {d + 1} is eliminated: stay" if gone else
                        "top dose: stay" if up_blocked[0] else f"escalate to dose {d + 1}")  # fmt: skip
            elif down[0]:
                text = f"de-escalate to dose {d - 1}" if d > 1 else "de-escalate: dose 1 is the lowest, stay"
            else:
                text = f"stay at dose {d}"
            ctx.say(f"{said}: {text}")
        return move

    def describe(self) -> list[str]:
        d = self.design
        lambda_e, lambda_d = d.table().lambdas
        return [f"BOIN (Liu & Yuan 2015): target DLT rate {d.target}, φ1 {d.safe:.3g}, φ2 {d.toxic:.3g}, "
                f"λe {lambda_e:.4f}, λd {lambda_d:.4f}; cohorts of {d.cohort_size}"]  # fmt: skip


class ThreePlusThree(BaseRule):
    """3+3 (Storer BE, Biometrics 1989;45:925-937, doi:10.2307/2531693): 0 DLT in 3 escalates;
    1 in 3 treats 3 more at the dose; at most 1 in 6 escalates; 2 or more DLTs mean the dose is
    above the MTD: the MTD is the dose below once 6 have been treated there (3 more are treated
    there first when only 3 were), and none when the lowest dose is too toxic. The top dose, or a
    dose whose next dose is too toxic, is confirmed with 6 before it is declared the MTD."""

    escalation_name = "3+3"

    def evaluate(self, ctx: DecisionPoint) -> Move:
        s = ctx.s
        rows = np.arange(s.rows)
        cur = s.current
        top = s.doses - 1
        n, y = s.done[rows, cur], s.dlt[rows, cur]
        below = np.maximum(cur - 1, 0)
        toxic = y >= 2
        more = ~toxic & (n < 6) & (y == 1)
        above_toxic = (cur < top) & (s.dlt[rows, np.minimum(cur + 1, top)] >= 2)
        capped = ~toxic & ~more & (above_toxic | (cur == top))
        move = Move.stay(cur, 3)
        move.category[:] = np.where(toxic, DEESCALATE, np.where(more | capped, STAY, ESCALATE))
        move.end = np.where(toxic & (cur == 0), SAFETY,
                            np.where((toxic & (cur > 0) & (s.done[rows, below] >= 6)) | (capped & (n >= 6)), DECLARED,
                                     0))  # fmt: skip
        move.mtd = np.where(toxic, np.where(cur > 0, cur - 1, -1), cur)
        move.dose = np.where(toxic, below, np.where(more | capped, cur, cur + 1))
        if ctx.explaining:
            d, said = int(cur[0]) + 1, f"dose {cur[0] + 1}: {y[0]} DLT in {n[0]}"
            if toxic[0]:
                text = ("too toxic at the lowest dose; no MTD" if d == 1 else
                        f"too toxic; MTD: dose {d - 1}" if move.end[0] == DECLARED else
                        f"too toxic; 3 more at dose {d - 1}")  # fmt: skip
            elif more[0]:
                text = f"3 more at dose {d}"
            elif capped[0]:
                why = "the dose above is too toxic" if above_toxic[0] else "top dose"
                text = f"MTD: dose {d}" if n[0] >= 6 else f"{why}; 3 more at dose {d} to confirm"
            else:
                text = f"escalate to dose {d + 1}"
            ctx.say(f"{said}: {text}")
        return move

    def describe(self) -> list[str]:
        return ["3+3 (Storer 1989): cohorts of 3; 0/3 escalates, 1/3 adds 3, ≤ 1/6 escalates, ≥ 2 DLTs "
                "make the dose too toxic and the dose below (with 6 treated) the MTD"]  # fmt: skip
