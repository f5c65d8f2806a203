"""The design tree and the one decision template.

A design is an immutable tree, as the R package ``escalation`` (Brock K) composes its selectors
(ideas only): a base (BOIN, 3+3) answers every question a decision asks; a behaviour wraps a
parent and overrides only the questions it changes, passing the rest on. The questions (hooks):

- ``first_cohort``: the kind and size of the first cohort;
- ``over``: the trial takes no more patients (a sample size is reached);
- ``escalation_room`` / ``backfill_room``: how many more escalation / backfill patients it may take;
- ``while_pending``: where a patient goes while the escalation cohort is in its DLT window;
- ``eliminated``: the doses eliminated at a cohort decision;
- ``evaluate``: the cohort decision, once every patient of the cohort has a known outcome;
- ``finish_waits`` / ``final_day``: whether the end waits for open windows, and whose data the
  MTD is selected from.

``decide`` asks them in one fixed order for every trial of a snapshot at once. The live decision
and every simulation call ``decide``; nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from remission.dosefinding.boundaries import BoundaryArrays, DecisionTable
from remission.dosefinding.design import DoseDesign
from remission.dosefinding.snapshot import (
    BACKFILL,
    DEESCALATE,
    ESCALATE,
    NO_CATEGORY,
    PHASE_COMPLETE,
    PHASE_ESCALATION,
    PHASE_TITRATION,
    SAFETY,
    SELECT,
    STAY,
    STOP,
    TITRATION,
    TREAT,
    WAIT,
    BoolArray,
    Choice,
    IntArray,
    Move,
    Snapshot,
)

__all__ = [
    "ROOMY",
    "BaseRule",
    "DecisionPoint",
    "DoseBehaviour",
    "DoseRule",
    "boin_category",
    "decide",
]

ROOMY = 1 << 30  # "no limit" for the room counts


@dataclass
class DecisionPoint:
    """One decision point: the snapshot, the design and its table, the doses eliminated at this
    decision (set before ``evaluate``), and, for a single trial, the reasons being written."""

    s: Snapshot
    design: DoseDesign
    table: DecisionTable
    cuts: BoundaryArrays
    notes: list[str] | None = None
    eliminated: BoolArray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    def say(self, text: str) -> None:
        if self.notes is not None:
            self.notes.append(text)

    @property
    def explaining(self) -> bool:
        return self.notes is not None

    def take(self, index: IntArray) -> DecisionPoint:
        if index.size == self.s.rows:  # every row, in order: no copy
            return DecisionPoint(self.s, self.design, self.table, self.cuts, self.notes, self.eliminated)
        eliminated = self.eliminated[index] if self.eliminated.size else self.eliminated
        return DecisionPoint(self.s.take(index), self.design, self.table, self.cuts, self.notes, eliminated)


def boin_category(cuts: BoundaryArrays, n: IntArray, y: IntArray) -> IntArray:
    """The BOIN category of y DLTs in n patients: escalate, stay or de-escalate (elimination is
    a de-escalation here; ``Elimination`` acts on it). A dose without data has none."""
    out = np.where(y <= cuts.escalate[n], ESCALATE, np.where(y >= cuts.deescalate[n], DEESCALATE, STAY))
    return np.where(n > 0, out, NO_CATEGORY)


class DoseRule:
    """A node of the design tree (see the module docstring)."""

    escalation_name = "boin"

    def first_cohort(self, ctx: DecisionPoint) -> tuple[int, int]:
        raise NotImplementedError

    def over(self, ctx: DecisionPoint) -> BoolArray:
        raise NotImplementedError

    def escalation_room(self, ctx: DecisionPoint) -> IntArray:
        raise NotImplementedError

    def backfill_room(self, ctx: DecisionPoint) -> IntArray:
        raise NotImplementedError

    def while_pending(self, ctx: DecisionPoint) -> tuple[IntArray, BoolArray]:
        raise NotImplementedError

    def eliminated(self, ctx: DecisionPoint) -> BoolArray:
        raise NotImplementedError

    def evaluate(self, ctx: DecisionPoint) -> Move:
        raise NotImplementedError

    def finish_waits(self) -> bool:
        raise NotImplementedError

    def final_day(self, ctx: DecisionPoint) -> IntArray:
        raise NotImplementedError

    def describe(self) -> list[str]:
        """One line per node, outermost first: what the design does, for reports and faces."""
        raise NotImplementedError


class BaseRule(DoseRule):
    """The defaults of a base: no sample-size limit, no backfill (a patient who arrives while
    the cohort is in its window waits), no elimination, and an end that waits for every window."""

    def __init__(self, design: DoseDesign) -> None:
        self.design = design

    def first_cohort(self, ctx: DecisionPoint) -> tuple[int, int]:
        return 0, self.design.cohort_size

    def over(self, ctx: DecisionPoint) -> BoolArray:
        return np.zeros(ctx.s.rows, dtype=bool)

    def escalation_room(self, ctx: DecisionPoint) -> IntArray:
        return np.full(ctx.s.rows, ROOMY, dtype=np.int64)

    def backfill_room(self, ctx: DecisionPoint) -> IntArray:
        return np.full(ctx.s.rows, ROOMY, dtype=np.int64)

    def while_pending(self, ctx: DecisionPoint) -> tuple[IntArray, BoolArray]:
        return np.full(ctx.s.rows, -1, dtype=np.int64), np.zeros((ctx.s.rows, ctx.s.doses), dtype=bool)

    def eliminated(self, ctx: DecisionPoint) -> BoolArray:
        return ctx.s.eliminated.copy()

    def finish_waits(self) -> bool:
        return True

    def final_day(self, ctx: DecisionPoint) -> IntArray:
        return ctx.s.day.copy()


class DoseBehaviour(DoseRule):
    """A wrapper: every question goes to the parent unless the subclass answers it."""

    def __init__(self, parent: DoseRule) -> None:
        self.parent = parent
        self.escalation_name = parent.escalation_name

    def first_cohort(self, ctx: DecisionPoint) -> tuple[int, int]:
        return self.parent.first_cohort(ctx)

    def over(self, ctx: DecisionPoint) -> BoolArray:
        return self.parent.over(ctx)

    def escalation_room(self, ctx: DecisionPoint) -> IntArray:
        return self.parent.escalation_room(ctx)

    def backfill_room(self, ctx: DecisionPoint) -> IntArray:
        return self.parent.backfill_room(ctx)

    def while_pending(self, ctx: DecisionPoint) -> tuple[IntArray, BoolArray]:
        return self.parent.while_pending(ctx)

    def eliminated(self, ctx: DecisionPoint) -> BoolArray:
        return self.parent.eliminated(ctx)

    def evaluate(self, ctx: DecisionPoint) -> Move:
        return self.parent.evaluate(ctx)

    def finish_waits(self) -> bool:
        return self.parent.finish_waits()

    def final_day(self, ctx: DecisionPoint) -> IntArray:
        return self.parent.final_day(ctx)

    def describe(self) -> list[str]:
        return [*self.own(), *self.parent.describe()]

    def own(self) -> list[str]:
        return []


def _finish(ctx: DecisionPoint, root: DoseRule, c: Choice, rows: IntArray, end: IntArray, mtd: IntArray) -> None:
    """The trial takes nobody more: wait for the open DLT windows (when the design waits), then
    stop, the MTD to be selected from the data known on ``final_day`` (or declared)."""
    sub = ctx.take(rows)
    open_windows = sub.s.pending.sum(axis=1) > 0
    waits = open_windows & root.finish_waits()
    c.action[rows] = np.where(waits, WAIT, STOP)
    c.phase[rows] = PHASE_COMPLETE
    c.end[rows] = end
    c.mtd[rows] = mtd
    c.final_day[rows] = root.final_day(sub)
    if ctx.explaining and rows.size and waits[0]:
        ctx.say("waiting for the open DLT windows before selecting the MTD")


def _stop_for_safety(ctx: DecisionPoint, root: DoseRule, c: Choice, rows: IntArray) -> None:
    """The trial stops at once without an MTD (whatever windows are open: nobody more is treated)."""
    c.action[rows], c.phase[rows], c.end[rows] = STOP, PHASE_COMPLETE, SAFETY
    if rows.size:
        c.final_day[rows] = root.final_day(ctx.take(rows))


def decide(
    root: DoseRule, s: Snapshot, design: DoseDesign, notes: list[str] | None = None, decided: Snapshot | None = None
) -> Choice:
    """What to do now in every trial of ``s`` (see the module docstring). A complete cohort is
    decided on ``decided`` (the state on the day it was complete, ``Trials.snapshots``; default
    ``s``). ``notes``, for a single trial, collects the reasons."""
    table = design.table()
    cuts = table.arrays(max(int(s.treated.max(initial=0)), design.capacity(s.doses)) + 2)
    ctx = DecisionPoint(s, design, table, cuts, notes)
    c = Choice.waiting(s)
    c.phase[:] = np.where(s.cohort_kind == TITRATION, PHASE_TITRATION, PHASE_ESCALATION)
    room = root.escalation_room(ctx)

    fresh = s.current < 0
    if fresh.any():
        kind, size = root.first_cohort(ctx)
        rows = np.flatnonzero(fresh)
        start = design.start_dose - 1
        c.action[rows], c.dose[rows] = TREAT, start
        c.count[rows] = np.minimum(size, room[rows])
        c.new_cohort[rows], c.kind[rows], c.target[rows] = True, kind, np.minimum(size, room[rows])
        c.phase[rows] = PHASE_TITRATION if kind == TITRATION else PHASE_ESCALATION
        ctx.say(f"{'titration: one patient' if kind == TITRATION else f'first cohort of {size}'} at the "
                f"starting dose {start + 1}")  # fmt: skip
    started = ~fresh
    safety = started & s.eliminated[:, 0]
    if safety.any():
        rows = np.flatnonzero(safety)
        _stop_for_safety(ctx, root, c, rows)
        ctx.say("dose 1 was eliminated: the trial stopped without an MTD")
    over = started & ~safety & root.over(ctx)
    if over.any():
        rows = np.flatnonzero(over)
        _finish(ctx, root, c, rows, np.full(rows.size, SELECT), np.full(rows.size, -1))
    rest = started & ~safety & ~over
    filling = rest & (s.cohort_treated < s.cohort_target)
    if filling.any():
        rows = np.flatnonzero(filling)
        c.action[rows], c.dose[rows] = TREAT, s.current[rows]
        c.count[rows] = np.minimum(s.cohort_target[rows] - s.cohort_treated[rows], room[rows])
        if ctx.explaining:
            ctx.say(f"the cohort at dose {s.current[0] + 1} has {s.cohort_treated[0]} of {s.cohort_target[0]} "
                    "patients")  # fmt: skip
    pending = rest & ~filling & (s.cohort_done < s.cohort_treated)
    if pending.any():
        rows = np.flatnonzero(pending)
        sub = ctx.take(rows)
        if ctx.explaining:
            waiting = s.cohort_treated[0] - s.cohort_done[0]
            ctx.say(f"{waiting} patient(s) of the cohort at dose {s.current[0] + 1} still in the DLT window")
        dose, open_doses = root.while_pending(sub)
        fill = (dose >= 0) & (root.backfill_room(sub) > 0)
        c.open_doses[rows] = open_doses
        c.action[rows] = np.where(fill, BACKFILL, WAIT)
        c.dose[rows] = np.where(fill, dose, -1)
        c.count[rows] = fill.astype(np.int64)
        if ctx.explaining and fill[0]:
            ctx.say(f"backfill one patient at dose {dose[0] + 1}")
    ready = rest & ~filling & ~pending
    if ready.any():
        rows = np.flatnonzero(ready)
        sub = DecisionPoint(decided or s, design, table, cuts, notes).take(rows)
        sub.eliminated = root.eliminated(sub)
        move = root.evaluate(sub)
        c.eliminated[rows] = sub.eliminated
        ends = ~move.goes_on
        if ends.any():
            _stop_for_safety(ctx, root, c, rows[move.end == SAFETY])
            done = (move.end != SAFETY) & ends
            _finish(ctx, root, c, rows[done], move.end[done], move.mtd[done])
        go = move.goes_on
        rows, move_rows = rows[go], np.flatnonzero(go)
        continues = move.continues[move_rows]
        # The cohort is cut to the room left (a continued cohort keeps the patients it has).
        already = np.where(continues, s.cohort_treated[rows], 0)
        sizes = np.minimum(move.size[move_rows], already + room[rows])
        c.action[rows], c.dose[rows] = TREAT, move.dose[move_rows]
        c.count[rows] = sizes - already
        c.new_cohort[rows] = ~continues
        c.kind[rows], c.target[rows] = move.kind[move_rows], sizes
        c.phase[rows] = np.where(move.kind[move_rows] == TITRATION, PHASE_TITRATION, PHASE_ESCALATION)
    return c
