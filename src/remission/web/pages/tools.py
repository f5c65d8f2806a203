"""``/tools``: calculators without code, for staff. Each instrument's form is generated from its
input model (the catalogue), and the dose-finding explorer shows a design's decision table and
simulates a scenario through the same rule book and limits as the REST API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import PRESETS
from remission.dosefinding.simulation import SimulationCase
from remission.dosefinding.summary import boundaries_summary
from remission.instruments.catalogue import CATALOGUE, InstrumentError, UnknownInstrument, get, score
from remission.services.dosing import bundled_dose_protocols, resolve_design, simulate_bounded
from remission.web.forms import FormError, fields_of, values_from
from remission.web.schemas.dose import TRACE_LIMIT, WORK_LIMIT
from remission.web.security import checked_form, text_fields
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)
PAGE_TRIALS = 2000  # simulated trials per request from the page: seconds, not minutes


async def _form(request: Request) -> dict[str, str]:
    return text_fields(await checked_form(request, max_fields=100), 20_000)


@router.get("/tools", response_class=HTMLResponse)
def tools(request: Request) -> Response:
    instruments = sorted(CATALOGUE.values(), key=lambda i: i.title.lower())
    return render_page(request, "tools.html", {"instruments": instruments})


@router.api_route("/tools/instruments/{name}", methods=["GET", "POST"], response_class=HTMLResponse)
async def instrument_page(name: str, request: Request) -> Response:
    try:
        instrument = get(name)
    except UnknownInstrument:
        raise HTTPException(status_code=404, detail="no instrument of that name") from None
    fields = fields_of(instrument.inputs.model_json_schema())
    form: dict[str, str] = {}
    result: dict[str, Any] | None = None
    problem: str | None = None
    if request.method == "POST":
        form = await _form(request)
        try:
            result = score(name, values_from(fields, form))
        except (FormError, InstrumentError) as exc:
            problem = str(exc) if isinstance(exc, FormError) else exc.message
    context = {"instrument": instrument, "fields": fields, "form": form, "result": result, "problem": problem}
    return render_page(request, "instrument.html", context, status_code=422 if problem else 200)


def _floats(text: str, field: str) -> list[float]:
    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise DoseFindingError(f"{field}: numbers separated by commas") from None
    return values


@router.api_route("/tools/dose", methods=["GET", "POST"], response_class=HTMLResponse)
async def dose_page(request: Request) -> Response:
    form = await _form(request) if request.method == "POST" else dict(request.query_params)
    protocols = bundled_dose_protocols()
    protocol = form.get("protocol") or None
    preset = form.get("design") or None
    if protocol not in protocols:
        protocol = None
    if protocol is None and preset not in PRESETS:
        preset = "boin"
    problem: str | None = None
    table: dict[str, Any] | None = None
    simulation: dict[str, Any] | None = None
    try:
        target = form.get("target")
        targets = _floats(target, "target") if target else []
        options = {"target": targets[0]} if targets else {}
        design = resolve_design(protocol, None if protocol else preset, options, allow_paths=False, source="form")[1]
        table = boundaries_summary(design)
        if request.method == "POST" and form.get("truth"):
            truth = _floats(form["truth"], "truth")
            trials = min(PAGE_TRIALS, max(1, int(form.get("trials") or 1000)))
            case = SimulationCase(truth=tuple(truth), protocol=protocol, design=None if protocol else preset,
                                  options=options)  # fmt: skip
            simulation = simulate_bounded(case, trials, 1, False, WORK_LIMIT, TRACE_LIMIT)
    except (DoseFindingError, ValueError) as exc:
        problem = str(exc)
    context = {
        "protocols": protocols,
        "presets": sorted(PRESETS),
        "protocol": protocol,
        "preset": preset,
        "form": form,
        "table": table,
        "simulation": simulation,
        "problem": problem,
    }
    return render_page(request, "dose.html", context, status_code=422 if problem else 200)
