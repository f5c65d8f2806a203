"""/api/v1/trials: list and search with filters (paginated), one trial, related trials."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from remission.domain.trial import TrialSummary
from remission.domain.vocab import CellType, OverallStatus, Phase, Sex
from remission.services.trials import InvalidFilter, TrialNotFound, make_filters
from remission.web.deps import RegistryDep

router = APIRouter(prefix="/api/v1/trials", tags=["trials"])


class TrialPage(BaseModel):
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int


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
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    try:
        filters = make_filters(
            diseases=disease or [],
            statuses=status or [],
            cell_types=cell_type or [],
            targets=target or [],
            phases=phase or [],
            countries=country or [],
            cities=city or [],
            age=age,
            sex=sex,
        )
    except InvalidFilter as exc:
        raise HTTPException(status_code=422, detail=[{"loc": ["query", exc.field], "msg": exc.message}]) from None
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
