"""/api/v1/instruments: the catalogue, one instrument's inputs and reference, and scoring.

Scoring is a stateless computation, so this face calls the instruments core directly (the
design allows it); nothing is stored and the submitted items are never logged.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from remission.instruments.base import Instrument
from remission.instruments.catalogue import CATALOGUE, InstrumentError, UnknownInstrument, get, score

router = APIRouter(prefix="/api/v1/instruments", tags=["instruments"])


class InstrumentSummary(BaseModel):
    name: str
    title: str
    reference: str


class InstrumentDescription(InstrumentSummary):
    inputs: dict[str, Any]
    result: dict[str, Any]


def _summary(instrument: Instrument[Any, Any]) -> InstrumentSummary:
    return InstrumentSummary(name=instrument.name, title=instrument.title, reference=instrument.reference)


def _instrument(name: str) -> Instrument[Any, Any]:
    try:
        return get(name)
    except UnknownInstrument as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


@router.get("", response_model=list[InstrumentSummary])
def list_instruments() -> Any:
    return [_summary(i) for i in CATALOGUE.values()]


@router.get("/{name}", response_model=InstrumentDescription)
def describe_instrument(name: str) -> Any:
    """The instrument's reference and the JSON Schemas of its input and its result."""
    instrument = _instrument(name)
    return InstrumentDescription(
        **_summary(instrument).model_dump(),
        inputs=instrument.inputs.model_json_schema(),
        result=instrument.result.model_json_schema(),
    )


@router.post("/{name}", responses={404: {"description": "No such instrument"}, 422: {"description": "Refused"}})
def score_instrument(
    name: str,
    items: Annotated[Any, Body(description="The items, exactly as `remission score NAME --input` takes them.")],
) -> Any:
    """``{"instrument": NAME, ...result fields..., "details": {...}}``, as the CLI prints it; a
    refused input is a 422 whose ``error`` names the item and what is allowed."""
    _instrument(name)
    try:
        return score(name, items)
    except InstrumentError as exc:
        return JSONResponse(
            {"instrument": name, "error": exc.message, "detail": [{"loc": ["body"], "msg": exc.message}],
             "status": 422},
            status_code=422,
        )  # fmt: skip
