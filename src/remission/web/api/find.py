"""/api/v1/find: the finder page's JSON twin, with the same parameters as ``/`` (``q``, ``near``,
``within``, ``sort``, ``scope`` and the repeatable facets ``disease``, ``cell_kind``, ``target``,
``phase``, ``status``, ``country``) and the facet counts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from remission.domain.trial import TrialSummary
from remission.services.finder import UnknownPlace, find, search_from
from remission.services.trials import InvalidFilter
from remission.web.deps import RegistryDep

router = APIRouter(prefix="/api/v1", tags=["trials"])


class FacetValue(BaseModel):
    value: str
    count: int


class PlaceOut(BaseModel):
    name: str
    country: str
    lat: float
    lon: float


class FindOut(BaseModel):
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int
    sort: str
    facets: dict[str, list[FacetValue]]
    place: PlaceOut | None


@router.get("/find", response_model=FindOut)
def find_trials(
    request: Request,
    registry: RegistryDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    near: Annotated[str | None, Query(max_length=200, description="A city: 'Shanghai', '上海', 'Lyon, France'")] = None,
    within: Annotated[int | None, Query(ge=1, le=20_000, description="km from `near`")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|distance|last_update)$")] = "relevance",
    scope: Annotated[str, Query(pattern="^(car|all)$")] = "car",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Search with facet counts over all matches, distances from a city, and the finder's sort."""
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    try:
        finding = find(registry, search_from(params), limit=limit, offset=offset)
    except (InvalidFilter, UnknownPlace) as exc:
        field = exc.field
        raise HTTPException(status_code=422, detail=[{"loc": ["query", field], "msg": str(exc)}]) from None
    place = finding.place
    return FindOut(
        items=finding.items,
        total=finding.total,
        limit=finding.limit,
        offset=finding.offset,
        sort=finding.sort,
        facets={k: [FacetValue(value=v, count=n) for v, n in values] for k, values in finding.facets.items()},
        place=None if place is None else PlaceOut(name=place.name, country=place.country, lat=place.lat, lon=place.lon),
    )
