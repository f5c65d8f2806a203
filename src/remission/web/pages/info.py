"""Pages with little logic: the FAQ about taking part, and a shared note's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)


@router.get("/faq", response_class=HTMLResponse)
def faq(request: Request) -> Response:
    return render_page(request, "faq.html", {})


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def shared_note(note_id: str, request: Request) -> Response:
    """The note is fetched and decrypted in the browser, with the passcode typed here."""
    return render_page(request, "note.html", {"note_id": note_id[:32]})
