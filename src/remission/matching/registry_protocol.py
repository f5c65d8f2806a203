"""A computable protocol for a registry trial that has no protocol file: its cohorts from the
trial's coded diseases, its age and sex limits from the record's structured fields, and each
criterion sentence through the free-text extractor; a sentence the extractor cannot translate
is a review item with its text, never a guess.

Making them takes milliseconds a trial, so the registry stores each trial's as a protocol
document (:func:`spec_for_trial`) with the fingerprint of the code that made it
(:func:`extractor_fingerprint`); screening compiles the stored document
(:func:`protocol_from_spec`) and makes it again only when the code has changed since."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

from remission.criteria.extract import Kind, extract
from remission.criteria.protocol import CohortSpec, CriterionSpec, Protocol, ProtocolSpec, compile_protocol
from remission.domain.trial import Criterion, Trial
from remission.domain.vocab import DISEASE_PARENT, DiseaseCode

# Trial disease codes -> the profile contract's disease (code, subtype, label words).
PROFILE_DISEASE: dict[DiseaseCode, dict[str, Any]] = {
    DiseaseCode.SLE: {"disease": "SLE"},
    DiseaseCode.LN: {"disease": "SLE"},
    DiseaseCode.SSC: {"disease": "SSC"},
    DiseaseCode.AAV: {"disease": "AAV"},
    DiseaseCode.GPA: {"disease": "AAV", "subtype": ["GPA"]},
    DiseaseCode.MPA: {"disease": "AAV", "subtype": ["MPA"]},
    DiseaseCode.EGPA: {"disease": "AAV", "subtype": ["EGPA"]},
    DiseaseCode.IIM: {"disease": "IIM"},
    DiseaseCode.DM: {"disease": "IIM", "subtype": ["DM"]},
    DiseaseCode.PM: {"disease": "IIM", "subtype": ["PM"]},
    DiseaseCode.IMNM: {"disease": "IIM", "subtype": ["IMNM"]},
    DiseaseCode.ASYS: {"disease": "IIM", "subtype": ["ASyS"]},
    DiseaseCode.SJS: {"disease": "SJS"},
    DiseaseCode.RA: {"disease": "RA"},
    DiseaseCode.TAK: {"disease": "TAK"},
    DiseaseCode.IGG4RD: {"disease": "IGG4RD"},
    DiseaseCode.MG: {"disease": "other", "labels": ["myasthenia"]},
    DiseaseCode.NMOSD: {"disease": "other", "labels": ["neuromyelitis", "nmosd"]},
    DiseaseCode.MS: {"disease": "other", "labels": ["multiple sclerosis"]},
    DiseaseCode.ITP: {"disease": "other", "labels": ["thrombocytopenia", "itp"]},
    DiseaseCode.AIHA: {"disease": "other", "labels": ["haemolytic", "hemolytic", "aiha"]},
}
_ANY_DISEASE = ["SLE", "SSC", "AAV", "IIM", "SJS", "RA", "TAK", "IGG4RD", "other"]


def _cohort_codes(trial: Trial) -> list[DiseaseCode]:
    codes = [c for c in trial.diseases if c in PROFILE_DISEASE]
    # A parent added only because a subtype is enrolled (GPA -> AAV) is not a cohort of its own.
    children = {DISEASE_PARENT[c] for c in codes if c in DISEASE_PARENT}
    return [c for c in codes if c not in children]


def _age_years(age: Any) -> float | None:
    return None if age is None else round(age.in_days() / 365.25, 2)


def _cohort_name(code: DiseaseCode | None, names: set[str]) -> str | None:
    """The trial's cohort for a disease code: the code's own, else its parent's (GPA -> AAV)."""
    for candidate in (code, DISEASE_PARENT.get(code) if code is not None else None):
        if candidate is not None and candidate.value in names:
            return candidate.value
    return None


