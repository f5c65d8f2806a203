"""Sjögren's disease: ESSDAI, the 2016 ACR/EULAR and the 2002 AECG classification criteria."""

from __future__ import annotations

from pydantic import Field, field_validator

from remission.instruments.base import (
    ClassificationResult,
    InstrumentInput,
    InstrumentResult,
    category,
    disjoint,
    every_key,
    known_names,
    verdict,
)

# Seror R et al. Ann Rheum Dis 2010;69:1103-1109, doi:10.1136/ard.2009.110619: each domain's
# weight and the activity levels it allows (0 none, 1 low, 2 moderate, 3 high).
ESSDAI_DOMAINS: dict[str, tuple[int, frozenset[int]]] = {
    "constitutional": (3, frozenset({0, 1, 2})),
    "lymphadenopathy": (4, frozenset({0, 1, 2, 3})),
    "glandular": (2, frozenset({0, 1, 2})),
    "articular": (2, frozenset({0, 1, 2, 3})),
    "cutaneous": (3, frozenset({0, 1, 2, 3})),
    "pulmonary": (5, frozenset({0, 1, 2, 3})),
    "renal": (5, frozenset({0, 1, 2, 3})),
    "muscular": (6, frozenset({0, 1, 2, 3})),
    "pns": (5, frozenset({0, 1, 2, 3})),
    "cns": (5, frozenset({0, 2, 3})),
    "hematological": (2, frozenset({0, 1, 2, 3})),
    "biological": (1, frozenset({0, 1, 2})),
}
LEVEL_NAMES = {0: "no activity", 1: "low", 2: "moderate", 3: "high"}


class EssdaiInput(InstrumentInput):
    activity_levels: dict[str, int | None]

    @field_validator("activity_levels")
    @classmethod
    def _levels(cls, levels: dict[str, int | None]) -> dict[str, int | None]:
        every_key(levels, ESSDAI_DOMAINS, "domain", "a level")
        for domain, level in levels.items():
            allowed = ESSDAI_DOMAINS[domain][1]
            if level is not None and level not in allowed:
                name = LEVEL_NAMES.get(level, str(level))
                raise ValueError(
                    f"{domain} level {level} ({name}) does not exist; allowed: {', '.join(map(str, sorted(allowed)))}"
                )
        return levels


class EssdaiResult(InstrumentResult):
    essdai: int | None
    activity_category: str | None


def essdai(x: EssdaiInput) -> EssdaiResult:
    """ESSDAI = Σ weight × activity level over 12 domains (0-123); low < 5, moderate 5-13,
    high ≥ 14 (Seror R et al., RMD Open 2016;2:e000154, doi:10.1136/rmdopen-2015-000154).
    Weights and levels: Seror R et al., Ann Rheum Dis 2010;69:1103-1109, doi:10.1136/ard.2009.110619.
    A domain not assessed (null) leaves the total unknown."""
    missing = [d for d, level in x.activity_levels.items() if level is None]
    points = {d: ESSDAI_DOMAINS[d][0] * level for d, level in x.activity_levels.items() if level is not None}
    total = None if missing else sum(points.values())
    band = category(total, [(5, False, "low"), (14, False, "moderate")], "high")
    return EssdaiResult(essdai=total, activity_category=band, details={"points": points, "missing": missing})


# Shiboski CH et al. Arthritis Rheumatol 2017;69:35-45, doi:10.1002/art.39859, Table 3.
SJOGREN_2016_ITEMS: dict[str, int] = {
    "labial_gland_focal_sialadenitis_focus_score_ge_1": 3,
    "anti_ssa_ro": 3,
    "ocular_staining_score_ge_5_or_van_bijsterveld_ge_4": 1,
    "schirmer_le_5mm_in_5min": 1,
    "unstimulated_whole_saliva_flow_le_0_1_ml_min": 1,
}
# Conditions that exclude classification (2016); the 2002 AECG list adds lymphoma and
# anticholinergic drugs.
SJOGREN_EXCLUSIONS = (
    "head_and_neck_radiation", "active_hepatitis_c", "aids", "sarcoidosis", "amyloidosis", "graft_versus_host_disease",
    "igg4_related_disease", "pre_existing_lymphoma", "anticholinergic_drugs",
)  # fmt: skip
AECG_2016_ONLY = frozenset({"amyloidosis", "igg4_related_disease"})
AECG_ONLY = frozenset({"pre_existing_lymphoma", "anticholinergic_drugs"})


class _SjogrenCriteria(InstrumentInput):
    items_present: list[str]
    missing: list[str] = Field(default_factory=list)
    exclusions_present: list[str] = Field(default_factory=list)

    @field_validator("exclusions_present")
    @classmethod
    def _exclusions(cls, names: list[str]) -> list[str]:
        return known_names(names, SJOGREN_EXCLUSIONS, "exclusion")


