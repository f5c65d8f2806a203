"""The next action of a running trial (treat, backfill, wait or stop), with its reasons.

The patients so far are replayed, in order of treatment, through the same ``Trials`` machine a
simulation uses: each escalation patient who starts a cohort is placed by the decision the rule
book makes on the day of treatment with what was known that day (which also says what that
decision eliminated); then the rule book decides for today (``as_of``). So a live trial and a
simulated one are decided by the same rules from the same bookkeeping, and a patient treated
elsewhere than the rules said is reported as a deviation, not silently re-decided.

Without treatment dates (the outcome notation), patients are taken as treated one after the
other, each outcome known before the next patient: the order of the list is the chronology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise

import numpy as np

from remission.dosefinding.boundaries import BoundaryRow, DoseFindingError
from remission.dosefinding.design import DoseDesign
from remission.dosefinding.mtd import MtdSelection, select_mtd
from remission.dosefinding.patients import Patient
from remission.dosefinding.protocol import DoseProtocol
from remission.dosefinding.rules import DoseRule, decide, rulebook
from remission.dosefinding.snapshot import (
    ACTIONS,
    DECLARED,
    EXPANSION,
    PHASE_COMPLETE,
    PHASE_TITRATION,
    REGULAR,
    SELECT,
    STOP,
    TITRATION,
    TREAT,
    Choice,
)
from remission.dosefinding.trial_state import NEVER, Enrolment, Trials

__all__ = ["NextAction", "next_action", "next_actions", "replay"]


@dataclass(frozen=True)
class NextAction:
    action: str  # treat, backfill, wait or stop
    dose: int | None  # 1-based dose for the next patient(s)
    patients: int  # how many to enrol there now
    phase: str
    reasons: list[str]
    n: list[int]  # per dose: patients with a known DLT outcome
    y: list[int]  # DLTs among them
    pending: list[int]  # patients still in their DLT window
    treated: list[int]
    eliminated: list[int]  # 1-based
    backfill_open: list[int] = field(default_factory=list)  # 1-based doses open for backfill now
    decision_row: BoundaryRow | None = None
    mtd: MtdSelection | None = None
    deviations: list[str] = field(default_factory=list)
    assumed: list[tuple[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class _Days:
    """A patient list on the machine's day grid."""

    day: list[int]
    known: list[int]
    response: list[int]
    as_of: int
    origin: date | None
    early: list[int]  # patients recorded without a DLT before their window closed (1-based)


def _days(patients: Sequence[Patient], as_of: date | None, window: int) -> _Days:
    if not patients or patients[0].treated_on is None:
        step = window + 1
        day = [i * step for i in range(len(patients))]
        now = len(patients) * step
        seen = [d + window if p.dlt is not None else NEVER for d, p in zip(day, patients, strict=True)]
        return _Days(day, seen, [now if p.response else NEVER for p in patients], now, None, [])
    origin = min(p.treated_on for p in patients if p.treated_on is not None)
    day = [(p.treated_on - origin).days for p in patients if p.treated_on is not None]
    if any(b < a for a, b in pairwise(day)):
        raise DoseFindingError("patients must be listed in order of treatment (treated_on)")
    now = day[-1] + window if as_of is None else (as_of - origin).days
    if now < day[-1]:
        raise DoseFindingError(f"as_of {as_of} is before the last treatment date")
    known: list[int] = []
    early: list[int] = []
    for i, (d, p) in enumerate(zip(day, patients, strict=True), start=1):
        if p.dlt is True and p.dlt_on is not None:
            on = (p.dlt_on - origin).days
            if on > d + window:
                raise DoseFindingError(f"patient {i}: dlt_on is after the {window}-day DLT window (not a DLT)")
            if on > now:
                raise DoseFindingError(f"patient {i}: dlt_on is after as_of")
            known.append(on)
        elif p.dlt is True:
            known.append(min(d + window, now))
        elif p.dlt is False and d + window <= now:
            known.append(d + window)
        else:
            if p.dlt is False:
                early.append(i)
            known.append(NEVER)
    return _Days(day, known, [now if p.response else NEVER for p in patients], now, origin, early)


