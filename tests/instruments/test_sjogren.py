"""Sjögren's classification criteria (2016 ACR/EULAR, 2002 AECG), hand-calculated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import score
from remission.instruments.sjogren import AECG_ITEMS, SJOGREN_2016_ITEMS


def acr(items: list[str], entry: bool | None = True, **kw: object) -> dict[str, object]:
    return score("sjogren_2016_acr_eular", {"entry_criterion": entry, "items_present": items, **kw})


def test_2016_weights_and_threshold() -> None:
    # Focus score ≥ 1 (3) + Schirmer (1) = 4: classified.
    got = acr(["labial_gland_focal_sialadenitis_focus_score_ge_1", "schirmer_le_5mm_in_5min"])
    assert (got["result"], got["score"]) == ("met", 4)
    got = acr(["anti_ssa_ro"])
    assert (got["result"], got["score"]) == ("not_met", 3)
    assert acr(["anti_ssa_ro"], missing=["schirmer_le_5mm_in_5min"])["result"] == "cannot_tell"


def test_2016_entry_and_exclusions() -> None:
    items = ["anti_ssa_ro", "labial_gland_focal_sialadenitis_focus_score_ge_1"]
    assert acr(items, entry=None)["result"] == "cannot_tell"
    assert acr(items, entry=False)["result"] == "not_met"
    got = acr(items, exclusions_present=["sarcoidosis"])
    assert (got["result"], got["applicable"]) == ("not_met", False)
    # Anticholinergic drugs are an AECG exclusion, not a 2016 one.
    assert acr(items, exclusions_present=["anticholinergic_drugs"])["result"] == "met"


@given(st.sets(st.sampled_from(sorted(SJOGREN_2016_ITEMS))))
def test_2016_score(items: set[str]) -> None:
    got = acr(sorted(items))
    assert got["score"] == sum(SJOGREN_2016_ITEMS[i] for i in items) <= 9
    assert (got["result"] == "met") == (got["score"] >= 4)


def aecg(items: list[str], **kw: object) -> object:
    return score("sjogren_2002_aecg", {"items_present": items, **kw})["result"]


def test_aecg_primary() -> None:
    # Four items but neither histopathology (IV) nor autoantibodies (VI), and only 2 objective: no.
    assert aecg(["ocular_symptoms", "oral_symptoms", "ocular_signs", "salivary_gland_involvement"]) == "not_met"
    # Four items including histopathology: yes.
    assert aecg(["ocular_symptoms", "oral_symptoms", "ocular_signs", "histopathology_focus_score_ge_1"]) == "met"
    # Three of the four objective items: yes.
    assert aecg(["ocular_signs", "salivary_gland_involvement", "autoantibodies_ro_or_la"]) == "met"
    assert aecg(["ocular_signs", "salivary_gland_involvement"], missing=["autoantibodies_ro_or_la"]) == "cannot_tell"


def test_aecg_secondary_and_exclusions() -> None:
    # With an associated disease: a symptom plus 2 of III, IV, V.
    assert aecg(["ocular_symptoms", "ocular_signs", "salivary_gland_involvement"], associated_disease=True) == "met"
    assert aecg(["ocular_signs", "salivary_gland_involvement"], associated_disease=True) == "not_met"
    assert aecg(["ocular_signs", "salivary_gland_involvement", "autoantibodies_ro_or_la"],
                exclusions_present=["anticholinergic_drugs"]) == "not_met"  # fmt: skip


@given(st.sets(st.sampled_from(AECG_ITEMS)), st.sampled_from(AECG_ITEMS))
def test_aecg_monotone(items: set[str], extra: str) -> None:
    assert aecg(sorted(items)) != "met" or aecg(sorted(items | {extra})) == "met"
