"""``/alerts``: subscribe to a saved search or a trial; confirm and unsubscribe by the links in
the mails. Confirming and unsubscribing are a button on the page the link opens (a POST), so a
mail scanner that follows links does not confirm or end an alert on its own."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from remission.domain.marker import N_
from remission.services.alerts import AlertError, confirm, subscribe, unsubscribe
from remission.services.errors import FieldError
from remission.services.finder import UnknownPlace
from remission.services.trials import InvalidFilter, TrialNotFound
from remission.settings import get_settings
from remission.web.deps import RegistryDep
from remission.web.security import RateLimiter, checked_form, text_fields
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)
_per_client = RateLimiter(limit=20, window=3600)


async def _form(request: Request) -> dict[str, str]:
    return text_fields(await checked_form(request, max_fields=20), 2000)


@router.api_route("/alerts", methods=["GET", "POST"], response_class=HTMLResponse)
async def alerts(request: Request, registry: RegistryDep) -> Response:
    trial = request.query_params.get("trial", "")[:64]
    saved = request.query_params.get("search", "")[:2000] or (f"trial={trial}" if trial else "")
    form: dict[str, str] = {"search": saved}
    problem: FieldError | None = None
    done = False
    if request.method == "POST":
        form = await _form(request)
        client = request.client.host if request.client else "unknown"
        try:
            if not _per_client.allow(client):
                raise AlertError("form", N_("too many alerts asked from this computer in the last hour"))
            subscribe(registry, get_settings(), form.get("email", ""), form.get("search", ""))
            done = True
        except (AlertError, InvalidFilter, UnknownPlace) as exc:
            problem = exc
        except TrialNotFound:
            problem = AlertError("search", N_("no such trial"))
    params = parse_qs(form.get("search", ""))
    context = {"form": form, "problem": problem, "done": done, "described": params}
    return render_page(request, "alerts.html", context, status_code=422 if problem else 200)


@router.api_route("/alerts/{action}", methods=["GET", "POST"], response_class=HTMLResponse)
async def alert_link(action: str, request: Request, registry: RegistryDep) -> Response:
    if action not in ("confirm", "unsubscribe"):
        raise HTTPException(status_code=404, detail="no such page")
    token = request.query_params.get("token", "")[:64]
    result: bool | None = None
    if request.method == "POST":
        token = (await _form(request)).get("token", "")[:64]
        result = confirm(registry, token) if action == "confirm" else unsubscribe(registry, token)
    context = {"action": action, "token": token, "result": result}
    return render_page(request, "alert_link.html", context, status_code=404 if result is False else 200)
