"""Paediatric ICANS (CAPD) and CTCAE v5 laboratory grades, hand-calculated from the tables."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score


def test_capd_total_reverses_the_first_four_items() -> None:
    # eye contact sometimes 2, purposeful often 1, aware always 0, communicates rarely 3 (reversed);
    # restless sometimes 2, inconsolable never 0, underactive often 3, slow to respond rarely 1: 12.
    answers = {"eye_contact": "sometimes", "purposeful_actions": "often", "aware_of_surroundings": "always",
               "communicates_needs": "rarely", "restless": "sometimes", "inconsolable": "never",
               "underactive": "often", "slow_to_respond": "rarely"}  # fmt: skip
    got = score("astct_icans_child", answers)
    assert (got["capd_score"], got["icans_grade"]) == (12, 3)  # CAPD ≥ 9: grade 3
    best = dict.fromkeys(["eye_contact", "purposeful_actions", "aware_of_surroundings", "communicates_needs"], "always")
    best.update(dict.fromkeys(["restless", "inconsolable", "underactive", "slow_to_respond"], "never"))
    assert score("astct_icans_child", best)["capd_score"] == 0


def test_capd_grades_with_other_domains() -> None:
    assert score("astct_icans_child", {"capd_score": 5})["icans_grade"] == 1
    assert score("astct_icans_child", {"capd_score": 5, "consciousness": "awakens_to_voice"})["icans_grade"] == 2
    assert score("astct_icans_child", {"capd_score": 0, "seizure": "prolonged_gt5min_or_repetitive"})["icans_grade"] == 4
    assert score("astct_icans_child", {"consciousness": "unarousable"})["icans_grade"] == 4
    with pytest.raises(InstrumentError, match="capd_score"):
        score("astct_icans_child", {})
    with pytest.raises(InstrumentError, match="CAPD answers missing"):
        score("astct_icans_child", {"restless": "never"})


@pytest.mark.parametrize(
    ("value", "lln", "grade"),
    [(2.5, 2.0, 0), (1.9, 2.0, 1), (1.5, 2.0, 1), (1.49, 2.0, 2), (1.0, None, 2), (0.99, None, 3), (0.5, None, 3),
     (0.49, None, 4), (1.5, None, None)],
)  # fmt: skip
def test_neutrophils(value: float, lln: float | None, grade: int | None) -> None:
    # < LLN-1.5 grade 1; < 1.5-1.0 grade 2; < 1.0-0.5 grade 3; < 0.5 grade 4 (× 10^9/L).
    assert score("ctcae_neutrophil_count_decreased", {"neutrophils_10e9_l": value, "lln_10e9_l": lln})["grade"] == grade


def test_counts_per_mm3() -> None:
    assert score("ctcae_neutrophil_count_decreased", {"neutrophils_per_mm3": 800})["grade"] == 3
    assert score("ctcae_platelet_count_decreased", {"platelets_per_mm3": 74_000})["grade"] == 2
    with pytest.raises(InstrumentError, match="not both"):
        score("ctcae_platelet_count_decreased", {"platelets_per_mm3": 74_000, "platelets_10e9_l": 74})


@pytest.mark.parametrize(("value", "grade"), [(80, 1), (75, 1), (74, 2), (50, 2), (49, 3), (25, 3), (24.9, 4)])
def test_platelets(value: float, grade: int) -> None:
    # < LLN-75 grade 1; < 75-50 grade 2; < 50-25 grade 3; < 25 grade 4 (LLN 150).
    assert score("ctcae_platelet_count_decreased", {"platelets_10e9_l": value, "lln_10e9_l": 150})["grade"] == grade


@pytest.mark.parametrize(
    ("data", "grade"),
    [({"hemoglobin_g_dl": 11, "lln_g_dl": 12}, 1), ({"hemoglobin_g_dl": 10}, None),
     ({"hemoglobin_g_dl": 9.5}, 2), ({"hemoglobin_g_l": 80}, 2), ({"hemoglobin_g_dl": 7.9}, 3),
     ({"hemoglobin_g_dl": 7.9, "life_threatening": True}, 4)],
)  # fmt: skip
def test_anemia(data: dict[str, object], grade: int | None) -> None:
    # < LLN-10.0 g/dL grade 1; < 10.0-8.0 grade 2; < 8.0 grade 3; life-threatening grade 4.
    # Hb 10.0 without the LLN: grade 0 or 1 cannot be told.
    assert score("ctcae_anemia", data)["grade"] == grade


@pytest.mark.parametrize(
    ("value", "baseline", "grade"),
    [(40, None, 0), (41, None, 1), (120, None, 1), (121, None, 2), (200, None, 2), (201, None, 3), (800, None, 3),
     (801, None, 4), (100, 80, 0), (120, 80, 1), (240, 80, 1), (241, 80, 2), (401, 80, 3), (1601, 80, 4),
     (100, 30, 1)],
)  # fmt: skip
def test_alt_and_ast(value: float, baseline: float | None, grade: int) -> None:
    # ULN 40. Normal baseline: > ULN-3 × ULN 1, > 3-5 2, > 5-20 3, > 20 4. Abnormal baseline 80:
    # 1.5-3 × baseline 1, > 3-5 2, > 5-20 3, > 20 4. A baseline of 30 is normal: ULN rules.
    for name in ("ctcae_alt_increased", "ctcae_ast_increased"):
        assert score(name, {"value": value, "uln": 40, "baseline": baseline})["grade"] == grade


@pytest.mark.parametrize(
    ("value", "baseline", "grade"),
    [(1.2, None, 0), (1.8, None, 1), (1.81, None, 2), (3.6, None, 2), (3.61, None, 3), (12.0, None, 3),
     (12.1, None, 4), (2.0, 2.0, 0), (2.1, 2.0, 1), (3.1, 2.0, 2), (6.1, 2.0, 3), (20.1, 2.0, 4)],
)  # fmt: skip
def test_bilirubin(value: float, baseline: float | None, grade: int) -> None:
    # ULN 1.2 mg/dL. Normal baseline: > ULN-1.5 × ULN 1, > 1.5-3 2, > 3-10 3, > 10 4.
    # Abnormal baseline 2.0: > 1.0-1.5 × baseline 1, > 1.5-3 2, > 3-10 3, > 10 4.
    assert score("ctcae_blood_bilirubin_increased", {"value": value, "uln": 1.2, "baseline": baseline})["grade"] == grade


@pytest.mark.parametrize(
    ("value", "baseline", "grade"),
    [(1.0, None, 0), (1.4, None, 1), (1.6, None, 2), (3.1, None, 3), (6.1, None, 4), (1.0, 0.6, 2),
     (0.9, 0.6, 0), (1.9, 0.6, 3)],
)  # fmt: skip
def test_creatinine(value: float, baseline: float | None, grade: int) -> None:
    # ULN 1.0 mg/dL: > ULN-1.5 1, > 1.5-3 2, > 3-6 3, > 6 4; or > 1.5-3 × baseline 2, > 3 × baseline 3.
    # 1.0 with baseline 0.6 is 1.67 × baseline: grade 2 although it is not above the ULN.
    assert score("ctcae_creatinine_increased", {"value": value, "uln": 1.0, "baseline": baseline})["grade"] == grade


@given(st.floats(0, 50), st.floats(0, 50))
def test_falling_counts_grade_monotone(a: float, b: float) -> None:
    low, high = sorted((a, b))
    grade = {v: score("ctcae_neutrophil_count_decreased", {"neutrophils_10e9_l": v, "lln_10e9_l": 2.0})["grade"]
             for v in (low, high)}  # fmt: skip
    assert grade[low] >= grade[high]


@given(st.floats(0, 5000), st.floats(0, 5000), st.sampled_from(["ctcae_alt_increased", "ctcae_creatinine_increased",
                                                                "ctcae_blood_bilirubin_increased"]))  # fmt: skip
def test_rising_values_grade_monotone(a: float, b: float, name: str) -> None:
    low, high = sorted((a, b))
    grades = [score(name, {"value": v, "uln": 40, "baseline": 30})["grade"] for v in (low, high)]
    assert 0 <= grades[0] <= grades[1] <= 4


@given(st.lists(st.sampled_from(["never", "rarely", "sometimes", "often", "always"]), min_size=8, max_size=8))
def test_capd_bounds_and_grade(answers: list[str]) -> None:
    items = ["eye_contact", "purposeful_actions", "aware_of_surroundings", "communicates_needs",
             "restless", "inconsolable", "underactive", "slow_to_respond"]  # fmt: skip
    got = score("astct_icans_child", dict(zip(items, answers, strict=True)))
    assert 0 <= got["capd_score"] <= 32
    assert got["icans_grade"] == (0 if got["capd_score"] == 0 else 1 if got["capd_score"] <= 8 else 3)
