"""Operating characteristics of BOIN by simulation, vectorised with NumPy across trials.

The trial follows R BOIN 2.7.2's ``get.oc`` (Yan F et al., J Stat Softw 2020;94(13),
doi:10.18637/jss.v094.i13) step for step, so that its figures can be compared with the
reference files; the random stream is NumPy's (PCG64), so agreement is statistical, not
bit-for-bit. Per cohort: treat at the current dose (the last cohort is cut to the maximum
sample size and ends the trial before any decision); eliminate the dose and those above when
the Beta rule says so, stopping the trial if it is the lowest; with ``extrasafe``, stop when
the lowest dose meets the stricter rule; stop once the current dose has ``n_earlystop``
patients and the decision would keep it there; then escalate (never into an eliminated
dose), de-escalate or stay. With ``titration`` (R's all-doses titration) one patient per dose
is treated upward until the first DLT (or the top dose), and the first cohort then fills that
dose up to a cohort. The MTD is chosen by ``select_mtd``. ``early_stop_percent`` is R's "percentage of
early stopping": every trial that ends without an MTD (so it equals ``no_mtd_percent``);
``safety_stop_percent`` counts only the trials stopped because the lowest dose was too toxic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError, boundary_arrays
from remission.dosefinding.mtd import select_mtd_batch

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class OperatingCharacteristics:
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


def check_truth(truth: Sequence[float], start_dose: int) -> None:
    if not truth:
        raise DoseFindingError("truth needs one DLT probability per dose")
    for j, p in enumerate(truth, start=1):
        if not 0 <= p <= 1:
            raise DoseFindingError(f"truth at dose {j} = {p} is not a probability")
    if not 1 <= start_dose <= len(truth):
        raise DoseFindingError(f"start_dose = {start_dose} is out of range (allowed: 1 to {len(truth)})")


def simulate_boin(
    design: BoinDesign,
    truth: Sequence[float],
    n_trials: int = 10_000,
    seed: int = 1,
    start_dose: int = 1,
    titration: bool = False,
    bound_mtd: bool = False,
) -> OperatingCharacteristics:
    """Simulate ``n_trials`` BOIN trials under the true DLT probabilities ``truth``."""
    check_truth(truth, start_dose)
    if n_trials < 1:
        raise DoseFindingError(f"n_trials = {n_trials} must be at least 1")
    rng = np.random.default_rng(seed)
    p = np.asarray(truth, dtype=np.float64)
    doses, size, max_n = p.size, design.cohort_size, design.max_n
    titration = titration and size > 1
    cuts = boundary_arrays(design, max_n + size + doses)
    b_e, b_d, b_elim, b_stop = cuts.escalate, cuts.deescalate, cuts.eliminate, cuts.stop
    rows = np.arange(n_trials)
    n = np.zeros((n_trials, doses), dtype=np.int64)
    y = np.zeros((n_trials, doses), dtype=np.int64)
    eliminated = np.zeros((n_trials, doses), dtype=bool)
    early = np.zeros(n_trials, dtype=bool)
    active = np.ones(n_trials, dtype=bool)
    d = np.full(n_trials, start_dose - 1, dtype=np.int64)
    filled = np.zeros(n_trials, dtype=bool)
    if titration:
        dlt = rng.random((n_trials, doses)) < p
        first = np.where(dlt.any(axis=1), dlt.argmax(axis=1), doses - 1)
        n[:] = np.arange(doses)[None, :] <= first[:, None]
        y[rows, first] = dlt[rows, first]
        d = first
    for _ in range(design.n_cohorts):
        live = np.flatnonzero(active)
        if live.size == 0:
            break
        dl = d[live]
        draws = rng.random((live.size, size)) < p[dl][:, None]
        # R fills the titration dose up to a cohort once per trial (its first cohort).
        topup = titration & (n[live, dl] < size) & ~filled[live]
        filled[live[topup]] = True
        full = ~topup & (n[live].sum(axis=1) + size >= max_n)
        take = np.where(topup, size - 1, np.where(full, max_n - n[live].sum(axis=1), size))
        counted = np.arange(size)[None, :] < take[:, None]
        y[live, dl] += (draws & counted).sum(axis=1)
        n[live, dl] += take
        # The cohort that reaches the maximum sample size ends the trial, with no decision.
        active[live[full]] = False
        live, dl = live[~full], dl[~full]
        nd, yd = n[live, dl], y[live, dl]
        eliminate = yd >= b_elim[nd]
        for t, dose in zip(live[eliminate], dl[eliminate], strict=True):
            eliminated[t, dose:] = True
        stop = eliminate & (dl == 0)
        if design.extrasafe:
            # R checks it only where an elimination boundary exists for n (n ≥ 3).
            stop |= (dl == 0) & (nd >= 3) & (yd >= b_stop[nd]) & (b_elim[nd] <= nd)
        early[live[stop]] = True
        active[live[stop]] = False
        keep = ~stop
        live, dl, nd, yd = live[keep], dl[keep], nd[keep], yd[keep]
        up = yd <= b_e[nd]
        down = yd >= b_d[nd]
        blocked_up = (dl == doses - 1) | eliminated[live, np.minimum(dl + 1, doses - 1)]
        settled = (nd >= design.n_earlystop) & ((~up & ~down) | ((dl == 0) & down) | (blocked_up & up))
        active[live[settled]] = False
        move = ~settled
        live, dl, up, down, blocked_up = live[move], dl[move], up[move], down[move], blocked_up[move]
        d[live] = np.where(up, np.where(blocked_up, dl, dl + 1), np.where(down & (dl > 0), dl - 1, dl))
    selected = select_mtd_batch(design, n, y, bound_mtd=bound_mtd)
    selected[early] = -1
    return summarise(design, p, n, y, selected, early)


def summarise(
    design: BoinDesign,
    p: NDArray[np.float64],
    n: IntArray,
    y: IntArray,
    selected: IntArray,
    early: NDArray[np.bool_],
    duration: float | None = None,
) -> OperatingCharacteristics:
    """The operating characteristics of simulated trials: per trial the patients and DLTs per
    dose, the selected dose (0-based, −1 for none) and whether it stopped early."""
    n_trials, doses = n.shape
    counts = np.bincount(selected[selected >= 0], minlength=doses)
    overdose60 = overdose80 = None
    if np.any(p == design.target):
        above = (n[:, p > design.target]).sum(axis=1)
        overdose60 = float(np.mean(above > 0.6 * design.max_n) * 100)
        overdose80 = float(np.mean(above > 0.8 * design.max_n) * 100)
    return OperatingCharacteristics(
        selection_percent=(counts / n_trials * 100).tolist(),
        no_mtd_percent=float(np.mean(selected < 0) * 100),
        patients_per_dose=n.mean(axis=0).tolist(),
        dlt_per_dose=y.mean(axis=0).tolist(),
        early_stop_percent=float(np.mean(selected < 0) * 100),
        mean_sample_size=float(n.sum(axis=1).mean()),
        mean_dlts=float(y.sum(axis=1).mean()),
        trials=n_trials,
        overdose60_percent=overdose60,
        overdose80_percent=overdose80,
        duration_months=duration,
        safety_stop_percent=float(early.mean() * 100),
    )


def simulate_three_plus_three(
    design: BoinDesign, truth: Sequence[float], n_trials: int = 10_000, seed: int = 1, start_dose: int = 1
) -> OperatingCharacteristics:
    """Operating characteristics of 3+3 (Storer BE, Biometrics 1989;45:925-937,
    doi:10.2307/2531693), the rules of ``live._three_plus_three``: cohorts of 3; 0/3 escalates;
    1/3 adds 3 at the dose; ≤ 1/6 escalates; ≥ 2 DLTs make the dose too toxic, and the MTD is
    the dose below once 6 were treated there (3 more are added there first when only 3 were);
    the top dose, or a dose below a too-toxic one, is the MTD with ≤ 1/6. ``design`` gives only
    the target (for the overdose figures); the sample size follows from the rules."""
    check_truth(truth, start_dose)
    if n_trials < 1:
        raise DoseFindingError(f"n_trials = {n_trials} must be at least 1")
    rng = np.random.default_rng(seed)
    p = np.asarray(truth, dtype=np.float64)
    doses = p.size
    n = np.zeros((n_trials, doses), dtype=np.int64)
    y = np.zeros((n_trials, doses), dtype=np.int64)
    d = np.full(n_trials, start_dose - 1, dtype=np.int64)
    selected = np.full(n_trials, -1, dtype=np.int64)
    active = np.ones(n_trials, dtype=bool)
    for _ in range(4 * doses + 2):  # each dose takes at most two cohorts, with one step back
        live = np.flatnonzero(active)
        if live.size == 0:
            break
        dl = d[live]
        y[live, dl] += (rng.random((live.size, 3)) < p[dl][:, None]).sum(axis=1)
        n[live, dl] += 3
        nd, yd = n[live, dl], y[live, dl]
        below = np.maximum(dl - 1, 0)
        toxic = yd >= 2
        stop_none = toxic & (dl == 0)
        stop_below = toxic & (dl > 0) & (n[live, below] >= 6)
        back = toxic & (dl > 0) & ~stop_below
        more = ~toxic & (nd < 6) & (yd == 1)
        fine = ~toxic & ~more
        above_toxic = (dl < doses - 1) & (y[live, np.minimum(dl + 1, doses - 1)] >= 2)
        capped = fine & (above_toxic | (dl == doses - 1))
        stop_here = capped & (nd >= 6)
        up = fine & ~capped  # the others (1/3, or a dose to confirm with 6) stay where they are
        selected[live[stop_below]] = dl[stop_below] - 1
        selected[live[stop_here]] = dl[stop_here]
        active[live[stop_none | stop_below | stop_here]] = False
        d[live[back]] = dl[back] - 1
        d[live[up]] = dl[up] + 1
    early = np.zeros(n_trials, dtype=bool)
    return summarise(replace(design, n_cohorts=max(1, int(n.sum(axis=1).max()) // 3)), p, n, y, selected, early)
