"""Systemic sclerosis: the modified Rodnan skin score and the 2013 ACR/EULAR classification
criteria."""

from __future__ import annotations

from pydantic import Field, field_validator

from remission.instruments.base import (
    ClassificationResult,
    InstrumentInput,
    InstrumentResult,
    best_per_domain,
    disjoint,
    known_names,
    verdict,
)

MRSS_SITES = (
    "face", "anterior_chest", "abdomen",
    "upper_arm_right", "upper_arm_left", "forearm_right", "forearm_left", "hand_right", "hand_left",
    "fingers_right", "fingers_left", "thigh_right", "thigh_left", "lower_leg_right", "lower_leg_left",
    "foot_right", "foot_left",
)  # fmt: skip


class MrssInput(InstrumentInput):
    """Each of the 17 sites 0 (normal) to 3 (severe thickening); null when not examined."""

    face: int | None = Field(ge=0, le=3)
    anterior_chest: int | None = Field(ge=0, le=3)
    abdomen: int | None = Field(ge=0, le=3)
    upper_arm_right: int | None = Field(ge=0, le=3)
    upper_arm_left: int | None = Field(ge=0, le=3)
    forearm_right: int | None = Field(ge=0, le=3)
    forearm_left: int | None = Field(ge=0, le=3)
    hand_right: int | None = Field(ge=0, le=3)
    hand_left: int | None = Field(ge=0, le=3)
    fingers_right: int | None = Field(ge=0, le=3)
    fingers_left: int | None = Field(ge=0, le=3)
    thigh_right: int | None = Field(ge=0, le=3)
    thigh_left: int | None = Field(ge=0, le=3)
    lower_leg_right: int | None = Field(ge=0, le=3)
    lower_leg_left: int | None = Field(ge=0, le=3)
    foot_right: int | None = Field(ge=0, le=3)
    foot_left: int | None = Field(ge=0, le=3)


class MrssResult(InstrumentResult):
    mrss: int | None


def mrss(x: MrssInput) -> MrssResult:
    """Modified Rodnan skin score: skin thickness by palpation at 17 body sites, each 0-3,
    summed (0-51). Khanna D et al., J Scleroderma Relat Disord 2017;2:11-18,
    doi:10.5301/jsrd.5000231 (standardised method). A site not examined leaves the total unknown."""
    scores = {site: getattr(x, site) for site in MRSS_SITES}
    missing = [site for site, v in scores.items() if v is None]
    total = None if missing else sum(scores.values())
    return MrssResult(mrss=total, details={"sites": scores, "missing": missing})


# van den Hoogen F et al. Arthritis Rheum 2013;65:2737-2747, doi:10.1002/art.38098, Table 1:
# within a domain only the highest-weighted item counts.
SSC_2013_DOMAINS: dict[str, dict[str, int]] = {
    "skin_thickening_of_fingers": {"puffy_fingers": 2, "sclerodactyly": 4},
    "fingertip_lesions": {"digital_tip_ulcers": 2, "fingertip_pitting_scars": 3},
    "telangiectasia": {"telangiectasia": 2},
    "abnormal_nailfold_capillaries": {"abnormal_nailfold_capillaries": 2},
    "pah_or_ild": {"pulmonary_arterial_hypertension": 2, "interstitial_lung_disease": 2},
    "raynaud_phenomenon": {"raynaud_phenomenon": 3},
    "ssc_related_autoantibodies": {"anticentromere": 3, "anti_topoisomerase_i": 3, "anti_rna_polymerase_iii": 3},
}
SSC_2013_ITEMS = {item for items in SSC_2013_DOMAINS.values() for item in items}


class Ssc2013Input(InstrumentInput):
    skin_thickening_proximal_to_mcps: bool | None
    items_present: list[str]
    missing: list[str] = Field(default_factory=list)
    # The criteria do not apply to skin thickening that spares the fingers, nor to a
    # scleroderma-like disorder that better explains the manifestations.
    skin_thickening_sparing_fingers: bool = False
    better_explained_by_other_disorder: bool = False

    @field_validator("items_present", "missing")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        return known_names(names, SSC_2013_ITEMS, "item")


class Ssc2013Result(ClassificationResult):
    applicable: bool
    score: int


def ssc_2013(x: Ssc2013Input) -> Ssc2013Result:
    """2013 ACR/EULAR SSc classification: skin thickening of the fingers of both hands extending
    proximal to the MCP joints is sufficient (9 points); otherwise the highest item of each of
    seven domains is added, and a total of 9 or more classifies SSc. van den Hoogen F et al.,
    Arthritis Rheum 2013;65:2737-2747, doi:10.1002/art.38098 (also Ann Rheum Dis
    2013;72:1747-1755, doi:10.1136/annrheumdis-2013-204424)."""
    disjoint(x.items_present, x.missing, "items")
    if x.skin_thickening_sparing_fingers or x.better_explained_by_other_disorder:
        why = "skin thickening sparing the fingers" if x.skin_thickening_sparing_fingers else "better explained"
        return Ssc2013Result(applicable=False, score=0, result="not_met", details={"why": f"not applicable: {why}"})
    sufficient = x.skin_thickening_proximal_to_mcps
    missing = [*x.missing, *(["sufficient"] if sufficient is None else [])]

    def points(items: frozenset[str]) -> int:
        if "sufficient" in items:
            return 9
        return int(sum(w for _, w in best_per_domain(SSC_2013_DOMAINS, items).values()))

    present = [*x.items_present, *(["sufficient"] if sufficient else [])]
    score = points(frozenset(present))
    counted = {d: {"item": i, "points": w} for d, (i, w) in best_per_domain(SSC_2013_DOMAINS, present).items()}
    return Ssc2013Result(
        applicable=True,
        score=score,
        result=verdict(lambda items: points(items) >= 9, present, missing),
        details={"sufficient_criterion": sufficient, "counted": counted, "missing": sorted(missing)},
    )
