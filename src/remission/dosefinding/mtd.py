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
from scipy.optimize import isotonic_regression
from scipy.stats import beta

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError, first_dlt_count_over

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
    if values.size <= 1:
        return values
    return np.asarray(isotonic_regression(values, weights=weights, increasing=True).x, dtype=np.float64)


def eliminated_doses(design: BoinDesign, n: Sequence[int], y: Sequence[int]) -> list[bool]:
    """Doses eliminated by the Beta rule (the first hit and all above), and every dose when
    ``extrasafe`` stops the trial at the lowest dose."""
    out = [False] * len(n)
    for j, (nj, yj) in enumerate(zip(n, y, strict=True)):
        cut = first_dlt_count_over(design.target, nj, design.cutoff_eli)
        if cut is not None and yj >= cut:
            out[j:] = [True] * (len(n) - j)
            break
    if design.extrasafe and n and n[0] >= 3:
        stop = design.stop_boundary(n[0])
        if stop is not None and y[0] >= stop:
            out = [True] * len(n)
    return out


def check_counts(n: Sequence[int], y: Sequence[int]) -> None:
    if len(n) != len(y) or not n:
        raise DoseFindingError(f"n and y must have one entry per dose (got {len(n)} and {len(y)})")
    for j, (nj, yj) in enumerate(zip(n, y, strict=True), start=1):
        if nj < 0 or not 0 <= yj <= nj:
            raise DoseFindingError(f"dose {j}: y = {yj} DLTs in n = {nj} patients (need 0 ≤ y ≤ n)")


def select_mtd(design: BoinDesign, n: Sequence[int], y: Sequence[int], bound_mtd: bool = False) -> MtdSelection:
    """The MTD and BOIN's report (see the module docstring)."""
    check_counts(n, y)
    eliminated = eliminated_doses(design, n, y)
    n_arr, y_arr = np.asarray(n, dtype=np.float64), np.asarray(y, dtype=np.float64)
    treated = n_arr > 0
    admissible = [j for j in range(len(n)) if treated[j] and not eliminated[j]]
    mtd: int | None = None
    chosen: FloatArray = np.zeros(0)
    if not eliminated[0] and admissible:
        phat, weight = _adjusted(n_arr[admissible], y_arr[admissible])
        chosen = _pava(phat, weight)
        jittered = chosen + np.arange(1, chosen.size + 1) * 1e-10
        candidates = np.flatnonzero(jittered < design.lambdas[1]) if bound_mtd else np.arange(chosen.size)
        if candidates.size:
            best = candidates[np.argmin(np.abs(jittered[candidates] - design.target))]
            mtd = admissible[int(best)] + 1

    def per_dose(values: FloatArray) -> list[float | None]:
        it = iter(values.tolist())
        return [next(it) if t else None for t in treated]

    phat_all, weight_all = _adjusted(n_arr[treated], y_arr[treated])
    a, b = y_arr[treated] + 0.05, n_arr[treated] - y_arr[treated] + 0.05
    return MtdSelection(
        mtd=mtd,
        estimates=per_dose(_pava(phat_all, weight_all)),
        ci_lower=per_dose(_pava(np.asarray(beta.ppf(0.025, a, b)), weight_all)),
        ci_upper=per_dose(_pava(np.asarray(beta.ppf(0.975, a, b)), weight_all)),
        p_overdose=per_dose(_pava(np.asarray(beta.sf(design.target, a, b)))),
        eliminated=eliminated,
        admissible=[j + 1 for j in admissible],
        selection_estimates=chosen.tolist(),
    )
