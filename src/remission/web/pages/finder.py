"""``/``: the finder. One box, the facets with their counts, a place to measure distance from,
a sort and pages of result cards. A plain GET form: the address is the search, so it can be
bookmarked, shared and saved as an alert, and it works without JavaScript (htmx only swaps the
results in place)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from remission.services.finder import MULTI, Finding, Search, UnknownPlace, find, search_from
from remission.services.trials import InvalidFilter
from remission.web.deps import RegistryDep
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 10_000 else 1


@router.get("/", response_class=HTMLResponse)
def finder(request: Request, registry: RegistryDep) -> HTMLResponse:
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    number = _page_number(request.query_params.get("page"))
    problem: str | None = None
    finding: Finding | None = None
    search = Search()
    try:
        search = search_from(params)
        finding = find(registry, search, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    except (InvalidFilter, UnknownPlace) as exc:
        problem = str(exc)
    chosen = {name: request.query_params.getlist(name) for name in MULTI}
    base = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang")]
    pages = 0 if finding is None else -(-finding.total // PAGE_SIZE)

    def page_link(n: int) -> str:
        return "/?" + urlencode([*base, ("page", str(n))])

    context: dict[str, Any] = {
        "q": request.query_params.get("q", "")[:200],
        "near": request.query_params.get("near", "")[:200],
        "within": int(search.within_km) if search.within_km else "",
        "sort": search.sort,
        "scope": "all" if search.scope_all else "car",
        "chosen": chosen,
        "finding": finding,
        "problem": problem,
        "page": number,
        "pages": pages,
        "page_link": page_link,
        "alert_link": "/alerts?" + urlencode([("search", urlencode(base))]),
    }
    template = "_results.html" if request.headers.get("hx-request") == "true" else "finder.html"
    return render_page(request, template, context, status_code=422 if problem else 200)