def replay(
    design: DoseDesign, doses: int, lists: Sequence[Sequence[Patient]], as_of: Sequence[date | None],
    rule: DoseRule | None = None,
) -> tuple[Trials, list[list[str]], list[_Days]]:  # fmt: skip
    """Every patient list (one trial each) replayed through the machine, up to its last patient:
    the machine, each trial's deviations from the rules, and its day grid."""
    rule = rule or rulebook(design, doses)
    window = design.dlt_window_days
    grids = [_days(p, a, window) for p, a in zip(lists, as_of, strict=True)]
    rows_n = len(lists)
    longest = max((len(p) for p in lists), default=0)
    st = Trials(rows_n, doses, max(longest, 1) + 1)
    deviations: list[list[str]] = [[] for _ in lists]
    lengths = np.array([len(p) for p in lists], dtype=np.int64)
    for i in range(longest):
        rows = np.flatnonzero(lengths > i)
        pats = [lists[int(r)][i] for r in rows]
        dose = np.array([p.dose - 1 for p in pats], dtype=np.int64)
        if (dose >= doses).any():
            raise DoseFindingError(f"a patient at dose {int(dose.max()) + 1}, but the design has {doses} doses")
        backfill = np.array([p.backfill for p in pats], dtype=bool)
        day = np.array([grids[r].day[i] for r in rows], dtype=np.int64)
        today, decided = st.snapshots(rows, day)
        new = np.zeros(rows.size, dtype=bool)
        kind, target = st.cohort_kind[rows].copy(), st.cohort_target[rows].copy()
        eliminated = st.eliminated[rows].copy()
        cur = st.current[rows]
        complete = st.completion_day(rows)
        for j in np.flatnonzero(backfill & np.array([grids[r].origin is not None for r in rows], dtype=bool)):
            # With dates only (the notation does not say when a backfill patient came between the
            # escalation patients). Whether a dose was open then cannot be replayed (records say
            # whether a response was seen, not when); what can be checked is that the patient came
            # while a cohort above him was in its window.
            now_at = int(cur[j])
            why = ("before any escalation cohort" if now_at < 0 else f"at dose {dose[j] + 1}, not below the current "
                   f"dose {now_at + 1}" if dose[j] >= now_at else f"after the cohort at dose {now_at + 1} was complete"
                   if complete[j] <= day[j] else None)  # fmt: skip
            if why:
                deviations[rows[j]].append(f"patient {i + 1} was backfilled {why}")
        starts = ~backfill & ((cur < 0) | (st.cohort_treated[rows] >= st.cohort_target[rows]) | (dose != cur))
        if starts.any():
            k = np.flatnonzero(starts)
            c = decide(rule, today.take(k), design, decided=decided.take(k))
            treat = c.action == TREAT
            fresh = treat & c.new_cohort
            grows = treat & ~c.new_cohort & (c.kind == EXPANSION) & (c.dose == dose[k])
            joins = ~fresh & ~grows & (dose[k] == cur[k])
            other = ~fresh & ~grows & ~joins
            new[k] = fresh | other
            # A patient who starts a cohort the rules did not ask for carries on the phase the
            # trial was in (one patient during titration, a cohort otherwise).
            titrating = kind[k] == TITRATION
            carried = np.where(titrating, TITRATION, REGULAR)
            kind[k] = np.where(fresh | grows, c.kind, np.where(other, carried, kind[k]))
            target[k] = np.where(fresh | grows, c.target,
                                 np.where(other, np.where(titrating, 1, design.cohort_size), target[k]))  # fmt: skip
            eliminated[k] = np.where((fresh | other)[:, None], c.eliminated, eliminated[k])
            for j in np.flatnonzero(~treat | (c.dose != dose[k])):
                said = ACTIONS[c.action[j]] + ("" if c.dose[j] < 0 else f" dose {c.dose[j] + 1}")
                deviations[rows[k[j]]].append(f"patient {i + 1} was treated at dose {dose[k[j]] + 1} where the "
                                              f"rules said {said}")  # fmt: skip
        st.enrol(Enrolment(
            rows=rows, dose=dose, backfill=backfill, day=day,
            known=np.array([grids[r].known[i] for r in rows], dtype=np.int64),
            dlt=np.array([bool(p.dlt) for p in pats], dtype=bool),
            grade2=np.array([p.grade2 for p in pats], dtype=bool),
            response=np.array([grids[r].response[i] for r in rows], dtype=np.int64),
            new_cohort=new, kind=kind, target=target, eliminated=eliminated,
        ))  # fmt: skip
    return st, deviations, grids


