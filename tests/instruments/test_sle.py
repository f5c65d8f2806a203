"""SLE instruments without reference files: hand calculations from the published rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score
from remission.instruments.sle import (
    BILAG_SYSTEMS,
    SLE_1997_CRITERIA,
    SLE_2019_DOMAINS,
    SLICC_CLINICAL,
    SLICC_IMMUNOLOGIC,
)


def test_acr_1997_four_of_eleven() -> None:
    four = ["malar_rash", "arthritis", "renal_disorder", "antinuclear_antibody"]
    assert score("sle_1997_acr", {"criteria_present": four})["result"] == "met"
    assert score("sle_1997_acr", {"criteria_present": four[:3]})["result"] == "not_met"
    # Three present and one not assessed: the fourth could be there.
    got = score("sle_1997_acr", {"criteria_present": four[:3], "missing": ["serositis"]})
    assert (got["result"], got["count"]) == ("cannot_tell", 3)


def test_acr_1997_refuses_unknown_and_contradictory_items() -> None:
    with pytest.raises(InstrumentError, match="unknown 'butterfly'"):
        score("sle_1997_acr", {"criteria_present": ["butterfly"]})
    with pytest.raises(InstrumentError, match="both present and missing: arthritis"):
        score("sle_1997_acr", {"criteria_present": ["arthritis"], "missing": ["arthritis"]})


@given(st.sets(st.sampled_from(SLE_1997_CRITERIA)), st.sampled_from(SLE_1997_CRITERIA))
def test_acr_1997_adding_a_criterion_never_undoes_classification(items: set[str], extra: str) -> None:
    before = score("sle_1997_acr", {"criteria_present": sorted(items)})["result"]
    after = score("sle_1997_acr", {"criteria_present": sorted(items | {extra})})["result"]
    assert before != "met" or after == "met"
    assert (before == "met") == (len(items) >= 4)


def slicc(present: list[str], **kw: object) -> dict[str, object]:
    return score("sle_2012_slicc", {"criteria_present": present, **kw})


def test_slicc_needs_one_clinical_and_one_immunologic() -> None:
    # Four clinical, no immunologic: not SLE.
    assert slicc(["synovitis", "serositis", "renal", "oral_or_nasal_ulcers"])["result"] == "not_met"
    # Four immunologic, no clinical: not SLE.
    assert slicc(["ana", "anti_dsdna", "anti_sm", "low_complement"])["result"] == "not_met"
    got = slicc(["synovitis", "serositis", "renal", "ana"])
    assert (got["result"], got["clinical"], got["immunologic"]) == ("met", 3, 1)


def test_slicc_coombs_does_not_count_with_haemolytic_anaemia() -> None:
    # Clinical: haemolytic anaemia, synovitis, serositis = 3; the Coombs test is cancelled: 0.
    got = slicc(["hemolytic_anemia", "direct_coombs", "synovitis", "serositis"])
    assert (got["result"], got["clinical"], got["immunologic"]) == ("not_met", 3, 0)
    # Without haemolytic anaemia the Coombs test counts: 3 clinical + 1 immunologic.
    assert slicc(["direct_coombs", "synovitis", "serositis", "renal"])["result"] == "met"
    # Haemolytic anaemia not assessed: it would cancel the Coombs test, so it could go either way.
    got = slicc(["direct_coombs", "synovitis", "serositis", "renal"], missing=["hemolytic_anemia"])
    assert got["result"] == "cannot_tell"


def test_slicc_biopsy_route() -> None:
    got = slicc(["ana"], biopsy_proven_lupus_nephritis=True)
    assert (got["result"], got["by_biopsy"]) == ("met", True)
    assert slicc(["ana"], biopsy_proven_lupus_nephritis=None)["result"] == "cannot_tell"
    assert slicc([], biopsy_proven_lupus_nephritis=True)["result"] == "not_met"


@given(st.sets(st.sampled_from(SLICC_CLINICAL + SLICC_IMMUNOLOGIC)))
def test_slicc_counts(items: set[str]) -> None:
    got = slicc(sorted(items))
    assert got["clinical"] == len(items & set(SLICC_CLINICAL))
    coombs_cancelled = {"direct_coombs", "hemolytic_anemia"} <= items
    assert got["immunologic"] == len(items & set(SLICC_IMMUNOLOGIC)) - coombs_cancelled


def bilag(**grades: str | None) -> dict[str, str | None]:
    return {s: grades.get(s, "E") for s in BILAG_SYSTEMS}


def test_bilag_counts_and_numeric_score() -> None:
    # renal A (12) + musculoskeletal B (8) + mucocutaneous C (1) + haematological D (0) = 21.
    got = score("bilag_2004", {"grades": bilag(renal="A", musculoskeletal="B", mucocutaneous="C",
                                                 haematological="D")})  # fmt: skip
    assert (got["count_a"], got["count_b"], got["numeric_score"], got["one_a_or_two_b"]) == (1, 1, 21, True)
    # One B and a system not graded: the counts are unknown, and so is "one A or two B".
    got = score("bilag_2004", {"grades": bilag(musculoskeletal="B", renal=None)})
    assert (got["count_b"], got["one_a_or_two_b"]) == (None, None)
    # An A settles "one A or two B" even with a system not graded.
    assert score("bilag_2004", {"grades": bilag(renal="A", ophthalmic=None)})["one_a_or_two_b"] is True
    assert score("bilag_2004", {"grades": bilag(renal="C")})["one_a_or_two_b"] is False


def test_bilag_every_system_is_needed() -> None:
    grades = bilag()
    del grades["renal"]
    with pytest.raises(InstrumentError, match="missing: renal"):
        score("bilag_2004", {"grades": grades})
    with pytest.raises(InstrumentError, match=r"grades\.renal"):
        score("bilag_2004", {"grades": {**bilag(), "renal": "F"}})


@given(st.lists(st.sampled_from("ABCDE"), min_size=9, max_size=9))
def test_bilag_numeric_score_is_12a_8b_c(grades: list[str]) -> None:
    got = score("bilag_2004", {"grades": dict(zip(BILAG_SYSTEMS, grades, strict=True))})
    assert got["numeric_score"] == 12 * grades.count("A") + 8 * grades.count("B") + grades.count("C")
    assert got["one_a_or_two_b"] == (grades.count("A") >= 1 or grades.count("B") >= 2)


def sri(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "sledai_2k_baseline": 10, "sledai_2k_followup": 6,
        "bilag_baseline": bilag(renal="B", mucocutaneous="C"), "bilag_followup": bilag(renal="C", mucocutaneous="B"),
        "pga_baseline": 1.0, "pga_followup": 1.2,
    }  # fmt: skip
    return score("sri_4", {**data, **kw})


def test_sri4_responder() -> None:
    # SLEDAI 10 → 6 (−4); one new B (mucocutaneous C → B), no new A; PGA +0.2 (< 0.3).
    got = sri()
    assert (got["responder"], got["sledai_reduction"], got["new_bilag_a"], got["new_bilag_b"]) == (True, 4, 0, 1)


def test_sri4_each_component_can_fail() -> None:
    assert sri(sledai_2k_followup=7)["responder"] is False  # −3
    assert sri(pga_followup=1.3)["responder"] is False  # +0.3 is worsening
    assert sri(bilag_followup=bilag(renal="A"))["responder"] is False  # B → A is a new A
    assert sri(bilag_followup=bilag(renal="C", mucocutaneous="B", ophthalmic="B"))["responder"] is False  # two new B
    assert sri(treatment_failure=True)["responder"] is False


def test_sri4_unknowns() -> None:
    assert sri(sledai_2k_followup=None)["responder"] is None
    assert sri(sledai_2k_followup=None, pga_followup=2.0)["responder"] is False


def lldas(**kw: object) -> object:
    data = {
        "sledai_2k": 4, "major_organ_activity": False, "hemolytic_anemia_or_gi_activity": False,
        "new_activity_since_last_assessment": False, "pga": 1.0, "prednisolone_mg_day": 7.5,
        "standard_maintenance_immunosuppression_only": True,
    }  # fmt: skip
    return score("lldas", {**data, **kw})["attained"]


def test_lldas() -> None:
    assert lldas() is True  # every limit reached exactly: SLEDAI 4, PGA 1, prednisolone 7.5
    assert lldas(sledai_2k=5) is False
    assert lldas(prednisolone_mg_day=8) is False
    assert lldas(pga=1.1) is False
    assert lldas(major_organ_activity=True) is False
    assert lldas(pga=None) is None
    assert lldas(pga=None, sledai_2k=6) is False


def test_doris_on_and_off_therapy() -> None:
    base = {"clinical_sledai_2k": 0, "pga": 0.4, "prednisolone_mg_day": 5, "on_immunosuppressant_or_biologic": True}
    got = score("doris", base)
    assert (got["remission"], got["remission_off_therapy"]) == (True, False)
    # After CAR-T: nothing but (at most) an antimalarial.
    got = score("doris", {**base, "prednisolone_mg_day": 0, "on_immunosuppressant_or_biologic": False})
    assert (got["remission"], got["remission_off_therapy"]) == (True, True)
    assert score("doris", {**base, "pga": 0.5})["remission"] is False
    assert score("doris", {**base, "clinical_sledai_2k": 2})["remission"] is False
    assert score("doris", {**base, "prednisolone_mg_day": 5.5})["remission"] is False


SLE_2019_ALL = [item for items in SLE_2019_DOMAINS.values() for item in items]


@given(st.sets(st.sampled_from(SLE_2019_ALL)))
def test_sle_2019_only_the_highest_item_per_domain_counts(items: set[str]) -> None:
    got = score("sle_2019_eular_acr", {"ana_ge_1_80_ever": True, "criteria_present": sorted(items)})
    expected = sum(max((w for i, w in d.items() if i in items), default=0) for d in SLE_2019_DOMAINS.values())
    assert got["score"] == expected
    assert len(got["details"]["counted"]) == sum(1 for d in SLE_2019_DOMAINS.values() if items & set(d))


@given(st.floats(0, 100), st.floats(0, 100))
def test_more_prednisolone_never_reaches_lldas_or_doris(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert not (lldas(prednisolone_mg_day=high) is True and lldas(prednisolone_mg_day=low) is False)
    doris = [score("doris", {"clinical_sledai_2k": 0, "pga": 0, "prednisolone_mg_day": d})["remission"] for d in (low, high)]
    assert not (doris[1] and not doris[0])
    assert doris[0] == (low <= 5)
