"""/api/v1/dose: BOIN decision tables, MTD selection, the next action of a running trial, and
simulated operating characteristics. Stateless computations over the dosefinding core."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.live import next_action
from remission.dosefinding.mtd import select_mtd
from remission.dosefinding.outcomes import parse_outcomes, patients_from_records
from remission.dosefinding.protocol import read_protocol
from remission.dosefinding.scenarios import Scenario, run_scenario
from remission.dosefinding.summary import boundaries_summary, mtd_summary, next_summary
from remission.services.dosing import load_protocol

router = APIRouter(prefix="/api/v1/dose", tags=["dose finding"])


def _refused(exc: DoseFindingError) -> HTTPException:
    return HTTPException(status_code=422, detail=[{"loc": ["body"], "msg": str(exc)}])


class DesignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: float = 0.30
    cohort_size: int = Field(3, ge=1, le=12)
    cohorts: int = Field(10, ge=1, le=100)
    n_earlystop: int = Field(100, ge=1)
    p_saf: float | None = None
    p_tox: float | None = None
    cutoff_eli: float = 0.95
    extrasafe: bool = False
    offset: float = 0.05

    def design(self) -> BoinDesign:
        try:
            return BoinDesign(target=self.target, cohort_size=self.cohort_size, n_cohorts=self.cohorts,
                              n_earlystop=self.n_earlystop, p_saf=self.p_saf, p_tox=self.p_tox,
                              cutoff_eli=self.cutoff_eli, extrasafe=self.extrasafe, offset=self.offset)  # fmt: skip
        except DoseFindingError as exc:
            raise _refused(exc) from None


@router.get("/boundaries")
def boundaries(design: Annotated[DesignIn, Query()]) -> dict[str, Any]:
    """The BOIN decision table (as `remission dose boundaries --json`)."""
    return boundaries_summary(design.design())


class SelectMtdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: float = 0.30
    n: list[int]
    y: list[int]
    bound_mtd: bool = False
    extrasafe: bool = False
    cutoff_eli: float = 0.95
    offset: float = 0.05


@router.post("/select-mtd")
def select(body: SelectMtdIn) -> dict[str, Any]:
    """The MTD with isotonic estimates, 95% credible intervals and Pr(overdose)."""
    try:
        design = BoinDesign(target=body.target, extrasafe=body.extrasafe, cutoff_eli=body.cutoff_eli,
                            offset=body.offset)  # fmt: skip
        return mtd_summary(select_mtd(design, body.n, body.y, bound_mtd=body.bound_mtd))
    except DoseFindingError as exc:
        raise _refused(exc) from None


class NextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: str | None = Field(None, description="A bundled protocol, e.g. NCT07095075.")
    protocol_toml: str | None = Field(None, description="Or the text of a protocol file.")
    outcomes: str | None = Field(None, description='Patients so far in the notation, e.g. "1N 2N 3NNT".')
    patients: list[dict[str, Any]] | None = Field(None, description="Or patient records (dose, dlt, ...).")
    as_of: date | None = Field(None, description="Today, for the DLT windows of dated patients (default: today).")


@router.post("/next")
def next_dose(body: NextIn) -> dict[str, Any]:
    """The next action of a running trial, with reasons."""
    try:
        if (body.protocol is None) == (body.protocol_toml is None):
            raise DoseFindingError("give protocol (a bundled id) or protocol_toml, not both")
        spec, protocol = (load_protocol(body.protocol, allow_paths=False) if body.protocol is not None
                          else read_protocol(body.protocol_toml or "", "protocol_toml"))  # fmt: skip
        if body.patients is not None and body.outcomes is not None:
            raise DoseFindingError("give outcomes or patients, not both")
        patients = (patients_from_records(body.patients, protocol.doses, "patients") if body.patients is not None
                    else parse_outcomes(body.outcomes or "", len(protocol.doses)))  # fmt: skip
        today = body.as_of or date.today()
        return {"trial": spec.trial.id, **next_summary(protocol, next_action(protocol, patients, today))}
    except DoseFindingError as exc:
        raise _refused(exc) from None


@router.post("/simulate")
def simulate(body: Scenario, trials: Annotated[int, Query(ge=1, le=200_000)] = 10_000, seed: int = 1) -> dict[str, Any]:
    """Operating characteristics by simulation: the scenario's fields are `remission dose
    simulate`'s options (design boin, bf-boin, atd-bf-boin or 3+3)."""
    try:
        return asdict(run_scenario(body, trials, seed))
    except DoseFindingError as exc:
        raise _refused(exc) from None
