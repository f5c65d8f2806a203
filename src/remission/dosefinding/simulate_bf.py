"""Operating characteristics of BF-BOIN (BOIN with backfilling) by simulation over calendar time.

Zhao Y, Yuan Y, Korn EL, Freidlin B. Backfilling patients in phase I dose-escalation trials
using BOIN. Clin Cancer Res 2024;30:673-679, doi:10.1158/1078-0432.CCR-23-2585. The trial
model is that of the reference implementation bfboin 0.1.1 (``sim.one.trial``), so that its
figures can be compared: patients arrive one at a time (uniform gaps on (0, 2/rate), as the
MD Anderson app, or exponential gaps, as the paper); times to DLT are Weibull with
P(DLT within the window) = p and P(DLT within half the window) = p/2; a patient's response is
seen at the end of the window. An arriving patient joins the escalation cohort while it has
room; once the cohort is complete and every member's window has closed, the cohort is
evaluated with every evaluable patient (escalation and backfill) and the BF-BOIN decision
(with conflict pooling) is made; while the cohort is in its window, the patient is backfilled
to the highest (or lowest, or a random) open lower dose, or turned away. Backfilling ends with
escalation; the duration is the close of the last cohort's window.

All trials advance together, one arrival per step, with NumPy arrays over trials; the random
stream is NumPy's, so agreement with bfboin is statistical. ``rules`` chooses the backfill
safety and cap tests as in ``live.Backfill``: "bfboin" (pooled b/b+1 test, "≤ cap") or
"paper" (dose b alone, "< cap", only doses that have been treated).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError, boundary_arrays, overdose_probability
from remission.dosefinding.live import Protocol
from remission.dosefinding.mtd import select_mtd_batch
from remission.dosefinding.simulate import OperatingCharacteristics, check_truth, simulate_three_plus_three, summarise

E, S, D, X = 0, 1, 2, 3  # escalate, stay, de-escalate, eliminate
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class BackfillSettings:
    cap: int = 12
    accrual_per_month: float = 3.0
    dlt_window_months: float = 1.0
    accrual: Literal["uniform", "poisson"] = "uniform"
    assign: Literal["highest", "lowest", "random"] = "highest"
    rules: Literal["paper", "bfboin"] = "paper"
    backfill: bool = True  # False: plain BOIN over calendar time (for the titration hybrid without backfill)
    # Accelerated titration before BF-BOIN (the NCT07095075 hybrid): one patient per dose on the
    # first ``titration_levels`` doses until a DLT, or the second grade ≥ 2 toxicity when
    # ``grade2`` gives per dose the probability of a grade ≥ 2 toxicity (a DLT is one).
    titration_levels: int = 0
    grade2: tuple[float, ...] | None = None
    on_trigger: Literal["expand_to_cohort", "next_design"] = "expand_to_cohort"
    max_total: int | None = None  # every patient counts, backfill included (the hybrid's 36)


def _weibull(truth: NDArray[np.float64], window: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shape and scale with P(T < window) = p and P(T < window/2) = p/2 (bfboin's timing model)."""
    p = np.clip(truth, 1e-9, 1 - 1e-9)
    shape = (np.log(-np.log(1 - p)) - np.log(-np.log(1 - p / 2))) / (np.log(window) - np.log(window / 2))
    scale = np.exp(np.log(window) - np.log(-np.log(1 - p)) / shape)
    return shape, scale


@dataclass
class _Evaluation:
    """The cohorts being evaluated in one step: rows, doses, decisions, totals and the outcome
    arrays the rules fill in (new dose, stay-then-check-n_earlystop, stop without MTD)."""

    r: IntArray
    dd: IntArray
    dec: IntArray
    lower: BoolArray
    n_tot: IntArray
    y_tot: IntArray
    new_d: IntArray
    stay_check: BoolArray
    stop: BoolArray
    up_blocked: BoolArray


