"""Operating characteristics by simulation: thousands of trials through the rule book at once.

Every decision of every simulated trial is ``rules.decide`` on a ``Snapshot`` of the trial's
``Trials`` state: the same rules, and the same bookkeeping, as the live decision. What is the
simulation's own is only how patients come and behave (``PatientModel``):

- over calendar time (``calendar=True``: designs with backfill, or any design when arrivals
  matter): patients arrive one at a time (uniform gaps on (0, 2/rate), the MD Anderson app's and
  the model that reproduces the BF-BOIN article's durations; or exponential gaps, a Poisson
  process); each arrival is a decision point. A patient who arrives while nobody can be treated
  is turned away. Times to DLT are Weibull with P(DLT within the window) = p and P(DLT within
  half the window) = p/2 (bfboin's and simFastBOIN's model); a response is seen at a time drawn
  the same way (``response_timing="in_window"``, simFastBOIN) or at the end of the window
  (``"window_end"``, bfboin);
- cohort by cohort (``calendar=False``, R BOIN's get.oc model, for designs without backfill):
  a cohort is treated on one day and the next decision comes after its window.

Days are whole days (a DLT is known on day ⌈t⌉, at least day 1), so that a trace of the
simulation (``trace``) is exactly what ``dose next`` reads. The random stream is NumPy's (PCG64):
agreement with R is statistical, not bit-for-bit. The MTD is selected from every patient's
outcome, each followed to the end of the window (``select_mtd``); with bfboin's rules, from the
outcomes known when the last cohort's windows close.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DAYS_PER_MONTH, DoseDesign
from remission.dosefinding.mtd import select_mtd_batch
from remission.dosefinding.rules import DoseRule, decide, rulebook
from remission.dosefinding.snapshot import (
    BACKFILL,
    DECLARED,
    PHASE_COMPLETE,
    SAFETY,
    STOP,
    TREAT,
    WAIT,
    Choice,
    IntArray,
)
from remission.dosefinding.trial_state import NEVER, Enrolment, Trials

__all__ = [
    "AccrualModel",
    "OperatingCharacteristics",
    "PatientModel",
    "ResponseTiming",
    "SimulationCase",
    "TraceSink",
    "simulate",
    "summarise",
]

FloatArray = NDArray[np.float64]


# Named so that the command line offers the same choices.
AccrualModel = Literal["uniform", "poisson"]
ResponseTiming = Literal["in_window", "window_end"]


class PatientModel(BaseModel):
    """How simulated patients behave: per dose the true probability of a DLT in the window, of a
    response (default 1: every dose responds) and of a grade ≥ 2 toxicity (the titration trigger;
    a DLT is one); how they arrive (patients a month, uniform or Poisson); when a response is seen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    truth: tuple[float, ...] = Field(min_length=1, max_length=20)
    response: tuple[float, ...] | None = None
    grade2: tuple[float, ...] | None = None
    accrual_per_month: float = Field(3.0, gt=0, le=100)
    accrual: AccrualModel = "uniform"
    response_timing: ResponseTiming | None = None

    @model_validator(mode="after")
    def _per_dose(self) -> PatientModel:
        for name in ("truth", "response", "grade2"):
            values = getattr(self, name)
            if values is None:
                continue
            if len(values) != len(self.truth):
                raise ValueError(f"{name} needs one value per dose ({len(self.truth)}), got {len(values)}")
            for j, p in enumerate(values, start=1):
                if not 0 <= p <= 1:
                    raise ValueError(f"{name} at dose {j} = {p} is not a probability")
        return self


class SimulationCase(PatientModel):
    """One simulation to run, the same JSON for REST and sweep files: the design (a bundled
    ``protocol``, or ``design`` as a preset name such as "bf-boin" or a full design object, with
    ``options`` overriding values by option name, as the command line's flags do), the patient
    model, and ``calendar`` (default: over calendar time for designs with backfill)."""

    name: str = ""
    protocol: str | None = None
    design: str | dict[str, Any] | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    calendar: bool | None = None

    def patients(self) -> PatientModel:
        return PatientModel.model_validate(self.model_dump(include=set(PatientModel.model_fields)))


