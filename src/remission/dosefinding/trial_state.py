"""The patients and escalation state of many trials, as arrays: what a ``Snapshot`` is made from.

The live decision replays a trial's patients through this machine (one row), a simulation runs
thousands of trials through it (one row each); both then ask the rule book. So the bookkeeping
(who is evaluable on which day, which cohort a patient belongs to, what a decision eliminated)
is written once too, and a simulated trial's trace, read back by the live decision, must give
the same snapshot: the conformance tests check exactly that.

Time is in whole days from the first patient. A patient's DLT outcome is known on the day of the
DLT, or on the day the DLT window closes (treatment day + window); a response on the day it is
seen. On a day, outcomes known that day count before any decision of that day. A cohort is
decided on the day its last outcome becomes known, with what is known that day (the DLT review
when the last window closes), and that decision stands until the next cohort starts: a later
backfill outcome does not reopen it (``snapshots``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from remission.dosefinding.snapshot import EXPANSION, TITRATION, BoolArray, IntArray, Snapshot

__all__ = ["NEVER", "Enrolment", "Rows", "Trials"]

NEVER = 1 << 30  # the day of an outcome that is not known (yet)


@dataclass
class Enrolment:
    """Patients to add to the rows ``rows``: ``count`` each (default one), all at one dose, in one
    role, on one day; per patient (in row order) when the outcome and a response are known, the
    DLT and grade ≥ 2; and for escalation patients the cohort bookkeeping of the first one (a new
    cohort of ``kind`` and intended size ``target`` after a decision that eliminated
    ``eliminated``, or the current cohort continued and expanded to ``target``)."""

    rows: IntArray
    dose: IntArray
    backfill: BoolArray
    day: IntArray
    known: IntArray
    dlt: BoolArray
    grade2: BoolArray
    response: IntArray
    new_cohort: BoolArray
    kind: IntArray
    target: IntArray
    eliminated: BoolArray
    count: IntArray | None = None


Rows = IntArray | None  # trials to work on; None: every row (whole-array views, no copying)


def _sel(rows: Rows) -> IntArray | slice:
    return slice(None) if rows is None else rows


class Trials:
    """``rows`` trials on ``doses`` doses, room for ``capacity`` patients each."""

    def __init__(self, rows: int, doses: int, capacity: int) -> None:
        # One row per patient position and one column per trial: a step writes the same position
        # of most trials, so its writes and reads stay close together in memory; small integer
        # types keep the arrays in cache.
        shape = (capacity, rows)
        self.doses = doses
        self.p_dose = np.zeros(shape, dtype=np.int8)
        self.p_day = np.zeros(shape, dtype=np.int32)
        self.p_known = np.full(shape, NEVER, dtype=np.int32)
        self.p_dlt = np.zeros(shape, dtype=bool)
        self.p_backfill = np.zeros(shape, dtype=bool)
        self.p_response = np.full(shape, NEVER, dtype=np.int32)
        self.p_grade2 = np.zeros(shape, dtype=bool)
        self.p_cohort = np.full(shape, -1, dtype=np.int16)
        self.p_titration = np.zeros(shape, dtype=bool)
        self.p_counted = np.zeros(shape, dtype=bool)
        self.p_seen = np.zeros(shape, dtype=bool)
        self.count = np.zeros(rows, dtype=np.int64)
        # Every patient before lo_outcome (lo_response) has his outcome (response) counted: only
        # the few after it are looked at when the day moves on.
        self.lo_outcome = np.zeros(rows, dtype=np.int64)
        self.lo_response = np.zeros(rows, dtype=np.int64)
        self.responses = False  # any response to be seen at all (cohort-by-cohort simulations have none)
        grid = (rows, doses)
        self.done = np.zeros(grid, dtype=np.int64)
        self.dlt = np.zeros(grid, dtype=np.int64)
        self.treated = np.zeros(grid, dtype=np.int64)
        self.backfilled = np.zeros(grid, dtype=np.int64)
        self.responded = np.zeros(grid, dtype=bool)
        self.eliminated = np.zeros(grid, dtype=bool)
        self.day = np.zeros(rows, dtype=np.int64)
        self.current = np.full(rows, -1, dtype=np.int64)
        self.cohort_kind = np.zeros(rows, dtype=np.int64)
        self.cohort_target = np.zeros(rows, dtype=np.int64)
        self.cohort_treated = np.zeros(rows, dtype=np.int64)
        self.cohort_done = np.zeros(rows, dtype=np.int64)
        self.cohort_dlt = np.zeros(rows, dtype=np.int64)
        self.cohort_last_known = np.zeros(rows, dtype=np.int64)  # the latest outcome day of the cohort's patients
        self.cohorts = np.zeros(rows, dtype=np.int64)
        self.escalation_treated = np.zeros(rows, dtype=np.int64)
        self.grade2_seen = np.zeros(rows, dtype=np.int64)

    @property
    def rows(self) -> int:
        return int(self.count.shape[0])

    @property
    def capacity(self) -> int:
        return int(self.p_dose.shape[0])

    def _catch_up(self, rows: Rows, lo: IntArray, days: NDArray[np.int32], flags: NDArray[np.bool_],
                  limit: IntArray) -> tuple[IntArray, IntArray]:  # fmt: skip
        """The patients of ``rows`` whose ``days`` (an outcome's, a response's) have come by
        ``limit`` and whose ``flags`` are not set yet: set them, move ``lo`` (every patient before
        it is flagged) past the leading flagged ones, and return their trials and flat positions.
        Only the patients from ``lo`` on are looked at: the few whose day may still be to come."""
        sel = _sel(rows)
        start, end = lo[sel], self.count[sel]
        width = int((end - start).max(initial=0))
        if width == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ids = np.arange(self.rows) if rows is None else rows
        offset = start[:, None] + np.arange(width)[None, :]
        valid = offset < end[:, None]
        flat = np.minimum(offset, self.capacity - 1) * self.rows + ids[:, None]
        flagged = flags.ravel()[flat]
        new = valid & ~flagged & (days.ravel()[flat] <= limit[:, None])
        r, k = np.nonzero(new)
        where = flat[r, k]
        flags.ravel()[where] = True
        lo[ids] += np.cumprod((flagged | new) & valid, axis=1).sum(axis=1)
        return ids[r], where

    def advance(self, rows: Rows, day: IntArray) -> None:
        """Count the outcomes and responses of ``rows`` known by ``day`` (per row) and not yet counted."""
        self.day[_sel(rows)] = day
        t, where = self._catch_up(rows, self.lo_outcome, self.p_known, self.p_counted, day)
        if t.size:
            dose, dlt = self.p_dose.ravel()[where].astype(np.int64), self.p_dlt.ravel()[where]
            cells = t * self.doses + dose
            size = self.done.size
            self.done += np.bincount(cells, minlength=size).reshape(self.done.shape)
            self.dlt += np.bincount(cells[dlt], minlength=size).reshape(self.dlt.shape)
            mine = self.p_cohort.ravel()[where] == self.cohorts[t] - 1
            self.cohort_done += np.bincount(t[mine], minlength=self.rows)
            self.cohort_dlt += np.bincount(t[mine & dlt], minlength=self.rows)
            grade2 = self.p_titration.ravel()[where] & self.p_grade2.ravel()[where]
            if grade2.any():
                self.grade2_seen += np.bincount(t[grade2], minlength=self.rows)
        if self.responses:
            t, where = self._catch_up(rows, self.lo_response, self.p_response, self.p_seen, day)
            self.responded[t, self.p_dose.ravel()[where]] = True

    def completion_day(self, rows: Rows) -> IntArray:
        """The day the current cohort of each row was complete (every intended patient treated and
        every outcome known), NEVER when it is not (yet)."""
        sel = _sel(rows)
        full = (self.current[sel] >= 0) & (self.cohort_treated[sel] >= self.cohort_target[sel])
        return np.where(full, self.cohort_last_known[sel], NEVER)

    def snapshots(self, rows: Rows, day: IntArray) -> tuple[Snapshot, Snapshot]:
        """Advance ``rows`` to ``day`` and return the snapshot of that day, and the snapshot a
        cohort decision reads: for a row whose cohort was complete by ``day``, the state on its
        completion day; for the others, the same as the first."""
        complete = self.completion_day(rows)
        # Cohorts complete today are decided on today's state; only those complete on an earlier
        # day need the state of that day: reached by advancing to it, or, when the machine is
        # already past it (a patient treated after the cohort was complete: a deviation),
        # counted again from the patients.
        earlier = complete < day
        past = earlier & (complete < self.day[_sel(rows)])
        at_completion = None
        if earlier.any():
            k = np.flatnonzero(earlier)
            ids = k if rows is None else rows[k]
            reach = ~past[k]
            self.advance(ids[reach], complete[k][reach])
            at_completion = self.snapshot(ids)
            if past.any():
                at_completion.put(~reach, self.snapshot_on(ids[~reach], complete[k][~reach]))
        self.advance(rows, day)
        today = self.snapshot(rows)
        if at_completion is None:
            return today, today
        if k.size == today.rows:
            return today, at_completion
        decided = today.take(np.arange(today.rows))  # a copy: ``today`` may be the machine's own arrays
        decided.put(k, at_completion)
        return today, decided

    def snapshot_on(self, rows: IntArray, day: IntArray) -> Snapshot:
        """The state of ``rows`` as it was on ``day``, an earlier day than the machine's: the
        patients treated, the outcomes and responses known by then, counted again; the cohort
        and the eliminations as they stand (the current cohort had started by then)."""
        out = self.snapshot(rows)
        width, exists, per_dose = self._patients(rows)
        by = exists & (self.p_day[:width, rows] <= day[None, :])
        known = by & (self.p_known[:width, rows] <= day[None, :])
        seen = by & (self.p_response[:width, rows] <= day[None, :])
        backfill, dlt = self.p_backfill[:width, rows], self.p_dlt[:width, rows]
        mine = self.p_cohort[:width, rows] == (self.cohorts[rows] - 1)[None, :]
        titration = self.p_titration[:width, rows] & self.p_grade2[:width, rows]
        return Snapshot(
            day=day.copy(), done=per_dose(known), dlt=per_dose(known & dlt), treated=per_dose(by),
            backfilled=per_dose(by & backfill), responded=per_dose(seen) > 0, eliminated=out.eliminated,
            current=out.current, cohort_kind=out.cohort_kind, cohort_target=out.cohort_target,
            cohort_treated=(by & mine).sum(axis=0), cohort_done=(known & mine).sum(axis=0),
            cohort_dlt=(known & mine & dlt).sum(axis=0), cohort_last_known=out.cohort_last_known,
            cohorts=out.cohorts, escalation_treated=(by & ~backfill).sum(axis=0),
            grade2_seen=(known & titration).sum(axis=0),
        )  # fmt: skip

    def _patients(self, rows: IntArray) -> tuple[int, BoolArray, Callable[[BoolArray], IntArray]]:
        """For ``rows``, looked at patient by patient: how many positions they use, which of those
        hold a patient, and a count per trial and dose of the positions a mask selects."""
        width = max(int(self.count[rows].max(initial=0)), 1)
        exists = np.arange(width)[:, None] < self.count[None, rows]
        cells = np.arange(rows.size)[None, :] * self.doses + self.p_dose[:width, rows]
        size, shape = rows.size * self.doses, (rows.size, self.doses)

        def per_dose(mask: BoolArray) -> IntArray:
            return np.bincount(cells[mask], minlength=size).reshape(shape).astype(np.int64)

        return width, exists, per_dose

    def snapshot(self, rows: Rows) -> Snapshot:
        """The state of ``rows`` (with ``None``, views of the machine's own arrays: read them
        before the machine changes)."""
        sel = _sel(rows)
        return Snapshot(
            day=self.day[sel], done=self.done[sel], dlt=self.dlt[sel], treated=self.treated[sel],
            backfilled=self.backfilled[sel], responded=self.responded[sel], eliminated=self.eliminated[sel],
            current=self.current[sel], cohort_kind=self.cohort_kind[sel], cohort_target=self.cohort_target[sel],
            cohort_treated=self.cohort_treated[sel], cohort_done=self.cohort_done[sel],
            cohort_dlt=self.cohort_dlt[sel], cohort_last_known=self.cohort_last_known[sel],
            cohorts=self.cohorts[sel], escalation_treated=self.escalation_treated[sel],
            grade2_seen=self.grade2_seen[sel],
        )  # fmt: skip

    def enrol(self, e: Enrolment) -> None:
        """Add the patients of ``e`` (see ``Enrolment``)."""
        rows = e.rows
        count = np.ones(rows.size, dtype=np.int64) if e.count is None else e.count
        if (count < 1).any():
            raise ValueError("an enrolment of no patient")  # the rule book never asks for one
        while (self.count[rows] + count > self.capacity).any():
            self._grow()
        each = np.repeat(np.arange(rows.size), count)  # the row (of ``e``) of every new patient
        first = np.cumsum(count) - count
        t = rows[each]
        pos = self.count[t] + np.arange(each.size) - first[each]
        self.count[rows] += count
        at = pos * self.rows + t
        dose = e.dose[each]
        self.p_dose.ravel()[at] = dose
        self.p_day.ravel()[at] = e.day[each]
        self.p_known.ravel()[at] = e.known
        self.p_dlt.ravel()[at] = e.dlt
        self.p_backfill.ravel()[at] = e.backfill[each]
        self.responses = self.responses or bool((e.response < NEVER).any())
        if self.responses:  # (without any response at all, nobody looks at them)
            self.p_response.ravel()[at] = e.response
            self.p_seen.ravel()[at] = e.response >= NEVER  # nothing to see: never holds the window back
        self.p_grade2.ravel()[at] = e.grade2 | e.dlt
        cells = t * self.doses + dose
        self.treated += np.bincount(cells, minlength=self.treated.size).reshape(self.treated.shape)
        if e.backfill.any():
            self.backfilled += np.bincount(cells[e.backfill[each]], minlength=self.treated.size).reshape(
                self.treated.shape
            )
        esc = ~e.backfill
        if not esc.any():
            return
        # The cohort bookkeeping, per row: only escalation patients belong to a cohort.
        last = np.maximum.reduceat(e.known, first)
        if esc.all():
            r, n, new, kind, target, dose, gone = rows, count, e.new_cohort, e.kind, e.target, e.dose, e.eliminated
        else:
            r, n, new, kind, target = rows[esc], count[esc], e.new_cohort[esc], e.kind[esc], e.target[esc]
            last, dose, gone = last[esc], e.dose[esc], e.eliminated[esc]
        self.escalation_treated[r] += n
        if new.any():
            k = np.flatnonzero(new)
            rn = r[k]
            self.current[rn] = dose[k]
            self.cohorts[rn] += 1
            self.cohort_done[rn] = 0
            self.cohort_dlt[rn] = 0
            self.eliminated[rn] = gone[k]
        expands = kind == EXPANSION
        self.cohort_kind[r] = np.where(new | expands, kind, self.cohort_kind[r])
        self.cohort_target[r] = np.where(new | expands, target, self.cohort_target[r])
        self.cohort_treated[r] = np.where(new, n, self.cohort_treated[r] + n)
        self.cohort_last_known[r] = np.where(new, last, np.maximum(self.cohort_last_known[r], last))
        if not esc.all():
            mine = esc[each]
            t, at = t[mine], at[mine]
        self.p_cohort.ravel()[at] = self.cohorts[t] - 1
        self.p_titration.ravel()[at] = self.cohort_kind[t] == TITRATION

    def _grow(self) -> None:
        """Twice the room per trial (a replay of more patients than the design foresees)."""
        extra = self.capacity
        for name, fill in (("p_dose", 0), ("p_day", 0), ("p_known", NEVER), ("p_dlt", False), ("p_backfill", False),
                           ("p_response", NEVER), ("p_grade2", False), ("p_cohort", -1), ("p_titration", False),
                           ("p_counted", False), ("p_seen", False)):  # fmt: skip
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.full((extra, old.shape[1]), fill, dtype=old.dtype)], axis=0))

    def select(self, rows: IntArray) -> Trials:
        """A machine with only ``rows`` (in that order): simulations drop finished trials with it."""
        out = Trials.__new__(Trials)
        for name, value in vars(self).items():
            if not isinstance(value, np.ndarray):
                setattr(out, name, value)
            elif name.startswith("p_"):
                setattr(out, name, np.ascontiguousarray(value[:, rows]))
            else:
                setattr(out, name, value[rows])
        return out

    def patient(self, name: str, row: int, i: int) -> int:
        """One patient's value (``name`` without its ``p_``), for traces."""
        return int(getattr(self, f"p_{name}")[i, row])

    def final_counts(self, rows: IntArray, by_day: IntArray) -> tuple[IntArray, IntArray]:
        """Per dose, the patients of ``rows`` with an outcome known by ``by_day`` and their DLTs
        (NEVER - 1 counts every patient, each followed to the end of the window)."""
        width, exists, per_dose = self._patients(rows)
        known = exists & (self.p_known[:width, rows] <= by_day[None, :])
        return per_dose(known), per_dose(known & self.p_dlt[:width, rows])

    def last_known(self, rows: IntArray) -> IntArray:
        """The day the last outcome of each row's patients is known (every patient followed)."""
        width, exists, _ = self._patients(rows)
        last: IntArray = np.where(exists, self.p_known[:width, rows], 0).max(axis=0).astype(np.int64)
        return last
