"""The trace of a simulation: one JSON line per decision point of each simulated trial.

Each line is ``{"trial": k, "as_of": "YYYY-MM-DD", "patients": [...], "action": ..., "dose": ...}``
where ``patients`` are the records ``remission dose next --data FILE`` reads (dose level,
treatment date, the DLT outcome as known on ``as_of`` with the date of a DLT, grade ≥ 2,
response seen, backfill) and ``action``/``dose`` are what the simulation did there. Feeding a
line to ``dose next --as-of`` must give the same answer: that is how the simulation is shown to
run the live rules (``tests/dosefinding/test_conformance.py``, ``../shared/checks/rulebook``).
Day 0 of every simulated trial is ``origin``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TextIO

from remission.dosefinding.snapshot import ACTIONS, STOP, Choice, IntArray
from remission.dosefinding.trial_state import Trials

__all__ = ["ORIGIN", "TraceLines", "TraceWriter", "records_as_of"]

ORIGIN = date(2026, 1, 5)


def records_as_of(st: Trials, row: int, day: int, origin: date = ORIGIN) -> list[dict[str, object]]:
    """The patients of ``row`` as a live trial would record them on ``day``."""
    out: list[dict[str, object]] = []
    for i in range(int(st.count[row])):
        known_on = st.patient("known", row, i)
        known = known_on <= day
        dlt = bool(st.patient("dlt", row, i))
        record: dict[str, object] = {
            "dose": st.patient("dose", row, i) + 1,
            "treated_on": (origin + timedelta(days=st.patient("day", row, i))).isoformat(),
            "dlt": dlt if known else None,
        }
        if known and dlt:
            record["dlt_on"] = (origin + timedelta(days=known_on)).isoformat()
        if known and st.patient("grade2", row, i) and not dlt:
            record["grade2"] = True
        if st.patient("response", row, i) <= day:
            record["response"] = True
        if st.patient("backfill", row, i):
            record["backfill"] = True
        out.append(record)
    return out


def _line(tid: int, st: Trials, row: int, day: int, c: Choice, k: int, origin: date) -> dict[str, object]:
    action = int(c.action[k])
    dose = int(c.dose[k])
    return {
        "trial": tid + 1,
        "as_of": (origin + timedelta(days=day)).isoformat(),
        "patients": records_as_of(st, row, day, origin),
        "action": ACTIONS[action],
        "dose": None if dose < 0 or action == STOP else dose + 1,
    }


class TraceLines:
    """A trace kept in memory (tests, REST): ``lines`` in the order they were made."""

    def __init__(self, origin: date = ORIGIN) -> None:
        self.origin = origin
        self.lines: list[dict[str, object]] = []

    def __call__(self, ids: IntArray, st: Trials, rows: IntArray, day: IntArray, c: Choice) -> None:
        for k in range(ids.size):
            self.add(_line(int(ids[k]), st, int(rows[k]), int(day[k]), c, k, self.origin))

    def add(self, line: dict[str, object]) -> None:
        self.lines.append(line)


class TraceWriter(TraceLines):
    """A trace written to ``out`` as JSON lines as the simulation goes."""

    def __init__(self, out: TextIO, origin: date = ORIGIN) -> None:
        super().__init__(origin)
        self.out = out

    def add(self, line: dict[str, object]) -> None:
        self.out.write(json.dumps(line) + "\n")
