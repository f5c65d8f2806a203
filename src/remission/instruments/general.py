"""General measures: ECOG performance status."""

from __future__ import annotations

from pydantic import Field, model_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, require_one_unit

# Oken MM et al. Am J Clin Oncol 1982;5:649-655, doi:10.1097/00000421-198212000-00014.
ECOG_GRADES = {
    0: "fully active, able to carry on all pre-disease performance without restriction",
    1: "restricted in physically strenuous activity but ambulatory and able to carry out light work",
    2: "ambulatory and capable of all self-care but unable to work; up and about more than 50% of waking hours",
    3: "capable of only limited self-care; confined to bed or chair more than 50% of waking hours",
    4: "completely disabled; cannot carry on any self-care; totally confined to bed or chair",
    5: "dead",
}


class EcogInput(InstrumentInput):
    ecog: int | None = Field(default=None, ge=0, le=5)
    karnofsky: int | None = Field(default=None, ge=0, le=100, multiple_of=10)

    @model_validator(mode="after")
    def _one(self) -> EcogInput:
        require_one_unit(self, "ecog", "karnofsky")
        return self


class EcogResult(InstrumentResult):
    ecog: int | None
    description: str | None
    ambulatory: bool | None


def ecog(x: EcogInput) -> EcogResult:
    """ECOG performance status 0-5 (Oken MM et al., Am J Clin Oncol 1982;5:649-655,
    doi:10.1097/00000421-198212000-00014), given directly or converted from a Karnofsky score by
    the usual bands (100-90 → 0, 80-70 → 1, 60-50 → 2, 40-30 → 3, 20-10 → 4, 0 → 5; Buccheri G
    et al., Eur J Cancer 1996;32A:1135-1141, doi:10.1016/0959-8049(95)00664-8). "Ambulatory" is
    ECOG 0-2, the usual trial threshold."""
    if x.ecog is not None:
        grade = x.ecog
        source = {"ecog": x.ecog}
    elif x.karnofsky is not None:
        grade = 5 if x.karnofsky == 0 else (100 - x.karnofsky) // 20
        source = {"karnofsky": x.karnofsky}
    else:
        return EcogResult(ecog=None, description=None, ambulatory=None, details={"missing": ["ecog"]})
    return EcogResult(ecog=grade, description=ECOG_GRADES[grade], ambulatory=grade <= 2, details={"from": source})
