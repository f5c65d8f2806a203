"""The FastAPI application: REST API under /api/v1, OpenAPI at /docs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from remission.services.trials import Registry
from remission.settings import get_settings
from remission.web.api.dose import router as dose_router
from remission.web.api.instruments import router as instruments_router
from remission.web.api.screen import router as screen_router
from remission.web.api.trials import router as trials_router


def _message(problems: list[dict[str, Any]]) -> str:
    """One line from FastAPI-style problems: ``query.age: ...; query.limit: ...``."""
    return "; ".join(f"{'.'.join(str(x) for x in p['loc'])}: {p['msg']}" for p in problems)


def create_app(registry: Registry | None = None) -> FastAPI:
    app = FastAPI(
        title="Remission",
        version="0.1.0",
        description="CAR cell-therapy trials in relapsed/refractory autoimmune disease.",
    )
    app.state.registry = registry or Registry.from_url(get_settings().url())
    app.include_router(trials_router)
    app.include_router(instruments_router)
    app.include_router(dose_router)
    app.include_router(screen_router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        message = detail if isinstance(detail, str) else _message(detail)
        return JSONResponse(
            {"error": message, "detail": detail, "status": exc.status_code}, status_code=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e["loc"]), "msg": e["msg"].removeprefix("Value error, ")} for e in exc.errors()]
        return JSONResponse({"error": _message(problems), "detail": problems, "status": 422}, status_code=422)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/docs")

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, object]:
        return {"status": "ok", "trials": app.state.registry.count()}

    return app
