"""/api/v1/screen and /api/v1/trials/{id}/screen: a patient profile in, the trials' verdicts out,
in the same JSON as ``remission screen --json``. The profile is patient data: it is not stored
or logged, and a refused profile's 422 names fields, never values."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query
from fastapi.responses import JSONResponse

from remission.criteria.profile import Profile, ProfileError
from remission.services.screening import Screening, profile_from
from remission.services.trials import InvalidFilter, TrialNotFound, make_filters
from remission.web.deps import RegistryDep

router = APIRouter(prefix="/api/v1", tags=["screening"])
ProfileBody = Annotated[
    Any,
    Body(
        description="A patient profile (../shared/contracts/patient-profile.schema.json), or"
        ' {"profile": PROFILE, "items": {INSTRUMENT: ITEMS}} to score activity totals from raw items.'
    ),
]


def _profile(data: Any) -> Profile | JSONResponse:
    try:
        return profile_from(data, source="request body")
    except ProfileError as exc:
        detail = []
        for problem in exc.problems:
            field, _, msg = problem.partition(": ")
            detail.append({"loc": ["body", *field.split(".")] if msg else ["body"], "msg": msg or problem})
        return JSONResponse({"error": str(exc), "detail": detail, "status": 422}, status_code=422)


@router.post("/screen", responses={422: {"description": "Invalid profile"}})
def screen_endpoint(
    registry: RegistryDep,
    profile: ProfileBody,
    trial: Annotated[list[str] | None, Query(description="Only these trials (repeatable).")] = None,
    disease: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    country: Annotated[list[str] | None, Query()] = None,
    city: Annotated[list[str] | None, Query()] = None,
    what_next: Annotated[bool, Query(description="Return the ranked missing facts instead.")] = False,
) -> Any:
    """Every trial's verdict for the patient, ranked: eligible, unknown (fewest missing), ineligible."""
    parsed = _profile(profile)
    if isinstance(parsed, JSONResponse):
        return parsed
    try:
        filters = make_filters(
            diseases=disease or [], statuses=status or [], countries=country or [], cities=city or []
        )
        screened = Screening(registry).screen(parsed, trial or [], None if trial else filters)
    except TrialNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except InvalidFilter as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    if what_next:
        return [f.as_dict() for f in screened.next_facts()]
    return [r.as_dict() for r in screened.results]


@router.post(
    "/trials/{trial_id}/screen",
    responses={404: {"description": "No such trial"}, 422: {"description": "Invalid profile"}},
)
def screen_trial(registry: RegistryDep, trial_id: str, profile: ProfileBody) -> Any:
    """One trial's verdict for the patient, as a one-element list."""
    parsed = _profile(profile)
    if isinstance(parsed, JSONResponse):
        return parsed
    try:
        screened = Screening(registry).screen(parsed, [trial_id])
    except TrialNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return [r.as_dict() for r in screened.results]
