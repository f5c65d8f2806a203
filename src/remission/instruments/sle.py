"""Systemic lupus erythematosus: SLEDAI-2K (and the clinical SLEDAI-2K without serology) and the
2019 EULAR/ACR classification criteria."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, field_validator

from remission.instruments.base import (
    ClassificationResult,
    InstrumentInput,
    InstrumentResult,
    ItemVerdict,
    all_true,
    best_per_domain,
    disjoint,
    every_key,
    known_names,
    verdict,
)

# Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288-291 (SLEDAI-2K descriptor weights).
SLEDAI_2K_WEIGHTS: dict[str, int] = {
    "seizure": 8, "psychosis": 8, "organic_brain_syndrome": 8, "visual_disturbance": 8,
    "cranial_nerve_disorder": 8, "lupus_headache": 8, "cva": 8, "vasculitis": 8,
    "arthritis": 4, "myositis": 4, "urinary_casts": 4, "hematuria": 4, "proteinuria": 4, "pyuria": 4,
    "rash": 2, "alopecia": 2, "mucosal_ulcers": 2, "pleurisy": 2, "pericarditis": 2,
    "low_complement": 2, "increased_dna_binding": 2,
    "fever": 1, "thrombocytopenia": 1, "leukopenia": 1,
}  # fmt: skip
SEROLOGY = frozenset({"low_complement", "increased_dna_binding"})


class Sledai2kInput(InstrumentInput):
    descriptors_present: list[str]
    missing: list[str] = Field(default_factory=list)

    @field_validator("descriptors_present", "missing")
    @classmethod
    def _descriptors(cls, names: list[str]) -> list[str]:
        return known_names(names, SLEDAI_2K_WEIGHTS, "descriptor")


class Sledai2kResult(InstrumentResult):
    sledai_2k: int | None
    clinical_sledai_2k_no_serology: int | None


def sledai_2k(x: Sledai2kInput) -> Sledai2kResult:
    """SLEDAI-2K: the sum of the weights of the 24 descriptors present in the last 10 days (0-105).
    The clinical (modified) SLEDAI-2K leaves out low complement and increased DNA binding
    (0-101). Gladman DD et al., J Rheumatol 2002;29:288-291 (PMID 11838846; the journal gives
    no DOI). A descriptor not assessed (``missing``) makes a total it belongs to unknown, never 0.
    """
    disjoint(x.descriptors_present, x.missing, "descriptors")
    total = sum(SLEDAI_2K_WEIGHTS[d] for d in x.descriptors_present)
    clinical = sum(SLEDAI_2K_WEIGHTS[d] for d in x.descriptors_present if d not in SEROLOGY)
    missing = set(x.missing)
    return Sledai2kResult(
        sledai_2k=None if missing else total,
        clinical_sledai_2k_no_serology=None if missing - SEROLOGY else clinical,
        details={"counted": {d: SLEDAI_2K_WEIGHTS[d] for d in x.descriptors_present}, "missing": sorted(missing)},
    )


# Aringer M et al. Arthritis Rheumatol 2019;71:1400-1412, doi:10.1002/art.40930, Figure 1.
SLE_2019_DOMAINS: dict[str, dict[str, int]] = {
    "constitutional": {"fever": 2},
    "hematologic": {"leukopenia": 3, "thrombocytopenia": 4, "autoimmune_hemolysis": 4},
    "neuropsychiatric": {"delirium": 2, "psychosis": 3, "seizure": 5},
    "mucocutaneous": {
        "non_scarring_alopecia": 2, "oral_ulcers": 2, "subacute_cutaneous_or_discoid_lupus": 4,
        "acute_cutaneous_lupus": 6,
    },
    "serosal": {"pleural_or_pericardial_effusion": 5, "acute_pericarditis": 6},
    "musculoskeletal": {"joint_involvement": 6},
    "renal": {"proteinuria_gt_0_5g_24h": 4, "biopsy_class_ii_or_v_ln": 8, "biopsy_class_iii_or_iv_ln": 10},
    "antiphospholipid": {"acl_or_ab2gp1_or_lac": 2},
    "complement": {"low_c3_or_low_c4": 3, "low_c3_and_low_c4": 4},
    "sle_specific_antibodies": {"anti_dsdna_or_anti_smith": 6},
}  # fmt: skip
IMMUNOLOGIC = frozenset({"antiphospholipid", "complement", "sle_specific_antibodies"})
SLE_2019_ITEMS = {item: (domain, w) for domain, items in SLE_2019_DOMAINS.items() for item, w in items.items()}


class Sle2019Input(InstrumentInput):
    ana_ge_1_80_ever: bool | None
    criteria_present: list[str]

    @field_validator("criteria_present")
    @classmethod
    def _criteria(cls, names: list[str]) -> list[str]:
        return known_names(names, set(SLE_2019_ITEMS), "criterion")


class Sle2019Result(ClassificationResult):
    entry_criterion_met: bool | None
    score: int
    has_clinical_criterion: bool
    classified_sle: bool | None


def sle_2019(x: Sle2019Input) -> Sle2019Result:
    """2019 EULAR/ACR SLE classification: entry criterion ANA ≥ 1:80 on HEp-2 cells (ever); within
    each domain only the highest-weighted criterion counts; at least one clinical criterion;
    classified as SLE with ≥ 10 points. Aringer M et al., Arthritis Rheumatol 2019;71:1400-1412,
    doi:10.1002/art.40930. An unknown ANA gives "cannot tell" (the points are still reported)."""
    best = best_per_domain(SLE_2019_DOMAINS, x.criteria_present)
    score = int(sum(w for _, w in best.values()))
    clinical = any(domain not in IMMUNOLOGIC for domain in best)
    qualifies = score >= 10 and clinical
    classified = None if x.ana_ge_1_80_ever is None else (x.ana_ge_1_80_ever and qualifies)
    # Without the entry criterion, a score that cannot qualify settles the answer anyway.
    if x.ana_ge_1_80_ever is None and not qualifies:
        classified = False
    return Sle2019Result(
        entry_criterion_met=x.ana_ge_1_80_ever,
        score=score,
        has_clinical_criterion=clinical,
        classified_sle=classified,
        result="cannot_tell" if classified is None else ("met" if classified else "not_met"),
        details={"counted": {d: {"criterion": i, "points": w} for d, (i, w) in sorted(best.items())}},
    )


# Hochberg MC. Arthritis Rheum 1997;40:1725, doi:10.1002/art.1780400928 (the 1982 criteria of
# Tan EM et al., doi:10.1002/art.1780251101, with the 1997 immunologic-disorder revision).
SLE_1997_CRITERIA = (
    "malar_rash", "discoid_rash", "photosensitivity", "oral_ulcers", "arthritis", "serositis", "renal_disorder",
    "neurologic_disorder", "hematologic_disorder", "immunologic_disorder", "antinuclear_antibody",
)  # fmt: skip


class CriteriaInput(InstrumentInput):
    """Criteria sets counted item by item: the items present, and those not assessed; any other
    item is absent."""

    criteria_present: list[str]
    missing: list[str] = Field(default_factory=list)


class Sle1997Input(CriteriaInput):
    @field_validator("criteria_present", "missing")
    @classmethod
    def _criteria(cls, names: list[str]) -> list[str]:
        return known_names(names, SLE_1997_CRITERIA, "criterion")


class CountResult(ClassificationResult):
    count: int


def sle_1997(x: Sle1997Input) -> CountResult:
    """1997 update of the 1982 ACR SLE classification criteria: SLE when 4 or more of the 11
    criteria are present, serially or simultaneously, during any interval of observation.
    Hochberg MC, Arthritis Rheum 1997;40:1725, doi:10.1002/art.1780400928; Tan EM et al.,
    Arthritis Rheum 1982;25:1271-1277, doi:10.1002/art.1780251101."""
    disjoint(x.criteria_present, x.missing, "criteria")
    return CountResult(
        count=len(x.criteria_present),
        result=verdict(lambda items: len(items) >= 4, x.criteria_present, x.missing),
        details={"counted": x.criteria_present, "missing": x.missing, "needed": 4},
    )


# Petri M et al. Arthritis Rheum 2012;64:2677-2686, doi:10.1002/art.34473, Table 2.
SLICC_CLINICAL = (
    "acute_cutaneous_lupus", "chronic_cutaneous_lupus", "oral_or_nasal_ulcers", "nonscarring_alopecia", "synovitis",
    "serositis", "renal", "neurologic", "hemolytic_anemia", "leukopenia_or_lymphopenia", "thrombocytopenia",
)  # fmt: skip
SLICC_IMMUNOLOGIC = ("ana", "anti_dsdna", "anti_sm", "antiphospholipid", "low_complement", "direct_coombs")


class Slicc2012Input(CriteriaInput):
    biopsy_proven_lupus_nephritis: bool | None = False

    @field_validator("criteria_present", "missing")
    @classmethod
    def _criteria(cls, names: list[str]) -> list[str]:
        return known_names(names, SLICC_CLINICAL + SLICC_IMMUNOLOGIC, "criterion")


class Slicc2012Result(ClassificationResult):
    clinical: int
    immunologic: int
    by_biopsy: bool | None


def _slicc_counts(items: frozenset[str]) -> tuple[int, int]:
    clinical = sum(1 for c in SLICC_CLINICAL if c in items)
    # A positive direct Coombs test counts only in the absence of haemolytic anaemia.
    immunologic = sum(
        1 for c in SLICC_IMMUNOLOGIC if c in items and not (c == "direct_coombs" and "hemolytic_anemia" in items)
    )
    return clinical, immunologic


def slicc_2012(x: Slicc2012Input) -> Slicc2012Result:
    """2012 SLICC SLE classification: 4 or more criteria with at least one clinical and one
    immunologic, or biopsy-proven lupus nephritis with ANA or anti-dsDNA. Criteria are
    cumulative and need not be simultaneous. Petri M et al., Arthritis Rheum 2012;64:2677-2686,
    doi:10.1002/art.34473.

    The rule is not monotone in one item (haemolytic anaemia cancels a direct Coombs test), so
    "cannot tell" is decided on both ways the missing haemolytic anaemia item could go."""
    disjoint(x.criteria_present, x.missing, "criteria")

    def rule(biopsy: bool) -> Callable[[frozenset[str]], bool]:
        def met(items: frozenset[str]) -> bool:
            clinical, immunologic = _slicc_counts(items)
            serology = bool(items & {"ana", "anti_dsdna"})
            return (clinical + immunologic >= 4 and clinical >= 1 and immunologic >= 1) or (biopsy and serology)

        return met

    present, missing = frozenset(x.criteria_present), frozenset(x.missing)
    hemolysis = missing & {"hemolytic_anemia"}
    lowest = [present, present | hemolysis]
    highest = [present | missing, (present | missing) - hemolysis]
    sure = x.biopsy_proven_lupus_nephritis is True
    possible = x.biopsy_proven_lupus_nephritis is not False
    if all(rule(sure)(s) for s in lowest):
        result: ItemVerdict = "met"
    elif any(rule(possible)(s) for s in highest):
        result = "cannot_tell"
    else:
        result = "not_met"
    clinical, immunologic = _slicc_counts(present)
    biopsy = x.biopsy_proven_lupus_nephritis
    return Slicc2012Result(
        clinical=clinical,
        immunologic=immunologic,
        by_biopsy=None if biopsy is None else biopsy and bool(present & {"ana", "anti_dsdna"}),
        result=result,
        details={"counted": sorted(present), "missing": sorted(missing)},
    )


# BILAG-2004 organ systems (Isenberg DA et al., Rheumatology 2005;44:902-906,
# doi:10.1093/rheumatology/keh624); the item-level glossary that yields each grade is licensed
# and is not reproduced: grades are entered per system.
BILAG_SYSTEMS = (
    "constitutional", "mucocutaneous", "neuropsychiatric", "musculoskeletal", "cardiorespiratory",
    "gastrointestinal", "ophthalmic", "renal", "haematological",
)  # fmt: skip
# Yee CS et al., Rheumatology 2010;49:1665-1669, doi:10.1093/rheumatology/keq026 (A=12, B=8, C=1).
BILAG_NUMERIC = {"A": 12, "B": 8, "C": 1, "D": 0, "E": 0}
Grade = Literal["A", "B", "C", "D", "E"]


class Bilag2004Input(InstrumentInput):
    grades: dict[str, Grade | None]

    @field_validator("grades")
    @classmethod
    def _systems(cls, grades: dict[str, Grade | None]) -> dict[str, Grade | None]:
        every_key(grades, BILAG_SYSTEMS, "system", "a grade A-E")
        return grades


class Bilag2004Result(InstrumentResult):
    count_a: int | None
    count_b: int | None
    numeric_score: int | None
    one_a_or_two_b: bool | None


def bilag_2004(x: Bilag2004Input) -> Bilag2004Result:
    """BILAG-2004 from its organ-system grades (A severe, B moderate, C mild, D previously
    involved, E never involved): the number of A and B grades, the numeric score (A=12, B=8,
    C=1, D=E=0; Yee CS et al., Rheumatology 2010;49:1665-1669, doi:10.1093/rheumatology/keq026)
    and "at least one A or two B", the usual trial entry threshold. Isenberg DA et al.,
    Rheumatology 2005;44:902-906, doi:10.1093/rheumatology/keh624. A system not graded leaves
    the counts unknown; "one A or two B" is still answered when the known grades settle it."""
    known = [g for g in x.grades.values() if g is not None]
    unknown = sorted(s for s, g in x.grades.items() if g is None)
    a, b = known.count("A"), known.count("B")
    settled = a >= 1 or b >= 2
    one_a_or_two_b = True if settled else (False if not unknown else None)
    return Bilag2004Result(
        count_a=None if unknown else a,
        count_b=None if unknown else b,
        numeric_score=None if unknown else sum(BILAG_NUMERIC[g] for g in known),
        one_a_or_two_b=one_a_or_two_b,
        details={"grades": x.grades, "missing": unknown, "known_count_a": a, "known_count_b": b},
    )


class Sri4Input(InstrumentInput):
    sledai_2k_baseline: int = Field(ge=0, le=105)
    sledai_2k_followup: int | None = Field(ge=0, le=105)
    bilag_baseline: dict[str, Grade | None]
    bilag_followup: dict[str, Grade | None]
    pga_baseline: float = Field(ge=0, le=3)
    pga_followup: float | None = Field(ge=0, le=3)
    # Rescue therapy or withdrawal makes a patient a non-responder in the trials that defined SRI-4.
    treatment_failure: bool = False

    @field_validator("bilag_baseline", "bilag_followup")
    @classmethod
    def _systems(cls, grades: dict[str, Grade | None]) -> dict[str, Grade | None]:
        every_key(grades, BILAG_SYSTEMS, "system", "a grade A-E")
        return grades


class Sri4Result(InstrumentResult):
    responder: bool | None
    sledai_reduction: int | None
    new_bilag_a: int | None
    new_bilag_b: int | None
    pga_increase: float | None


def sri_4(x: Sri4Input) -> Sri4Result:
    """SLE Responder Index 4: a reduction of SLEDAI-2K by 4 or more, no new BILAG A and no more
    than one new BILAG B organ score, and no worsening of the physician's global assessment
    (an increase below 0.3 on the 0-3 scale). Furie RA et al., Arthritis Rheum 2009;61:1143-1151,
    doi:10.1002/art.24698. A "new" A is an A where baseline was B-E; a new B is a B where
    baseline was C-E. An unknown item gives an unknown answer only when it could change it."""
    reduction = None if x.sledai_2k_followup is None else x.sledai_2k_baseline - x.sledai_2k_followup
    new_a = new_b = 0
    open_systems = 0
    for system in BILAG_SYSTEMS:
        before, after = x.bilag_baseline[system], x.bilag_followup[system]
        if before is None or after is None:
            open_systems += 1
        elif after == "A" and before != "A":
            new_a += 1
        elif after == "B" and before in ("C", "D", "E"):
            new_b += 1
    increase = None if x.pga_followup is None else round(x.pga_followup - x.pga_baseline, 10)
    checks: dict[str, bool | None] = {
        "sledai_2k_reduction_ge_4": None if reduction is None else reduction >= 4,
        "no_new_bilag_a_and_at_most_one_new_b": False
        if (new_a > 0 or new_b > 1)
        else (True if open_systems == 0 else None),
        "pga_increase_lt_0_3": None if increase is None else increase < 0.3,
        "no_treatment_failure": not x.treatment_failure,
    }
    return Sri4Result(
        responder=all_true(checks),
        sledai_reduction=reduction,
        new_bilag_a=new_a if open_systems == 0 else None,
        new_bilag_b=new_b if open_systems == 0 else None,
        pga_increase=increase,
        details={"criteria": checks},
    )


class LldasInput(InstrumentInput):
    sledai_2k: int | None = Field(ge=0, le=105)
    major_organ_activity: bool | None
    hemolytic_anemia_or_gi_activity: bool | None
    new_activity_since_last_assessment: bool | None
    pga: float | None = Field(ge=0, le=3)
    prednisolone_mg_day: float | None = Field(ge=0, le=1000)
    standard_maintenance_immunosuppression_only: bool | None


class StateResult(InstrumentResult):
    attained: bool | None


def lldas(x: LldasInput) -> StateResult:
    """Lupus Low Disease Activity State: SLEDAI-2K ≤ 4 with no activity in a major organ
    system (renal, CNS, cardiopulmonary, vasculitis, fever) and no haemolytic anaemia or
    gastrointestinal activity; no new lupus activity since the last assessment; SELENA-SLEDAI
    physician global assessment ≤ 1 (0-3); prednisolone ≤ 7.5 mg/day; immunosuppressants and
    approved biologics only at well-tolerated standard maintenance doses. Franklyn K et al., Ann
    Rheum Dis 2016;75:1615-1621, doi:10.1136/annrheumdis-2015-207726."""

    def no(v: bool | None) -> bool | None:
        return None if v is None else not v

    checks: dict[str, bool | None] = {
        "sledai_2k_le_4": None if x.sledai_2k is None else x.sledai_2k <= 4,
        "no_major_organ_activity": no(x.major_organ_activity),
        "no_hemolytic_anemia_or_gi_activity": no(x.hemolytic_anemia_or_gi_activity),
        "no_new_activity": no(x.new_activity_since_last_assessment),
        "pga_le_1": None if x.pga is None else x.pga <= 1,
        "prednisolone_le_7_5": None if x.prednisolone_mg_day is None else x.prednisolone_mg_day <= 7.5,
        "standard_maintenance_only": x.standard_maintenance_immunosuppression_only,
    }
    return StateResult(attained=all_true(checks), details={"criteria": checks})


class DorisInput(InstrumentInput):
    clinical_sledai_2k: int | None = Field(ge=0, le=101)
    pga: float | None = Field(ge=0, le=3)
    prednisolone_mg_day: float | None = Field(ge=0, le=1000)
    # Antimalarials aside: any immunosuppressant or biologic (stable doses are allowed in remission).
    on_immunosuppressant_or_biologic: bool | None = None


class DorisResult(InstrumentResult):
    remission: bool | None
    remission_off_therapy: bool | None


def doris(x: DorisInput) -> DorisResult:
    """DORIS remission in SLE: clinical SLEDAI-2K = 0, physician global assessment < 0.5 (0-3),
    prednisolone ≤ 5 mg/day; antimalarials, stable immunosuppressants and approved biologics
    are allowed; serology may stay active. van Vollenhoven RF et al., Lupus Sci Med
    2021;8:e000538, doi:10.1136/lupus-2021-000538. Remission off therapy (the 2017 DORIS
    framework, van Vollenhoven R et al., Ann Rheum Dis 2017;76:554-561,
    doi:10.1136/annrheumdis-2016-209519) also asks for no glucocorticoids and no
    immunosuppressant or biologic (antimalarials allowed): the drug-free remission that
    CAR-T trials report."""
    checks: dict[str, bool | None] = {
        "clinical_sledai_2k_0": None if x.clinical_sledai_2k is None else x.clinical_sledai_2k == 0,
        "pga_lt_0_5": None if x.pga is None else x.pga < 0.5,
        "prednisolone_le_5": None if x.prednisolone_mg_day is None else x.prednisolone_mg_day <= 5,
    }
    remission = all_true(checks)
    off = {
        **checks,
        "no_glucocorticoids": None if x.prednisolone_mg_day is None else x.prednisolone_mg_day == 0,
        "no_immunosuppressant_or_biologic": None
        if x.on_immunosuppressant_or_biologic is None
        else not x.on_immunosuppressant_or_biologic,
    }
    return DorisResult(remission=remission, remission_off_therapy=all_true(off), details={"criteria": off})
