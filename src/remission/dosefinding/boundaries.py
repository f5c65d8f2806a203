"""BOIN escalation and de-escalation boundaries and the decision table.

Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials. J R Stat Soc C
2015;64:507-523, doi:10.1111/rssc.12089; the table as the R package BOIN 2.7.2 builds it
(`get.boundary`; Yan F et al., J Stat Softw 2020;94(13), doi:10.18637/jss.v094.i13).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

import numpy as np
from numpy.typing import NDArray


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


def overdose_probability(target: float, n: int, y: int) -> float:
    """Pr(p > target | y DLTs in n) under a Beta(1, 1) prior: the elimination rule's posterior.

    The posterior is Beta(y + 1, n − y + 1), whose upper tail at t equals the probability of at
    most y successes in n + 1 Bernoulli(t) trials (the Beta-binomial identity
    I_t(a, b) = P(Bin(a + b − 1, t) ≥ a)); summed exactly, with no special-function library."""
    m = n + 1
    return sum(math.comb(m, k) * target**k * (1 - target) ** (m - k) for k in range(y + 1))


@lru_cache(maxsize=4096)
def first_dlt_count_over(target: float, n: int, cutoff: float) -> int | None:
    """The smallest number of DLTs in ``n`` patients whose posterior Pr(p > target) exceeds
    ``cutoff``; None under 3 patients (BOIN eliminates no dose before 3 are treated). Cached:
    every table, simulation and replay asks for the same few (target, n, cutoff)."""
    if n < 3:
        return None
    return next((y for y in range(1, n + 1) if overdose_probability(target, n, y) > cutoff), None)


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
class BoinDesign:
    """A BOIN design: immutable configuration (the parameters of R BOIN's get.boundary / get.oc).

    ``stay_at_one_third`` turns the de-escalation at 1 DLT in 3 into "stay" (the option the MD
    Anderson app offers for targets in [0.25, 0.28), where the table de-escalates at 1/3)."""

    target: float = 0.30
    cohort_size: int = 3
    n_cohorts: int = 10
    p_saf: float | None = None
    p_tox: float | None = None
    cutoff_eli: float = 0.95
    extrasafe: bool = False
    offset: float = 0.05
    n_earlystop: int = 100
    stay_at_one_third: bool = False

    def __post_init__(self) -> None:
        # The checks R BOIN makes, with the parameter named.
        if not 0.05 <= self.target <= 0.6:
            raise DoseFindingError(f"target = {self.target} is out of range (allowed: 0.05 to 0.6)")
        if self.target - self.safe < 0.1 * self.target or self.safe <= 0:
            raise DoseFindingError(f"p_saf = {self.safe} must be below 0.9 × target ({0.9 * self.target:.4g})")
        if self.toxic - self.target < 0.1 * self.target or self.toxic >= 1:
            raise DoseFindingError(f"p_tox = {self.toxic} must be above 1.1 × target ({1.1 * self.target:.4g})")
        if not 0 <= self.offset < 0.5:
            raise DoseFindingError(f"offset = {self.offset} is out of range (allowed: 0 to < 0.5)")
        if not 0.5 <= self.cutoff_eli < 1:
            raise DoseFindingError(f"cutoff_eli = {self.cutoff_eli} is out of range (allowed: 0.5 to < 1)")
        if self.cohort_size < 1 or self.n_cohorts < 1:
            raise DoseFindingError("cohort_size and n_cohorts must be at least 1")
        if self.stay_at_one_third and not 0.25 <= self.target < 0.28:
            raise DoseFindingError("stay_at_one_third applies only to targets in [0.25, 0.28)")

    @property
    def safe(self) -> float:
        """φ1, the highest rate deemed safe (default 0.6 φ)."""
        return 0.6 * self.target if self.p_saf is None else self.p_saf

    @property
    def toxic(self) -> float:
        """φ2, the lowest rate deemed overly toxic (default 1.4 φ)."""
        return 1.4 * self.target if self.p_tox is None else self.p_tox

    @property
    def max_n(self) -> int:
        return self.cohort_size * self.n_cohorts

    @cached_property
    def lambdas(self) -> tuple[float, float]:
        return interval_boundaries(self.target, self.safe, self.toxic)

    def row(self, n: int) -> BoundaryRow:
        """The decision boundaries for ``n`` patients at the current dose (R's full_boundary_tab
        column ``n``): escalate if y ≤ ⌊λe n⌋; de-escalate if y ≥ ⌈λd n⌉, where a product that
        is an integer (within 1e-12) needs one more DLT, so the rule is strictly "rate > λd";
        eliminate at the Beta(1, 1) posterior rule; the de-escalation cut is capped at the
        elimination cut."""
        if n < 1:
            raise DoseFindingError(f"n = {n} must be at least 1")
        lambda_e, lambda_d = self.lambdas
        escalate = math.floor(lambda_e * n)
        product = lambda_d * n
        deescalate = round(product) + 1 if abs(product - round(product)) < 1e-12 else math.ceil(product)
        eliminate = first_dlt_count_over(self.target, n, self.cutoff_eli)
        if eliminate is not None:
            deescalate = min(deescalate, eliminate)
        if self.stay_at_one_third and n == 3 and deescalate == 1:
            deescalate = 2
        return BoundaryRow(n, escalate, deescalate, eliminate)

    @cached_property
    def table(self) -> list[BoundaryRow]:
        """Rows for n = 1 .. min(max N, n_earlystop)."""
        return [self.row(n) for n in range(1, min(self.max_n, self.n_earlystop) + 1)]

    def stop_boundary(self, n: int) -> int | None:
        """With ``extrasafe``: stop the trial when the lowest dose has ``n`` ≥ 3 patients and at
        least this many DLTs (posterior Pr(p1 > φ) > cutoff_eli − offset)."""
        return first_dlt_count_over(self.target, n, self.cutoff_eli - self.offset)


@dataclass(frozen=True)
class BoundaryArrays:
    """The decision table as arrays indexed by n = 0..size, for vectorised simulation: DLT counts
    at or below ``escalate`` escalate, at or above ``deescalate`` de-escalate, at or above
    ``eliminate`` eliminate, at or above ``stop`` (the lowest dose, extra-safe) stop the trial.
    A cut that does not exist (n = 0, or too few patients to eliminate) is size + 1: never met."""

    escalate: NDArray[np.int64]
    deescalate: NDArray[np.int64]
    eliminate: NDArray[np.int64]
    stop: NDArray[np.int64]


def boundary_arrays(design: BoinDesign, size: int) -> BoundaryArrays:
    never = size + 1
    rows = [design.row(m) for m in range(1, size + 1)]
    return BoundaryArrays(
        escalate=np.array([-1] + [r.escalate_if_dlt_le for r in rows], dtype=np.int64),
        deescalate=np.array([never] + [r.deescalate_if_dlt_ge for r in rows], dtype=np.int64),
        eliminate=np.array([never] + [r.eliminate_if_dlt_ge or never for r in rows], dtype=np.int64),
        stop=np.array([never] + [design.stop_boundary(m) or never for m in range(1, size + 1)], dtype=np.int64),
    )
