"""Takayasu arteritis: ITAS2010 and ITAS-A.

Misra R et al., Rheumatology 2013;52:1795-1801, doi:10.1093/rheumatology/ket128: 44 items
(33 cardiovascular), seven key items weighted 2 and every other item 1; only features new or
worse within the last 3 months and attributed to active arteritis are scored. The
cardiovascular headings (bruits, pulse inequality, new loss of pulses, claudication) carry the
arterial sites where the feature was found, each site one of the 44 items; a site is entered
only with its heading.

What was checked (the paper's full text and form could not be read here; its abstract could):
the 44 items are the 19 headings below and the 25 arterial sites (19 + 25 = 44, and the 8
cardiovascular headings + 25 sites = 33 cardiovascular items, as the abstract counts), so each
site scores 1 on top of its heading and the maximum is 7 × 2 + 37 × 1 = 51. A calculator that
scores the headings only (maximum 26) has 19 items, which contradicts the paper's count. The
seven items weighted 2 are all headings (diastolic BP > 90, stroke, bruits, pulse inequality,
new loss of pulses, claudication, carotidynia).

ITAS-A: the paper says only that ITAS-A "also included graded scores for ESR/CRP". No primary
source of the bands could be found; the bands below agree with one independent calculator and
are reported as unverified in every result (``details.itas_a_bands``).
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, category, known_names

_SIDES = ("right", "left")
ITAS_HEADINGS: dict[str, int] = {
    # systemic, abdominal, genitourinary, renal, nervous system
    "malaise_or_weight_loss_gt_2kg": 1, "myalgia_arthralgia_arthritis": 1, "headache": 1,
    "severe_abdominal_pain": 1, "recent_spontaneous_abortion": 1,
    "systolic_bp_gt_140": 1, "diastolic_bp_gt_90": 2,
    "stroke": 2, "seizures_not_hypertensive": 1, "syncope": 1, "vertigo_dizziness": 1,
    # cardiovascular
    "bruits": 2, "pulse_inequality": 2, "new_loss_of_pulses": 2, "claudication": 2, "carotidynia": 2,
    "aortic_incompetence": 1, "myocardial_infarction_or_angina": 1, "cardiomyopathy_or_cardiac_failure": 1,
}  # fmt: skip
ITAS_SITES: dict[str, str] = {
    **{f"bruit_{a}_{s}": "bruits" for a in ("carotid", "subclavian", "renal") for s in _SIDES},
    "bp_inequality_arms": "pulse_inequality",
    **{
        f"pulse_loss_{a}_{s}": "new_loss_of_pulses"
        for a in ("carotid", "subclavian", "brachial", "radial", "femoral", "popliteal", "posterior_tibial",
                  "dorsalis_pedis")
        for s in _SIDES
    },
    "claudication_arm": "claudication", "claudication_leg": "claudication",
}  # fmt: skip
ITAS_ITEMS = {**ITAS_HEADINGS, **dict.fromkeys(ITAS_SITES, 1)}


class Itas2010Input(InstrumentInput):
    items_present: list[str]
    esr_mm_h: float | None = Field(default=None, ge=0, le=200)
    crp_mg_l: float | None = Field(default=None, ge=0, le=1000)

    @field_validator("items_present")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        return known_names(names, ITAS_ITEMS, "item")

    @model_validator(mode="after")
    def _sites_need_heading(self) -> Itas2010Input:
        orphans = [s for s in self.items_present if s in ITAS_SITES and ITAS_SITES[s] not in self.items_present]
        if orphans:
            raise ValueError("a site needs its heading: " + ", ".join(f"{s} without {ITAS_SITES[s]}" for s in orphans))
        return self


class Itas2010Result(InstrumentResult):
    itas2010: int
    itas_a_esr: int | None
    itas_a_crp: int | None


def itas2010(x: Itas2010Input) -> Itas2010Result:
    """ITAS2010 = Σ item weights (0-51). ITAS-A adds an acute-phase score 0-3 (Misra 2013):
    ESR ≤ 20 mm/h 0, 21-39 1, 40-59 2, ≥ 60 3; CRP ≤ 5 mg/L 0, 6-10 1, 11-20 2, > 20 3. Both
    ITAS-A forms are reported when both reactants are given."""
    points = {item: ITAS_ITEMS[item] for item in x.items_present}
    total = sum(points.values())
    esr = category(x.esr_mm_h, [(20, True, "0"), (40, False, "1"), (60, False, "2")], "3")
    crp = category(x.crp_mg_l, [(5, True, "0"), (10, True, "1"), (20, True, "2")], "3")
    return Itas2010Result(
        itas2010=total,
        itas_a_esr=None if esr is None else total + int(esr),
        itas_a_crp=None if crp is None else total + int(crp),
        details={
            "points": points,
            "esr_points": esr and int(esr),
            "crp_points": crp and int(crp),
            "itas_a_bands": "unverified: no primary source of the ESR/CRP bands was found",
        },
    )