def next_actions(
    design: DoseDesign, doses: int, lists: Sequence[Sequence[Patient]], as_of: Sequence[date | None]
) -> Choice:
    """The rule book's choice for many trials at once (each a patient list and its ``as_of``)."""
    rule = rulebook(design, doses)
    st, _, grids = replay(design, doses, lists, as_of, rule)
    today, decided = st.snapshots(np.arange(len(lists)), np.array([g.as_of for g in grids], dtype=np.int64))
    return decide(rule, today, design, decided=decided)


def next_action(protocol: DoseProtocol, patients: Sequence[Patient], as_of: date | None = None) -> NextAction:
    """What to do now in one trial, with the reasons (see the module docstring). ``as_of`` is
    the caller's today; with treatment dates it also says when the open DLT windows close."""
    design, doses = protocol.design, len(protocol.trial.doses)
    rule = rulebook(design, doses)
    st, deviations, grids = replay(design, doses, [patients], [as_of], rule)
    notes: list[str] = []
    row = np.zeros(1, dtype=np.int64)
    s, decided = st.snapshots(row, np.array([grids[0].as_of], dtype=np.int64))
    c = decide(rule, s, design, notes, decided)
    if int(decided.day[0]) < int(s.day[0]) and grids[0].origin is not None:
        when = grids[0].origin + timedelta(days=int(decided.day[0]))
        notes.insert(0, f"the cohort at dose {s.current[0] + 1} was complete on {when.isoformat()}: it is decided "
                        "on what was known that day")  # fmt: skip
    names = {PHASE_TITRATION: "titration", PHASE_COMPLETE: "complete"}
    phase = names.get(int(c.phase[0]), rule.escalation_name)
    action = ACTIONS[int(c.action[0])]
    mtd = None
    if action == "stop" and int(c.end[0]) in (SELECT, DECLARED):
        n, y = st.final_counts(row, c.final_day)
        mtd = select_mtd(design.table(), n[0].tolist(), y[0].tolist(), bound_mtd=design.bound_mtd)
        if int(c.end[0]) == DECLARED:
            mtd = replace(mtd, mtd=None if c.mtd[0] < 0 else int(c.mtd[0]) + 1)
        notes.append("no MTD: every dose is too toxic" if mtd.mtd is None else f"MTD: dose {mtd.mtd}")
    notes += _window_notes(patients, grids[0], design.dlt_window_days)
    cur = int(s.current[0])
    evaluated = action in ("treat", "stop") and cur >= 0 and int(s.cohort_done[0]) >= int(s.cohort_treated[0])
    decision_row = design.table().row(int(s.done[0, cur])) if evaluated and s.done[0, cur] > 0 else None
    if design.assumed:
        notes.append(design.assumed_note())
    gone = c.eliminated[0]  # what this decision eliminated, with what earlier ones did
    return NextAction(
        action=action,
        dose=None if c.dose[0] < 0 or int(c.action[0]) == STOP else int(c.dose[0]) + 1,
        patients=int(c.count[0]),
        phase=phase,
        reasons=notes,
        n=s.done[0].tolist(),
        y=s.dlt[0].tolist(),
        pending=s.pending[0].tolist(),
        treated=s.treated[0].tolist(),
        eliminated=[int(j) + 1 for j in np.flatnonzero(gone)],
        backfill_open=[int(j) + 1 for j in np.flatnonzero(c.open_doses[0])],
        decision_row=decision_row,
        mtd=mtd,
        deviations=deviations[0],
        assumed=design.assumed_values(),
    )


def _window_notes(patients: Sequence[Patient], grid: _Days, window: int) -> list[str]:
    """For dated patients still pending: when their DLT window closes, or that it closed and the
    outcome is due; and patients recorded without a DLT before their window closed."""
    if grid.origin is None:
        return []
    notes = []
    for i, (p, known) in enumerate(zip(patients, grid.known, strict=True), start=1):
        if known != NEVER or p.treated_on is None:
            continue
        closes = p.treated_on + timedelta(days=window)
        if i in grid.early:
            notes.append(f"patient {i} (dose {p.dose}): recorded without a DLT, but the window closes on "
                         f"{closes.isoformat()}: counted as pending until then")  # fmt: skip
        elif grid.origin + timedelta(days=grid.as_of) >= closes:
            notes.append(f"patient {i} (dose {p.dose}): DLT window closed on {closes.isoformat()}; record the outcome")
        else:
            notes.append(f"patient {i} (dose {p.dose}): DLT window closes on {closes.isoformat()}")
    return notes
