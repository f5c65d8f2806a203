"""A simulation scenario: a design, its parameters and the true DLT probabilities, as one
validated record that the CLI flags, the REST API and sweep files all fill in the same way."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.simulate import OperatingCharacteristics, simulate_boin, simulate_three_plus_three
from remission.dosefinding.simulate_bf import BackfillSettings, simulate_bf_boin

DesignName = Literal["boin", "bf-boin", "atd-bf-boin", "3+3"]


class Scenario(BaseModel):
    """Field names follow the CLI options (``--backfill-cap`` is ``backfill_cap``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    design: DesignName = "boin"
    truth: list[float] = Field(min_length=1)
    target: float = 0.30
    cohort_size: int = Field(3, ge=1, le=12)
    cohorts: int = Field(10, ge=1, le=200)
    n_earlystop: int = Field(100, ge=1)
    start_dose: int = Field(1, ge=1)
    titration: bool = False
    p_saf: float | None = None
    p_tox: float | None = None
    cutoff_eli: float = 0.95
    extrasafe: bool = False
    offset: float = 0.05
    stay_at_one_third: bool = False
    bound_mtd: bool = False
    backfill_cap: int = Field(12, ge=1, le=100)
    accrual_per_month: float = Field(3.0, gt=0)
    dlt_window_months: float = Field(1.0, gt=0)
    accrual: Literal["uniform", "poisson"] = "uniform"
    backfill_assign: Literal["highest", "lowest", "random"] = "highest"
    response: list[float] | None = None
    backfill_rules: Literal["paper", "bfboin"] = "paper"
    titration_levels: int = Field(2, ge=1)
    grade2: list[float] | None = None
    max_n: int | None = Field(None, ge=1)

    def boin(self) -> BoinDesign:
        return BoinDesign(target=self.target, cohort_size=self.cohort_size, n_cohorts=self.cohorts,
                          n_earlystop=self.n_earlystop, p_saf=self.p_saf, p_tox=self.p_tox,
                          cutoff_eli=self.cutoff_eli, extrasafe=self.extrasafe, offset=self.offset,
                          stay_at_one_third=self.stay_at_one_third)  # fmt: skip

    def backfill(self) -> BackfillSettings:
        hybrid = self.design == "atd-bf-boin"
        return BackfillSettings(
            cap=self.backfill_cap, accrual_per_month=self.accrual_per_month,
            dlt_window_months=self.dlt_window_months, accrual=self.accrual, assign=self.backfill_assign,
            rules=self.backfill_rules, titration_levels=self.titration_levels if hybrid else 0,
            grade2=tuple(self.grade2) if hybrid and self.grade2 is not None else None,
            max_total=self.max_n if self.max_n is not None else (self.cohort_size * self.cohorts if hybrid else None),
        )  # fmt: skip


class ScenarioError(DoseFindingError):
    """A refused scenario: ``problems`` pairs each field with what is wrong with it."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(f"{source}: " + "; ".join(f"{field}: {msg}" for field, msg in problems))
        self.problems = problems


def scenario(data: object, source: str = "scenario") -> Scenario:
    """A scenario from a mapping, or an error naming the source and the field."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [(".".join(map(str, e["loc"])) or "scenario", e["msg"]) for e in exc.errors()]
        raise ScenarioError(source, problems) from None


def run_scenario(s: Scenario, n_trials: int, seed: int) -> OperatingCharacteristics:
    """Simulate one scenario with its design."""
    design = s.boin()
    if s.design == "boin":
        return simulate_boin(design, s.truth, n_trials, seed=seed, start_dose=s.start_dose, titration=s.titration,
                             bound_mtd=s.bound_mtd)  # fmt: skip
    if s.design == "3+3":
        return simulate_three_plus_three(design, s.truth, n_trials, seed=seed, start_dose=s.start_dose)
    return simulate_bf_boin(design, s.truth, s.response, s.backfill(), n_trials, seed=seed, start_dose=s.start_dose,
                            bound_mtd=s.bound_mtd)  # fmt: skip