class OperatingCharacteristics(BaseModel):
    """What ``simulate`` measures; the REST response extends this model (``web/schemas/dose.py``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    selection_percent: list[float]
    no_mtd_percent: float
    patients_per_dose: list[float]
    dlt_per_dose: list[float]
    early_stop_percent: float  # trials that ended without an MTD: R BOIN's "percentstop"
    mean_sample_size: float
    mean_dlts: float
    trials: int
    overdose60_percent: float | None = None
    overdose80_percent: float | None = None
    duration_months: float | None = None
    safety_stop_percent: float = 0.0  # trials stopped because the lowest dose was too toxic
    backfill_per_dose: list[float] | None = None
    sd_patients_per_dose: list[float] | None = None  # between trials: the Monte Carlo error is sd / √trials


# What a trace receives at each decision point: the trials (ids, 0-based), the machine and its
# rows for them, the day, and the choice made there.
TraceSink = Callable[[IntArray, Trials, IntArray, IntArray, Choice], None]


def _weibull(p: FloatArray, window: float) -> tuple[FloatArray, FloatArray]:
    """Shape and scale with P(T < window) = p and P(T < window/2) = p/2 (bfboin's timing model)."""
    q = np.clip(p, 1e-9, 1 - 1e-9)
    shape = (np.log(-np.log(1 - q)) - np.log(-np.log(1 - q / 2))) / math.log(2)
    scale = np.exp(math.log(window) - np.log(-np.log(1 - q)) / shape)
    return shape, scale


class _Outcomes:
    """Draws each new patient's outcome: DLT and when it is known, grade ≥ 2, response and when."""

    def __init__(self, model: PatientModel, window: int, timing: str, calendar: bool,
                 rng: np.random.Generator) -> None:  # fmt: skip
        self.window, self.calendar, self.rng, self.timing = window, calendar, rng, timing
        self.p = np.asarray(model.truth, dtype=np.float64)
        self.r = np.ones_like(self.p) if model.response is None else np.asarray(model.response, dtype=np.float64)
        self.g = np.zeros_like(self.p) if model.grade2 is None else np.asarray(model.grade2, dtype=np.float64)
        self.shape, self.scale = _weibull(self.p, window)
        self.r_shape, self.r_scale = _weibull(self.r, window)

    def _timed(
        self, dose: IntArray, shape: FloatArray, scale: FloatArray, p: FloatArray
    ) -> tuple[NDArray[np.bool_], IntArray]:
        time = self.rng.weibull(shape[dose]) * scale[dose]
        hit = (time < self.window) & (p[dose] > 0)
        return hit, np.clip(np.ceil(time), 1, self.window).astype(np.int64)

    def draw(self, dose: IntArray, day: IntArray) -> tuple[IntArray, NDArray[np.bool_], NDArray[np.bool_], IntArray]:
        close = day + self.window
        if self.calendar:
            dlt, after = self._timed(dose, self.shape, self.scale, self.p)
            known = np.where(dlt, day + after, close)
        else:
            dlt = self.rng.random(dose.size) < self.p[dose]
            known = close
        grade2 = self.rng.random(dose.size) < self.g[dose] if self.g.any() else np.zeros(dose.size, dtype=bool)
        if not self.calendar:
            response = np.full(dose.size, NEVER, dtype=np.int64)
        elif self.timing == "in_window":
            hit, after = self._timed(dose, self.r_shape, self.r_scale, self.r)
            response = np.where(hit, day + after, NEVER)
        else:
            response = np.where(self.rng.random(dose.size) < self.r[dose], close, NEVER)
        return known, dlt, grade2, response


def simulate(
    design: DoseDesign,
    model: PatientModel,
    trials: int = 10_000,
    seed: int = 1,
    calendar: bool | None = None,
    trace: TraceSink | None = None,
) -> OperatingCharacteristics:
    """Simulate ``trials`` trials of ``design`` under ``model`` (see the module docstring);
    ``calendar`` defaults to True for designs with backfill. ``trace``, when given, is called at
    every decision point (it costs nothing when it is not)."""
    doses = len(model.truth)
    rule = rulebook(design, doses)
    if not 1 <= trials <= 1_000_000:
        raise DoseFindingError(f"trials = {trials} is out of range (1 to 1,000,000)")
    calendar = design.backfill is not None if calendar is None else calendar
    if design.backfill is not None and not calendar:
        raise DoseFindingError("a design with backfill is simulated over calendar time")
    timing = model.response_timing or ("window_end" if design.backfill and design.backfill.rules == "bfboin"
                                       else "in_window")  # fmt: skip
    rng = np.random.default_rng(seed)
    outcomes = _Outcomes(model, design.dlt_window_days, timing, calendar, rng)
    n_final = np.zeros((trials, doses), dtype=np.int64)
    y_final = np.zeros((trials, doses), dtype=np.int64)
    bf_final = np.zeros((trials, doses), dtype=np.int64)
    selected = np.full(trials, -2, dtype=np.int64)  # -2: to be selected from the data
    safety = np.zeros(trials, dtype=bool)
    end_day = np.zeros(trials, dtype=np.int64)
    results = (n_final, y_final, bf_final, selected, safety, end_day)
    # Trials run in blocks: the arrays of a block stay in the processor's caches, which makes
    # 100,000 trials cost ten times 10,000 rather than more.
    for first in range(0, trials, BLOCK):
        _run_block(design, model, rule, np.arange(first, min(first + BLOCK, trials)), rng, outcomes, calendar,
                   trace, results)  # fmt: skip
    table = design.table()
    todo = selected == -2
    if todo.any():
        selected[todo] = select_mtd_batch(table, n_final[todo], y_final[todo], bound_mtd=design.bound_mtd)
    duration = float(end_day.mean() / DAYS_PER_MONTH) if calendar else None
    return summarise(design, np.asarray(model.truth), n_final, y_final, selected, safety, duration,
                     bf_final if design.backfill is not None else None)  # fmt: skip


BLOCK = 10_000


Results = tuple[IntArray, IntArray, IntArray, IntArray, NDArray[np.bool_], IntArray]


def _run_block(design: DoseDesign, model: PatientModel, rule: DoseRule, ids: IntArray, rng: np.random.Generator,
               outcomes: _Outcomes, calendar: bool, trace: TraceSink | None, results: Results) -> None:  # fmt: skip
    """Simulate the trials ``ids`` to their end, filling their rows of ``results`` (patients, DLTs
    and backfill patients per dose, the selected dose or -2, the safety stop, the last day)."""
    n_final, y_final, bf_final, selected, safety, end_day = results
    doses, window = len(model.truth), design.dlt_window_days
    gap_mean = DAYS_PER_MONTH / model.accrual_per_month
    st = Trials(ids.size, doses, design.capacity(doses) + 1)
    clock = np.zeros(ids.size)
    active = np.ones(ids.size, dtype=bool)
    waits = rule.finish_waits()
    for _ in range(100_000):
        live = np.flatnonzero(active)
        if live.size == 0:
            break
        if live.size <= active.size // 2 and active.size > 1_000:
            # Finished trials are dropped now and then; in between every row is decided (whole
            # arrays, no copying) and only the live ones act.
            st, ids, clock, active = st.select(live), ids[live], clock[live], active[live]
            live = np.arange(live.size)
        day = np.floor(clock).astype(np.int64)
        today, decided = st.snapshots(None, day)
        c = decide(rule, today, design, decided=decided)
        if trace is not None:
            trace(ids[live], st, live, day[live], c.take(live))
        ended = active & ((c.action == STOP) | ((c.action == WAIT) & (c.phase == PHASE_COMPLETE)))
        if ended.any():
            rows = np.flatnonzero(ended)
            mine = c.take(rows)
            if waits and np.array_equal(st.treated[rows], st.done[rows]):
                n, y = st.done[rows], st.dlt[rows]  # every outcome is known already (cohort by cohort)
            else:
                n, y = st.final_counts(rows, np.full(rows.size, NEVER - 1) if waits else mine.final_day)
            t = ids[rows]
            n_final[t], y_final[t] = n, y
            bf_final[t] = st.backfilled[rows]
            safety[t] = mine.end == SAFETY
            selected[t] = np.where(mine.end == DECLARED, mine.mtd, np.where(safety[t], -1, -2))
            if calendar:
                end_day[t] = st.last_known(rows) if waits else mine.final_day
            if trace is not None:
                _trace_end(trace, t, st, rows, end_day[t], mine)
            active[rows] = False
        treat = active & ((c.action == TREAT) | (c.action == BACKFILL))
        if treat.any():
            _enrol(st, np.flatnonzero(treat), day[treat], c.take(np.flatnonzero(treat)), outcomes, calendar)
        if calendar:
            gaps = (rng.exponential(gap_mean, clock.size) if model.accrual == "poisson"
                    else rng.uniform(0, 2 * gap_mean, clock.size))  # fmt: skip
            clock += gaps
        else:
            clock += window  # the next decision on the day the cohort's last outcome is known
    else:  # pragma: no cover - every design ends within its capacity
        raise DoseFindingError("the simulation did not finish")


def _enrol(st: Trials, rows: IntArray, day: IntArray, c: Choice, outcomes: _Outcomes, calendar: bool) -> None:
    """Enrol what the choice says: one patient per arrival over calendar time, the whole count
    at once cohort by cohort (the first one as the choice says, the others join his cohort)."""
    count = np.ones(rows.size, dtype=np.int64) if calendar else c.count
    each = np.repeat(np.arange(rows.size), count)
    known, dlt, grade2, response = outcomes.draw(c.dose[each], day[each])
    st.enrol(Enrolment(rows=rows, dose=c.dose, backfill=c.action == BACKFILL, day=day, known=known, dlt=dlt,
                       grade2=grade2, response=response, new_cohort=c.new_cohort, kind=c.kind, target=c.target,
                       eliminated=c.eliminated, count=count))  # fmt: skip


def _trace_end(trace: TraceSink, ids: IntArray, st: Trials, rows: IntArray, day: IntArray, c: Choice) -> None:
    """The last decision point of trials that waited for their open windows: the stop."""
    waited = c.action == WAIT
    if not waited.any():
        return
    sub = np.flatnonzero(waited)
    today, _ = st.snapshots(rows[sub], day[sub])
    final = Choice.waiting(today)
    final.action[:] = STOP
    final.phase[:] = PHASE_COMPLETE
    trace(ids[sub], st, rows[sub], day[sub], final)


def summarise(
    design: DoseDesign,
    p: FloatArray,
    n: IntArray,
    y: IntArray,
    selected: IntArray,
    safety: NDArray[np.bool_],
    duration: float | None = None,
    backfill: IntArray | None = None,
) -> OperatingCharacteristics:
    """The operating characteristics of simulated trials: per trial the patients and DLTs per
    dose, the selected dose (0-based, −1 for none) and whether it stopped for safety. The
    overdose figures (R BOIN's overdose60/80: trials treating more than 60 % / 80 % of the
    escalation's sample size above the MTD) exist when a dose's true rate is the target."""
    trials, doses = n.shape
    counts = np.bincount(selected[selected >= 0], minlength=doses)
    no_mtd = float(np.mean(selected < 0) * 100)
    overdose60 = overdose80 = None
    if np.any(np.isclose(p, design.target)):
        above = n[:, p > design.target + 1e-12].sum(axis=1)
        overdose60 = float(np.mean(above > 0.6 * design.escalation_size) * 100)
        overdose80 = float(np.mean(above > 0.8 * design.escalation_size) * 100)
    return OperatingCharacteristics(
        selection_percent=(counts / trials * 100).tolist(),
        no_mtd_percent=no_mtd,
        patients_per_dose=n.mean(axis=0).tolist(),
        dlt_per_dose=y.mean(axis=0).tolist(),
        early_stop_percent=no_mtd,  # R BOIN reports the same figure under this name too
        mean_sample_size=float(n.sum(axis=1).mean()),
        mean_dlts=float(y.sum(axis=1).mean()),
        trials=trials,
        overdose60_percent=overdose60,
        overdose80_percent=overdose80,
        duration_months=duration,
        safety_stop_percent=float(safety.mean() * 100),
        backfill_per_dose=None if backfill is None else backfill.mean(axis=0).tolist(),
        sd_patients_per_dose=n.std(axis=0).tolist(),
    )