@cache
def extractor_fingerprint() -> str:
    """A digest of the source of every module that shapes a trial's criteria (the criteria
    language and extractor, the domain vocabularies, this module): stored criteria made by
    other code are stale."""
    digest = hashlib.sha256()
    root = files("remission")
    for package in ("criteria", "domain", "matching"):
        for item in sorted(root.joinpath(package).iterdir(), key=lambda p: p.name):
            if item.name.endswith(".py"):
                digest.update(f"{package}/{item.name}\0".encode())
                digest.update(item.read_bytes())
    return digest.hexdigest()[:32]


def protocol_for_trial(trial: Trial) -> Protocol:
    return protocol_from_spec(spec_for_trial(trial))


def protocol_from_spec(spec: ProtocolSpec) -> Protocol:
    computable = any(c.rule is not None for c in (*spec.inclusion, *spec.exclusion))
    return compile_protocol(spec, source=spec.id, origin="extracted" if computable else "review-only")


def spec_for_trial(trial: Trial) -> ProtocolSpec:
    """The trial's criteria as a protocol document (what the registry stores)."""
    codes = _cohort_codes(trial)
    inclusion: list[CriterionSpec] = []
    exclusion: list[CriterionSpec] = []
    if codes:
        cohorts = [CohortSpec.model_validate({"name": c.value, "disease": PROFILE_DISEASE[c]}) for c in codes]
    elif DiseaseCode.AUTOIMMUNE in trial.diseases or not trial.conditions:
        # "Autoimmune diseases" unspecified, or no conditions at all: any disease may qualify.
        cohorts = [CohortSpec.model_validate({"name": code, "disease": code}) for code in _ANY_DISEASE]
        inclusion.append(
            CriterionSpec(
                id="diseases", text="Diseases enrolled", review="the record does not say which diseases it enrols"
            )
        )
    else:
        cohorts = []  # conditions outside the autoimmune diseases Remission codes: no patient's cohort
    names = {c.name for c in cohorts}
    eligibility = trial.eligibility
    if eligibility is not None:
        low, high = _age_years(eligibility.minimum_age), _age_years(eligibility.maximum_age)
        if low is not None or high is not None:
            rule: dict[str, Any] = {"measure": "age"}
            rule.update({"at_least": low} if low is not None else {})
            rule.update({"at_most": high} if high is not None else {})
            inclusion.append(CriterionSpec(id="age", text="Age limits of the record", rule=rule))
        if eligibility.sex is not None and eligibility.sex.value in ("FEMALE", "MALE"):
            inclusion.append(
                CriterionSpec(
                    id="sex", text=f"Sex: {eligibility.sex.value.lower()}", rule={"sex": eligibility.sex.value.lower()}
                )
            )
        sections: tuple[tuple[Kind, list[Criterion], list[CriterionSpec]], ...] = (
            ("inclusion", eligibility.inclusion, inclusion),
            ("exclusion", eligibility.exclusion, exclusion),
        )
        for kind, items, out in sections:
            for i, item in enumerate(items, 1):
                key = f"{kind[:3]}{i}"
                cohort = _cohort_name(item.cohort, names)
                found = extract(item.text, kind)
                if found is not None and found.cohort is not None:
                    # The sentence names its disease ("For SLE patients, ..."): only that cohort.
                    cohort = _cohort_name(DiseaseCode(found.cohort), names)
                    if cohort is None:
                        review = "limited to a disease that is not one of the trial's coded cohorts"
                        out.append(CriterionSpec(id=key, text=item.text, review=review))
                        continue
                if found is not None:
                    out.append(CriterionSpec(id=key, text=item.text, cohort=cohort, rule=found.rule))
                else:
                    review = "not translated: for the investigator"
                    out.append(CriterionSpec(id=key, text=item.text, cohort=cohort, review=review))
    if not (eligibility and (eligibility.inclusion or eligibility.exclusion)):
        inclusion.append(
            CriterionSpec(id="criteria", text="Eligibility criteria", review="the record publishes no criteria list")
        )
    return ProtocolSpec(
        id=trial.id,
        registry_ids=[trial.id],
        title=trial.brief_title,
        cohorts=cohorts,
        inclusion=inclusion,
        exclusion=exclusion,
    )
