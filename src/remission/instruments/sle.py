"""Systemic lupus erythematosus: SLEDAI-2K (and the clinical SLEDAI-2K without serology) and the
2019 EULAR/ACR classification criteria."""

from __future__ import annotations

from pydantic import Field, field_validator

from remission.instruments.base import ClassificationResult, InstrumentInput, InstrumentResult, known_names

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
    both = set(x.descriptors_present) & set(x.missing)
    if both:
        raise ValueError(f"descriptors both present and missing: {', '.join(sorted(both))}")
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
    best: dict[str, tuple[int, str]] = {}
    for item in x.criteria_present:
        domain, weight = SLE_2019_ITEMS[item]
        if weight > best.get(domain, (0, ""))[0]:
            best[domain] = (weight, item)
    score = sum(w for w, _ in best.values())
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
        details={"counted": {d: {"criterion": i, "points": w} for d, (w, i) in sorted(best.items())}},
    )