class Sjogren2016Input(_SjogrenCriteria):
    # At least one symptom of ocular or oral dryness, or suspicion from an ESSDAI domain.
    entry_criterion: bool | None

    @field_validator("items_present", "missing")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        return known_names(names, SJOGREN_2016_ITEMS, "item")


class SjogrenResult(ClassificationResult):
    applicable: bool
    score: int


def _excluded(found: list[str], relevant: frozenset[str]) -> list[str]:
    return sorted(set(found) & relevant)


def sjogren_2016(x: Sjogren2016Input) -> SjogrenResult:
    """2016 ACR/EULAR classification of primary Sjögren's syndrome: for a patient meeting the
    entry criterion (a symptom of ocular or oral dryness, or suspicion from the ESSDAI) and no
    exclusion, labial gland focal lymphocytic sialadenitis with focus score ≥ 1 (3), anti-SSA/Ro
    (3), ocular staining score ≥ 5 or van Bijsterveld ≥ 4 (1), Schirmer ≤ 5 mm/5 min (1) and
    unstimulated whole saliva flow ≤ 0.1 mL/min (1) are summed; ≥ 4 classifies. Shiboski CH et
    al., Arthritis Rheumatol 2017;69:35-45, doi:10.1002/art.39859."""
    disjoint(x.items_present, x.missing, "items")
    excluded = _excluded(x.exclusions_present, frozenset(SJOGREN_EXCLUSIONS) - AECG_ONLY)
    score = sum(SJOGREN_2016_ITEMS[i] for i in x.items_present)
    if excluded or x.entry_criterion is False:
        why = f"excluded by {', '.join(excluded)}" if excluded else "entry criterion not met"
        return SjogrenResult(applicable=False, score=score, result="not_met", details={"why": why})
    missing = [*x.missing, *(["entry_criterion"] if x.entry_criterion is None else [])]
    present = [*x.items_present, *(["entry_criterion"] if x.entry_criterion else [])]
    result = verdict(
        lambda items: "entry_criterion" in items and sum(SJOGREN_2016_ITEMS.get(i, 0) for i in items) >= 4,
        present,
        missing,
    )
    return SjogrenResult(
        applicable=True,
        score=score,
        result=result,
        details={"points": {i: SJOGREN_2016_ITEMS[i] for i in x.items_present}, "missing": sorted(missing)},
    )


# Vitali C et al. Ann Rheum Dis 2002;61:554-558, doi:10.1136/ard.61.6.554: items I-VI.
AECG_ITEMS = (
    "ocular_symptoms", "oral_symptoms", "ocular_signs", "histopathology_focus_score_ge_1",
    "salivary_gland_involvement", "autoantibodies_ro_or_la",
)  # fmt: skip
AECG_OBJECTIVE = frozenset(AECG_ITEMS[2:])


class Aecg2002Input(_SjogrenCriteria):
    # A potentially associated disease (such as another connective tissue disease) turns the
    # question into secondary Sjögren's syndrome.
    associated_disease: bool = False

    @field_validator("items_present", "missing")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        return known_names(names, AECG_ITEMS, "item")


def aecg_2002(x: Aecg2002Input) -> SjogrenResult:
    """2002 American-European Consensus Group criteria (Vitali C et al., Ann Rheum Dis
    2002;61:554-558, doi:10.1136/ard.61.6.554). Primary SS: any 4 of the 6 items with
    histopathology (IV) or autoantibodies (VI) among them, or any 3 of the 4 objective items
    (III-VI). Secondary SS, in a patient with a potentially associated disease: item I or II
    plus any 2 of III, IV and V. An exclusion (past head and neck radiation, hepatitis C, AIDS,
    pre-existing lymphoma, sarcoidosis, GVHD, anticholinergic drugs) rules classification out."""
    disjoint(x.items_present, x.missing, "items")
    excluded = _excluded(x.exclusions_present, frozenset(SJOGREN_EXCLUSIONS) - AECG_2016_ONLY)
    if excluded:
        return SjogrenResult(
            applicable=False, score=len(x.items_present), result="not_met",
            details={"why": f"excluded by {', '.join(excluded)}"},
        )  # fmt: skip

    def primary(items: frozenset[str]) -> bool:
        key = bool(items & {"histopathology_focus_score_ge_1", "autoantibodies_ro_or_la"})
        return (len(items) >= 4 and key) or len(items & AECG_OBJECTIVE) >= 3

    def secondary(items: frozenset[str]) -> bool:
        symptoms = bool(items & {"ocular_symptoms", "oral_symptoms"})
        signs = items & {"ocular_signs", "histopathology_focus_score_ge_1", "salivary_gland_involvement"}
        return symptoms and len(signs) >= 2

    rule = secondary if x.associated_disease else primary
    return SjogrenResult(
        applicable=True,
        score=len(x.items_present),
        result=verdict(rule, x.items_present, x.missing),
        details={"form": "secondary" if x.associated_disease else "primary", "counted": x.items_present,
                 "missing": x.missing},
    )  # fmt: skip
