"""The rule book: a design's tree of rules, built once from its ``DoseDesign`` and asked by
``decide`` for the live decision and by every simulation.

The tree, outermost first: stop at N (every patient), stop at the escalation's size, stop with n
at the current dose, accelerated titration, backfill, extra-safe stop, elimination, and the base
(BOIN or 3+3). Each behaviour is there only when the design asks for it.
"""

from __future__ import annotations

from remission.dosefinding.design import DoseDesign
from remission.dosefinding.rules.backfill import Backfill
from remission.dosefinding.rules.base import DecisionPoint, DoseRule, decide
from remission.dosefinding.rules.boin import Boin, ThreePlusThree
from remission.dosefinding.rules.elimination import Elimination, ExtraSafe
from remission.dosefinding.rules.stopping import StopAtN, StopWhenNAtDose
from remission.dosefinding.rules.titration import Titration

__all__ = [
    "Backfill",
    "Boin",
    "DecisionPoint",
    "DoseRule",
    "Elimination",
    "ExtraSafe",
    "StopAtN",
    "StopWhenNAtDose",
    "ThreePlusThree",
    "Titration",
    "decide",
    "rulebook",
]


def rulebook(design: DoseDesign, doses: int) -> DoseRule:
    """The tree of rules of ``design`` on ``doses`` doses (an error names a field that does not fit)."""
    design.check_doses(doses)
    bfboin = design.backfill is not None and design.backfill.rules == "bfboin"
    rule: DoseRule
    if design.escalation == "3+3":
        rule = ThreePlusThree(design)
    else:
        rule = Boin(design)
        if design.cutoff_eli is not None:
            rule = Elimination(rule, design.cutoff_eli, "current" if bfboin else "every")
        if design.extrasafe:
            rule = ExtraSafe(rule, design.offset)
        if design.backfill is not None:
            rule = Backfill(rule, design.backfill)
    if design.titration is not None:
        rule = Titration(rule, design.titration, doses, design.cohort_size)
    if design.n_earlystop is not None and design.escalation == "boin":
        rule = StopWhenNAtDose(rule, design.n_earlystop, design.n_earlystop_rule)
    # 3+3 ends by its own rule, with at most 6 patients a dose (and the titration patients): its
    # sample size is never cut shorter than that.
    most = design.escalation_size if design.escalation == "boin" else max(design.escalation_size, 7 * doses)
    rule = StopAtN(rule, most, "escalation", "evaluation" if bfboin else "enrolment")
    if design.max_n is not None:
        rule = StopAtN(rule, design.max_n, "all")
    return rule
