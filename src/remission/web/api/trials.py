"""/api/v1/trials: list and search with filters (paginated), one trial, related trials."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from remission.domain.trial import TrialSummary
from remission.domain.values import Age
from remission.domain.vocab import CellType, OverallStatus, Phase, Sex, expand_phases, parse_disease_code
from remission.services.trials import Filters, TrialNotFound
from remission.web.deps import RegistryDep

router = APIRouter(prefix="/api/v1/trials", tags=["trials"])


class TrialPage(BaseModel):
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int


def _bad(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=[{"loc": ["query", field], "msg": message}])


@router.get("", response_model=TrialPage)
def list_trials(
    registry: RegistryDep,
    q: Annotated[str | None, Query(description="Words to find; all must match.")] = None,
    disease: Annotated[
        list[str] | None, Query(description="SLE, SSC, AAV, GPA, IIM, DM, SJS, RA, TAK, IGG4RD ...")
    ] = None,
    status: Annotated[list[OverallStatus] | None, Query()] = None,
    cell_type: Annotated[list[CellType] | None, Query()] = None,
    target: Annotated[list[str] | None, Query(description="CD19, BCMA ...")] = None,
    phase: Annotated[list[Phase] | None, Query(description="EARLY_PHASE1 also finds PHASE0")] = None,
    country: Annotated[list[str] | None, Query()] = None,
    city: Annotated[list[str] | None, Query()] = None,
    age: Annotated[str | None, Query(description="The patient's age: '34' (years) or '18 months'")] = None,
    sex: Annotated[Sex | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    try:
        diseases = [parse_disease_code(d).value for d in disease or []]
    except ValueError as exc:
        raise _bad("disease", str(exc)) from None
    try:
        age_days = Age.model_validate(age).in_days() if age else None
    except ValueError as exc:
        raise _bad("age", str(exc)) from None
    filters = Filters(
        diseases=diseases,
        statuses=[s.value for s in status or []],
        cell_types=[c.value for c in cell_type or []],
        targets=target or [],
        phases=expand_phases(phase or []),
        countries=country or [],
        cities=city or [],
        age_days=age_days,
        sex=sex,
    )
    result = registry.search(q, filters, limit=limit, offset=offset)
    return TrialPage(items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get("/{trial_id}")
def get_trial(trial_id: str, registry: RegistryDep) -> Any:
    """One trial, whole, with per-field provenance and recorded conflicts."""
    try:
        return registry.get(trial_id).model_dump(mode="json")
    except TrialNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


@router.get("/{trial_id}/related", response_model=list[TrialSummary])
def related_trials(trial_id: str, registry: RegistryDep, limit: Annotated[int, Query(ge=1, le=50)] = 10) -> Any:
    try:
        return registry.related(trial_id, limit)
    except TrialNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
