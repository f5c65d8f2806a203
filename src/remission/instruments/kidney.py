"""Kidney function: CKD-EPI 2021 (race-free) and 2009 creatinine equations for adults, bedside
Schwartz for children. Creatinine in mg/dL or µmol/L (1 mg/dL = 88.4 µmol/L)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, require_one_unit, value_in

UMOL_PER_MG_DL = 88.4


class _Creatinine(InstrumentInput):
    creatinine_mg_dl: float | None = Field(default=None, gt=0, le=30)
    creatinine_umol_l: float | None = Field(default=None, gt=0, le=2650)

    @model_validator(mode="after")
    def _one_unit(self) -> _Creatinine:
        require_one_unit(self, "creatinine_mg_dl", "creatinine_umol_l")
        return self

    def mg_dl(self) -> float | None:
        return value_in(self, "creatinine_mg_dl", "creatinine_umol_l", 1 / UMOL_PER_MG_DL)


class AdultCreatinineInput(_Creatinine):
    age_years: float | None = Field(ge=18, le=120)
    sex: Literal["female", "male"] | None


class EgfrResult(InstrumentResult):
    egfr_ml_min_1_73m2: float | None


def _missing(**items: object) -> list[str]:
    return [k for k, v in items.items() if v is None]


def ckd_epi_2021(x: AdultCreatinineInput) -> EgfrResult:
    """eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female];
    κ 0.7 (F) / 0.9 (M), α −0.241 (F) / −0.302 (M); mL/min/1.73 m². Adults (≥ 18 years).
    Inker LA et al., N Engl J Med 2021;385:1737-1749, doi:10.1056/NEJMoa2102953."""
    scr = x.mg_dl()
    missing = _missing(creatinine=scr, age_years=x.age_years, sex=x.sex)
    if scr is None or x.age_years is None or x.sex is None:
        return EgfrResult(egfr_ml_min_1_73m2=None, details={"missing": missing})
    female = x.sex == "female"
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = scr / kappa
    egfr = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**x.age_years * (1.012 if female else 1)
    return EgfrResult(egfr_ml_min_1_73m2=egfr, details={"creatinine_mg_dl": scr})


class Egfr2009Result(InstrumentResult):
    egfr_nonblack: float | None
    egfr_black: float | None


def ckd_epi_2009(x: AdultCreatinineInput) -> Egfr2009Result:
    """CKD-EPI 2009 creatinine equation in the published table form (Levey AS et al., Ann Intern
    Med 2009;150:604-612, doi:10.7326/0003-4819-150-9-200905050-00006, Table 2): female
    144 (Black 166) × (Scr/0.7)^(−0.329 if Scr ≤ 0.7 else −1.209) × 0.993^age; male 141 (Black
    163) × (Scr/0.9)^(−0.411 if Scr ≤ 0.9 else −1.209) × 0.993^age.

    The table's rounded leading constants (144 = 141 × 1.018 rounded, 166, 163) differ from the
    single-line form (141 × ... × 1.018 × 1.159) by up to 0.3%; the table is what the paper
    publishes and what laboratories implemented, so it is used here. Both race coefficients are
    reported for comparison with old results; the race-free 2021 equation is the one to use.
    """
    scr = x.mg_dl()
    if scr is None or x.age_years is None or x.sex is None:
        missing = _missing(creatinine=scr, age_years=x.age_years, sex=x.sex)
        return Egfr2009Result(egfr_nonblack=None, egfr_black=None, details={"missing": missing})
    if x.sex == "female":
        kappa, alpha, constant, constant_black = 0.7, -0.329, 144, 166
    else:
        kappa, alpha, constant, constant_black = 0.9, -0.411, 141, 163
    shape = (scr / kappa) ** (alpha if scr <= kappa else -1.209) * 0.993**x.age_years
    return Egfr2009Result(egfr_nonblack=constant * shape, egfr_black=constant_black * shape)


class SchwartzInput(_Creatinine):
    height_cm: float | None = Field(ge=40, le=220)
    age_years: float | None = Field(default=None, ge=1, lt=18)


def schwartz_bedside(x: SchwartzInput) -> EgfrResult:
    """Bedside Schwartz (CKiD): eGFR = 0.413 × height (cm) / Scr (mg/dL), mL/min/1.73 m², for
    children 1-17 years with enzymatic creatinine. Schwartz GJ et al., J Am Soc Nephrol
    2009;20:629-637, doi:10.1681/ASN.2008030287."""
    scr = x.mg_dl()
    if scr is None or x.height_cm is None:
        return EgfrResult(egfr_ml_min_1_73m2=None, details={"missing": _missing(creatinine=scr, height_cm=x.height_cm)})
    return EgfrResult(egfr_ml_min_1_73m2=0.413 * x.height_cm / scr, details={"creatinine_mg_dl": scr})
