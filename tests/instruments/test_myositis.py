"""Myositis: MMT-8, the 2016 Total Improvement Score and the 2017 EULAR/ACR criteria."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score
from remission.instruments.myositis import IIM_ITEMS, MMT8_BILATERAL

BOTH_SIDES = [f"{g}_{s}" for g in MMT8_BILATERAL for s in ("right", "left")]


def test_mmt8_full_strength() -> None:
    got = score("mmt8", {"neck_flexors": 10, **dict.fromkeys(BOTH_SIDES, 10)})
    assert (got["mmt8_80"], got["mmt8_150"]) == (80, 150)


def test_mmt8_one_side() -> None:
    # Neck 8 + right side 7 × 9 = 71; the left side was not tested.
    right = {f"{g}_right": 9 for g in MMT8_BILATERAL}
    got = score("mmt8", {"neck_flexors": 8, **right})
    assert (got["mmt8_80"], got["mmt8_150"]) == (71, None)
    assert score("mmt8", {"neck_flexors": 8, **right, "side": "left"})["mmt8_80"] is None
    with pytest.raises(InstrumentError, match="no muscle group"):
        score("mmt8", {})
    with pytest.raises(InstrumentError, match=r"biceps_left is out of range \(allowed: >= 0 and <= 10\)"):
        score("mmt8", {"biceps_left": 11})


@given(st.integers(0, 10), st.lists(st.integers(0, 10), min_size=14, max_size=14))
def test_mmt8_bounds(neck: int, groups: list[int]) -> None:
    got = score("mmt8", {"neck_flexors": neck, **dict(zip(BOTH_SIDES, groups, strict=True))})
    assert 0 <= got["mmt8_80"] <= 80 and 0 <= got["mmt8_150"] <= 150 and got["mmt8_150"] >= got["mmt8_80"]


BASELINE = {"physician_global_0_10": 6, "patient_global_0_10": 5, "mmt8": 60, "haq_0_3": 1.5,
            "enzyme_u_l": 1000, "extramuscular_0_10": 4}  # fmt: skip
FOLLOWUP = {"physician_global_0_10": 3, "patient_global_0_10": 4, "mmt8": 68, "haq_0_3": 1.2,
            "enzyme_u_l": 500, "extramuscular_0_10": 2}  # fmt: skip


def test_tis_worked_example() -> None:
    # Physician global 6 → 3: 3/10 = 30% → 17.5; patient global 5 → 4: 10% → 2.5;
    # MMT-8 60 → 68 of 80: 10% → 10; HAQ 1.5 → 1.2: 0.3/3 = 10% → 5;
    # CK 1000 → 500: 50% of baseline → 7.5; extramuscular 4 → 2: 20% → 12.5. Total 55: moderate.
    got = score("myositis_tis_2016", {"baseline": BASELINE, "followup": FOLLOWUP})
    assert got["total_improvement_score"] == pytest.approx(55.0)
    assert got["improvement"] == "moderate"
    assert got["details"]["points"] == {"physician_global": 17.5, "patient_global": 2.5, "mmt": 10,
                                        "haq": 5, "enzyme": 7.5, "extramuscular": 12.5}  # fmt: skip
    # The same change is "minimal" by the juvenile thresholds (30, 45, 70)? 55 ≥ 45: moderate too.
    assert score("myositis_tis_2016", {"baseline": BASELINE, "followup": FOLLOWUP,
                                       "population": "juvenile"})["improvement"] == "moderate"  # fmt: skip


def test_tis_worsening_scores_zero_and_missing_measure() -> None:
    got = score("myositis_tis_2016", {"baseline": FOLLOWUP, "followup": BASELINE})
    assert (got["total_improvement_score"], got["improvement"]) == (0, "none")
    # Without the enzyme, the other five give 47.5; the enzyme adds at most 7.5: moderate either way.
    got = score("myositis_tis_2016", {"baseline": {**BASELINE, "enzyme_u_l": None}, "followup": FOLLOWUP})
    assert (got["total_improvement_score"], got["improvement"]) == (None, "moderate")


def test_tis_mmt_above_its_scale() -> None:
    with pytest.raises(InstrumentError, match="mmt8_max"):
        score("myositis_tis_2016", {"baseline": {**BASELINE, "mmt8": 120}, "followup": FOLLOWUP})
    assert score("myositis_tis_2016", {"baseline": {**BASELINE, "mmt8": 120}, "followup": {**FOLLOWUP, "mmt8": 135},
                                       "mmt8_max": 150})["details"]["points"]["mmt"] == 10  # 15/150 = 10%  # fmt: skip


@given(st.floats(0, 10), st.floats(0, 10))
def test_tis_bounds_and_monotone_in_physician_global(a: float, b: float) -> None:
    low, high = sorted((a, b))
    worse = score("myositis_tis_2016", {"baseline": BASELINE, "followup": {**FOLLOWUP, "physician_global_0_10": high}})
    better = score("myositis_tis_2016", {"baseline": BASELINE, "followup": {**FOLLOWUP, "physician_global_0_10": low}})
    assert 0 <= worse["total_improvement_score"] <= better["total_improvement_score"] <= 100


def iim(items: list[str], age: float | None = 45, biopsy: bool = False, **kw: object) -> dict[str, object]:
    return score("iim_2017_eular_acr", {"age_at_onset_years": age, "muscle_biopsy": biopsy,
                                        "items_present": items, **kw})  # fmt: skip


def test_iim_definite_dermatomyositis() -> None:
    # Age 45 (2.1) + heliotrope (3.1) + Gottron's papules (2.1) + proximal upper (0.7) and lower (0.8)
    # weakness = 8.8; probability 1 / (1 + e^(5.33 − 8.8)) = 1 / (1 + e^−3.47) = 0.9698.
    got = iim(["heliotrope_rash", "gottron_papules", "weakness_proximal_upper_symmetric",
               "weakness_proximal_lower_symmetric"])  # fmt: skip
    assert got["score"] == pytest.approx(8.8)
    assert got["probability"] == pytest.approx(1 / (1 + math.exp(-3.47)), abs=1e-4)
    assert (got["result"], got["category"], got["subgroup"]) == ("met", "definite", "dermatomyositis")


def test_iim_tabulated_cut_off() -> None:
    # Age 30 (1.3) + Gottron's sign (3.3) + legs proximal weaker than distal (0.9) = 5.5: the table's
    # cut-off for probable IIM without biopsy (the model gives 54.2% at exactly 5.5).
    got = iim(["gottron_sign", "legs_proximal_weaker_than_distal"], age=30)
    assert got["score"] == pytest.approx(5.5)
    assert (got["result"], got["category"]) == ("met", "probable")
    assert got["probability"] == pytest.approx(1 / (1 + math.exp(5.33 - 5.5)), abs=1e-4)
    # Age 45 (2.1) + Gottron's sign (3.3) = 5.4: possible (≥ 5.3), not classified.
    got = iim(["gottron_sign"])
    assert (got["result"], got["category"]) == ("not_met", "possible")


def test_iim_without_rash_needs_biopsy_features() -> None:
    # The clinical review's case: anti-Jo-1 (3.9) + raised CK (1.3) + onset at 45 (2.1) + proximal upper
    # weakness (0.7) = 8.0 without biopsy, "definite" by score, but no heliotrope rash, Gottron's papules
    # or sign: the authors' calculator classifies such a patient only with muscle biopsy features.
    items = ["anti_jo1", "elevated_ck_ldh_ast_or_alt", "weakness_proximal_upper_symmetric"]
    got = iim(items)
    assert got["score"] == pytest.approx(8.0)
    assert (got["result"], got["category"], got["subgroup"]) == ("not_met", "biopsy_required", None)
    # A biopsy without any of its four features does not open it either; with one it does:
    # 3.8 + 1.4 + 2.2 + 0.7 = 8.1 with biopsy, + perimysial infiltrate 1.2 = 9.3 ≥ 8.7: definite.
    assert iim(items, biopsy=True)["category"] == "biopsy_required"
    got = iim([*items, "biopsy_perimysial_or_perivascular_infiltrate"], biopsy=True)
    assert got["score"] == pytest.approx(9.3)
    assert (got["result"], got["category"]) == ("met", "definite")


def test_iim_subgroups() -> None:
    # With biopsy: anti-Jo-1 (3.8) + age 45 (2.2) + endomysial infiltrate (1.7) = 7.7 ≥ 6.7, no rash:
    # polymyositis unless IBM features.
    pm = ["anti_jo1", "biopsy_endomysial_infiltrate"]
    assert iim(pm, biopsy=True)["subgroup"] is None  # finger flexor weakness not known
    assert iim(pm, biopsy=True, finger_flexor_weakness_no_treatment_response=False)["subgroup"] == (
        "polymyositis_including_imnm")  # fmt: skip
    assert iim(pm, biopsy=True, finger_flexor_weakness_no_treatment_response=True)["subgroup"] == (
        "inclusion_body_myositis")  # fmt: skip
    # Rash without weakness: amyopathic DM. Heliotrope 3.1 + Gottron's sign 3.3 + age 2.1 = 8.5.
    assert iim(["heliotrope_rash", "gottron_sign"])["subgroup"] == "amyopathic_dermatomyositis"
    # Onset at 10: no age points; heliotrope 3.1 + Gottron's sign 3.3 = 6.4 → juvenile DM.
    assert iim(["heliotrope_rash", "gottron_sign"], age=10)["subgroup"] == "juvenile_dermatomyositis"


def test_iim_with_biopsy_and_unknowns() -> None:
    # With biopsy: age 45 (2.2) + rimmed vacuoles (3.1) + proximal upper weakness (0.7) + CK (1.4) = 7.4 ≥ 6.7.
    got = iim(["biopsy_rimmed_vacuoles", "weakness_proximal_upper_symmetric", "elevated_ck_ldh_ast_or_alt"],
              biopsy=True)  # fmt: skip
    assert got["score"] == pytest.approx(7.4)
    assert (got["result"], got["subgroup"]) == ("met", "inclusion_body_myositis")
    with pytest.raises(InstrumentError, match="biopsy items without muscle_biopsy"):
        iim(["biopsy_rimmed_vacuoles"])
    # Age unknown: Gottron's sign (3.3) + legs proximal weaker (0.9) = 4.2 before 18, 6.3 from 40.
    assert iim(["gottron_sign", "legs_proximal_weaker_than_distal"], age=None)["result"] == "cannot_tell"
    assert iim(["anti_jo1"], age=None)["result"] == "not_met"  # no rash and no biopsy: never classified
    assert iim(["anti_jo1"], missing=["heliotrope_rash"], age=10)["result"] == "cannot_tell"  # 3.9 + 3.1 = 7.0


@given(st.sets(st.sampled_from([i for i in IIM_ITEMS if not i.startswith("biopsy_")])), st.floats(0, 100))
def test_iim_more_items_never_lower_probability(items: set[str], age: float) -> None:
    got = iim(sorted(items), age=age)
    for extra in set(IIM_ITEMS) - items - {i for i in IIM_ITEMS if i.startswith("biopsy_")}:
        more = iim(sorted(items | {extra}), age=age)
        assert more["probability"] >= got["probability"]
        assert got["result"] != "met" or more["result"] == "met"


def test_tis_uses_the_most_abnormal_enzyme() -> None:
    # CK 1,800 U/L at baseline with ULN 200 (9 × ULN) against aldolase 15 with ULN 7.5 (2 × ULN): CK is
    # the most abnormal and is the measure. CK falls to 1,260: (1800 − 1260) / 1800 = 30 % → > 25-40 %
    # band, 7.5 points (Aggarwal 2017, Table 3); aldolase's 60 % fall would have given 7.5 too, so the
    # follow-up of CK at 1,530 (15 %, band > 5-15: 2.5 points) shows which one was used.
    core = {"physician_global_0_10": None, "patient_global_0_10": None, "mmt8": None, "haq_0_3": None,
            "enzyme_u_l": None, "extramuscular_0_10": None}  # fmt: skip
    enzymes = {"ck": {"baseline": 1800, "followup": 1530, "uln": 200},
               "aldolase": {"baseline": 15, "followup": 6, "uln": 7.5}}  # fmt: skip
    got = score("myositis_tis_2016", {"baseline": core, "followup": core, "enzymes": enzymes})
    assert got["details"]["enzyme"] == "ck"
    assert got["details"]["absolute_percent_change"]["enzyme"] == pytest.approx(15.0)
    assert got["details"]["points"]["enzyme"] == 2.5
    with pytest.raises(InstrumentError, match="give enzymes or enzyme_u_l, not both"):
        score("myositis_tis_2016", {"baseline": {**core, "enzyme_u_l": 100}, "followup": core, "enzymes": enzymes})
