"""Security headers on every response and the CSRF token of every form that changes state.

Headers follow the OWASP Secure Headers Project's recommendations: a Content-Security-Policy
that allows no inline script and no other host, ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: same-origin`` (a trial page's address never leaks to a site it links to)
and ``frame-ancestors 'none'`` against clickjacking.

CSRF uses the double-submit pattern (OWASP CSRF Prevention Cheat Sheet): a random token in an
``HttpOnly; SameSite=Lax`` cookie and the same token in a hidden field of the form; a POST whose
two copies differ is refused. Another site can neither read the cookie nor set it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request, Response
from starlette.datastructures import FormData

CSRF_COOKIE = "remission_csrf"
CSRF_FIELD = "csrf_token"
MAX_FORM_PART = 1_000_000  # bytes of one form field or file (a profile upload is the largest)

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# Swagger UI sets style attributes from its scripts; its page alone allows them.
_CSP_DOCS = _CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    docs = request.url.path in ("/docs", "/docs/oauth2-redirect")
    response.headers.setdefault("Content-Security-Policy", _CSP_DOCS if docs else _CSP)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def csrf_token(request: Request) -> str:
    """The token for this browser: the cookie's when it has one, else a new one (which the page
    response sets with :func:`remember_csrf`)."""
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token
    cached: str | None = getattr(request.state, "csrf", None)
    if cached is None:
        cached = secrets.token_urlsafe(32)
        request.state.csrf = cached
    return cached


def remember_csrf(request: Request, response: Response) -> None:
    if request.cookies.get(CSRF_COOKIE) != csrf_token(request):
        response.set_cookie(
            CSRF_COOKIE,
            csrf_token(request),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=60 * 60 * 24,
        )


def csrf_valid(request: Request, submitted: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie) and isinstance(submitted, str) and secrets.compare_digest(cookie or "", submitted)


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a client address), in memory:
    a sliding window, enough for one process; the per-sender limits live in the database."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._events: dict[str, list[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        t = time.monotonic() if now is None else now
        recent = [e for e in self._events.get(key, []) if t - e < self.window]
        if len(recent) >= self.limit:
            self._events[key] = recent
            return False
        recent.append(t)
        self._events[key] = recent
        if len(self._events) > 10_000:  # forget idle clients rather than grow without bound
            self._events = {k: v for k, v in self._events.items() if v and t - v[-1] < self.window}
        return True


async def checked_form(request: Request, *, max_fields: int, max_files: int = 0) -> FormData:
    """The posted form, refused with 403 when its CSRF token does not match the cookie's."""
    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=MAX_FORM_PART)
    if not csrf_valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(status_code=403, detail="the form expired: reload the page and send it again")
    return form


def text_fields(form: FormData, limit: int) -> dict[str, str]:
    """The form's text fields, each cut to ``limit`` characters (a file field is left out)."""
    return {k: v[:limit] for k, v in form.items() if isinstance(v, str)}
