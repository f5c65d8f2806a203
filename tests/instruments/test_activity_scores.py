"""ITAS2010 / ITAS-A, IgG4-RD Responder Index and ECOG, hand-calculated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score
from remission.instruments.takayasu import ITAS_HEADINGS, ITAS_ITEMS, ITAS_SITES


def test_itas_worked_example() -> None:
    # Headache 1 + diastolic BP > 90 (key item) 2 + bruits (key item) 2 + left carotid bruit 1 = 6.
    items = ["headache", "diastolic_bp_gt_90", "bruits", "bruit_carotid_left"]
    got = score("itas2010", {"items_present": items, "esr_mm_h": 45, "crp_mg_l": 5})
    # ESR 45 mm/h scores 2 (40-59), CRP 5 mg/L scores 0 (≤ 5).
    assert (got["itas2010"], got["itas_a_esr"], got["itas_a_crp"]) == (6, 8, 6)
    assert score("itas2010", {"items_present": items, "crp_mg_l": 25})["itas_a_crp"] == 9  # > 20: 3


def test_itas_structure() -> None:
    assert len(ITAS_ITEMS) == 44 and sum(1 for w in ITAS_ITEMS.values() if w == 2) == 7
    assert sum(1 for i in ITAS_ITEMS if i in ITAS_SITES or i in list(ITAS_HEADINGS)[11:]) == 33  # cardiovascular
    assert score("itas2010", {"items_present": sorted(ITAS_ITEMS)})["itas2010"] == 51
    with pytest.raises(InstrumentError, match="bruit_renal_right without bruits"):
        score("itas2010", {"items_present": ["bruit_renal_right"]})


@given(st.sets(st.sampled_from(sorted(ITAS_HEADINGS))), st.floats(0, 200))
def test_itas_bounds(items: set[str], esr: float) -> None:
    got = score("itas2010", {"items_present": sorted(items), "esr_mm_h": esr})
    assert 0 <= got["itas2010"] <= 51
    assert 0 <= got["itas_a_esr"] - got["itas2010"] <= 3


def test_igg4rd_ri() -> None:
    # Pancreas worse (3) and urgent (× 2) = 6; salivary glands persistent 2; serum IgG4 unchanged 2: 10.
    organs = {"pancreas": {"activity": 3, "urgent": True}, "salivary_glands": {"activity": 2, "damage": True}}
    got = score("igg4rd_ri", {"organs": organs, "serum_igg4": 2})
    assert (got["igg4rd_ri"], got["organ_score"], got["active_organs"], got["urgent_organs"]) == (10, 8, 2, ["pancreas"])
    assert got["details"]["damage"] == ["salivary_glands"]
    assert score("igg4rd_ri", {"organs": organs, "serum_igg4": None})["igg4rd_ri"] is None
    with pytest.raises(InstrumentError, match="unknown 'spleen'"):
        score("igg4rd_ri", {"organs": {"spleen": {"activity": 1}}, "serum_igg4": 0})


@pytest.mark.parametrize(
    ("karnofsky", "ecog"),
    [(100, 0), (90, 0), (80, 1), (70, 1), (60, 2), (50, 2), (40, 3), (30, 3), (20, 4), (10, 4), (0, 5)],
)
def test_ecog_from_karnofsky(karnofsky: int, ecog: int) -> None:
    # The conversion table of Buccheri 1996 (Eur J Cancer 32A:1135), written out.
    assert score("ecog", {"karnofsky": karnofsky})["ecog"] == ecog


def test_ecog_direct() -> None:
    got = score("ecog", {"ecog": 2})
    assert (got["ecog"], got["ambulatory"]) == (2, True)
    assert score("ecog", {"ecog": 3})["ambulatory"] is False
    with pytest.raises(InstrumentError, match="not both"):
        score("ecog", {"ecog": 1, "karnofsky": 80})


ORGANS = st.dictionaries(
    st.sampled_from(["pancreas", "kidneys", "lungs", "salivary_glands", "lymph_nodes", "other"]),
    st.fixed_dictionaries({"activity": st.integers(0, 3), "urgent": st.booleans()}),
)


@given(ORGANS, st.integers(0, 3))
def test_igg4rd_urgent_doubles_and_bounds(organs: dict[str, dict[str, object]], igg4: int) -> None:
    got = score("igg4rd_ri", {"organs": organs, "serum_igg4": igg4})
    plain = sum(int(o["activity"]) for o in organs.values())  # type: ignore[call-overload]
    urgent = sum(int(o["activity"]) for o in organs.values() if o["urgent"])  # type: ignore[call-overload]
    assert got["igg4rd_ri"] == plain + urgent + igg4 <= 6 * len(organs) + 3


@given(st.integers(0, 10), st.integers(0, 10))
def test_ecog_falls_as_karnofsky_rises(a: int, b: int) -> None:
    low, high = sorted((10 * a, 10 * b))
    assert score("ecog", {"karnofsky": low})["ecog"] >= score("ecog", {"karnofsky": high})["ecog"]


def test_itas_a_bands_and_igg4_version_say_what_they_are() -> None:
    # No primary source of the ITAS-A bands could be read; the 2018 IgG4-RD RI could not be sourced.
    got = score("itas2010", {"items_present": ["headache"], "esr_mm_h": 10})
    assert got["details"]["itas_a_bands"].startswith("unverified")
    got = score("igg4rd_ri", {"organs": {"pancreas": {"activity": 1}}, "serum_igg4": 0})
    assert got["details"]["version"].startswith("2012")