class _Trials:
    """The state of every simulated trial, as arrays over trials (rows) and doses (columns)."""

    def __init__(self, design: BoinDesign, p: NDArray[np.float64], resp: NDArray[np.float64],
                 settings: BackfillSettings, n_trials: int, seed: int, start_dose: int) -> None:  # fmt: skip
        self.design, self.settings, self.resp = design, settings, resp
        self.rng = np.random.default_rng(seed)
        self.doses, self.size = p.size, design.cohort_size
        self.window, self.cap = settings.dlt_window_months, settings.cap
        self.shape, self.scale = _weibull(p, self.window)
        limit = design.max_n + self.doses * (self.cap + 2) + self.size
        cuts = boundary_arrays(design, limit)
        # Index 0 stands for n = 1: bfboin reads the table at max(1, n).
        self.b_e, self.b_d, self.b_x = cuts.escalate.copy(), cuts.deescalate.copy(), cuts.eliminate
        self.b_e[0], self.b_d[0] = self.b_e[1], self.b_d[1]
        T, J = n_trials, self.doses
        self.clock = np.zeros(T)
        self.first = np.ones(T, dtype=bool)
        self.d = np.full(T, start_dose - 1, dtype=np.int64)
        self.n = np.zeros((T, J), dtype=np.int64)
        self.y = np.zeros((T, J), dtype=np.int64)
        self.coh_t = np.full((T, self.size), np.nan)
        self.coh_e = np.zeros((T, self.size), dtype=bool)
        self.bf_t = np.full((T, self.cap + 2, J), np.nan)
        self.bf_e = np.zeros((T, self.cap + 2, J), dtype=bool)
        self.bf_count = np.zeros((T, J), dtype=np.int64)
        self.first_resp = np.full((T, J), np.inf)
        self.elim = np.zeros((T, J), dtype=bool)
        self.cohorts = np.ones(T, dtype=np.int64)
        self.active = np.ones(T, dtype=bool)
        self.early = np.zeros(T, dtype=bool)
        self.coh_g = np.zeros((T, self.size), dtype=bool)
        self.grade2 = np.zeros(J) if settings.grade2 is None else np.maximum(np.asarray(settings.grade2), p)
        self.g2count = np.zeros(T, dtype=np.int64)
        self.titrating = np.full(T, start_dose <= settings.titration_levels)
        self.enrolled = np.zeros(T, dtype=np.int64)

    def _too_toxic_at_lowest(self, n: IntArray, y: IntArray) -> BoolArray:
        """The extra-safe rule: Pr(p1 > φ | Beta(1 + y, 1 + n − y)) > cutoff_eli − offset."""
        cut = self.design.cutoff_eli - self.design.offset
        target = self.design.target
        flags = [overdose_probability(target, int(a), int(b)) > cut for a, b in zip(n, y, strict=True)]
        return np.array(flags, dtype=bool)

    def _dlt_time(self, dose: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        t_star = self.rng.weibull(self.shape[dose]) * self.scale[dose]
        return np.minimum(t_star, self.window), t_star < self.window

    def enrol(self, r: NDArray[np.int64]) -> None:
        """The arriving patient joins the escalation cohort at the current dose."""
        dd = self.d[r]
        pos = np.sum(~np.isnan(self.coh_t[r]), axis=1)
        time, event = self._dlt_time(dd)
        self.coh_t[r, pos] = self.clock[r] + time
        self.coh_e[r, pos] = event
        self.coh_g[r, pos] = event | (self.rng.random(r.size) < self.grade2[dd])
        self.enrolled[r] += 1
        hit = self.rng.random(r.size) < self.resp[dd]
        rr, dh = r[hit], dd[hit]
        self.first_resp[rr, dh] = np.minimum(self.first_resp[rr, dh], self.clock[rr] + self.window)

    def closed_backfill(self, r: IntArray, when: NDArray[np.float64]) -> tuple[IntArray, IntArray]:
        """Backfill patients per dose whose DLT window closed before ``when``: (n, y)."""
        closed = self.bf_t[r] < when[:, None, None]
        return closed.sum(axis=1), (closed & self.bf_e[r]).sum(axis=1)

    def _stop_if_settled(self, r: NDArray[np.int64], n_total: NDArray[np.int64]) -> NDArray[np.bool_]:
        """n.earlystop at the (new) current dose: these trials end and select the MTD."""
        settled = n_total[np.arange(r.size), self.d[r]] >= self.design.n_earlystop
        self.active[r[settled]] = False
        return settled

    def evaluate(self, r: NDArray[np.int64]) -> None:
        """The complete cohort's windows have closed: count it, decide, start the next cohort."""
        J = self.doses
        dd = self.d[r].copy()
        self._count_cohort(r)
        n_bf, y_bf = self.closed_backfill(r, self.clock[r])
        upto = np.arange(J)[None, :] <= dd[:, None]
        n_tot = np.where(upto, self.n[r] + n_bf, 0)
        y_tot = np.where(upto, self.y[r] + y_bf, 0)
        dec = np.where(y_tot <= self.b_e[n_tot], E, np.where(y_tot >= self.b_x[n_tot], X,
                       np.where(y_tot >= self.b_d[n_tot], D, S)))  # fmt: skip
        k = np.arange(r.size)
        here = dec[k, dd]
        lower = np.arange(J)[None, :] < dd[:, None]
        new_d = dd.copy()
        stay_check = np.zeros(r.size, dtype=bool)  # stay, then stop at n_earlystop
        stop = np.zeros(r.size, dtype=bool)  # the trial stops without an MTD
        at_top = dd == J - 1
        up_blocked = at_top | self.elim[r, np.minimum(dd + 1, J - 1)]

        def escalate(m: NDArray[np.bool_]) -> None:
            go = m & ~up_blocked
            new_d[go] = dd[go] + 1
            stay_check[m & up_blocked] = True

        first_dose = dd == 0
        # At the lowest dose: BOIN alone (bfboin's branch for d = 1).
        escalate(first_dose & (here == E))
        stay_check[first_dose & (here == S)] = True
        stop[first_dose & (here == X)] = True
        down1 = first_dose & (here == D)
        if self.design.extrasafe:
            n1, y1 = n_tot[:, 0], y_tot[:, 0]
            worse = self._too_toxic_at_lowest(n1, y1)
            stop[down1 & (n1 >= 3) & worse] = True
        else:
            stay_check[down1] = True
        above = ~first_dose
        all_e = np.all((dec == E) | ~lower, axis=1)
        all_se = np.all((dec <= S) | ~lower, axis=1)
        escalate(above & (here == E) & all_e)
        stay_check[above & (here == S) & all_se] = True
        agree_down = above & ((here == D) | (here == X)) & all_se
        new_d[agree_down] = dd[agree_down] - 1
        eliminate = above & (here == X)
        for i in np.flatnonzero(eliminate):
            self.elim[r[i], dd[i] :] = True
        up_blocked = at_top | self.elim[r, np.minimum(dd + 1, J - 1)]
        conflict = above & ~((here == E) & all_e) & ~((here != E) & all_se)
        if conflict.any():
            self._pool(k[conflict], _Evaluation(r, dd, dec, lower, n_tot, y_tot, new_d, stay_check, stop, up_blocked))
        self.early[r[stop]] = True
        self.active[r[stop]] = False
        self.d[r] = new_d
        go_on = ~stop
        settled = np.zeros(r.size, dtype=bool)
        settled[go_on & stay_check] = self._stop_if_settled(r[go_on & stay_check], n_tot[go_on & stay_check])
        carry = go_on & ~settled
        self.cohorts[r[carry]] += 1
        done = carry & (self.cohorts[r] > self.design.n_cohorts)
        self.active[r[done]] = False
        fresh = r[carry & ~done]
        if fresh.size:
            self._clear_cohort(fresh)
            self.enrol(fresh)

    def _count_cohort(self, r: IntArray) -> None:
        """Add the cohort's enrolled patients (all evaluable now) to the current dose."""
        dd = self.d[r]
        enrolled = ~np.isnan(self.coh_t[r])
        self.n[r, dd] += enrolled.sum(axis=1)
        self.y[r, dd] += (self.coh_e[r] & enrolled).sum(axis=1)

    def _clear_cohort(self, r: IntArray) -> None:
        self.coh_t[r] = np.nan
        self.coh_e[r] = False
        self.coh_g[r] = False

    def titration_step(self, r: IntArray) -> None:
        """The titration patient's window has closed: trigger, or one patient at the next dose."""
        dd = self.d[r]
        dlt = self.coh_e[r, 0]
        self.g2count[r] += self.coh_g[r, 0]
        trigger = dlt | ((self.settings.grade2 is not None) & (self.g2count[r] >= 2))
        top = dd == self.doses - 1
        expand = (trigger & (self.settings.on_trigger == "expand_to_cohort")) | (~trigger & top)
        hand_over = trigger & ~expand
        advance = ~trigger & ~top
        self.titrating[r[trigger | top]] = False
        # Expansion: the index patient stays in the cohort, which fills up to its size.
        if expand.any():
            self.enrol(r[expand])
        if hand_over.any():
            self.evaluate(r[hand_over])
        if advance.any():
            a = r[advance]
            self._count_cohort(a)
            self._clear_cohort(a)
            self.d[a] += 1
            self.titrating[a] = self.d[a] < self.settings.titration_levels
            self.enrol(a)

    def close_at_max(self, r: IntArray) -> None:
        """No more patients: count the cohort once its windows close, and end the trial."""
        self._count_cohort(r)
        self.active[r] = False

    def _pool(self, c: IntArray, ev: _Evaluation) -> None:
        """BF-BOIN's conflict rule (see ``live._pooled_move``) for the rows ``c``."""
        r, dd, dec, lower, n_tot, y_tot = ev.r, ev.dd, ev.dec, ev.lower, ev.n_tot, ev.y_tot
        new_d, stay_check, stop, up_blocked = ev.new_d, ev.stay_check, ev.stop, ev.up_blocked
        J = self.doses
        here = dec[c, dd[c]]
        clash = np.where(here[:, None] == E, dec[c] != E, (dec[c] == D) | (dec[c] == X)) & lower[c]
        b_star = np.where(clash, np.arange(J)[None, :], -1).max(axis=1)
        cy = np.concatenate([np.zeros((c.size, 1), dtype=np.int64), np.cumsum(y_tot[c], axis=1)], axis=1)
        cn = np.concatenate([np.zeros((c.size, 1), dtype=np.int64), np.cumsum(n_tot[c], axis=1)], axis=1)
        rows = np.arange(c.size)
        y_pool = cy[rows, dd[c] + 1] - cy[rows, b_star]
        n_pool = cn[rows, dd[c] + 1] - cn[rows, b_star]
        up = y_pool <= self.b_e[n_pool]
        down = ~up & (y_pool >= self.b_d[n_pool])
        hold = ~up & ~down
        go = up & ~up_blocked[c]
        new_d[c[go]] = dd[c[go]] + 1
        stay_check[c[(up & up_blocked[c]) | hold]] = True
        ks = np.arange(J)[None, :]
        y_k = cy[:, 1:] - cy[rows, b_star][:, None]
        n_k = cn[:, 1:] - cn[rows, b_star][:, None]
        in_range = (ks >= b_star[:, None]) & (ks <= dd[c][:, None])
        safe = in_range & (y_k < self.b_d[np.maximum(n_k, 0)])
        best = np.where(safe, ks, -1).max(axis=1)
        none = down & (best < 0)
        same = down & (best == dd[c])
        lower_safe = down & (best >= 0) & (best != dd[c])
        new_d[c[lower_safe]] = best[lower_safe]
        stay_check[c[same]] = True
        below = b_star - 1
        new_d[c[none]] = below[none]
        bottom = none & (below < 0)
        if bottom.any():
            i = c[bottom]
            n1, y1 = n_tot[i, 0], y_tot[i, 0]
            out = y1 >= self.b_x[n1]
            if self.design.extrasafe:
                # bfboin tests the escalation counts only here.
                ne, ye = self.n[r[i], 0], self.y[r[i], 0]
                out |= self._too_toxic_at_lowest(ne, ye)
            stop[i[out]] = True
            new_d[i] = 0

    def backfill(self, r: NDArray[np.int64]) -> None:
        """A patient arriving while the cohort is in its window: to an open lower dose, or away."""
        if not self.settings.backfill:
            return
        J = self.doses
        dd = self.d[r]
        lower = np.arange(J)[None, :] < dd[:, None]
        clock = self.clock[r]
        has_resp = np.any((self.first_resp[r] < clock[:, None]) & lower, axis=1) & (dd > 0)
        r, dd, lower, clock = r[has_resp], dd[has_resp], lower[has_resp], clock[has_resp]
        if r.size == 0:
            return
        n_bf, y_bf = self.closed_backfill(r, clock)
        k = np.arange(r.size)
        n_now = np.sum(self.coh_t[r] < clock[:, None], axis=1)
        y_now = np.sum(self.coh_e[r] & (self.coh_t[r] < clock[:, None]), axis=1)
        n_tot, y_tot = self.n[r] + n_bf, self.y[r] + y_bf
        safe = y_tot < self.b_d[n_tot]
        if self.settings.rules == "bfboin":
            nxt_n = np.concatenate([n_bf[:, 1:], np.zeros((r.size, 1), dtype=np.int64)], axis=1)
            nxt_y = np.concatenate([y_bf[:, 1:], np.zeros((r.size, 1), dtype=np.int64)], axis=1)
            nxt_n[k, dd - 1] = n_now
            nxt_y[k, dd - 1] = y_now
            n_plus = n_tot + nxt_n + np.concatenate([self.n[r][:, 1:], np.zeros((r.size, 1), dtype=np.int64)], axis=1)
            y_plus = y_tot + nxt_y + np.concatenate([self.y[r][:, 1:], np.zeros((r.size, 1), dtype=np.int64)], axis=1)
            safe |= y_plus < self.b_d[n_plus]
            roomy = self.bf_count[r] + self.n[r] <= self.cap
        else:
            safe &= n_tot > 0
            roomy = self.bf_count[r] + self.n[r] < self.cap
        # A dose that is not safe closes itself and every dose above it.
        safe = np.logical_and.accumulate(safe | ~lower, axis=1) & lower
        open_ = (self.first_resp[r] < clock[:, None]) & roomy & safe & lower
        any_open = open_.any(axis=1)
        r, open_, k = r[any_open], open_[any_open], k[any_open]
        if r.size == 0:
            return
        js = np.arange(J)[None, :]
        if self.settings.assign == "highest":
            dose = np.where(open_, js, -1).max(axis=1)
        elif self.settings.assign == "lowest":
            dose = np.where(open_, js, J).min(axis=1)
        else:
            keys = np.where(open_, self.rng.random(open_.shape), -1.0)
            dose = keys.argmax(axis=1)
        time, event = self._dlt_time(dose)
        pos = self.bf_count[r, dose]
        self.bf_t[r, pos, dose] = self.clock[r] + time
        self.bf_e[r, pos, dose] = event
        self.bf_count[r, dose] += 1
        self.enrolled[r] += 1

    def run(self) -> None:
        gap_scale = 1 / self.settings.accrual_per_month
        for _ in range(1_000_000):
            live = np.flatnonzero(self.active)
            if live.size == 0:
                return
            gap = (self.rng.exponential(gap_scale, live.size) if self.settings.accrual == "poisson"
                   else self.rng.uniform(0, 2 * gap_scale, live.size))  # fmt: skip
            self.clock[live] = np.where(self.first[live], 0.0, self.clock[live] + gap)
            self.first[live] = False
            times = self.coh_t[live]
            taken = np.sum(~np.isnan(times), axis=1)
            capacity = np.where(self.titrating[live], 1, self.size)
            latest = np.max(np.where(np.isnan(times), -np.inf, times), axis=1)
            closed = latest < self.clock[live]
            full = np.zeros(live.size, dtype=bool)
            if self.settings.max_total is not None:
                full = self.enrolled[live] >= self.settings.max_total
            room = ~full & (taken < capacity)
            ready = ~full & ~room & closed
            waiting = ~full & ~room & ~closed
            ending = full & closed
            if room.any():
                self.enrol(live[room])
            if ready.any():
                tit = self.titrating[live[ready]]
                if tit.any():
                    self.titration_step(live[ready][tit])
                if (~tit).any():
                    self.evaluate(live[ready][~tit])
            if waiting.any():
                self.backfill(live[waiting])
            if ending.any():
                self.close_at_max(live[ending])
        raise DoseFindingError("the simulation did not finish")  # pragma: no cover


def simulate_bf_boin(
    design: BoinDesign,
    truth: Sequence[float],
    response: Sequence[float] | None = None,
    settings: BackfillSettings = BackfillSettings(),
    n_trials: int = 10_000,
    seed: int = 1,
    start_dose: int = 1,
    bound_mtd: bool = False,
) -> OperatingCharacteristics:
    """Simulate ``n_trials`` BF-BOIN trials (see the module docstring)."""
    check_truth(truth, start_dose)
    if design.cohort_size < 3:
        raise DoseFindingError("BF-BOIN needs cohorts of at least 3")
    resp = np.ones(len(truth)) if response is None else np.asarray(response, dtype=np.float64)
    if resp.size != len(truth) or np.any((resp < 0) | (resp > 1)):
        raise DoseFindingError("response needs one probability (0 to 1) per dose")
    if settings.accrual_per_month <= 0 or settings.dlt_window_months <= 0 or settings.cap < 1:
        raise DoseFindingError("accrual_per_month, dlt_window_months and cap must be positive")
    if n_trials < 1:
        raise DoseFindingError(f"n_trials = {n_trials} must be at least 1")
    trials = _Trials(design, np.asarray(truth, dtype=np.float64), resp, settings, n_trials, seed, start_dose)
    trials.run()
    # The trial ends when the last cohort's windows close: backfill patients whose window
    # closed by then are counted, later ones are not (bfboin).
    last = np.max(np.where(np.isnan(trials.coh_t), -np.inf, trials.coh_t), axis=1)
    end = np.where(np.isfinite(last), last, trials.clock)
    every = np.arange(n_trials)
    n_bf, y_bf = trials.closed_backfill(every, end)
    n, y = trials.n + n_bf, trials.y + y_bf
    selected = select_mtd_batch(design, n, y, bound_mtd=bound_mtd)
    selected[trials.early] = -1
    return summarise(design, np.asarray(truth, dtype=np.float64), n, y, selected, trials.early, float(end.mean()))


DAYS_PER_MONTH = 365.25 / 12


def simulate_protocol(
    protocol: Protocol,
    truth: Sequence[float],
    response: Sequence[float] | None = None,
    grade2: Sequence[float] | None = None,
    accrual_per_month: float = 3.0,
    accrual: Literal["uniform", "poisson"] = "uniform",
    n_trials: int = 10_000,
    seed: int = 1,
) -> OperatingCharacteristics:
    """Operating characteristics of a protocol file's design: 3+3; BOIN (with or without
    titration and backfill) over calendar time, with the protocol's DLT window, backfill rules
    and cap, and its maximum sample size counting every patient."""
    if len(truth) != len(protocol.doses):
        raise DoseFindingError(f"truth has {len(truth)} values; the protocol has {len(protocol.doses)} doses")
    if protocol.escalation == "3+3":
        return simulate_three_plus_three(protocol.boin, truth, n_trials, seed, protocol.start_dose)
    spec = protocol.backfill
    titration = protocol.titration
    settings = BackfillSettings(
        cap=spec.cap if spec else 12,
        accrual_per_month=accrual_per_month,
        dlt_window_months=protocol.dlt_window_days / DAYS_PER_MONTH,
        accrual=accrual,
        assign=spec.assign if spec else "highest",
        rules=spec.rules if spec else "paper",
        backfill=spec is not None,
        titration_levels=titration.levels if titration else 0,
        grade2=tuple(grade2) if grade2 is not None and (titration is None or titration.grade2_trigger) else None,
        on_trigger=titration.on_trigger if titration else "expand_to_cohort",
        max_total=protocol.sample_size,
    )
    if spec is not None and not spec.require_response:
        response = [1.0] * len(truth)
    cohorts = max(protocol.boin.n_cohorts, -(-protocol.sample_size // protocol.boin.cohort_size))
    design = replace(protocol.boin, n_cohorts=cohorts)
    return simulate_bf_boin(design, truth, response, settings, n_trials, seed, protocol.start_dose)
