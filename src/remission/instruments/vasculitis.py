"""ANCA-associated vasculitis: BVAS v3, remission, and the 2022 ACR/EULAR classification criteria
for GPA, MPA and EGPA."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from remission.instruments.base import (
    ClassificationResult,
    InstrumentInput,
    InstrumentResult,
    ItemVerdict,
    all_true,
    disjoint,
    known_names,
)

# Mukhtyar C et al. Ann Rheum Dis 2009;68:1827-1832, doi:10.1136/ard.2008.101279 (the BVAS v3
# form): per section, (max if all persistent, max if new/worse) and each item's
# (persistent, new/worse) value. 0 persistent = an item marked * on the glossary, "not compatible
# with persistent disease" (rule 5). What was checked, and against what, is in bvas_v3's docstring.
BVAS_V3: dict[str, tuple[tuple[int, int], dict[str, tuple[int, int]]]] = {
    "general": ((2, 3), {"myalgia": (1, 1), "arthralgia_arthritis": (1, 1), "fever_ge_38": (2, 2),
                         "weight_loss_ge_2kg": (2, 2)}),
    "cutaneous": ((3, 6), {"infarct": (1, 2), "purpura": (1, 2), "ulcer": (1, 4), "gangrene": (2, 6),
                           "other_skin_vasculitis": (1, 2)}),
    "mucous_membranes_eyes": ((3, 6), {"mouth_ulcers": (1, 2), "genital_ulcers": (1, 1),
                                       "adnexal_inflammation": (2, 4), "significant_proptosis": (2, 4),
                                       "scleritis_episcleritis": (1, 2),
                                       "conjunctivitis_blepharitis_keratitis": (1, 1), "blurred_vision": (2, 3),
                                       "sudden_visual_loss": (0, 6), "uveitis": (2, 6), "retinal_changes": (2, 6)}),
    "ent": ((3, 6), {"bloody_nasal_discharge_crusts_ulcers_granulomata": (2, 4), "paranasal_sinus_involvement": (1, 2),
                     "subglottic_stenosis": (3, 6), "conductive_hearing_loss": (1, 3),
                     "sensorineural_hearing_loss": (2, 6)}),
    "chest": ((3, 6), {"wheeze": (1, 2), "nodules_or_cavities": (0, 3), "pleural_effusion_pleurisy": (2, 4),
                       "infiltrate": (2, 4), "endobronchial_involvement": (2, 4),
                       "massive_haemoptysis_alveolar_haemorrhage": (4, 6), "respiratory_failure": (4, 6)}),
    "cardiovascular": ((3, 6), {"loss_of_pulses": (1, 4), "valvular_heart_disease": (2, 4), "pericarditis": (1, 3),
                                "ischaemic_cardiac_pain": (2, 4), "cardiomyopathy": (3, 6),
                                "congestive_cardiac_failure": (3, 6)}),
    "abdominal": ((4, 9), {"peritonitis": (3, 9), "bloody_diarrhoea": (3, 9), "ischaemic_abdominal_pain": (2, 6)}),
    "renal": ((6, 12), {"hypertension": (1, 4), "proteinuria_gt_1plus": (2, 4), "haematuria_ge_10_rbc_hpf": (3, 6),
                        "creatinine_125_249_umol": (2, 4), "creatinine_250_499_umol": (3, 6),
                        "creatinine_ge_500_umol": (4, 8), "rise_creatinine_gt30pct_or_fall_crcl_gt25pct": (0, 6)}),
    "nervous_system": ((6, 9), {"headache": (1, 1), "meningitis": (1, 3), "organic_confusion": (1, 3),
                                "seizures_not_hypertensive": (3, 9), "cerebrovascular_accident": (3, 9),
                                "spinal_cord_lesion": (3, 9), "cranial_nerve_palsy": (3, 6),
                                "sensory_peripheral_neuropathy": (3, 6), "mononeuritis_multiplex": (3, 9)}),
}  # fmt: skip
BVAS_ITEMS = {item: (section, values) for section, (_, items) in BVAS_V3.items() for item, values in items.items()}
CREATININE_BANDS = {"creatinine_125_249_umol", "creatinine_250_499_umol", "creatinine_ge_500_umol"}
CREATININE_RISE = "rise_creatinine_gt30pct_or_fall_crcl_gt25pct"
NEW_OR_WORSE_ONLY = frozenset(item for item, (_, values) in BVAS_ITEMS.items() if values[0] == 0)


class BvasInput(InstrumentInput):
    items_present: list[str]
    all_persistent: bool
    first_assessment: bool | None = Field(
        default=None,
        description="The form's 'Is this the patient's first assessment?'; null: not stated (the creatinine "
        "bands are then scored as at a first assessment, and the result says so).",
    )

    @field_validator("items_present")
    @classmethod
    def _items(cls, names: list[str]) -> list[str]:
        names = known_names(names, set(BVAS_ITEMS), "item")
        if len(CREATININE_BANDS & set(names)) > 1:
            raise ValueError("only one creatinine band can be ticked: " + ", ".join(sorted(CREATININE_BANDS)))
        return names

    @model_validator(mode="after")
    def _rules(self) -> BvasInput:
        bands = sorted(CREATININE_BANDS & set(self.items_present))
        if bands and self.first_assessment is False:
            raise ValueError(f"{bands[0]}: the serum creatinine bands are scored only at the first assessment "
                             f"(BVAS v3 rule 4); at a later assessment use {CREATININE_RISE}")  # fmt: skip
        starred = sorted(NEW_OR_WORSE_ONLY & set(self.items_present))
        if starred and self.all_persistent:
            raise ValueError(
                f"{', '.join(starred)}: not compatible with persistent disease (BVAS v3 rule 5: "
                "items marked * always mean new or worse disease); untick all_persistent or the item"
            )
        return self


class BvasResult(InstrumentResult):
    bvas_v3: int


def bvas_v3(x: BvasInput) -> BvasResult:
    """BVAS v3: each item scores its persistent value when all disease is persistent (the
    PERSISTENT box) and its new/worse value otherwise; each section is capped at its maximum;
    the total is the sum of the sections, 0-63 (0-33 when persistent). Mukhtyar C et al., Ann
    Rheum Dis 2009;68:1827-1832, doi:10.1136/ard.2008.101279, and its glossary's rules for
    scoring: the serum creatinine bands are scored only at the first assessment (rule 4; the
    form: "can only be scored on the first assessment"), so at a later one they are refused and
    the > 30 % rise in creatinine (or > 25 % fall in clearance) is the item to use; items marked *
    are not compatible with persistent disease (rule 5) and are refused with the PERSISTENT box.

    What was checked (a copy of the form, the glossary's first sections, the BVAS 2003 glossary
    and public calculators; the printed form itself could not be read): the rules above; the
    56 items and their names in every section, ENT, abdominal, renal and nervous system
    included; the totals 33 and 63; and the weights of the general, cutaneous, mucous membranes /
    eyes, chest and cardiovascular items. The weights of the ENT, abdominal, renal and nervous
    system items and those sections' maxima (3/6, 4/9, 6/12, 6/9, which sum with the others to
    33/63) could not be read from a source here; they are the reference file's, and the
    creatinine bands' new/worse weights (4, 6, 8) are the least certain of them: an earlier
    BVAS gave 4, 5, 6."""
    column = 0 if x.all_persistent else 1
    raw: dict[str, int] = {}
    for item in x.items_present:
        section, values = BVAS_ITEMS[item]
        raw[section] = raw.get(section, 0) + values[column]
    sections = {s: min(v, BVAS_V3[s][0][column]) for s, v in raw.items()}
    details: dict[str, object] = {"sections": sections, "raw": raw}
    if x.first_assessment is None and CREATININE_BANDS & set(x.items_present):
        details["note"] = "first_assessment not stated: the creatinine band is scored as at a first assessment"
    return BvasResult(bvas_v3=sum(sections.values()), details=details)


# Item weights and thresholds of the three 2022 ACR/EULAR papers (see aav_2022).
AAV_2022: dict[str, tuple[int, dict[str, int]]] = {
    "gpa": (5, {"nasal_involvement": 3, "cartilaginous_involvement": 2, "hearing_loss": 1, "canca_or_pr3": 5,
                "lung_nodules_mass_cavitation": 2, "granuloma_or_giant_cells_biopsy": 2,
                "sinus_inflammation_or_mastoiditis_imaging": 1, "pauci_immune_gn": 1, "panca_or_mpo": -1,
                "eos_ge_1e9": -4}),
    "mpa": (5, {"nasal_involvement": -3, "panca_or_mpo": 6, "ild_or_fibrosis_imaging": 3, "pauci_immune_gn": 3,
                "canca_or_pr3": -1, "eos_ge_1e9": -4}),
    "egpa": (6, {"obstructive_airway_disease": 3, "nasal_polyps": 3, "mononeuritis_multiplex": 1, "eos_ge_1e9": 5,
                 "extravascular_eosinophilic_inflammation_biopsy": 2, "canca_or_pr3": -3, "hematuria": -1}),
}  # fmt: skip
AAV_FEATURES = {f for _, weights in AAV_2022.values() for f in weights}


class Aav2022Input(InstrumentInput):
    prerequisite_small_or_medium_vessel_vasculitis: bool
    features_present: list[str]
    missing: list[str] = Field(default_factory=list)

    @field_validator("features_present", "missing")
    @classmethod
    def _features(cls, names: list[str]) -> list[str]:
        return known_names(names, AAV_FEATURES, "feature")


class Aav2022Result(ClassificationResult):
    applicable: bool
    gpa_score: int | None = None
    gpa: bool | None = None
    mpa_score: int | None = None
    mpa: bool | None = None
    egpa_score: int | None = None
    egpa: bool | None = None


def aav_2022(x: Aav2022Input) -> Aav2022Result:
    """2022 ACR/EULAR classification criteria, scored independently: GPA ≥ 5 (Robson JC et al.,
    Ann Rheum Dis 2022;81:315-320, doi:10.1136/annrheumdis-2021-221795), MPA ≥ 5 (Suppiah R et
    al., Ann Rheum Dis 2022;81:321-326, doi:10.1136/annrheumdis-2021-221796), EGPA ≥ 6 (Grayson
    PC et al., Ann Rheum Dis 2022;81:309-314, doi:10.1136/annrheumdis-2021-221794); they apply
    only once small- or medium-vessel vasculitis is diagnosed. ``result`` is "met" when any set
    is met. A missing feature gives "cannot tell" for a set whose verdict it could change."""
    if not x.prerequisite_small_or_medium_vessel_vasculitis:
        return Aav2022Result(
            applicable=False, result="not_met", details={"why": "no small- or medium-vessel vasculitis"}
        )
    disjoint(x.features_present, x.missing, "features")
    present, missing = set(x.features_present), set(x.missing)
    scores = {name: sum(w for f, w in weights.items() if f in present) for name, (_, weights) in AAV_2022.items()}
    met: dict[str, bool | None] = {}
    for name, (threshold, weights) in AAV_2022.items():
        # A missing feature may add its weight or not: negative weights bound the score from
        # below, positive ones from above.
        low = scores[name] + sum(min(w, 0) for f, w in weights.items() if f in missing)
        high = scores[name] + sum(max(w, 0) for f, w in weights.items() if f in missing)
        met[name] = True if low >= threshold else (False if high < threshold else None)
    values = list(met.values())
    result: ItemVerdict = "met" if True in values else ("cannot_tell" if None in values else "not_met")
    return Aav2022Result(
        applicable=True,
        gpa_score=scores["gpa"],
        gpa=met["gpa"],
        mpa_score=scores["mpa"],
        mpa=met["mpa"],
        egpa_score=scores["egpa"],
        egpa=met["egpa"],
        result=result,
        details={"thresholds": {n: t for n, (t, _) in AAV_2022.items()}, "missing": sorted(missing)},
    )


class BvasRemissionInput(InstrumentInput):
    bvas_v3: int | None = Field(ge=0, le=63)
    prednisolone_mg_day: float | None = Field(ge=0, le=1000)


class BvasRemissionResult(InstrumentResult):
    remission: bool | None
    remission_eular: bool | None
    remission_off_glucocorticoids: bool | None


def bvas_remission(x: BvasRemissionInput) -> BvasRemissionResult:
    """Remission in ANCA-associated vasculitis: no disease activity, BVAS v3 = 0 (Hellmich B et
    al., Ann Rheum Dis 2007;66:605-617, doi:10.1136/ard.2006.062711); the EULAR definition adds a
    prednisolone dose ≤ 7.5 mg/day (Yates M et al., Ann Rheum Dis 2016;75:1583-1594,
    doi:10.1136/annrheumdis-2016-209133); the trials' stricter endpoint asks for no
    glucocorticoids at all (as in ADVOCATE, Jayne DRW et al., N Engl J Med 2021;384:599-609,
    doi:10.1056/NEJMoa2023386, which also asks for none in the previous 4 weeks)."""
    inactive = None if x.bvas_v3 is None else x.bvas_v3 == 0
    dose = x.prednisolone_mg_day
    checks = {"bvas_v3_0": inactive}
    eular = {**checks, "prednisolone_le_7_5": None if dose is None else dose <= 7.5}
    off = {**checks, "no_glucocorticoids": None if dose is None else dose == 0}
    return BvasRemissionResult(
        remission=inactive,
        remission_eular=all_true(eular),
        remission_off_glucocorticoids=all_true(off),
        details={"criteria": {**eular, **off}},
    )
