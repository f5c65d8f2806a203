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

from fastapi import HTTPException, Request, Response
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "remission_csrf"
CSRF_FIELD = "csrf_token"
MAX_FORM_PART = 1_000_000  # bytes of one form field or file (a profile upload is the largest)
#: Bytes of any request body: a profile upload of MAX_FORM_PART with the rest of its form. The
#: largest JSON body the API takes (a screening profile at the contract's caps) is far smaller.
MAX_BODY = 2 * MAX_FORM_PART

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
_HEADERS_PAGES = [(k.lower().encode(), v.encode()) for k, v in {**HEADERS, "Content-Security-Policy": _CSP}.items()]
_HEADERS_DOCS = [(k.lower().encode(), v.encode()) for k, v in {**HEADERS, "Content-Security-Policy": _CSP_DOCS}.items()]


class Guard:
    """Pure ASGI middleware (no per-request task, unlike a ``BaseHTTPMiddleware``): the security
    headers on every response, and a cap on every request body.

    A body is refused with 413 once it passes ``max_body`` bytes, whether its
    ``Content-Length`` says so or a chunked body grows past it: the cap is checked as the body is
    read, by the exception handler's usual answer (a page or the API's error body), so nothing
    large is ever held. Without it a screening request could carry any number of megabytes."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in ("/docs", "/docs/oauth2-redirect")
        added = _HEADERS_DOCS if docs else _HEADERS_PAGES
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        received = 0 if declared.isdigit() and int(declared) <= self.max_body else self.max_body + 1

        async def capped() -> Message:
            nonlocal received
            message = await receive() if received <= self.max_body else {"type": "http.request"}
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(status_code=413, detail=f"the request body is over {self.max_body:,} bytes")
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in added if h[0] not in present)]
            await send(message)

        await self.app(scope, capped, with_headers)


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
