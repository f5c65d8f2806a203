"""The FastAPI application: the public pages at ``/``, the REST API under ``/api/v1``, the
OpenAPI explorer at ``/docs``, and the static files they need (nothing from another host)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from remission.services.trials import DatabaseNotReady, Registry
from remission.settings import get_settings
from remission.web.api.dose import router as dose_router
from remission.web.api.find import router as find_router
from remission.web.api.instruments import router as instruments_router
from remission.web.api.notes import router as notes_router
from remission.web.api.screen import router as screen_router
from remission.web.api.trials import router as trials_router
from remission.web.page_cache import PageCache
from remission.web.pages.alerts import router as alerts_page
from remission.web.pages.contact import router as contact_page
from remission.web.pages.docs import router as docs_page
from remission.web.pages.finder import router as finder_page
from remission.web.pages.info import router as info_page
from remission.web.pages.screen import router as screen_page
from remission.web.pages.tools import router as tools_page
from remission.web.pages.trial import router as trial_page
from remission.web.schemas.errors import ErrorBody
from remission.web.security import Guard
from remission.web.templating import render_page

_TITLES = {
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Check the form",
    503: "Not available",
}


def _message(problems: list[dict[str, Any]]) -> str:
    """One line from FastAPI-style problems: ``query.age: ...; query.limit: ...``."""
    return "; ".join(f"{'.'.join(str(x) for x in p['loc'])}: {p['msg']}" for p in problems)


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "text/html")


def create_app(registry: Registry | None = None) -> FastAPI:
    app = FastAPI(
        title="Remission",
        version="0.1.0",
        description="CAR cell-therapy trials in relapsed/refractory autoimmune disease.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.registry = registry or Registry.from_url(get_settings().url())
    app.state.page_cache = PageCache()
    app.add_middleware(Guard)
    app.include_router(find_router)
    app.include_router(trials_router)
    app.include_router(instruments_router)
    app.include_router(dose_router)
    app.include_router(screen_router)
    app.include_router(finder_page)
    app.include_router(trial_page)
    app.include_router(notes_router)
    for page in (docs_page, contact_page, alerts_page, screen_page, tools_page, info_page):
        app.include_router(page)
    static = Path(str(resources.files("remission.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail
        message = detail if isinstance(detail, str) else _message(detail)
        headers = dict(exc.headers or {})
        if _is_page(request):
            title = _TITLES.get(exc.status_code, "Something went wrong")
            response: Response = render_page(
                request, "error.html", {"title": title, "message": message}, status_code=exc.status_code
            )
            response.headers.update(headers)
            return response
        return JSONResponse(
            {"error": message, "detail": detail, "status": exc.status_code},
            status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e["loc"]), "msg": e["msg"].removeprefix("Value error, ")} for e in exc.errors()]
        return JSONResponse({"error": _message(problems), "detail": problems, "status": 422}, status_code=422)

    @app.exception_handler(DatabaseNotReady)
    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: Exception) -> Response:
        # What to run, not a bare 500: the usual cause is a database never migrated, or the
        # wrong REMISSION_DATABASE_URL. The exception's text (SQL, paths) is not shown.
        message = "the database is not ready: run `remission db upgrade`, and check REMISSION_DATABASE_URL"
        return await http_error(request, StarletteHTTPException(status_code=503, detail=message))

    def openapi() -> dict[str, Any]:
        # One error model: FastAPI's HTTPValidationError is replaced by Remission's ErrorBody.
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components["HTTPValidationError"] = body
            components.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, object]:
        app.state.registry.check_ready()
        return {"status": "ok", "trials": app.state.registry.count()}

    return app
