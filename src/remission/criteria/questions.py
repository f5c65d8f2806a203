"""A pre-screening questionnaire made from what a trial's computable criteria need to know.

Screening an empty profile against a protocol names every fact left unknown (the ``missing``
labels of :mod:`remission.criteria.facts` and the predicates). Each label that a person can
answer becomes one :class:`Question` that knows where its answer goes in a patient profile of
the contract (``../shared/contracts/patient-profile.schema.json``), so the answers screen
exactly as a clinician's record would. Labels that need a clinician's judgement (classification
criteria sets, disease activity scores) are asked of physicians only, and what no question
covers stays "for the study team".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from remission.criteria.facts import CONDITIONS, LAB_LABELS, PLAIN_MEASURES, TESTS, boolean_facts
from remission.criteria.profile import schema
from remission.criteria.treatments import CATEGORY_LABELS
from remission.domain.marker import N_

Kind = Literal["number", "lab", "test", "yes_no", "sex", "date", "pregnancy_test"]


@dataclass(frozen=True)
class Question:
    key: str  # the fact label screening names (unique within a questionnaire)
    kind: Kind
    path: str  # dotted path of the answer in the profile; "treatments:<category>" for history
    prompt: str  # plain words, English (the page translates)
    units: tuple[str, ...] = ()
    clinical: bool = False  # needs a clinician's record (a score, a lab with its limits)
    # A prompt made from a wording and a fact's label ("Do you have (or have you had) %(label)s?"):
    # both are translated on their own, so the sentence can be put together in another language.
    wording: str | None = None
    subject: str | None = None

    @property
    def field(self) -> str:
        """The form field's name: the key made safe for HTML and URLs."""
        return "q_" + re.sub(r"[^a-z0-9]+", "_", self.key.lower()).strip("_")


_PROMPTS: dict[str, str] = {
    "age": N_("How old are you (years)?"),
    "sex": N_("What was your sex at birth?"),
    "diagnosis date": N_("When was the disease diagnosed?"),
    "relapsed/refractory status": N_("Has the disease come back or not improved despite standard treatment?"),
    "pregnancy status": N_("Are you pregnant?"),
    "pregnancy test": N_("Result of the latest pregnancy test"),
    "capacity to consent": N_("Can you decide for yourself whether to take part?"),
    "complete list of other autoimmune diagnoses": N_("Is the disease above your only autoimmune disease?"),
    "malignancy history": N_("Have you ever had cancer?"),
    "date of last investigational treatment": N_("When did you last receive a drug in another clinical trial?"),
}
_YES_NO = N_("%(label)s?")
_HAD = N_("Do you have (or have you had) %(label)s?")
_TEST = N_("%(label)s test result")
_EVER = N_("Have you ever had %(label)s?")


def _worded(key: str, kind: Kind, path: str, wording: str, subject: str, *, clinical: bool = False) -> Question:
    """A question whose prompt is ``wording`` with the fact's label in it."""
    label = subject[0].upper() + subject[1:] if wording == _YES_NO else subject
    prompt = wording % {"label": label}
    return Question(key, kind, path, prompt, clinical=clinical, wording=wording, subject=subject)


def _unit_enum(lab: str) -> tuple[str, ...]:
    node = schema()["properties"]["labs"]["properties"].get(lab, {})
    return tuple(node.get("properties", {}).get("unit", {}).get("enum", ()))


def _by_label() -> dict[str, Question]:
    out: dict[str, Question] = {}
    out["age"] = Question("age", "number", "demographics.age_years", _PROMPTS["age"], ("years",))
    out["sex"] = Question("sex", "sex", "demographics.sex", _PROMPTS["sex"])
    out["diagnosis date"] = Question("diagnosis date", "date", "diagnoses.0.date", _PROMPTS["diagnosis date"])
    out["pregnancy test"] = Question(
        "pregnancy test", "pregnancy_test", "reproductive.pregnancy_test.result", _PROMPTS["pregnancy test"]
    )
    for path, label in boolean_facts().items():
        if label in _PROMPTS:
            out.setdefault(label, Question(label, "yes_no", path, _PROMPTS[label]))
        else:
            out.setdefault(label, _worded(label, "yes_no", path, _YES_NO, label))
    out["relapsed/refractory status"] = Question(
        "relapsed/refractory status", "yes_no", "diagnoses.0.refractory", _PROMPTS["relapsed/refractory status"]
    )
    out["pregnancy status"] = Question(
        "pregnancy status", "yes_no", "reproductive.pregnant", _PROMPTS["pregnancy status"]
    )
    out["complete list of other autoimmune diagnoses"] = Question(
        "complete list of other autoimmune diagnoses",
        "yes_no",
        "diagnoses_complete",
        _PROMPTS["complete list of other autoimmune diagnoses"],
    )
    for name, label in LAB_LABELS.items():
        out[label] = Question(label, "lab", f"labs.{name}", label, _unit_enum(name), clinical=True)
        out[f"{label} (with its ULN)"] = out[label]
    for label, section_path in PLAIN_MEASURES.values():
        clinical = section_path.startswith("disease_activity")
        unit = ("%",) if "percent" in section_path else ()
        out[label] = Question(label, "number", section_path, label, unit, clinical=clinical)
    for name, (label, section) in TESTS.items():
        out[label] = _worded(label, "test", f"{section}.{name}.status", _TEST, label, clinical=True)
    for label, path in CONDITIONS.values():
        out[label] = _worded(label, "yes_no", f"{path}.present", _HAD, label)
    out["malignancy history"] = Question(
        "malignancy history", "yes_no", "comorbidities.malignancy.present", _PROMPTS["malignancy history"]
    )
    out["date of last investigational treatment"] = Question(
        "date of last investigational treatment",
        "date",
        "trial_participation.last_investigational_treatment_date",
        _PROMPTS["date of last investigational treatment"],
    )
    return out


