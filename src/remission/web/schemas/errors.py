"""The one error body of the REST API: ``{"error": one line, "detail": the problems, "status"}``.

FastAPI documents its own 422 body (``HTTPValidationError``: ``detail`` items with ``loc``,
``msg`` and ``type``); Remission answers every error with this model instead, so the OpenAPI
document names this one wherever FastAPI would have named its own (see ``web/app.py``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where: ['query', 'age'], ['body', 'diagnoses', 0] ...")
    msg: str = Field(description="What is wrong, never the value sent")


class ErrorBody(BaseModel):
    error: str = Field(description="The problems in one line")
    detail: list[ErrorItem] | str
    status: int
