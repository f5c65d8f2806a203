"""``/``: the finder. One box, the facets with their counts, a place to measure distance from,
a sort and pages of result cards. A plain GET form: the address is the search, so it can be
bookmarked, shared and saved as an alert, and it works without JavaScript (htmx only swaps the
results in place)."""

from __future__ import annotations

import re
from functools import cache, partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from remission.domain.marker import N_
from remission.domain.plain_summary import PLAIN_DISEASE
from remission.domain.vocab import DISEASE_LABELS
from remission.services.errors import FieldError
from remission.services.finder import FACETS, Finding, Search, UnknownPlace, find, search_from
from remission.services.trials import InvalidFilter, Registry
from remission.web.deps import RegistryDep
from remission.web.i18n import language
from remission.web.page_cache import kept_or_built
from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


@cache
def _chinese_disease_names() -> list[tuple[str, str]]:
    """(Chinese name, disease code) from the zh catalogue's translations of the disease labels,
    longest first, so that "系统性红斑狼疮" is read before "狼疮"."""
    zh = language("zh")
    names: dict[str, str] = {}
    for code, label in DISEASE_LABELS.items():
        for text in (label, PLAIN_DISEASE.get(code, "")):
            for run in _CJK.findall(zh.gettext(text)) if text else []:
                names.setdefault(run, code.value)
    return sorted(names.items(), key=lambda kv: -len(kv[0]))


def chinese_query(params: dict[str, list[str]]) -> None:
    """Disease names typed in Chinese become disease filters (the search index holds English
    words only); raises :class:`InvalidFilter` when Chinese words are left that cannot be
    searched."""
    q = (params.get("q") or [""])[0]
    if not _CJK.search(q):
        return
    for name, code in _chinese_disease_names():
        if name in q:
            q = q.replace(name, " ")
            params.setdefault("disease", []).append(code)
    params["q"] = [q.strip()]
    if _CJK.search(q):
        message = N_("Chinese words other than disease names are not searched yet: use the filters or English words")
        raise InvalidFilter("q", message)


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 10_000 else 1


@router.get("/", response_class=HTMLResponse)
def finder(request: Request, registry: RegistryDep) -> Response:
    return kept_or_built(request, registry, partial(_finder, request, registry))


def _finder(request: Request, registry: Registry) -> HTMLResponse:
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    number = _page_number(request.query_params.get("page"))
    problem: FieldError | None = None
    finding: Finding | None = None
    search = Search()
    try:
        chinese_query(params)
        search = search_from(params)
        finding = find(registry, search, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    except (InvalidFilter, UnknownPlace) as exc:
        problem = exc
    chosen = {name: request.query_params.getlist(name) for name in FACETS}
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
