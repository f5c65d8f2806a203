"""The BOIN decision table: escalation and de-escalation boundaries, the elimination cut and the
extra-safe stop at the lowest dose.

Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc C
2015;64:507-523, doi:10.1111/rssc.12089; the table as the R package BOIN 2.7.2 builds it
(`get.boundary`; Yan F et al., J Stat Softw 2020;94(13), doi:10.18637/jss.v094.i13). The
stay-at-1/3 row is Table 1 of Zhao Y, Yuan Y, Korn EL, Freidlin B, Clin Cancer Res
2024;30:673-679, doi:10.1158/1078-0432.CCR-23-2585.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

import numpy as np
from numpy.typing import NDArray

from remission.dosefinding.arrays import first_true

__all__ = [
    "BoundaryArrays",
    "BoundaryRow",
    "Decision",
    "DecisionTable",
    "DoseFindingError",
    "eliminated_from",
    "elimination_hits",
    "extrasafe_stops",
    "first_dlt_count_over",
    "interval_boundaries",
    "overdose_probabilities",
]


class DoseFindingError(ValueError):
    """A design or data the engine refuses; the message names the parameter and what is allowed."""


class Decision(StrEnum):
    ESCALATE = "E"
    STAY = "S"
    DEESCALATE = "D"
    DEESCALATE_AND_ELIMINATE = "DU"


def interval_boundaries(target: float, p_saf: float, p_tox: float) -> tuple[float, float]:
    """λe and λd: the DLT rates at which staying is as likely wrong as escalating (between φ1 and
    φ) and as de-escalating (between φ and φ2), Liu & Yuan 2015, eq. (2)."""
    lambda_e = math.log((1 - p_saf) / (1 - target)) / math.log(target * (1 - p_saf) / (p_saf * (1 - target)))
    lambda_d = math.log((1 - target) / (1 - p_tox)) / math.log(p_tox * (1 - target) / (target * (1 - p_tox)))
    return lambda_e, lambda_d


def overdose_probabilities(target: float, n: int) -> NDArray[np.float64]:
    """Pr(p > target | y DLTs in n) under a Beta(1, 1) prior, for y = 0 .. n.

    The posterior is Beta(y + 1, n − y + 1), whose upper tail at t is the probability of at most
    y successes in n + 1 Bernoulli(t) trials (I_t(a, b) = P(Bin(a + b − 1, t) ≥ a)). The binomial
    terms are summed in log space (log C(m, k) as a running sum of logs), so n in the thousands
    neither overflows nor costs more than a few vector operations, and SciPy (slow to import)
    stays out of the command line's start-up."""
    m = n + 1
    k = np.arange(m + 1, dtype=np.float64)
    log_comb = np.concatenate([[0.0], np.cumsum(np.log(m - k[1:] + 1) - np.log(k[1:]))])
    log_terms = log_comb + k * math.log(target) + (m - k) * math.log1p(-target)
    tail: NDArray[np.float64] = np.minimum(np.cumsum(np.exp(log_terms))[: n + 1], 1.0)
    return tail


@lru_cache(maxsize=8192)
def first_dlt_count_over(target: float, n: int, cutoff: float) -> int | None:
    """The smallest number of DLTs in ``n`` patients whose posterior Pr(p > target) exceeds
    ``cutoff``; None under 3 patients (BOIN eliminates no dose before 3 are treated) or when no
    count does. Cached: every table, simulation and replay asks for the same few."""
    if n < 3:
        return None
    over = np.flatnonzero(overdose_probabilities(target, n)[1:] > cutoff)
    return int(over[0]) + 1 if over.size else None


@dataclass(frozen=True)
class BoundaryRow:
    n: int
    escalate_if_dlt_le: int
    deescalate_if_dlt_ge: int
    eliminate_if_dlt_ge: int | None

    def decision(self, y: int) -> Decision:
        if self.eliminate_if_dlt_ge is not None and y >= self.eliminate_if_dlt_ge:
            return Decision.DEESCALATE_AND_ELIMINATE
        if y >= self.deescalate_if_dlt_ge:
            return Decision.DEESCALATE
        return Decision.ESCALATE if y <= self.escalate_if_dlt_le else Decision.STAY


@dataclass(frozen=True)
class BoundaryArrays:
    """The table as arrays indexed by n = 0 .. size, for vectorised rules: DLT counts at or below
    ``escalate`` escalate, at or above ``deescalate`` de-escalate, at or above ``eliminate``
    eliminate, at or above ``stop`` (the lowest dose, extra-safe) stop the trial. A cut that does
    not exist (too few patients to eliminate, no such rule) is size + 1: never met. Row 0 meets
    no cut at all, so a rule must decide itself what a dose without data means."""

    escalate: NDArray[np.int64]
    deescalate: NDArray[np.int64]
    eliminate: NDArray[np.int64]
    stop: NDArray[np.int64]


