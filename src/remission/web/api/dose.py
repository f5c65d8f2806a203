"""/api/v1/dose: BOIN decision tables, MTD selection, the next action of a running trial, and
simulated operating characteristics, with the same JSON as ``remission dose ... --json``.
Stateless computations over the dosefinding core; protocols are the bundled ones only (a file
path is never opened on a client's say)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DesignError, option_path
from remission.dosefinding.mtd import select_mtd
from remission.dosefinding.next_action import next_action
from remission.dosefinding.patients import parse_outcomes, patients_from_records
from remission.dosefinding.protocol import read_protocol
from remission.dosefinding.summary import boundaries_summary, mtd_summary, next_summary
from remission.services.dosing import load_dose_protocol, resolve_design, simulate_bounded
from remission.web.schemas.dose import (
    TRACE_LIMIT,
    WORK_LIMIT,
    BoundariesOut,
    MtdOut,
    NextIn,
    NextOut,
    SelectMtdIn,
    SimulateIn,
    SimulateOut,
)

router = APIRouter(prefix="/api/v1/dose", tags=["dose finding"])


def _refused(exc: DoseFindingError, where: str = "body", options: Mapping[str, Any] | None = None) -> HTTPException:
    """One 422 in the app's error model: each refused field named by its path in the request (a
    value given in ``options`` under its option name, any other under ``design``)."""
    if not isinstance(exc, DesignError):
        return HTTPException(status_code=422, detail=[{"loc": [where], "msg": str(exc)}])
    detail = []
    for field, msg in exc.problems:
        if not field:
            loc = [where]
        elif options is None:
            loc = [where, *field.split(".")]
        else:
            named = next((k for k in options if option_path(k) == field), None)
            loc = [where, "options", named] if named else [where, "design", *field.split(".")]
        detail.append({"loc": loc, "msg": msg})
    return HTTPException(status_code=422, detail=detail)


@router.get("/boundaries", response_model=BoundariesOut)
def decision_table(
    protocol: Annotated[str | None, Query(description="A bundled protocol, e.g. NCT07095075.")] = None,
    target: float | None = None,
    cohort_size: int | None = None,
    cohorts: int | None = None,
    n_earlystop: int | None = None,
    p_saf: float | None = None,
    p_tox: float | None = None,
    cutoff_eli: float | None = None,
    extrasafe: bool | None = None,
    offset: float | None = None,
    stay_at_one_third: bool | None = None,
) -> Any:
    """The BOIN decision table (as `remission dose boundaries --json`)."""
    options = {"target": target, "cohort_size": cohort_size, "cohorts": cohorts, "n_earlystop": n_earlystop,
               "p_saf": p_saf, "p_tox": p_tox, "cutoff_eli": cutoff_eli, "extrasafe": extrasafe, "offset": offset,
               "stay_at_one_third": stay_at_one_third}  # fmt: skip
    try:
        _, design = resolve_design(protocol, None, options, allow_paths=False, source="query")
    except DoseFindingError as exc:
        raise _refused(exc, "query") from None
    return boundaries_summary(design)


@router.post("/select-mtd", response_model=MtdOut)
def mtd(body: SelectMtdIn) -> Any:
    """The MTD with isotonic estimates, 95% credible intervals and Pr(overdose)."""
    try:
        options = body.model_dump(exclude={"n", "y"})
        _, design = resolve_design(None, None, options, source="body")
        return mtd_summary(select_mtd(design.table(), body.n, body.y, bound_mtd=design.bound_mtd))
    except DoseFindingError as exc:
        raise _refused(exc) from None


@router.post("/next", response_model=NextOut)
def next_dose(body: NextIn) -> Any:
    """The next action of a running trial, with reasons; values the trial has not published are
    listed under ``assumed``."""
    try:
        if (body.protocol is None) == (body.protocol_toml is None):
            raise DoseFindingError("give protocol (a bundled id) or protocol_toml" +
                                   (", not both" if body.protocol is not None else ""))  # fmt: skip
        protocol = (load_dose_protocol(body.protocol, allow_paths=False) if body.protocol is not None
                    else read_protocol(body.protocol_toml or "", "protocol_toml"))  # fmt: skip
        if body.patients is not None and body.outcomes is not None:
            raise DoseFindingError("give outcomes or patients, not both")
        doses = protocol.trial.doses
        patients = (patients_from_records(body.patients, doses, "patients") if body.patients is not None
                    else parse_outcomes(body.outcomes or "", len(doses)))  # fmt: skip
        return next_summary(protocol, next_action(protocol, patients, body.as_of or date.today()))
    except DoseFindingError as exc:
        raise _refused(exc) from None


@router.post("/simulate", response_model=SimulateOut)
def simulate_endpoint(body: SimulateIn) -> Any:
    """Operating characteristics by simulation of a bundled protocol, a preset (boin, bf-boin,
    atd-bf-boin, 3+3) or a design object, with ``options`` overriding values by the command
    line's option names; ``trace`` returns every decision point of up to 100 trials."""
    try:
        return simulate_bounded(body, body.trials, body.seed, body.trace, WORK_LIMIT, TRACE_LIMIT)
    except DoseFindingError as exc:
        raise _refused(exc, options=body.options) from None
