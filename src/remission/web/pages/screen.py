"""``/screen``: a physician's screen of one patient against every trial (or those near a
place): a profile of the contract pasted or uploaded, the ranked verdicts with each criterion's
reason, and the facts that would settle the most trials. The profile is not stored or logged."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from remission.criteria.profile import ProfileError
from remission.domain.vocab import OPEN_STATUSES
from remission.services.errors import FieldError
from remission.services.finder import UnknownPlace, find, search_from
from remission.services.screening import Screening, read_profile
from remission.services.trials import InvalidFilter
from remission.web.deps import RegistryDep
from remission.web.security import checked_form, text_fields
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)
MAX_PROFILE_BYTES = 1_000_000
SHOWN = 50


async def _profile_text(value: object) -> str | None:
    if isinstance(value, UploadFile):
        data = await value.read(MAX_PROFILE_BYTES + 1)
        if not data:
            return None
        if len(data) > MAX_PROFILE_BYTES:
            raise ProfileError(["profile: larger than 1 MB"], source="upload")
        return data.decode("utf-8", errors="replace")
    return value if isinstance(value, str) and value.strip() else None


@router.api_route("/screen", methods=["GET", "POST"], response_class=HTMLResponse)
async def screen_page(request: Request, registry: RegistryDep) -> Response:
    form: dict[str, str] = {}
    problem: str | FieldError | None = None
    results: list[Any] = []
    next_facts: list[Any] = []
    considered = 0
    if request.method == "POST":
        raw = await checked_form(request, max_fields=20, max_files=1)
        form = text_fields(raw, MAX_PROFILE_BYTES)
        try:
            text = await _profile_text(raw.get("file")) or form.get("profile")
            if not text:
                raise ProfileError(["profile: paste a profile or choose a file"], source="form")
            profile = read_profile(text, source="form")
            params = {k: [form[k]] for k in ("near", "within", "scope") if form.get(k)}
            if form.get("recruiting") == "yes":
                params["status"] = sorted(OPEN_STATUSES)
            finding = find(registry, search_from(params), limit=100_000)
            ids = [s.id for s in finding.items]
            considered = len(ids)
            screened = Screening(registry).screen(profile, ids) if ids else None
            if screened is not None:
                results = screened.results[:SHOWN]
                next_facts = screened.next_facts(8)
        except ProfileError as exc:
            problem = str(exc)
        except (InvalidFilter, UnknownPlace) as exc:
            problem = exc
    context = {"form": form, "problem": problem, "results": results, "next_facts": next_facts, "considered": considered}
    return render_page(request, "screen.html", context, status_code=422 if problem else 200)
