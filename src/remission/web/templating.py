"""Rendering a page: the Jinja2 environment of each language, and what every page is given
(the reader's language, the CSRF token, links to the same page in the other language)."""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import escape

from remission.criteria.questions import AnswerError, Question
from remission.domain.vocab import OPEN_STATUSES
from remission.services.errors import FieldError
from remission.web import labels
from remission.web.i18n import LANGUAGES, Language, language, negotiate
from remission.web.security import csrf_token, remember_csrf

LANG_COOKIE = "lang"
#: What a page is rendered with in place of the reader's CSRF token: :func:`finish_page` puts
#: the reader's own in, so that a rendered page can be kept for others (:mod:`.page_cache`).
CSRF_PLACEHOLDER = "\x00csrf-token\x00"


@cache
def environment(code: str) -> Environment:
    lang = language(code)
    env = Environment(
        loader=PackageLoader("remission.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(lang.gettext, lang.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals.update(
        status_label=labels.status_label,
        phase_label=labels.phase_label,
        disease_label=labels.disease_label,
        kind_label=labels.kind_label,
        facet_label=labels.facet_label,
        escalation_label=labels.escalation_label,
        shown=labels.shown,
        FACET_NAMES=labels.FACET,
        OPEN_STATUSES=OPEN_STATUSES,
    )

    @lru_cache(maxsize=4096)
    def number(value: float | int | None, digits: int = 0) -> str:
        # Kept: Babel reads the locale's pattern on every call (60 µs), and a results page shows
        # the same few counts and distances many times.
        if value is None:
            return ""
        return format_decimal(round(value, digits), locale=lang.locale)

    def day(value: str | None) -> str:
        if not value:
            return ""
        try:
            return format_date(date.fromisoformat(value[:10]), format="medium", locale=lang.locale)
        except ValueError:
            return value  # a partial date ("2026-03") is shown as the registry gave it

    def ask(question: Question) -> str:
        """A questionnaire prompt in the reader's language: its wording and its fact's label are
        translated apart, then put together."""
        if question.wording is None or question.subject is None:
            return lang.gettext(question.prompt)
        text = lang.gettext(question.wording) % {"label": lang.gettext(question.subject)}
        return text[:1].upper() + text[1:]

    def problem_text(problem: object) -> str:
        """A refusal in the reader's language: the field's name and the message translated
        apart, the message's values put in after (:class:`FieldError`); an answer's problem
        names its question as the questionnaire asks it."""
        if isinstance(problem, AnswerError):
            return f"{ask(problem.question)}: {lang.gettext(problem.message)}"
        if isinstance(problem, FieldError):
            message = lang.gettext(problem.message)
            return lang.gettext("Please check: %(field)s — %(message)s") % {
                "field": lang.gettext(labels.field_label(problem.field)),
                "message": message % problem.values if problem.values else message,
            }
        return lang.gettext(str(problem))

    env.globals["ask"] = ask
    env.globals["problem_text"] = problem_text
    # A fact's label from the catalogue when it has one (no %-formatting: labels hold "%").
    env.globals["tr"] = lang.gettext
    env.filters["number"] = number
    env.filters["day"] = day
    return env


def reader_language(request: Request) -> Language:
    return language(
        negotiate(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
        )
    )


def switch_links(request: Request) -> dict[str, str]:
    """The current address in each language (``?lang=`` replaced)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: f"{request.url.path}?{urlencode([*params, ('lang', code)])}" for code in LANGUAGES}


def render_page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = reader_language(request)
    env = environment(lang.code)
    html = env.get_template(template).render(
        request=request,
        lang=lang,
        csrf=CSRF_PLACEHOLDER,
        switch=switch_links(request),
        path=request.url.path,
        **context,
    )
    request.state.rendered_page = html
    return finish_page(request, html, status_code, lang)


def finish_page(request: Request, html: str, status_code: int, lang: Language) -> HTMLResponse:
    """A rendered page made this reader's: their CSRF token put in, their cookies set."""
    body = html.replace(CSRF_PLACEHOLDER, str(escape(csrf_token(request))))
    response = HTMLResponse(body, status_code=status_code)
    remember_csrf(request, response)
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(LANG_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="lax", httponly=True)
    response.headers["Content-Language"] = lang.html_lang
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response
