"""ACR20/50/70 and BVAS remission, hand-calculated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score

BASE = {"tjc68": 20, "sjc66": 10, "patient_global_0_100": 60, "physician_global_0_100": 60, "pain_0_100": 60,
        "haq_di_0_3": 1.5, "crp_mg_l": 30}  # fmt: skip
# TJC 20 → 8 and SJC 10 → 4: 60%; patient global 60 → 30: 50%; physician 60 → 20: 66.7%;
# pain 60 → 40: 33.3%; HAQ 1.5 → 1.2: 20%; CRP 30 → 12: 60%.
FOLLOW = {"tjc68": 8, "sjc66": 4, "patient_global_0_100": 30, "physician_global_0_100": 20, "pain_0_100": 40,
          "haq_di_0_3": 1.2, "crp_mg_l": 12}  # fmt: skip


def acr(baseline: dict[str, object], followup: dict[str, object], **kw: object) -> dict[str, object]:
    return score("acr_response", {"baseline": baseline, "followup": followup, **kw})


def test_acr_worked_example() -> None:
    got = acr(BASE, FOLLOW)
    # ACR50: joints 60% and 3 of 5 (patient global 50, physician 66.7, CRP 60); ACR70: joints only 60%.
    assert (got["acr20"], got["acr50"], got["acr70"]) == (True, True, False)
    assert got["details"]["percent_improvement"]["pain_0_100"] == pytest.approx(33.3333, abs=1e-3)


def test_acr_unknown_measure() -> None:
    # Without the CRP only 2 of the other 4 reach 50%: ACR50 depends on the missing CRP.
    got = acr({**BASE, "crp_mg_l": None}, FOLLOW)
    assert (got["acr20"], got["acr50"]) == (True, None)
    assert acr(BASE, {**FOLLOW, "tjc68": None})["acr70"] is False  # the swollen count already fails 70%


def test_acr_reactant_choice() -> None:
    with pytest.raises(InstrumentError, match="acute_phase_reactant"):
        acr({**BASE, "esr_mm_h": 40}, {**FOLLOW, "esr_mm_h": 30})
    got = acr({**BASE, "esr_mm_h": 40}, {**FOLLOW, "esr_mm_h": 30}, acute_phase_reactant="esr_mm_h")
    assert got["details"]["acute_phase_reactant"] == "esr_mm_h"


@given(st.integers(0, 68), st.integers(0, 68))
def test_acr_levels_nest(tjc_before: int, tjc_after: int) -> None:
    got = acr({**BASE, "tjc68": tjc_before}, {**FOLLOW, "tjc68": tjc_after})
    assert got["acr70"] is not True or got["acr50"] is True
    assert got["acr50"] is not True or got["acr20"] is True
    if tjc_before == 0:
        assert got["acr20"] is False  # a count of 0 cannot improve by a percentage


def test_bvas_remission() -> None:
    got = score("bvas_remission", {"bvas_v3": 0, "prednisolone_mg_day": 5})
    assert (got["remission"], got["remission_eular"], got["remission_off_glucocorticoids"]) == (True, True, False)
    got = score("bvas_remission", {"bvas_v3": 0, "prednisolone_mg_day": 10})
    assert (got["remission"], got["remission_eular"]) == (True, False)
    got = score("bvas_remission", {"bvas_v3": 0, "prednisolone_mg_day": None})
    assert (got["remission"], got["remission_eular"], got["remission_off_glucocorticoids"]) == (True, None, None)
    got = score("bvas_remission", {"bvas_v3": 3, "prednisolone_mg_day": None})
    assert (got["remission"], got["remission_eular"], got["remission_off_glucocorticoids"]) == (False, False, False)
    with pytest.raises(InstrumentError, match=r"bvas_v3 is out of range \(allowed: >= 0 and <= 63\)"):
        score("bvas_remission", {"bvas_v3": 64, "prednisolone_mg_day": 0})


@given(st.lists(st.sampled_from(["myalgia", "arthralgia_arthritis", "fever_ge_38", "weight_loss_ge_2kg",
                                 "infarct", "purpura", "ulcer", "gangrene", "other_skin_vasculitis"]),
                unique=True), st.booleans())  # fmt: skip
def test_bvas_section_caps(items: list[str], persistent: bool) -> None:
    got = score("bvas_v3", {"items_present": items, "all_persistent": persistent})
    caps = {"general": (2, 3), "cutaneous": (3, 6)}
    for section, value in got["details"]["sections"].items():
        assert value <= caps[section][0 if persistent else 1]
    assert got["bvas_v3"] <= (33 if persistent else 63)


def test_aav_2022_missing_features() -> None:
    def aav(present: list[str], missing: list[str]) -> dict[str, object]:
        return score("aav_2022_acr_eular", {"prerequisite_small_or_medium_vessel_vasculitis": True,
                                            "features_present": present, "missing": missing})  # fmt: skip

    # cANCA/PR3 5 = GPA threshold; eosinophils ≥ 1 × 10^9/L (−4) not measured could undo it.
    got = aav(["canca_or_pr3"], ["eos_ge_1e9"])
    assert (got["gpa_score"], got["gpa"], got["result"]) == (5, None, "cannot_tell")
    # With nasal involvement (+3) the GPA score is 8: even −4 leaves 4 < 5, so still open;
    # add cartilage (+2): 10 − 4 = 6 ≥ 5, GPA whatever the eosinophils.
    got = aav(["canca_or_pr3", "nasal_involvement", "cartilaginous_involvement"], ["eos_ge_1e9"])
    assert (got["gpa"], got["result"]) == (True, "met")
    # pANCA/MPO (6) with nothing missing: MPA.
    assert aav(["panca_or_mpo"], [])["mpa"] is True
    # Only hearing loss (1) with pauci-immune GN unknown (+1 GPA, +3 MPA): nothing can reach 5.
    got = aav(["hearing_loss"], ["pauci_immune_gn"])
    assert (got["gpa"], got["mpa"], got["egpa"], got["result"]) == (False, False, False, "not_met")


def test_bvas_creatinine_bands_only_at_the_first_assessment() -> None:
    # BVAS v3 rule 4: the bands are scored only on the first visit; later the > 30 % rise is the item.
    band = {"items_present": ["creatinine_250_499_umol"], "all_persistent": False}
    assert score("bvas_v3", {**band, "first_assessment": True})["bvas_v3"] == 6
    with pytest.raises(InstrumentError, match=r"scored only at the first assessment \(BVAS v3 rule 4\)"):
        score("bvas_v3", {**band, "first_assessment": False})
    later = {"items_present": ["rise_creatinine_gt30pct_or_fall_crcl_gt25pct"], "all_persistent": False,
             "first_assessment": False}  # fmt: skip
    assert score("bvas_v3", later)["bvas_v3"] == 6
    # Not stated: scored as at a first assessment, and the result says so.
    assert "first_assessment not stated" in score("bvas_v3", band)["details"]["note"]


def test_bvas_starred_items_refused_with_the_persistent_box() -> None:
    # Rule 5: items marked * always mean new or worse disease.
    for item in ("sudden_visual_loss", "nodules_or_cavities", "rise_creatinine_gt30pct_or_fall_crcl_gt25pct"):
        with pytest.raises(InstrumentError, match=rf"{item}: not compatible with persistent disease"):
            score("bvas_v3", {"items_present": [item, "myalgia"], "all_persistent": True})
    assert score("bvas_v3", {"items_present": ["sudden_visual_loss"], "all_persistent": False})["bvas_v3"] == 6