def elimination_hits(cuts: BoundaryArrays, n: NDArray[np.int64], y: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Per trial and dose, whether y DLTs in n patients meet the Beta elimination rule (n ≥ 3 and
    Pr(p > φ | Beta(1 + y, 1 + n − y)) > cutoff_eli; Liu & Yuan 2015). The one place the rule is
    read; who eliminates what from the hits is ``eliminated_from``."""
    hits: NDArray[np.bool_] = y >= cuts.eliminate[n]
    return hits


def eliminated_from(hits: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The first dose hit and every dose above it, per trial (BOIN eliminates upwards)."""
    gone: NDArray[np.bool_] = np.arange(hits.shape[1])[None, :] >= first_true(hits)[:, None]
    return gone


def extrasafe_stops(cuts: BoundaryArrays, n1: NDArray[np.int64], y1: NDArray[np.int64]) -> NDArray[np.bool_]:
    """R BOIN's extra-safe rule on the lowest dose's data: n ≥ 3 and Pr(p1 > φ) > cutoff_eli −
    offset (never met when the table has no extra-safe rule)."""
    stops: NDArray[np.bool_] = (n1 >= 3) & (y1 >= cuts.stop[n1])
    return stops


@dataclass(frozen=True)
class DecisionTable:
    """The boundaries of one BOIN design: φ, φ1, φ2, the elimination cut-off (None: no
    elimination), the extra-safe offset (None: no extra-safe stop) and the stay-at-1/3 row."""

    target: float
    p_saf: float
    p_tox: float
    cutoff_eli: float | None = 0.95
    extrasafe_offset: float | None = None
    stay_at_one_third: bool = False

    def __post_init__(self) -> None:
        # The checks R BOIN's get.boundary makes, with the parameter named.
        if not 0.05 <= self.target <= 0.6:
            raise DoseFindingError(f"target = {self.target} is out of range (allowed: 0.05 to 0.6)")
        if self.target - self.p_saf < 0.1 * self.target or self.p_saf <= 0:
            raise DoseFindingError(f"p_saf = {self.p_saf:.4g} must be positive and at most 0.9 × target "
                                   f"({0.9 * self.target:.4g})")  # fmt: skip
        if self.p_tox - self.target < 0.1 * self.target or self.p_tox >= 1:
            raise DoseFindingError(f"p_tox = {self.p_tox:.4g} must be below 1 and at least 1.1 × target "
                                   f"({1.1 * self.target:.4g})")  # fmt: skip
        if self.cutoff_eli is not None and not 0.5 <= self.cutoff_eli < 1:
            raise DoseFindingError(f"cutoff_eli = {self.cutoff_eli} is out of range (allowed: 0.5 to < 1)")
        if self.extrasafe_offset is not None and not 0 <= self.extrasafe_offset < 0.5:
            raise DoseFindingError(f"offset = {self.extrasafe_offset} is out of range (allowed: 0 to < 0.5)")
        if self.stay_at_one_third and not 0.25 <= self.target < 0.28:
            # At other targets the table does not de-escalate on 1/3, so the option would change nothing.
            raise DoseFindingError("stay_at_one_third applies only to targets in [0.25, 0.28)")

    @cached_property
    def lambdas(self) -> tuple[float, float]:
        return interval_boundaries(self.target, self.p_saf, self.p_tox)

    def row(self, n: int) -> BoundaryRow:
        """The boundaries for ``n`` patients at a dose (R's full_boundary_tab column ``n``):
        escalate if y ≤ ⌊λe n⌋; de-escalate if y ≥ ⌈λd n⌉, where a product that is an integer
        (within 1e-12) needs one more DLT, so the rule is strictly "rate > λd"; eliminate at the
        Beta(1, 1) posterior rule; the de-escalation cut is capped at the elimination cut. With
        ``stay_at_one_third`` 1 DLT in 3 stays (Zhao 2024, Table 1)."""
        if n < 1:
            raise DoseFindingError(f"n = {n} must be at least 1")
        lambda_e, lambda_d = self.lambdas
        escalate = math.floor(lambda_e * n)
        product = lambda_d * n
        deescalate = round(product) + 1 if abs(product - round(product)) < 1e-12 else math.ceil(product)
        eliminate = None if self.cutoff_eli is None else first_dlt_count_over(self.target, n, self.cutoff_eli)
        if eliminate is not None:
            deescalate = min(deescalate, eliminate)
        if self.stay_at_one_third and n == 3 and deescalate == 1:
            deescalate = 2
        return BoundaryRow(n, escalate, deescalate, eliminate)

    def rows(self, upto: int) -> list[BoundaryRow]:
        return [self.row(n) for n in range(1, upto + 1)]

    def stop_boundary(self, n: int) -> int | None:
        """The extra-safe rule: stop the trial when the lowest dose has ``n`` ≥ 3 patients and at
        least this many DLTs (posterior Pr(p1 > φ) > cutoff_eli − offset); None without the rule."""
        if self.extrasafe_offset is None or self.cutoff_eli is None:
            return None
        return first_dlt_count_over(self.target, n, self.cutoff_eli - self.extrasafe_offset)

    def arrays(self, size: int) -> BoundaryArrays:
        return _arrays(self, size)


@lru_cache(maxsize=64)
def _arrays(table: DecisionTable, size: int) -> BoundaryArrays:
    never = size + 1
    rows = table.rows(size)
    return BoundaryArrays(
        escalate=np.array([-1] + [r.escalate_if_dlt_le for r in rows], dtype=np.int64),
        deescalate=np.array([never] + [r.deescalate_if_dlt_ge for r in rows], dtype=np.int64),
        eliminate=np.array([never] + [r.eliminate_if_dlt_ge or never for r in rows], dtype=np.int64),
        stop=np.array([never] + [table.stop_boundary(m) or never for m in range(1, size + 1)], dtype=np.int64),
    )
