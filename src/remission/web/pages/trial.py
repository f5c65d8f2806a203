"""``/trials/{id}``: one trial, whole, each field with its source; and
``/trials/{id}/prescreen``: the questionnaire made from that trial's computable criteria.

Nothing a person answers on the pre-screen is stored: the answers live in the POST that
carries them and in the page that answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from remission.criteria.protocol import Protocol, TrialResult
from remission.criteria.questions import AnswerError, Question, profile_from_answers, questionnaire
from remission.domain.marker import N_
from remission.domain.plain_summary import plain_summary
from remission.domain.trial import Criterion, SourceInfo, Trial
from remission.domain.vocab import DISEASE_LABELS
from remission.dosefinding.summary import boundaries_summary
from remission.services.dosing import bundled_dose_protocols, load_dose_protocol
from remission.services.referrals import contact_sites
from remission.services.screening import Screening, profile_from
from remission.services.trials import Registry, TrialNotFound
from remission.web.deps import RegistryDep
from remission.web.page_cache import kept_or_built
from remission.web.security import checked_form, text_fields
from remission.web.site_map import site_map
from remission.web.templating import reader_language, render_page

router = APIRouter(include_in_schema=False)


@dataclass
class CriteriaGroup:
    heading: str | None
    inclusion: list[Criterion]
    exclusion: list[Criterion]


def _criteria_groups(trial: Trial) -> list[CriteriaGroup]:
    """Criteria by cohort: the general ones first, then one group per disease cohort."""
    e = trial.eligibility
    if e is None:
        return []
    groups: dict[str | None, CriteriaGroup] = {}
    for kind, items in (("inclusion", e.inclusion), ("exclusion", e.exclusion)):
        for c in items:
            heading = c.cohort_heading or (DISEASE_LABELS[c.cohort] if c.cohort else None)
            group = groups.setdefault(heading, CriteriaGroup(heading, [], []))
            getattr(group, kind).append(c)
    return sorted(groups.values(), key=lambda g: g.heading is not None)


def _source_of(trial: Trial) -> dict[str, SourceInfo]:
    by_id = {s.id: s for s in trial.sources}
    return {name: by_id[sid] for name, sid in trial.provenance.items() if sid in by_id}


def _resolve(registry: RegistryDep, trial_id: str) -> Trial:
    try:
        return registry.get(trial_id)
    except TrialNotFound:
        raise HTTPException(status_code=404, detail=f"no trial is known by the id {trial_id[:64]!r}") from None


def _dose_design(trial: Trial) -> dict[str, Any] | None:
    """The bundled dose-finding design of the trial, when there is one: its boundaries and the
    values the trial has not published."""
    for trial_id in trial.identifiers():
        if trial_id in bundled_dose_protocols():
            protocol = load_dose_protocol(trial_id, allow_paths=False)
            summary = boundaries_summary(protocol.design)
            return {"protocol": protocol, "summary": summary, "rows": summary["table"][:6]}
    return None


@router.get("/trials/{trial_id}", response_class=HTMLResponse)
def trial_page(trial_id: str, request: Request, registry: RegistryDep) -> Response:
    return kept_or_built(request, registry, partial(_trial_page, trial_id, request, registry), reads=frozenset())


def _trial_page(trial_id: str, request: Request, registry: Registry) -> Response:
    trial = _resolve(registry, trial_id)
    if trial_id != trial.id and request.query_params.get("lang") is None:
        return RedirectResponse(f"/trials/{trial.id}", status_code=308)
    lang = reader_language(request)
    try:
        related = registry.related(trial.id, 6)
    except TrialNotFound:
        related = []
    context = {
        "trial": trial,
        "summary": plain_summary(trial, lang.gettext),
        "sources": _source_of(trial),
        "groups": _criteria_groups(trial),
        "map": site_map(trial.sites),
        "related": related,
        "dose": _dose_design(trial),
        "open_sites": contact_sites(trial),
        "DISEASE_LABELS": DISEASE_LABELS,
    }
    return render_page(request, "trial.html", context)


def _cohorts(protocol: Protocol) -> list[str]:
    """The profile contract's disease codes of the trial's cohorts (SLE, SSC, AAV ...)."""
    return list(dict.fromkeys(str(c.disease.disease) for c in protocol.cohorts))


def _questions(protocol: Protocol, disease: str | None) -> tuple[list[Question], list[str], TrialResult]:
    today = datetime.now(UTC).date().isoformat()
    empty = profile_from_answers([], {}, as_of=today, disease=disease)
    blank = protocol.screen(profile_from(empty, source="pre-screen"))
    missing = [m for c in blank.criteria if c.result == "unknown" for m in c.missing]
    questions, uncovered = questionnaire(list(dict.fromkeys(missing)))
    return questions, uncovered, blank


def summary_text(result: TrialResult) -> str:
    """The pre-screen result as plain text, for the referral packet: each rule, its answer and
    why, then what is still unknown."""
    lines = [f"Pre-screen verdict: {result.verdict}"]
    for c in result.criteria:
        if c.result in ("unknown", "review"):
            word = "unknown" if c.result == "unknown" else "for the investigator"
        elif c.kind == "exclusion":
            word = "EXCLUDES" if c.fails else "does not apply"
        else:
            word = "NOT MET" if c.fails else "met"
        lines.append(f"- [{word}] ({c.kind}) {c.text} — {c.reason}")
    if result.missing:
        lines.append("Still to check: " + "; ".join(result.missing))
    return "\n".join(lines)


@router.api_route("/trials/{trial_id}/prescreen", methods=["GET", "POST"], response_class=HTMLResponse)
async def prescreen(trial_id: str, request: Request, registry: RegistryDep) -> Response:
    if request.method == "GET":
        # The questionnaire before any answer is the same for everyone who chose that cohort.
        build = partial(_prescreen, trial_id, request, registry, {})
        return kept_or_built(request, registry, build, reads=frozenset({"disease"}))
    form = text_fields(await checked_form(request, max_fields=200), 200)
    return _prescreen(trial_id, request, registry, form)


def _prescreen(trial_id: str, request: Request, registry: Registry, form: dict[str, str]) -> Response:
    trial = _resolve(registry, trial_id)
    try:
        protocol = Screening(registry).protocol(trial.id)
    except TrialNotFound:
        raise HTTPException(status_code=404, detail="this trial has no criteria to pre-screen") from None
    if request.method == "GET":
        form = {k: v for k, v in request.query_params.items() if k == "disease"}
    cohorts = _cohorts(protocol)
    disease = form.get("disease") or (cohorts[0] if len(cohorts) == 1 else None)
    if disease not in (*cohorts, "other"):
        disease = None
    questions, uncovered, blank = _questions(protocol, disease)
    result: TrialResult | None = None
    problem: str | AnswerError | None = None
    if request.method == "POST":
        today = datetime.now(UTC).date().isoformat()
        try:
            answers = profile_from_answers(questions, form, as_of=today, disease=disease)
            result = protocol.screen(profile_from(answers, source="pre-screen"))
        except AnswerError as exc:
            problem = exc
        except ValueError:
            problem = N_("some answers could not be read; check the numbers and dates")
    context = {
        "trial": trial,
        "protocol": protocol,
        "cohorts": cohorts,
        "disease": disease,
        "questions": questions,
        "uncovered": uncovered,
        "blank": blank,
        "form": form,
        "result": result,
        "result_text": summary_text(result) if result is not None else None,
        "problem": problem,
        "DISEASE_LABELS": DISEASE_LABELS,
    }
    return render_page(request, "prescreen.html", context, status_code=422 if problem else 200)
