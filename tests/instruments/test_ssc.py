"""Systemic sclerosis: mRSS and the 2013 ACR/EULAR criteria, hand-calculated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.instruments.catalogue import InstrumentError, score
from remission.instruments.ssc import MRSS_SITES, SSC_2013_DOMAINS, SSC_2013_ITEMS


def test_mrss_sum_of_17_sites() -> None:
    sites = dict.fromkeys(MRSS_SITES, 1)
    sites.update(face=2, fingers_right=3, fingers_left=3)  # 14 sites at 1 + 2 + 3 + 3 = 22
    assert score("mrss", sites)["mrss"] == 22
    assert score("mrss", dict.fromkeys(MRSS_SITES, 3))["mrss"] == 51


def test_mrss_unexamined_site_and_range() -> None:
    got = score("mrss", {**dict.fromkeys(MRSS_SITES, 0), "abdomen": None})
    assert got["mrss"] is None and got["details"]["missing"] == ["abdomen"]
    with pytest.raises(InstrumentError, match=r"face is out of range \(allowed: >= 0 and <= 3\)"):
        score("mrss", {**dict.fromkeys(MRSS_SITES, 0), "face": 4})
    with pytest.raises(InstrumentError, match="foot_left is required"):
        score("mrss", {s: 0 for s in MRSS_SITES if s != "foot_left"})


@given(st.lists(st.integers(0, 3), min_size=17, max_size=17))
def test_mrss_bounds(values: list[int]) -> None:
    total = score("mrss", dict(zip(MRSS_SITES, values, strict=True)))["mrss"]
    assert total == sum(values) and 0 <= total <= 51


def ssc(items: list[str], sufficient: bool | None = False, **kw: object) -> dict[str, object]:
    return score("ssc_2013_acr_eular", {"skin_thickening_proximal_to_mcps": sufficient, "items_present": items, **kw})


def test_ssc_sufficient_criterion() -> None:
    got = ssc([], sufficient=True)
    assert (got["result"], got["score"]) == ("met", 9)


def test_ssc_points() -> None:
    # Sclerodactyly 4 (puffy fingers 2 does not add: same domain) + Raynaud 3 + anticentromere 3 = 10.
    got = ssc(["puffy_fingers", "sclerodactyly", "raynaud_phenomenon", "anticentromere"])
    assert (got["result"], got["score"]) == ("met", 10)
    # PAH and ILD together score 2, not 4: puffy 2 + PAH/ILD 2 + telangiectasia 2 = 6.
    got = ssc(["puffy_fingers", "pulmonary_arterial_hypertension", "interstitial_lung_disease", "telangiectasia"])
    assert (got["result"], got["score"]) == ("not_met", 6)


def test_ssc_cannot_tell() -> None:
    # Puffy 2 + Raynaud 3 + telangiectasia 2 = 7; capillaroscopy not done (2) could reach 9.
    items = ["puffy_fingers", "raynaud_phenomenon", "telangiectasia"]
    assert ssc(items, missing=["abnormal_nailfold_capillaries"])["result"] == "cannot_tell"
    assert ssc(items)["result"] == "not_met"
    assert ssc([], sufficient=None)["result"] == "cannot_tell"


def test_ssc_not_applicable() -> None:
    got = ssc(["sclerodactyly", "raynaud_phenomenon", "anticentromere"], skin_thickening_sparing_fingers=True)
    assert (got["result"], got["applicable"]) == ("not_met", False)
    with pytest.raises(InstrumentError, match="unknown 'morphea'"):
        ssc(["morphea"])


@given(st.sets(st.sampled_from(sorted(SSC_2013_ITEMS))))
def test_ssc_one_item_per_domain(items: set[str]) -> None:
    got = ssc(sorted(items))
    expected = sum(max((w for i, w in d.items() if i in items), default=0) for d in SSC_2013_DOMAINS.values())
    assert got["score"] == expected <= 19
    assert (got["result"] == "met") == (expected >= 9)
