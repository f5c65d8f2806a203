"""``/docs``: the OpenAPI explorer, with Swagger UI's files served by the app itself (version
5.35.0 from the npm package ``swagger-ui-dist``, vendored in ``web/static``: the PyPI bundles
ship Swagger UI 4, which cannot read FastAPI's OpenAPI 3.1), so it works offline and under a
CSP that allows no inline script: the page's start-up code is a static file too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from remission.web.templating import render_page

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return render_page(request, "docs.html", {})
