"""MTD selection at the end of a BOIN trial, as R BOIN 2.7.2's ``select.mtd``.

Liu S, Yuan Y. J R Stat Soc C 2015;64:507-523, doi:10.1111/rssc.12089, section 2.3: isotonic
(pool-adjacent-violators) estimates of the DLT rates, the MTD the dose whose estimate is
closest to the target; Yan F et al., J Stat Softw 2020;94(13), doi:10.18637/jss.v094.i13.

Details kept from BOIN: doses are eliminated by the same rule as during the trial (n ≥ 3 and
Pr(p > φ | Beta(1 + y, 1 + n − y)) > cutoff, the first such dose and all above); estimates use
p̂ = (y + 0.05) / (n + 0.1) with weights 1/var; ties are broken towards the higher dose below
the target and the lower dose above it (BOIN adds j × 1e-10); ``bound_mtd`` keeps only doses
whose estimate is below λd. The reported estimates, credible intervals and Pr(overdose) are
isotonic over every treated dose, eliminated or not, with the Beta(y + 0.05, n − y + 0.05)
posterior. (R indexes its reported CIs by dose rather than by treated dose, which misplaces
them when a dose below a treated one was never used; here they follow their dose.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from remission.dosefinding.arrays import first_true, last_true
from remission.dosefinding.boundaries import (
    DecisionTable,
    DoseFindingError,
    eliminated_from,
    elimination_hits,
    extrasafe_stops,
)

__all__ = ["MtdSelection", "check_counts", "eliminated_doses", "select_mtd", "select_mtd_batch"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MtdSelection:
    mtd: int | None  # 1-based dose level
    estimates: list[float | None]  # isotonic DLT rates over treated doses; None where untreated
    ci_lower: list[float | None]
    ci_upper: list[float | None]
    p_overdose: list[float | None]
    eliminated: list[bool]
    admissible: list[int]  # 1-based
    selection_estimates: list[float]  # the isotonic estimates over admissible doses used to choose


def _adjusted(n: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """p̂ = (y + 0.05)/(n + 0.1) and its weight 1/var, var = p̂(1 − p̂)/(n + 1.1) in BOIN's form."""
    phat = (y + 0.05) / (n + 0.1)
    var = (y + 0.05) * (n - y + 0.05) / ((n + 0.1) ** 2 * (n + 0.1 + 1))
    return phat, 1 / var


