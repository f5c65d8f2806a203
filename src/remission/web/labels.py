"""The English words a page shows for the registry's codes; each goes through the catalogue."""

from __future__ import annotations

import json

from remission.domain.marker import N_
from remission.domain.vocab import DISEASE_LABELS, DiseaseCode

STATUS: dict[str, str] = {
    "RECRUITING": N_("Recruiting"),
    "NOT_YET_RECRUITING": N_("Not yet recruiting"),
    "ENROLLING_BY_INVITATION": N_("Enrolling by invitation"),
    "ACTIVE_NOT_RECRUITING": N_("Active, not recruiting"),
    "SUSPENDED": N_("Suspended"),
    "TERMINATED": N_("Terminated"),
    "COMPLETED": N_("Completed"),
    "WITHDRAWN": N_("Withdrawn"),
    "UNKNOWN": N_("Status unknown"),
    "AVAILABLE": N_("Available"),
    "NO_LONGER_AVAILABLE": N_("No longer available"),
    "TEMPORARILY_NOT_AVAILABLE": N_("Temporarily not available"),
    "APPROVED_FOR_MARKETING": N_("Approved for marketing"),
    "WITHHELD": "Withheld",
}

PHASE: dict[str, str] = {
    "EARLY_PHASE1": N_("Early phase 1"),
    "PHASE0": N_("Phase 0"),
    "PHASE1": N_("Phase 1"),
    "PHASE2": N_("Phase 2"),
    "PHASE3": N_("Phase 3"),
    "PHASE4": N_("Phase 4"),
    "NA": "Phase not applicable",
}

CELL_KIND: dict[str, str] = {
    "AUTOLOGOUS CAR-T": N_("CAR-T from the patient's own cells"),
    "ALLOGENEIC CAR-T": N_("CAR-T from a donor (allogeneic)"),
    "CAR-NK": N_("CAR-NK"),
    "CAR-NKT": N_("CAR-NKT"),
    "CAR-TREG": N_("CAR-Treg"),
    "AUTOLOGOUS CAAR-T": N_("CAAR-T"),
    "ALLOGENEIC CAAR-T": N_("CAAR-T from a donor"),
    "CAR-ΓΔT": N_("CAR-γδ T"),
    "IN-VIVO CAR": N_("In-vivo CAR"),
    "TCR-T": "TCR-T",
}

FACET: dict[str, str] = {
    "disease": N_("Disease"),
    "cell_kind": N_("Cell therapy"),
    "target": N_("Target"),
    "phase": N_("Phase"),
    "status": N_("Status"),
    "country": "Country",
}


#: The words for a form's or an address's field, when a refusal names it.
FIELD: dict[str, str] = {
    "q": N_("search words"),
    "near": N_("near"),
    "within": N_("within"),
    "disease": N_("disease"),
    "status": N_("status"),
    "target": N_("target"),
    "phase": N_("phase"),
    "country": N_("country"),
    "cell_kind": N_("cell therapy"),
    "age": N_("age"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "email": N_("e-mail"),
    "phone": N_("phone"),
    "language": N_("preferred language"),
    "message": N_("message"),
    "summary": N_("pre-screen answers"),
    "consent": N_("consent"),
    "site": N_("study site"),
    "search": N_("search"),
    "form": N_("form"),
}


def field_label(name: str) -> str:
    return FIELD.get(name, name.replace("_", " "))


ESCALATION: dict[str, str] = {
    "ACCELERATED_TITRATION": N_("Accelerated titration"),
    "BOIN": "BOIN",
    "BF-BOIN": "BF-BOIN",
    "3+3": "3+3",
    "mTPI": "mTPI",
    "CRM": "CRM",
    "DOSE_INCREASING": N_("Dose escalation"),
}


def escalation_label(code: str) -> str:
    return ESCALATION.get(code, code)


def shown(value: object, limit: int = 300) -> str:
    """A conflicting value as a person reads it: text as it is, lists and records as compact
    JSON, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


def status_label(code: str | None) -> str:
    return STATUS.get(str(code), "Status unknown") if code else "Status unknown"


def phase_label(code: str) -> str:
    return PHASE.get(str(code), str(code))


def disease_label(code: str) -> str:
    try:
        return DISEASE_LABELS[DiseaseCode(code)]
    except ValueError:
        return str(code)


def kind_label(code: str) -> str:
    return CELL_KIND.get(code.upper(), code)


def facet_label(facet: str, value: str) -> str:
    """The words for one value of one facet (countries are kept as the registry spells them)."""
    if facet == "disease":
        return disease_label(value)
    if facet == "status":
        return status_label(value)
    if facet == "phase":
        return phase_label(value)
    if facet == "cell_kind":
        return kind_label(value)
    return value.title() if facet == "country" and value.isupper() else value