_QUESTIONS = _by_label()
_CATEGORY_BY_LABEL = {**{v: k for k, v in CATEGORY_LABELS.items()}}
_HISTORY = re.compile(r"^history of (?P<what>.+?)(?: \((?P<source>autologous|allogeneic)\))?$")


def question_for(label: str) -> Question | None:
    """The question that answers one missing fact, if a person can answer it."""
    found = _QUESTIONS.get(label)
    if found is not None:
        return found
    m = _HISTORY.match(label)
    if m:
        categories = [_CATEGORY_BY_LABEL.get(w, w.replace(" ", "_")) for w in m["what"].split("/")]
        if all(c for c in categories):
            return _worded(label, "yes_no", "treatments:" + ",".join(categories), _EVER, m["what"])
    return None


def questionnaire(missing: list[str]) -> tuple[list[Question], list[str]]:
    """The questions for the missing facts (one per profile field, in the criteria's order) and
    the facts no question covers."""
    questions: list[Question] = []
    seen: set[str] = set()
    uncovered: list[str] = []
    for label in missing:
        q = question_for(label)
        if q is None:
            uncovered.append(label)
        elif q.path not in seen:
            seen.add(q.path)
            questions.append(q)
    return questions, uncovered


class AnswerError(ValueError):
    """An answer that cannot be read, naming the question (never the value)."""

    def __init__(self, question: Question, message: str) -> None:
        super().__init__(f"{question.prompt}: {message}")
        self.question = question
        self.message = message


def _put(profile: dict[str, Any], path: str, value: object) -> None:
    node: Any = profile
    parts = path.split(".")
    for i, part in enumerate(parts[:-1]):
        if part.isdigit():
            index = int(part)
            while len(node) <= index:
                node.append({})
            node = node[index]
        else:
            default: object = [] if parts[i + 1].isdigit() else {}
            node = node.setdefault(part, default)
    node[parts[-1]] = value


_YES = {"yes": True, "no": False}


def profile_from_answers(
    questions: list[Question], answers: Mapping[str, str], *, as_of: str, disease: str | None
) -> dict[str, Any]:
    """A patient profile (contract 1.0) holding the answers given; a blank answer stays unknown."""
    profile: dict[str, Any] = {"schema_version": "1.0", "id": "pre-screen", "as_of": as_of}
    if disease:
        profile["diagnoses"] = [{"code": disease}]
    for q in questions:
        raw = (answers.get(q.field) or "").strip()
        if not raw or raw == "unknown":
            continue
        if q.kind in ("number", "lab"):
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                raise AnswerError(q, N_("a number is needed")) from None
            if not math.isfinite(value) or value < 0:
                raise AnswerError(q, N_("a number of 0 or more is needed"))
            if q.kind == "lab":
                unit = (answers.get(q.field + "_unit") or (q.units[0] if q.units else "")).strip()
                if q.units and unit not in q.units:
                    raise AnswerError(q, N_("choose one of the units offered"))
                _put(profile, q.path, {"value": value, "unit": unit})
            else:
                _put(profile, q.path, int(value) if q.path.endswith("age_years") else value)
        elif q.kind == "yes_no":
            if raw not in _YES:
                raise AnswerError(q, N_("answer yes, no or don't know"))
            if q.path.startswith("treatments:"):
                categories = q.path.split(":", 1)[1].split(",")
                if _YES[raw]:
                    profile.setdefault("treatments", []).append({"agent": categories[0], "category": categories[0]})
                else:
                    profile.setdefault("not_received", []).extend({"category": c} for c in categories)
            elif q.path.startswith("diagnoses.") and not disease:
                continue  # a fact about a diagnosis needs the diagnosis
            else:
                _put(profile, q.path, _YES[raw])
        elif q.kind in {"test", "pregnancy_test"}:
            if raw not in ("positive", "negative"):
                raise AnswerError(q, N_("answer positive, negative or don't know"))
            _put(profile, q.path, raw)
        elif q.kind == "sex":
            if raw not in ("female", "male"):
                raise AnswerError(q, N_("answer female or male"))
            _put(profile, q.path, raw)
        elif q.kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise AnswerError(q, N_("a date is needed (YYYY-MM-DD)"))
            if q.path.startswith("diagnoses.") and not disease:
                continue
            _put(profile, q.path, raw)
    return profile
