"""Aggregator pages: one parser per site layout, chosen by what the page shows, and a generic
fallback for layouts not seen before."""

from __future__ import annotations

from pydantic import ValidationError

from remission.domain.trial import Trial
from remission.registry.errors import Problem, RecordRejected
from remission.registry.pages.base import Layout, PageResult, PageText, build_trial, html_to_text, looks_like_html
from remission.registry.pages.clinconnect import ClinconnectLayout
from remission.registry.pages.generic import GenericLayout
from remission.registry.pages.ichgcp import IchgcpLayout
from remission.registry.pages.meddatax import MeddataxLayout
from remission.registry.pages.medifind import MedifindLayout
from remission.registry.pages.trialx import TrialxLayout

LAYOUTS: tuple[Layout, ...] = (MeddataxLayout(), TrialxLayout(), IchgcpLayout(), ClinconnectLayout(), MedifindLayout())
FALLBACK: Layout = GenericLayout()

__all__ = ["FALLBACK", "LAYOUTS", "PageResult", "parse_page"]


def detect_layout(page: PageText) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.detect(page)), None)


def parse_page(text: str, *, file: str, accept_fallback: bool = False) -> tuple[Trial, PageResult]:
    """A page's text (or HTML) → a single-source Trial and what its parser could not read.

    A page of unknown layout is read by the generic fallback; its result is refused (with what
    was and was not found) unless ``accept_fallback``, because a guess at an unseen layout should
    be looked at before it enters the registry.
    """
    if looks_like_html(text):
        text = html_to_text(text)
    page = PageText(text)
    if not page.nonblank():
        raise RecordRejected([Problem(file, "empty page")])
    layout = detect_layout(page)
    result = (layout or FALLBACK).parse(page)
    if layout is None and not accept_fallback:
        found = ", ".join(sorted(result.fields)) or "nothing"
        raise RecordRejected(
            [
                Problem(
                    file,
                    f"unknown page layout; the generic fallback found {found} and could not find "
                    f"{', '.join(result.missing)}; nothing imported (use --accept-fallback to import what it found)",
                )
            ]
        )
    if not result.fields.get("brief_title"):
        raise RecordRejected([Problem(file, "no title found", field="brief_title")])
    try:
        return build_trial(result, file=file), result
    except ValidationError as exc:
        raise RecordRejected(
            [
                Problem(
                    file,
                    f"{e['msg']} (got {str(e.get('input'))[:60]!r})",
                    result.fields.get("nct_id"),
                    ".".join(str(x) for x in e["loc"]),
                )
                for e in exc.errors()
            ]
        ) from None
    except ValueError as exc:
        raise RecordRejected([Problem(file, str(exc))]) from None
