"""Rheumatoid arthritis: DAS28 (ESR, CRP; 4 and 3 variables), CDAI, SDAI, EULAR and ACR20/50/70
response and the 2010 ACR/EULAR classification criteria."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from remission.instruments.base import (
    InstrumentInput,
    InstrumentResult,
    all_true,
    category,
    require_one_unit,
    value_in,
)

Count28 = Field(ge=0, le=28)
DAS28_BANDS = [(2.6, False, "remission"), (3.2, True, "low"), (5.1, True, "moderate")]


def das28_category(value: float | None) -> str | None:
    """Remission < 2.6, low 2.6-3.2, moderate > 3.2-5.1, high > 5.1 (Fransen & van Riel,
    Clin Exp Rheumatol 2005;23(5 Suppl 39):S93-9)."""
    return category(value, DAS28_BANDS, "high")


class Das28EsrInput(InstrumentInput):
    tjc28: int | None = Count28
    sjc28: int | None = Count28
    esr_mm_h: float | None = Field(ge=1, le=200)
    patient_global_0_100: float | None = Field(default=None, ge=0, le=100)


class Das28Result(InstrumentResult):
    category: str | None = None


class Das28EsrResult(Das28Result):
    das28_esr: float | None
    das28_esr_2dp: float | None


def _joints(tjc: int, sjc: int) -> float:
    return 0.56 * math.sqrt(tjc) + 0.28 * math.sqrt(sjc)


def das28_esr(x: Das28EsrInput) -> Das28EsrResult:
    """DAS28-ESR = 0.56√TJC28 + 0.28√SJC28 + 0.70 ln(ESR) + 0.014 PtGA (0-100 mm); without PtGA,
    the 3-variable form [0.56√TJC28 + 0.28√SJC28 + 0.70 ln(ESR)] × 1.08 + 0.16.

    Prevoo MLL et al., Arthritis Rheum 1995;38:44-48, doi:10.1002/art.1780380107; the 3-variable
    form from the DAS28 site of Radboud University (das-score.nl). ESR below 1 mm/h is refused:
    ln(0) is undefined.
    """
    missing = [k for k in ("tjc28", "sjc28", "esr_mm_h") if getattr(x, k) is None]
    if missing or x.tjc28 is None or x.sjc28 is None or x.esr_mm_h is None:
        return Das28EsrResult(das28_esr=None, das28_esr_2dp=None, details={"missing": missing})
    core = _joints(x.tjc28, x.sjc28) + 0.70 * math.log(x.esr_mm_h)
    if x.patient_global_0_100 is None:
        value, variables = core * 1.08 + 0.16, 3
    else:
        value, variables = core + 0.014 * x.patient_global_0_100, 4
    return Das28EsrResult(
        das28_esr=value, das28_esr_2dp=round(value, 2), category=das28_category(value), details={"variables": variables}
    )


class Das28CrpInput(InstrumentInput):
    tjc28: int | None = Count28
    sjc28: int | None = Count28
    crp_mg_l: float | None = Field(default=None, ge=0, le=500)
    crp_mg_dl: float | None = Field(default=None, ge=0, le=50)
    patient_global_0_100: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one_crp(self) -> Das28CrpInput:
        require_one_unit(self, "crp_mg_l", "crp_mg_dl")
        return self


class Das28CrpResult(Das28Result):
    das28_crp: float | None
    das28_crp_2dp: float | None


def das28_crp(x: Das28CrpInput) -> Das28CrpResult:
    """DAS28-CRP = 0.56√TJC28 + 0.28√SJC28 + 0.36 ln(CRP mg/L + 1) + 0.014 PtGA + 0.96; without
    PtGA, [0.56√TJC28 + 0.28√SJC28 + 0.36 ln(CRP + 1)] × 1.10 + 1.15.

    Wells G et al., Ann Rheum Dis 2009;68:954-960, doi:10.1136/ard.2007.084459; CRP in mg/dL is
    converted (× 10). The DAS28-ESR cut-offs are reported; CRP-specific ones are trial-specific.
    """
    crp = value_in(x, "crp_mg_l", "crp_mg_dl", 10)
    missing = [k for k, v in (("tjc28", x.tjc28), ("sjc28", x.sjc28), ("crp", crp)) if v is None]
    if missing or x.tjc28 is None or x.sjc28 is None or crp is None:
        return Das28CrpResult(das28_crp=None, das28_crp_2dp=None, details={"missing": missing})
    core = _joints(x.tjc28, x.sjc28) + 0.36 * math.log(crp + 1)
    if x.patient_global_0_100 is None:
        value, variables = core * 1.10 + 1.15, 3
    else:
        value, variables = core + 0.014 * x.patient_global_0_100 + 0.96, 4
    return Das28CrpResult(
        das28_crp=value,
        das28_crp_2dp=round(value, 2),
        category=das28_category(value),
        details={"variables": variables, "crp_mg_l": crp},
    )


class CdaiInput(InstrumentInput):
    tjc28: int | None = Count28
    sjc28: int | None = Count28
    patient_global_0_10: float | None = Field(ge=0, le=10)
    evaluator_global_0_10: float | None = Field(ge=0, le=10)


class CdaiResult(InstrumentResult):
    cdai: float | None
    category: str | None


def _sum_or_missing(values: dict[str, float | None]) -> tuple[float | None, list[str]]:
    missing = [k for k, v in values.items() if v is None]
    return (None if missing else round(sum(v for v in values.values() if v is not None), 10)), missing


def cdai(x: CdaiInput) -> CdaiResult:
    """CDAI = TJC28 + SJC28 + PtGA (0-10) + EGA (0-10), 0-76; remission ≤ 2.8, low ≤ 10, moderate
    ≤ 22, high > 22. Aletaha D et al., Arthritis Res Ther 2005;7:R796-806, doi:10.1186/ar1740."""
    value, missing = _sum_or_missing(
        {
            "tjc28": x.tjc28,
            "sjc28": x.sjc28,
            "patient_global_0_10": x.patient_global_0_10,
            "evaluator_global_0_10": x.evaluator_global_0_10,
        }
    )
    band = category(value, [(2.8, True, "remission"), (10, True, "low"), (22, True, "moderate")], "high")
    return CdaiResult(cdai=value, category=band, details={"missing": missing} if missing else {})


class SdaiInput(CdaiInput):
    crp_mg_dl: float | None = Field(default=None, ge=0, le=50)
    crp_mg_l: float | None = Field(default=None, ge=0, le=500)

    @model_validator(mode="after")
    def _one_crp(self) -> SdaiInput:
        require_one_unit(self, "crp_mg_dl", "crp_mg_l")
        return self


class SdaiResult(InstrumentResult):
    sdai: float | None
    category: str | None


def sdai(x: SdaiInput) -> SdaiResult:
    """SDAI = TJC28 + SJC28 + PtGA (0-10) + EGA (0-10) + CRP (mg/dL), 0-86; remission ≤ 3.3, low
    ≤ 11, moderate ≤ 26, high > 26. Smolen JS et al., Rheumatology 2003;42:244-257,
    doi:10.1093/rheumatology/keg072. CRP in mg/L is converted (÷ 10)."""
    crp = value_in(x, "crp_mg_dl", "crp_mg_l", 0.1)
    value, missing = _sum_or_missing(
        {
            "tjc28": x.tjc28,
            "sjc28": x.sjc28,
            "patient_global_0_10": x.patient_global_0_10,
            "evaluator_global_0_10": x.evaluator_global_0_10,
            "crp_mg_dl": crp,
        }
    )
    band = category(value, [(3.3, True, "remission"), (11, True, "low"), (26, True, "moderate")], "high")
    return SdaiResult(sdai=value, category=band, details={"missing": missing} if missing else {})


class EularResponseInput(InstrumentInput):
    das28_baseline: float = Field(ge=0, le=10)
    das28_current: float = Field(ge=0, le=10)


class EularResponseResult(InstrumentResult):
    eular_response: Literal["good", "moderate", "no_response"]


def eular_ra_response(x: EularResponseInput) -> EularResponseResult:
    """EULAR response: good = improvement > 1.2 and current ≤ 3.2; moderate = improvement > 1.2
    and current > 3.2, or improvement > 0.6 to ≤ 1.2 and current ≤ 5.1; otherwise none.
    van Gestel AM et al., Arthritis Rheum 1996;39:34-40, doi:10.1002/art.1780390105.
    The improvement is compared at 6 decimals (DAS28 is reported to 2): 3.3 − 2.7 is 0.6."""
    improvement = round(x.das28_baseline - x.das28_current, 6)
    current = round(x.das28_current, 6)
    response: Literal["good", "moderate", "no_response"]
    if improvement > 1.2:
        response = "good" if current <= 3.2 else "moderate"
    elif improvement > 0.6:
        response = "moderate" if current <= 5.1 else "no_response"
    else:
        response = "no_response"
    return EularResponseResult(eular_response=response, details={"improvement": improvement})


class Serology(StrEnum):
    NEGATIVE = "negative"
    LOW_POSITIVE = "low_positive"
    HIGH_POSITIVE = "high_positive"


class Ra2010Input(InstrumentInput):
    definite_clinical_synovitis: bool | None = None
    large_joints_involved: int = Field(ge=0, le=20)
    small_joints_involved: int = Field(ge=0, le=50)
    serology_rf_acpa: Serology | None = None
    abnormal_crp_or_esr: bool | None = None
    symptom_duration_ge_6_weeks: bool | None = None


class Ra2010Result(InstrumentResult):
    applicable: bool
    joint_points: int | None = None
    score: int | None = None
    classified_ra: bool | None = None
    result: Literal["met", "not_met", "cannot_tell", "not_applicable"] = "not_applicable"


def ra_2010(x: Ra2010Input) -> Ra2010Result:
    """2010 ACR/EULAR classification criteria for RA: joints 0-5, serology 0-3, acute-phase
    reactants 0-1, duration 0-1; ≥ 6/10 is definite RA, in a patient with at least one joint
    with definite clinical synovitis. Aletaha D et al., Arthritis Rheum 2010;62:2569-2581,
    doi:10.1002/art.27584. "> 10 joints" needs at least one small joint. A missing serology,
    acute-phase or duration item gives "cannot tell" unless the other items already decide."""
    joints = x.large_joints_involved + x.small_joints_involved
    synovitis = x.definite_clinical_synovitis if x.definite_clinical_synovitis is not None else joints > 0
    if not synovitis:
        return Ra2010Result(applicable=False, details={"why": "no joint with definite clinical synovitis"})
    small, large = x.small_joints_involved, x.large_joints_involved
    if joints > 10 and small >= 1:
        joint_points = 5
    elif small >= 4:
        joint_points = 3
    elif small >= 1:
        joint_points = 2
    elif large >= 2:
        joint_points = 1
    else:
        joint_points = 0
    serology = {None: None, Serology.NEGATIVE: 0, Serology.LOW_POSITIVE: 2, Serology.HIGH_POSITIVE: 3}[
        x.serology_rf_acpa
    ]
    parts: dict[str, int | None] = {
        "joints": joint_points,
        "serology": serology,
        "acute_phase": None if x.abnormal_crp_or_esr is None else int(x.abnormal_crp_or_esr),
        "duration": None if x.symptom_duration_ge_6_weeks is None else int(x.symptom_duration_ge_6_weeks),
    }
    known = sum(v for v in parts.values() if v is not None)
    best = known + sum({"serology": 3, "acute_phase": 1, "duration": 1}[k] for k, v in parts.items() if v is None)
    missing = [k for k, v in parts.items() if v is None]
    if not missing:
        classified: bool | None = known >= 6
    elif known >= 6:
        classified = True
    elif best < 6:
        classified = False
    else:
        classified = None
    result: Literal["met", "not_met", "cannot_tell"] = (
        "cannot_tell" if classified is None else ("met" if classified else "not_met")
    )
    return Ra2010Result(
        applicable=True,
        joint_points=joint_points,
        score=known if not missing else None,
        classified_ra=classified,
        result=result,
        details={"points": parts, "missing": missing, "score_known_items": known},
    )


class AcrCoreSet(InstrumentInput):
    """The ACR core set at one visit; null when not measured."""

    tjc68: int | None = Field(ge=0, le=68)
    sjc66: int | None = Field(ge=0, le=66)
    patient_global_0_100: float | None = Field(ge=0, le=100)
    physician_global_0_100: float | None = Field(ge=0, le=100)
    pain_0_100: float | None = Field(ge=0, le=100)
    haq_di_0_3: float | None = Field(ge=0, le=3)
    esr_mm_h: float | None = Field(default=None, ge=0, le=200)
    crp_mg_l: float | None = Field(default=None, ge=0, le=1000)


class AcrResponseInput(InstrumentInput):
    baseline: AcrCoreSet
    followup: AcrCoreSet
    # Needed only when both ESR and CRP are given at both visits.
    acute_phase_reactant: Literal["esr_mm_h", "crp_mg_l"] | None = None


class AcrResponseResult(InstrumentResult):
    acr20: bool | None
    acr50: bool | None
    acr70: bool | None


ACR_OTHERS = ("patient_global_0_100", "physician_global_0_100", "pain_0_100", "haq_di_0_3")


def _reactant(x: AcrResponseInput) -> str:
    both = [r for r in ("esr_mm_h", "crp_mg_l") if getattr(x.baseline, r) is not None
            and getattr(x.followup, r) is not None]  # fmt: skip
    if x.acute_phase_reactant is not None:
        return x.acute_phase_reactant
    if len(both) == 2:
        raise ValueError("ESR and CRP are both given at both visits: say which with acute_phase_reactant")
    return both[0] if both else "esr_mm_h"


def acr_response(x: AcrResponseInput) -> AcrResponseResult:
    """ACR20, ACR50 and ACR70: an improvement of at least 20%, 50% or 70% in both the tender (68)
    and swollen (66) joint counts and in at least 3 of the 5 other core set measures (patient
    global, physician global, pain, HAQ disability index, ESR or CRP). Felson DT et al.,
    Arthritis Rheum 1995;38:727-735, doi:10.1002/art.1780380602; ACR50/70: Felson DT et al.,
    Arthritis Rheum 1998;41:1564-1570, doi:10.1002/1529-0131(199809)41:9<1564::AID-ART6>3.0.CO;2-M.
    Improvement is (baseline − follow-up) / baseline; a measure at 0 at baseline cannot improve
    by a percentage and does not count as improved. An unmeasured item gives an unknown answer
    only when it could change it."""
    reactant = _reactant(x)
    measures = ("tjc68", "sjc66", *ACR_OTHERS, reactant)
    improvement: dict[str, float | None] = {}
    for m in measures:
        before, after = getattr(x.baseline, m), getattr(x.followup, m)
        if before is None or after is None:
            improvement[m] = None
        else:
            improvement[m] = round((before - after) / before * 100, 6) if before > 0 else 0.0

    def reached(level: float) -> bool | None:
        joints: dict[str, bool | None] = {}
        for m in ("tjc68", "sjc66"):
            value = improvement[m]
            joints[m] = None if value is None else value >= level
        others = [improvement[m] for m in (*ACR_OTHERS, reactant)]
        yes = sum(1 for v in others if v is not None and v >= level)
        unknown = sum(1 for v in others if v is None)
        three: bool | None = True if yes >= 3 else (False if yes + unknown < 3 else None)
        return all_true({**joints, "three_of_five": three})

    return AcrResponseResult(
        acr20=reached(20),
        acr50=reached(50),
        acr70=reached(70),
        details={"percent_improvement": improvement, "acute_phase_reactant": reactant},
    )
