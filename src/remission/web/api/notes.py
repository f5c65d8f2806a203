"""/api/v1/notes: store and fetch a note encrypted in the browser (see services/notes.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from remission.services.notes import NoteError, share, shared
from remission.services.trials import TrialNotFound
from remission.web.deps import RegistryDep
from remission.web.security import csrf_valid

router = APIRouter(prefix="/api/v1/notes", tags=["notes"])


class NoteIn(BaseModel):
    trial_id: str = Field(min_length=1, max_length=64)
    salt: str = Field(max_length=100)
    iv: str = Field(max_length=40)
    ciphertext: str = Field(max_length=90_000)


class NoteOut(NoteIn):
    id: str
    expires_at: str


@router.post("", response_model=NoteOut, status_code=201)
def share_note(body: NoteIn, request: Request, registry: RegistryDep) -> Any:
    """Store an encrypted note; the page sends its CSRF token in ``X-CSRF-Token``."""
    if not csrf_valid(request, request.headers.get("x-csrf-token")):
        raise HTTPException(status_code=403, detail="missing or expired CSRF token: reload the page")
    try:
        return share(registry, body.trial_id, body.salt, body.iv, body.ciphertext)
    except TrialNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except NoteError as exc:
        raise HTTPException(status_code=422, detail=[{"loc": ["body", exc.field], "msg": str(exc)}]) from None


@router.get("/{note_id}", response_model=NoteOut)
def get_note(note_id: str, registry: RegistryDep) -> Any:
    found = shared(registry, note_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such note, or it has expired")
    return found
