"""``/trials/{id}/contact``: write to the study centre (the referral packet)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from remission.domain.marker import N_
from remission.services.referrals import CONTACT_LANGUAGES, Referral, ReferralError, contact_sites, send_referral
from remission.services.trials import TrialNotFound
from remission.settings import get_settings
from remission.web.deps import RegistryDep
from remission.web.security import RateLimiter, checked_form, text_fields
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)
_per_client = RateLimiter(limit=10, window=3600)


def _form_referral(form: dict[str, str]) -> Referral:
    site = form.get("site", "")
    return Referral(
        first_name=form.get("first_name", ""),
        last_name=form.get("last_name", ""),
        email=form.get("email", ""),
        phone=form.get("phone", ""),
        language=form.get("language", "en"),
        message=form.get("message", ""),
        site=int(site) if site.isdigit() else None,
        summary=form.get("summary") or None,
        consent=form.get("consent") == "yes",
        copy_to_sender=form.get("copy") == "yes",
    )


@router.api_route("/trials/{trial_id}/contact", methods=["GET", "POST"], response_class=HTMLResponse)
async def contact(trial_id: str, request: Request, registry: RegistryDep) -> Response:
    try:
        trial = registry.get(trial_id)
    except TrialNotFound:
        raise HTTPException(status_code=404, detail=f"no trial is known by the id {trial_id[:64]!r}") from None
    form: dict[str, str] = {}
    problem: ReferralError | None = None
    receipt = None
    if request.method == "POST":
        form = text_fields(await checked_form(request, max_fields=50), 20_000)
        if form.get("step") == "send":
            client = request.client.host if request.client else "unknown"
            try:
                if not _per_client.allow(client):
                    raise ReferralError("form", N_("too many messages from this computer in the last hour"))
                receipt = send_referral(registry, get_settings(), trial.id, _form_referral(form))
            except ReferralError as exc:
                problem = exc
    context = {
        "trial": trial,
        "sites": contact_sites(trial),
        "form": form,
        "problem": problem,
        "receipt": receipt,
        "LANGUAGES": CONTACT_LANGUAGES,
    }
    return render_page(request, "contact.html", context, status_code=422 if problem else 200)
