"""Rendered public pages kept in memory until the registry changes.

A finder page or a trial page is the same for everyone who asks the same address in the same
language, and it changes only when an import changes the registry; building one costs 10 to
40 ms (the search, the facets, the plain-language summary, the template), serving a kept one
well under a millisecond. So the pages that depend only on their address, their language and
the registry are kept here, keyed by all three and the registry's version
(:meth:`Registry.version`), and dropped least recently used first past a byte budget.

Two things in a page are the reader's own and are never kept: the CSRF token (the page is kept
with a placeholder that each response replaces with the reader's token) and the cookies and
headers a response sets (:func:`remission.web.templating.finish_page`). Nothing a person
answers is kept: a pre-screen's answers come in a POST, which is never served from here.

Written here rather than taken from a library because the key needs the registry's version and
the body needs the token put back per reader; HTTP caches (a proxy, ``ETag``) see neither.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from remission.services.trials import Registry
from remission.web.templating import finish_page, reader_language


@dataclass(frozen=True)
class KeptPage:
    """A page as rendered, before the reader's token and cookies are put in."""

    html: str
    status_code: int


class PageCache:
    """A least-recently-used store of :class:`KeptPage` bounded by the characters it holds."""

    def __init__(self, budget_chars: int = 64 * 1024 * 1024) -> None:
        self.budget = budget_chars
        self._pages: OrderedDict[Hashable, KeptPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: Hashable, page: KeptPage) -> None:
        if len(page.html) > self.budget // 16:
            return  # one page may not push out everything else
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old.html)
            self._pages[key] = page
            self._size += len(page.html)
            while self._size > self.budget:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.html)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


def kept_or_built(
    request: Request,
    registry: Registry,
    build: Callable[[], Response],
    *,
    reads: frozenset[str] | None = None,
) -> Response:
    """The page from the app's :class:`PageCache` when it holds it, else ``build()`` (which
    renders through :func:`remission.web.templating.render_page`), kept when it is a page.

    ``reads`` names the query parameters the page reads (every one by default). An address with
    any other parameter is built and not kept: the page's links repeat its address, and a page
    kept for one address must not carry another's parameters."""
    if request.method != "GET" or (reads is not None and not set(request.query_params) <= reads | {"lang"}):
        return build()
    cache: PageCache = request.app.state.page_cache
    language = reader_language(request)
    fragment = request.headers.get("hx-request") == "true"
    key = (request.url.path, str(request.url.query), language.code, fragment, registry.version())
    kept = cache.get(key)
    if kept is not None:
        return finish_page(request, kept.html, kept.status_code, language)
    response = build()
    rendered: str | None = getattr(request.state, "rendered_page", None)
    if rendered is not None and response.status_code == 200:
        cache.put(key, KeptPage(rendered, response.status_code))
    return response