def _pava(values: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """SciPy's weighted isotonic regression (pool-adjacent-violators)."""
    if values.size <= 1:
        return values
    # Imported here: scipy.optimize takes over half a second to import, and simulations (which
    # select the MTD with the vectorised formula below) never need it.
    from scipy.optimize import isotonic_regression  # noqa: PLC0415

    return np.asarray(isotonic_regression(values, weights=weights, increasing=True).x, dtype=np.float64)


def eliminated_doses(table: DecisionTable, n: Sequence[int], y: Sequence[int]) -> list[bool]:
    """Doses eliminated by the Beta rule (the first hit and all above), and every dose when the
    extra-safe rule stops the trial at the lowest dose."""
    counts, dlts = np.array([n], dtype=np.int64), np.array([y], dtype=np.int64)
    cuts = table.arrays(int(counts.max(initial=0)))
    gone = eliminated_from(elimination_hits(cuts, counts, dlts))
    gone |= extrasafe_stops(cuts, counts[:, 0], dlts[:, 0])[:, None]
    return [bool(g) for g in gone[0]]


def check_counts(n: Sequence[int], y: Sequence[int]) -> None:
    if len(n) != len(y) or not n:
        raise DoseFindingError(f"n and y must have one entry per dose (got {len(n)} and {len(y)})")
    for j, (nj, yj) in enumerate(zip(n, y, strict=True), start=1):
        if nj < 0 or not 0 <= yj <= nj:
            raise DoseFindingError(f"dose {j}: y = {yj} DLTs in n = {nj} patients (need 0 ≤ y ≤ n)")


def select_mtd(table: DecisionTable, n: Sequence[int], y: Sequence[int], bound_mtd: bool = False) -> MtdSelection:
    """The MTD and BOIN's report (see the module docstring)."""
    check_counts(n, y)
    eliminated = eliminated_doses(table, n, y)
    n_arr, y_arr = np.asarray(n, dtype=np.float64), np.asarray(y, dtype=np.float64)
    treated = n_arr > 0
    admissible = [j for j in range(len(n)) if treated[j] and not eliminated[j]]
    mtd: int | None = None
    chosen: FloatArray = np.zeros(0)
    if not eliminated[0] and admissible:
        phat, weight = _adjusted(n_arr[admissible], y_arr[admissible])
        chosen = _pava(phat, weight)
        jittered = chosen + np.arange(1, chosen.size + 1) * 1e-10
        candidates = np.flatnonzero(jittered < table.lambdas[1]) if bound_mtd else np.arange(chosen.size)
        if candidates.size:
            best = candidates[np.argmin(np.abs(jittered[candidates] - table.target))]
            mtd = admissible[int(best)] + 1

    def per_dose(values: FloatArray) -> list[float | None]:
        it = iter(values.tolist())
        return [next(it) if t else None for t in treated]

    # Imported here: scipy.special is slow to import and only the report needs it.
    from scipy.special import betaincc, betaincinv  # noqa: PLC0415

    phat_all, weight_all = _adjusted(n_arr[treated], y_arr[treated])
    a, b = y_arr[treated] + 0.05, n_arr[treated] - y_arr[treated] + 0.05
    return MtdSelection(
        mtd=mtd,
        estimates=per_dose(_pava(phat_all, weight_all)),
        ci_lower=per_dose(_pava(np.asarray(betaincinv(a, b, 0.025)), weight_all)),
        ci_upper=per_dose(_pava(np.asarray(betaincinv(a, b, 0.975)), weight_all)),
        p_overdose=per_dose(_pava(np.asarray(betaincc(a, b, table.target)))),
        eliminated=eliminated,
        admissible=[j + 1 for j in admissible],
        selection_estimates=chosen.tolist(),
    )


def select_mtd_batch(
    table: DecisionTable, n: NDArray[np.int64], y: NDArray[np.int64], bound_mtd: bool = False
) -> NDArray[np.int64]:
    """``select_mtd(...).mtd`` for many trials at once (rows of ``n`` and ``y``), as a 0-based
    dose index or -1 for none. The treated doses of a BOIN trial form one run of adjacent doses
    (it moves one dose at a time), so the admissible doses are an interval [lo, hi] and the
    weighted isotonic regression is the max-min formula of Robertson, Wright & Dykstra (1988,
    Theorem 1.4.4): x̂_i = max_{lo≤j≤i} min_{i≤k≤hi} Av(j..k), computed for every row at once."""
    trials, doses = n.shape
    cuts = table.arrays(int(n.max(initial=0)))
    gone = eliminated_from(elimination_hits(cuts, n, y))
    first_hit = first_true(gone)
    stopped = gone[:, 0] | extrasafe_stops(cuts, n[:, 0], y[:, 0])
    treated = n > 0
    lo = treated.argmax(axis=1)
    last_treated = last_true(treated)
    hi = np.minimum(last_treated, first_hit - 1)
    contiguous = (treated.sum(axis=1) == last_treated - lo + 1) | ~treated.any(axis=1)
    if not contiguous.all():
        # Not reached by the designs here (they move one dose at a time, and backfill only at
        # doses the escalation passed); the exact PAVA answers such rows one by one.
        odd = np.flatnonzero(~contiguous)
        rest = np.flatnonzero(contiguous)
        out = np.full(trials, -1, dtype=np.int64)
        out[rest] = select_mtd_batch(table, n[rest], y[rest], bound_mtd)
        for i in odd:
            chosen = select_mtd(table, n[i].tolist(), y[i].tolist(), bound_mtd).mtd
            out[i] = -1 if chosen is None else chosen - 1
        return out
    phat, weight = _adjusted(n.astype(np.float64), y.astype(np.float64))
    cum_wx = np.concatenate([np.zeros((trials, 1)), np.cumsum(weight * phat, axis=1)], axis=1)
    cum_w = np.concatenate([np.zeros((trials, 1)), np.cumsum(weight, axis=1)], axis=1)
    j = np.arange(doses)[:, None]
    k = np.arange(doses)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        average = (cum_wx[:, None, 1:] - cum_wx[:, :-1, None]) / (cum_w[:, None, 1:] - cum_w[:, :-1, None])
    # Blocks starting below lo never count (−inf for the max); blocks ending above hi never count
    # (+inf for the min); blocks with j > k do not exist.
    average = np.where(j[None] < lo[:, None, None], -np.inf, average)
    average = np.where(k[None] > hi[:, None, None], np.inf, average)
    average = np.where((j > k)[None], np.inf, average)
    inner = np.minimum.accumulate(average[:, :, ::-1], axis=2)[:, :, ::-1]  # min over k ≥ i, per j
    estimate = np.maximum.accumulate(inner, axis=1)  # max over j ≤ i
    estimate = np.diagonal(estimate, axis1=1, axis2=2)
    position = np.arange(doses)[None, :]
    admissible = (position >= lo[:, None]) & (position <= hi[:, None])
    jittered = estimate + (position - lo[:, None] + 1) * 1e-10
    usable = admissible & (jittered < table.lambdas[1]) if bound_mtd else admissible
    distance = np.where(usable, np.abs(jittered - table.target), np.inf)
    best = distance.argmin(axis=1)
    none = stopped | ~usable.any(axis=1) | ~treated.any(axis=1)
    return np.where(none, -1, best).astype(np.int64)
