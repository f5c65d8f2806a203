"""Idiopathic inflammatory myopathies: MMT-8, the 2016 ACR/EULAR Total Improvement Score and the
2017 EULAR/ACR classification criteria."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator, model_validator

from remission.instruments.base import (
    ClassificationResult,
    InstrumentInput,
    InstrumentResult,
    disjoint,
    known_names,
    verdict,
)

# Rider LG et al. Arthritis Care Res 2010;62:465-472, doi:10.1002/acr.20035: neck flexors
# (axial) and seven groups tested on each side, each 0-10 on the Kendall scale.
MMT8_BILATERAL = (
    "deltoid", "biceps", "wrist_extensors", "gluteus_maximus", "gluteus_medius", "quadriceps", "ankle_dorsiflexors",
)  # fmt: skip
_GROUP = Field(default=None, ge=0, le=10)


class Mmt8Input(InstrumentInput):
    """A group not tested is left out (or null); the side is the one the 0-80 total uses."""

    neck_flexors: int | None = _GROUP
    deltoid_right: int | None = _GROUP
    deltoid_left: int | None = _GROUP
    biceps_right: int | None = _GROUP
    biceps_left: int | None = _GROUP
    wrist_extensors_right: int | None = _GROUP
    wrist_extensors_left: int | None = _GROUP
    gluteus_maximus_right: int | None = _GROUP
    gluteus_maximus_left: int | None = _GROUP
    gluteus_medius_right: int | None = _GROUP
    gluteus_medius_left: int | None = _GROUP
    quadriceps_right: int | None = _GROUP
    quadriceps_left: int | None = _GROUP
    ankle_dorsiflexors_right: int | None = _GROUP
    ankle_dorsiflexors_left: int | None = _GROUP
    side: Literal["right", "left"] = "right"


class Mmt8Result(InstrumentResult):
    mmt8_80: int | None
    mmt8_150: int | None


def mmt8(x: Mmt8Input) -> Mmt8Result:
    """Manual Muscle Testing of 8 muscle groups (Rider LG et al., Arthritis Care Res
    2010;62:465-472, doi:10.1002/acr.20035): neck flexors plus seven groups on one side, 0-80;
    or neck flexors plus both sides of the seven, 0-150. A total with an untested group is
    unknown; higher is stronger."""
    scores = {name: getattr(x, name) for name in Mmt8Input.model_fields if name != "side"}
    if all(v is None for v in scores.values()):
        raise ValueError("no muscle group was scored")
    one_side = ["neck_flexors", *(f"{g}_{x.side}" for g in MMT8_BILATERAL)]
    missing = sorted(name for name, v in scores.items() if v is None)

    def total(names: list[str]) -> int | None:
        values = [scores[n] for n in names]
        return None if None in values else sum(v for v in values if v is not None)

    return Mmt8Result(
        mmt8_80=total(one_side),
        mmt8_150=total(list(scores)),
        details={"groups": scores, "side": x.side, "missing": missing},
    )


# Aggarwal R et al. Arthritis Rheumatol 2017;69:898-910, doi:10.1002/art.40064 (adult DM/PM,
# conventional TIS): points per core set measure by its absolute percentage improvement, in
# bands ≤ 5 (≤ 2 for MMT), > 5-15 (> 2-10), > 15-25 (> 10-20), > 25-40 (> 20-30), > 40 (> 30).
TIS_POINTS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "physician_global": ((5, 15, 25, 40), (0, 7.5, 15, 17.5, 20)),
    "patient_global": ((5, 15, 25, 40), (0, 2.5, 5, 7.5, 10)),
    "mmt": ((2, 10, 20, 30), (0, 10, 20, 27.5, 32.5)),
    "haq": ((5, 15, 25, 40), (0, 5, 7.5, 7.5, 10)),
    "enzyme": ((5, 15, 25, 40), (0, 2.5, 5, 7.5, 7.5)),
    "extramuscular": ((5, 15, 25, 40), (0, 7.5, 12.5, 15, 20)),
}
# Minimal, moderate, major improvement: adults (Aggarwal 2017) and juvenile DM (Rider LG et al.,
# Arthritis Rheumatol 2017;69:911-923, doi:10.1002/art.40060).
TIS_THRESHOLDS = {"adult": (20, 40, 60), "juvenile": (30, 45, 70)}


class CoreSet(InstrumentInput):
    physician_global_0_10: float | None = Field(ge=0, le=10)
    patient_global_0_10: float | None = Field(ge=0, le=10)
    mmt8: float | None = Field(ge=0, le=150)
    haq_0_3: float | None = Field(ge=0, le=3)
    enzyme_u_l: float | None = Field(ge=0, le=1_000_000)
    extramuscular_0_10: float | None = Field(ge=0, le=10)


ENZYMES = ("ck", "aldolase", "ldh", "ast", "alt")


class EnzymeValues(InstrumentInput):
    baseline: float = Field(ge=0, le=1_000_000)
    followup: float = Field(ge=0, le=1_000_000)
    uln: float = Field(gt=0, le=100_000, description="the laboratory's upper limit of normal, same unit")


class TisInput(InstrumentInput):
    baseline: CoreSet
    followup: CoreSet
    mmt8_max: Literal[80, 150] = 80
    population: Literal["adult", "juvenile"] = "adult"
    enzymes: dict[str, EnzymeValues] | None = Field(
        default=None,
        description="Every muscle enzyme measured (ck, aldolase, ldh, ast, alt) with its upper limit "
        "of normal: the most abnormal one at baseline is the core set measure (then enzyme_u_l stays null)",
    )

    @model_validator(mode="after")
    def _one_enzyme_input(self) -> TisInput:
        if self.enzymes is not None:
            known_names(list(self.enzymes), ENZYMES, "enzymes")
            if not self.enzymes:
                raise ValueError("enzymes: give at least one enzyme, or leave it null")
            if self.baseline.enzyme_u_l is not None or self.followup.enzyme_u_l is not None:
                raise ValueError("give enzymes or enzyme_u_l, not both")
        return self


class TisResult(InstrumentResult):
    total_improvement_score: float | None
    improvement: Literal["none", "minimal", "moderate", "major"] | None


def _tis_points(measure: str, change: float) -> float:
    cuts, points = TIS_POINTS[measure]
    return points[sum(1 for c in cuts if round(change, 10) > c)]


def myositis_tis(x: TisInput) -> TisResult:
    """2016 ACR/EULAR myositis response criteria, Total Improvement Score 0-100 (Aggarwal R et
    al., Arthritis Rheumatol 2017;69:898-910, doi:10.1002/art.40064). Each core set measure's
    absolute percentage change is its change over the range of its scale (10 cm for the global
    and extramuscular activity scales, 80 or 150 for MMT-8, 3 for HAQ); the muscle enzyme,
    which has no fixed range, uses its relative change from baseline. Worsening scores 0.
    Improvement: adults minimal ≥ 20, moderate ≥ 40, major ≥ 60; juvenile DM ≥ 30, ≥ 45, ≥ 70.
    A missing measure leaves the score unknown unless the band is settled without it.

    The enzyme measure is "the most abnormal serum muscle enzyme" (the paper's Table 3; the IMACS
    calculator takes every enzyme with its upper limit of normal). Given ``enzymes``, the one
    furthest above its upper limit at baseline (the largest baseline / ULN) is used, as the
    calculator does; its relative change is the same whether computed in U/L or in multiples of
    the ULN (the ULN cancels). The calculator's own formula could not be read here: a calculator
    that measured the change in multiples of ULN above normal, or capped a normal follow-up at
    the ULN, would differ for enzymes that end within the normal range. With ``enzyme_u_l`` the
    caller has chosen the enzyme."""
    ranges = {"physician_global_0_10": 10.0, "patient_global_0_10": 10.0, "mmt8": float(x.mmt8_max),
              "haq_0_3": 3.0, "extramuscular_0_10": 10.0}  # fmt: skip
    measures = {"physician_global_0_10": "physician_global", "patient_global_0_10": "patient_global",
                "mmt8": "mmt", "haq_0_3": "haq", "enzyme_u_l": "enzyme",
                "extramuscular_0_10": "extramuscular"}  # fmt: skip
    changes: dict[str, float] = {}
    points: dict[str, float] = {}
    missing: list[str] = []
    enzymes = x.enzymes or {}
    chosen = max(sorted(enzymes), key=lambda name: enzymes[name].baseline / enzymes[name].uln) if enzymes else None
    for field, measure in measures.items():
        before, after = getattr(x.baseline, field), getattr(x.followup, field)
        if field == "enzyme_u_l" and chosen is not None:
            before, after = enzymes[chosen].baseline, enzymes[chosen].followup
        if field == "mmt8" and max(before or 0, after or 0) > x.mmt8_max:
            raise ValueError(f"mmt8 above mmt8_max = {x.mmt8_max}")
        if before is None or after is None:
            missing.append(measure)
            continue
        if field == "enzyme_u_l":
            change = 0.0 if before == 0 else (before - after) / before * 100
        else:
            # MMT-8 improves upwards; every other measure improves downwards.
            change = ((after - before) if field == "mmt8" else (before - after)) / ranges[field] * 100
        changes[measure] = round(change, 4)
        points[measure] = _tis_points(measure, change)
    known = sum(points.values())
    best = known + sum(TIS_POINTS[m][1][-1] for m in missing)
    thresholds = TIS_THRESHOLDS[x.population]
    names: list[Literal["none", "minimal", "moderate", "major"]] = ["none", "minimal", "moderate", "major"]
    low, high = (names[sum(1 for t in thresholds if s >= t)] for s in (known, best))
    return TisResult(
        total_improvement_score=None if missing else known,
        improvement=low if low == high else None,
        details={"absolute_percent_change": changes, "points": points, "missing": missing,
                 "thresholds": dict(zip(names[1:], thresholds, strict=True)),
                 **({} if chosen is None else {"enzyme": chosen})},
    )  # fmt: skip


# Lundberg IE et al. Ann Rheum Dis 2017;76:1955-1964, doi:10.1136/annrheumdis-2017-211468,
# Table 2: score points without and with muscle biopsy.
IIM_ITEMS: dict[str, tuple[float, float]] = {
    "weakness_proximal_upper_symmetric": (0.7, 0.7),
    "weakness_proximal_lower_symmetric": (0.8, 0.5),
    "neck_flexors_weaker_than_extensors": (1.9, 1.6),
    "legs_proximal_weaker_than_distal": (0.9, 1.2),
    "heliotrope_rash": (3.1, 3.2),
    "gottron_papules": (2.1, 2.7),
    "gottron_sign": (3.3, 3.7),
    "dysphagia_or_esophageal_dysmotility": (0.7, 0.6),
    "anti_jo1": (3.9, 3.8),
    "elevated_ck_ldh_ast_or_alt": (1.3, 1.4),
    "biopsy_endomysial_infiltrate": (0.0, 1.7),
    "biopsy_perimysial_or_perivascular_infiltrate": (0.0, 1.2),
    "biopsy_perifascicular_atrophy": (0.0, 1.9),
    "biopsy_rimmed_vacuoles": (0.0, 3.1),
}
IIM_AGE = {"18_to_39": (1.3, 1.5), "40_or_more": (2.1, 2.2)}
IIM_INTERCEPT = (5.33, 6.49)  # probability = 1 / (1 + exp(intercept − score))
# The paper's score cut-offs (possible ≥ 50%, probable ≥ 55%, definite ≥ 90%), without and with
# biopsy. They are the probabilities rounded to the points' one decimal: at exactly 5.5 the
# model gives 54.2% and at 7.5 89.8%; the published table, which is what clinicians apply, is
# followed, and the model probability is reported beside it.
IIM_CUTS = ((5.3, 5.5, 7.5), (6.5, 6.7, 8.7))
SKIN = frozenset({"heliotrope_rash", "gottron_papules", "gottron_sign"})
WEAKNESS = frozenset({"weakness_proximal_upper_symmetric", "weakness_proximal_lower_symmetric",
                      "neck_flexors_weaker_than_extensors", "legs_proximal_weaker_than_distal"})  # fmt: skip


class Iim2017Input(InstrumentInput):
    age_at_onset_years: float | None = Field(ge=0, le=120)
    muscle_biopsy: bool
    items_present: list[str]
    missing: list[str] = Field(default_factory=list)
    # For the subgroup tree: finger flexor weakness with no response to treatment.
    finger_flexor_weakness_no_treatment_response: bool | None = None

    @field_validator("items_present", "missing")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        return known_names(names, IIM_ITEMS, "item")


class Iim2017Result(ClassificationResult):
    score: float
    probability: float
    category: Literal["definite", "probable", "possible", "not_iim", "biopsy_required"]
    subgroup: str | None


def _iim_score(items: frozenset[str], age: float | None, column: int) -> float:
    score = sum(IIM_ITEMS[i][column] for i in items if i in IIM_ITEMS)
    if age is not None and age >= 18:
        score += IIM_AGE["40_or_more" if age >= 40 else "18_to_39"][column]
    return round(score, 10)


def _iim_probability(score: float, column: int) -> float:
    return 1 / (1 + math.exp(IIM_INTERCEPT[column] - score))


def iim_2017(x: Iim2017Input) -> Iim2017Result:
    """2017 EULAR/ACR classification criteria for adult and juvenile idiopathic inflammatory
    myopathies and their major subgroups (Lundberg IE et al., Ann Rheum Dis 2017;76:1955-1964,
    doi:10.1136/annrheumdis-2017-211468), for use when no better explanation exists. The item
    points (with or without a muscle biopsy) are summed; the probability of IIM is
    1 / (1 + e^(5.33 − score)) without biopsy and 1 / (1 + e^(6.49 − score)) with it; probable
    IIM (the classification, ≥ 55%) from a score of 5.5 (6.7 with biopsy), definite (≥ 90%) from
    7.5 (8.7), possible (≥ 50%) from 5.3 (6.5): the paper's tabulated cut-offs. Subgroups of
    classified cases: onset before 18 with a typical rash is juvenile DM, without it juvenile IIM
    other than JDM; from 18, a typical rash with weakness is DM, without weakness amyopathic
    DM; without a rash, finger flexor weakness not responding to treatment or rimmed vacuoles
    is inclusion body myositis, otherwise polymyositis (including IMNM).

    Without heliotrope rash, Gottron's papules or Gottron's sign, a patient is classified only
    with muscle biopsy features: the authors' calculator (Karolinska, imm.ki.se, "iim"
    instructions: "If heliotrope rash, Gottron's papules or Gottron's sign are not present, then
    muscle biopsy features should be present to classify a patient as an IIM case"; the paper
    recommends a biopsy for patients without these rashes). Such a patient whose score reaches a
    band is ``biopsy_required``, not classified; with a biopsy, at least one of its four features
    must be present."""
    disjoint(x.items_present, x.missing, "items")
    biopsy_items = {i for i in (*x.items_present, *x.missing) if i.startswith("biopsy_")}
    if biopsy_items and not x.muscle_biopsy:
        raise ValueError(f"biopsy items without muscle_biopsy: {', '.join(sorted(biopsy_items))}")
    column = 1 if x.muscle_biopsy else 0
    present = frozenset(x.items_present)
    age = x.age_at_onset_years

    possible, probable, definite = IIM_CUTS[column]

    def entry(items: frozenset[str]) -> bool:
        return bool(items & SKIN) or (x.muscle_biopsy and any(i.startswith("biopsy_") for i in items))

    def classified(items: frozenset[str], onset: float | None = age) -> bool:
        return entry(items) and _iim_score(items, onset, column) >= probable

    missing = list(x.missing)
    if age is None:
        # An unknown age of onset is worth 0 points at worst (before 18) and the ≥ 40 points at best.
        result = verdict(lambda items: classified(items, 0), present, missing)
        if result == "not_met" and classified(present | frozenset(missing), 40):
            result = "cannot_tell"
    else:
        result = verdict(classified, present, missing)
    score = _iim_score(present, age, column)
    probability = _iim_probability(score, column)
    band: Literal["definite", "probable", "possible", "not_iim", "biopsy_required"] = (
        "definite" if score >= definite else "probable" if score >= probable
        else "possible" if score >= possible else "not_iim")  # fmt: skip
    if band != "not_iim" and not entry(present):
        band = "biopsy_required"
    return Iim2017Result(
        score=score,
        probability=round(probability, 4),
        category=band,
        subgroup=_iim_subgroup(x, present) if result == "met" else None,
        result=result,
        details={"points": {i: IIM_ITEMS[i][column] for i in sorted(present)}, "missing": sorted(missing),
                 "with_biopsy": x.muscle_biopsy},
    )  # fmt: skip


def _iim_subgroup(x: Iim2017Input, items: frozenset[str]) -> str | None:
    """The subgroup tree of Lundberg 2017 (Figure 1); None when a missing fact decides it."""
    skin = bool(items & SKIN)
    if x.age_at_onset_years is None:
        return None
    if x.age_at_onset_years < 18:
        return "juvenile_dermatomyositis" if skin else "juvenile_iim_other_than_jdm"
    if skin:
        return "dermatomyositis" if items & WEAKNESS else "amyopathic_dermatomyositis"
    if x.finger_flexor_weakness_no_treatment_response or "biopsy_rimmed_vacuoles" in items:
        return "inclusion_body_myositis"
    if x.finger_flexor_weakness_no_treatment_response is None and "biopsy_rimmed_vacuoles" not in items:
        return None
    return "polymyositis_including_imnm"
