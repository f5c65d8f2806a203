"""A trial's computable criteria (a *protocol file*) and the screening of one patient against it.

A protocol file is YAML: the trial's id, the registry ids it stands for, its disease cohorts,
and its inclusion and exclusion criteria, each with its source sentence (``text``) beside the
rule that computes it, or a ``review`` note where no record can decide it (investigator
judgement, thresholds the record does not publish)::

    id: NCT07095075
    registry_ids: [NCT07095075]
    cohorts:
      - {name: SLE, disease: {disease: SLE}}
    inclusion:
      - text: Aged 18 to 70 years, either sex.
        rule: {measure: age, between: [18, 70]}
      - cohort: SLE
        text: Fulfill relapsed/refractory SLE conditions.
        rule: {relapsed_refractory: true}
    exclusion:
      - text: Other autoimmune diseases.
        rule: {other_autoimmune: true}

The verdict follows the screening conventions (../shared/reference/screening/vignettes.json):
``ineligible`` when an inclusion criterion is not met or an exclusion applies (every one is
listed), else ``unknown`` when a criterion cannot be decided (its missing facts listed), else
``eligible``. Review items are listed and never change the verdict. For an exclusion, ``met``
means the exclusion applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from remission.criteria.logic import Context, Judgement, Node
from remission.criteria.parse import ExpressionError, parse
from remission.criteria.predicates import Disease, diagnosis_label
from remission.criteria.profile import Profile

#: Diagnoses matching one cohort that screening judges (see :meth:`Protocol.screen`).
MAX_TRIED_PER_COHORT = 5

Kind = Literal["inclusion", "exclusion"]
Result = Literal["met", "not_met", "unknown", "review"]
Verdict = Literal["eligible", "ineligible", "unknown"]
VERDICT_ORDER: dict[str, int] = {"eligible": 0, "unknown": 1, "ineligible": 2}


class ProtocolError(ValueError):
    """A protocol file that cannot be used, naming the file, the criterion and the field."""


class CohortSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    disease: Disease
    text: str | None = None

    @field_validator("disease", mode="before")
    @classmethod
    def _short(cls, value: Any) -> Any:
        return {"disease": value} if isinstance(value, str) else value


class CriterionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str | None = None
    text: str = Field(min_length=1)
    cohort: str | None = None
    rule: Any = None
    review: str | None = None
    note: str | None = None  # how a vague sentence is read

    @model_validator(mode="after")
    def _one(self) -> CriterionSpec:
        if (self.rule is None) == (self.review is None):
            raise ValueError("a criterion has either a rule or a review note (not both, not neither)")
        return self


class ProtocolSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    registry_ids: list[str] = Field(default_factory=list)
    title: str | None = None
    source: str | None = None
    cohorts: list[CohortSpec] = Field(default_factory=list)  # none: the trial enrols no coded disease
    inclusion: list[CriterionSpec] = Field(default_factory=list)
    exclusion: list[CriterionSpec] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    id: str
    kind: Kind
    text: str
    cohort: str | None
    rule: Node | None
    review: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: Kind
    text: str
    cohort: str | None
    result: Result
    reason: str
    missing: tuple[str, ...] = ()

    @property
    def fails(self) -> bool:
        return self.result == ("not_met" if self.kind == "inclusion" else "met")

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "cohort": self.cohort,
            "result": self.result,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class TrialResult:
    trial: str
    title: str | None
    verdict: Verdict
    criteria: list[CriterionResult]
    missing: list[str]
    cohort: str | None = None
    source: str = "protocol"  # how the criteria were made computable: protocol | extracted | review-only

    @property
    def failures(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.fails]

    def as_dict(self) -> dict[str, Any]:
        return {
            "trial": self.trial,
            "title": self.title,
            "verdict": self.verdict,
            "cohort": self.cohort,
            "criteria": [c.as_dict() for c in self.criteria],
            "missing": self.missing,
            "basis": self.source,
            "review": sum(1 for c in self.criteria if c.result == "review"),
        }


def _result(kind: Kind, outcome: Judgement) -> Result:
    return "unknown" if outcome.value is None else ("met" if outcome.value else "not_met")


@dataclass
class Protocol:
    """A trial's criteria, compiled: screen a profile with :meth:`screen`."""

    id: str
    title: str | None
    cohorts: list[CohortSpec]
    criteria: list[CompiledCriterion]
    registry_ids: list[str] = field(default_factory=list)
    source: str | None = None
    origin: str = "protocol"
    _reviews: dict[int, CriterionResult] = field(init=False, repr=False, default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(dict.fromkeys([self.id, *self.registry_ids]))

    def _cohort_text(self) -> str:
        return "Disease cohorts: " + (
            ", ".join(c.name for c in self.cohorts) or "none of the autoimmune diseases screened"
        )

    def __post_init__(self) -> None:
        # A review item's answer never depends on the patient: made once, shared by every screening.
        self._reviews = {
            i: CriterionResult(c.id, c.kind, c.text, c.cohort, "review", c.review or "for the investigator")
            for i, c in enumerate(self.criteria)
            if c.rule is None
        }

    def _judge(self, ctx: Context, cohort: str | None) -> list[CriterionResult]:
        out = []
        reviews = self._reviews
        for i, c in enumerate(self.criteria):
            if c.cohort is not None and c.cohort != cohort:
                continue
            if c.rule is None:
                out.append(reviews[i])
                continue
            o = c.rule.evaluate(ctx)
            out.append(CriterionResult(c.id, c.kind, c.text, c.cohort, _result(c.kind, o), o.reason, o.missing))
        return out

    def _finish(self, cohort: str | None, results: list[CriterionResult]) -> TrialResult:
        verdict: Verdict
        if any(r.fails for r in results):
            verdict = "ineligible"
        elif any(r.result == "unknown" for r in results):
            verdict = "unknown"
        else:
            verdict = "eligible"
        missing = (
            []
            if verdict != "unknown"
            else list(dict.fromkeys(m for r in results if r.result == "unknown" for m in r.missing))
        )
        return TrialResult(self.id, self.title, verdict, results, missing, cohort, self.origin)

    def screen(self, profile: Profile) -> TrialResult:
        diagnoses = list(profile.diagnoses())
        tried: list[TrialResult] = []
        for cohort in self.cohorts:
            text = cohort.text or self._cohort_text()
            members = [(d, m) for d in diagnoses if (m := cohort.disease.matches(d)).value is not False]
            # Definite members before possible ones, and at most a few of them: each is judged
            # against every criterion, some of which read every diagnosis, so judging all of a
            # long list would be quadratic in the profile's size. No real record lists one
            # disease more than a few times (contract diagnoses are one per condition).
            members.sort(key=lambda dm: dm[1].value is not True)
            for diagnosis, member in members[:MAX_TRIED_PER_COHORT]:
                head = CriterionResult(
                    "cohort",
                    "inclusion",
                    text,
                    cohort.name,
                    _result("inclusion", member),
                    member.reason,
                    member.missing,
                )
                ctx = Context(profile, diagnosis)
                tried.append(self._finish(cohort.name, [head, *self._judge(ctx, cohort.name)]))
        if tried:
            return min(tried, key=lambda r: (VERDICT_ORDER[r.verdict], len(r.failures), len(r.missing)))
        if diagnoses:
            listed = ", ".join(diagnosis_label(d) for d in diagnoses)
            head = CriterionResult(
                "cohort",
                "inclusion",
                self._cohort_text(),
                None,
                "not_met",
                f"disease is not one of the trial's cohorts ({listed})",
            )
        else:
            head = CriterionResult(
                "cohort", "inclusion", self._cohort_text(), None, "unknown", "diagnosis not recorded", ("diagnosis",)
            )
        return self._finish(None, [head, *self._judge(Context(profile), None)])


def compile_protocol(spec: ProtocolSpec, *, source: str | None = None, origin: str = "protocol") -> Protocol:
    where = source or spec.id
    names = {c.name for c in spec.cohorts}
    criteria: list[CompiledCriterion] = []
    sections: tuple[tuple[Kind, list[CriterionSpec]], ...] = (
        ("inclusion", spec.inclusion),
        ("exclusion", spec.exclusion),
    )
    for kind, items in sections:
        for i, item in enumerate(items, 1):
            cid = item.id or f"{kind[:3]}{i}"
            if item.cohort is not None and item.cohort not in names:
                raise ProtocolError(
                    f"{where}: {kind} {cid}: cohort {item.cohort!r} is not declared"
                    f" (cohorts: {', '.join(sorted(names))})"
                )
            try:
                rule = parse(item.rule, "rule") if item.rule is not None else None
            except ExpressionError as exc:
                raise ProtocolError(f"{where}: {kind} {cid}: {exc}") from None
            criteria.append(CompiledCriterion(cid, kind, item.text, item.cohort, rule, item.review))
    return Protocol(spec.id, spec.title, list(spec.cohorts), criteria, list(spec.registry_ids), spec.source, origin)


def protocol_from_mapping(data: Any, *, source: str) -> Protocol:
    try:
        spec = ProtocolSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ProtocolError(f"{source}: {loc or '(file)'}: {first['msg'].removeprefix('Value error, ')}") from None
    return compile_protocol(spec, source=source)


def load_protocol_text(text: str, *, source: str) -> Protocol:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        raise ProtocolError(f"{source}:{at} not valid YAML") from None
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{source}: a protocol file is a YAML mapping")
    return protocol_from_mapping(data, source=source)


def load_protocol(path: Path) -> Protocol:
    return load_protocol_text(path.read_text(encoding="utf-8"), source=str(path))
