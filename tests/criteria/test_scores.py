"""Activity totals scored from raw items (the instruments) when a profile gives items instead of
a total. Expected totals are hand sums of the published weights: SLEDAI-2K (Gladman 2002,
J Rheumatol 29:288: arthritis 4, low complement 2, increased DNA binding 2) and mRSS (the sum of
17 sites each 0-3, Khanna 2017, doi:10.5301/jsrd.5000231); verdicts are the reference
vignettes' expected ones."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from remission.criteria.profile import Profile, ProfileError
from remission.services.screening import Screening, bundled_protocols, profile_from
from tests.conftest import SHARED

CASES = {c["patient"]["id"]: c for c in json.loads((SHARED / "reference" / "screening" / "vignettes.json").read_text())["cases"]}

# 4 (arthritis) + 2 (low complement) + 2 (increased DNA binding) = 8
SLEDAI_8 = {"descriptors_present": ["arthritis", "low_complement", "increased_dna_binding"]}
# face 1 + anterior chest 2 + abdomen 1 + forearms 2 + 2 + hands 1 + 1 = 10, the other ten sites 0
MRSS_10 = dict.fromkeys((
    "upper_arm_right", "upper_arm_left", "fingers_right", "fingers_left", "thigh_right", "thigh_left",
    "lower_leg_right", "lower_leg_left", "foot_right", "foot_left"), 0) | {
    "face": 1, "anterior_chest": 2, "abdomen": 1, "forearm_right": 2, "forearm_left": 2, "hand_right": 1, "hand_left": 1}  # fmt: skip


def without(case: str, field: str) -> dict[str, Any]:
    patient = copy.deepcopy(CASES[case]["patient"])
    del patient["disease_activity"][field]
    return patient


def verdicts(profile: Profile) -> dict[str, str]:
    return {r.trial: r.verdict for r in Screening.screen_with(profile, [(p.id, p) for p in bundled_protocols()]).results}


def expected(case: str) -> dict[str, str]:
    return {trial: e["verdict"] for trial, e in CASES[case]["expected"].items()}


@pytest.mark.parametrize(("case", "field", "instrument", "items"), [
    ("ref-sle-02", "sledai_2k", "sledai_2k", SLEDAI_8),
    ("ref-ssc-02", "mrss", "mrss", MRSS_10),
])  # fmt: skip
def test_items_give_the_total_and_the_reference_verdicts(case: str, field: str, instrument: str, items: Any) -> None:
    bare = Profile.parse(without(case, field))
    assert bare.get(f"disease_activity.{field}") is None
    scored = Profile.parse(without(case, field), items={instrument: items})
    assert scored.get(f"disease_activity.{field}") == CASES[case]["patient"]["disease_activity"][field]
    assert verdicts(scored) == expected(case)
    # The reason says where the number came from.
    reasons = [c.reason for r in Screening.screen_with(scored, [(p.id, p) for p in bundled_protocols()]).results
               for c in r.criteria]  # fmt: skip
    assert any(f"(scored from items by {instrument})" in reason for reason in reasons)


def test_a_lower_total_from_items_changes_the_verdict() -> None:
    # Arthritis alone is 4: below LIANGZOU's and ZJU's SLEDAI-2K >= 8.
    profile = Profile.parse(without("ref-sle-02", "sledai_2k"), items={"sledai_2k": {"descriptors_present": ["arthritis"]}})
    assert profile.get("disease_activity.sledai_2k") == 4
    got = verdicts(profile)
    assert got["LIANGZOU"] == "ineligible" and got["ZJU-CAR-T-SLE"] == "ineligible"


def test_items_that_cannot_decide_the_total_leave_it_unknown() -> None:
    items = {"sledai_2k": {"descriptors_present": ["arthritis"], "missing": ["low_complement"]}}
    profile = Profile.parse(without("ref-sle-02", "sledai_2k"), items=items)
    assert profile.get("disease_activity.sledai_2k") is None
    assert verdicts(profile)["LIANGZOU"] == "unknown"


def test_total_and_items_that_disagree_are_refused_without_values() -> None:
    with pytest.raises(ProfileError) as info:
        Profile.parse(CASES["ref-sle-01"]["patient"], items={"sledai_2k": SLEDAI_8})  # states 14
    assert "disease_activity.sledai_2k" in str(info.value) and "differ" in str(info.value)
    assert "14" not in str(info.value) and " 8" not in str(info.value)
    # Agreeing is fine.
    assert Profile.parse(CASES["ref-sle-02"]["patient"], items={"sledai_2k": SLEDAI_8}).get("disease_activity.sledai_2k") == 8


@pytest.mark.parametrize(("items", "words"), [
    ({"shoe_size": {}}, "items.shoe_size: not an instrument"),
    ({"mrss": {"face": 1}}, "items.mrss: anterior_chest is required"),
    ({"mrss": {**MRSS_10, "face": 7}}, "items.mrss: face is out of range"),
    ({"sledai_2k": {"descriptors_present": ["sneezing"]}}, "items.sledai_2k"),
    (["sledai_2k"], "items: must be a JSON object"),
])  # fmt: skip
def test_bad_items_are_refused_naming_the_instrument_and_item(items: Any, words: str) -> None:
    with pytest.raises(ProfileError) as info:
        Profile.parse(without("ref-ssc-02", "mrss"), items=items)
    assert words in str(info.value)


def test_the_input_envelope() -> None:
    patient = without("ref-sle-02", "sledai_2k")
    assert profile_from({"profile": patient, "items": {"sledai_2k": SLEDAI_8}}, source="x").get("disease_activity.sledai_2k") == 8
    with pytest.raises(ProfileError, match="unknown field extra"):
        profile_from({"profile": patient, "extra": 1}, source="x")
    with pytest.raises(ProfileError, match="given both"):
        profile_from({"profile": patient, "items": {}}, source="x", items={})
