"""The words registry criteria use for the facts the criteria language knows, for the free-text
extractor (:mod:`remission.criteria.extract`). Every entry is written in the extractor's
normalised text: lower case, ``≥`` as ``>=``, ``µ`` as ``u``, counts per litre as ``10^9/l``.

Readings that are choices, not spellings (each also stated in the README and the labelled set,
tests/fixtures/criteria_sentences.yaml):

- plain "SLEDAI" is SLEDAI-2K (the 2002 revision, Gladman DD et al., J Rheumatol 2002;29:288-291,
  is the version trials now score; the items are the same);
- "hepatitis B infection" is HBsAg or HBV DNA positive, "hepatitis C infection" HCV RNA positive
  (the markers of current infection, not of past exposure);
- "active infection" is an active infection recorded in ``infections.other_active_infection`` or
  active tuberculosis;
- "cell therapy" is CAR-T or another cell therapy; "organ transplant" is a solid-organ transplant.
"""

from __future__ import annotations

from typing import Any

# measure name -> the names a sentence may call it by (longest tried first)
MEASURE_NAMES: dict[str, tuple[str, ...]] = {
    "age": ("age", "aged", "ages"),
    "neutrophils": ("absolute neutrophil count", "neutrophil count", "neutrophils", "neutrophil", "anc"),
    "lymphocytes": ("absolute lymphocyte count", "lymphocyte count", "lymphocytes", "alc"),
    "platelets": ("platelet count", "platelets", "platelet", "plt"),
    "haemoglobin": ("hemoglobin", "haemoglobin", "hb", "hgb"),
    "total_bilirubin": ("serum total bilirubin", "total bilirubin", "serum bilirubin", "bilirubin", "tbil"),
    "creatinine": ("serum creatinine", "creatinine", "scr"),
    "alt": ("alanine aminotransferase", "alanine transaminase", "alt", "sgpt"),
    "ast": ("aspartate aminotransferase", "aspartate transaminase", "ast", "sgot"),
    "inr": (
        "international normalized ratio",
        "international normalised ratio",
        "international standardized ratio",
        "inr",
    ),
    "pt": ("prothrombin time", "pt"),
    "crp": ("c-reactive protein", "crp"),
    "esr": ("erythrocyte sedimentation rate", "esr"),
    "spo2": (
        "room air oxygen saturation",
        "indoor oxygen saturation",
        "peripheral oxygen saturation",
        "blood oxygen saturation",
        "oxygen saturation",
        "spo2",
    ),
    "egfr": ("estimated glomerular filtration rate", "glomerular filtration rate", "egfr"),
    "lvef": ("left ventricular ejection fraction", "ejection fraction", "lvef"),
    "fvc": ("forced vital capacity", "fvc"),
    "dlco": (
        "diffusion capacity of the lung for carbon monoxide",
        "diffusing capacity of the lung for carbon monoxide",
        "diffusing capacity for carbon monoxide",
        "dlco",
    ),
    "weight": ("body weight", "weight"),
    "modified_sledai_2k": ("modified sledai-2k", "modified sledai 2k"),
    "sledai_2k": ("sledai-2k", "sledai 2k", "sledai-2000", "sledai"),
    "essdai": (
        "eular sjogren's syndrome disease activity index",
        "sjogren's syndrome disease activity index",
        "essdai",
    ),
    "mrss": ("modified rodnan skin score", "modified skin score", "mrss"),
    "bvas": ("birmingham vasculitis activity score", "birmingham vasculitis activity scale", "bvas"),
    "das28_esr": ("das28-esr", "das28 (esr)", "das28esr"),
    "ecog": (
        "eastern cooperative oncology group performance status",
        "eastern cooperative oncology group",
        "ecog performance status",
        "ecog behavior status",
        "ecog",
        # The WHO (Zubrod) performance status is the ECOG scale (Oken 1982, Am J Clin Oncol 5:649).
        "who performance status",
    ),
}

# Words between a measure's name and its threshold that change nothing.
MEASURE_FILLERS = (
    "score",
    "scores",
    "total score",
    "performance status",
    "ps",
    "level",
    "levels",
    "value",
    "count",
    "in serum",
    "at screening",
    "of",
    "is",
    "was",
    "are",
    "should be",
    "must be",
    "had",
    ":",
)

# normalised unit -> the unit's name in remission.criteria.units (None: the measure's own scale)
UNITS: dict[str, str] = {
    "10^9/l": "10^9/L",
    "10^3/ul": "10^3/uL",
    "cells/ul": "cells/uL",
    "g/l": "g/L",
    "g/dl": "g/dL",
    "mg/dl": "mg/dL",
    "mg/l": "mg/L",
    "umol/l": "umol/L",
    "mm/h": "mm/h",
    "mm/hr": "mm/h",
    "ml/min/1.73m2": "mL/min/1.73m2",
    "%": "%",
    "s": "s",
    "seconds": "s",
    "sec": "s",
    "kg": "kg",
    "kgs": "kg",
    "years": "years",
    "year": "years",
    "points": "points",
    "point": "points",
}
# The unit a measure's threshold may be written without, or in, besides its lab units.
OWN_UNIT: dict[str, tuple[str, ...]] = {
    "age": ("years",),
    "weight": ("kg",),
    "lvef": ("%",),
    "fvc": ("%",),
    "dlco": ("%",),
    "spo2": ("%",),
    "egfr": ("mL/min/1.73m2",),
    "esr": ("mm/h",),
    "inr": (),
}
SCORES = ("modified_sledai_2k", "sledai_2k", "essdai", "mrss", "bvas", "das28_esr", "ecog")

# test name -> the names a sentence may call it by
TEST_NAMES: dict[str, tuple[str, ...]] = {
    "cd19": ("cd19",),
    "bcma": ("bcma",),
    "ana": ("antinuclear", "ana"),
    "anti_dsdna": ("anti-dsdna antibody", "anti-dsdna antibodies", "anti-dsdna", "anti-double stranded dna"),
    "anti_sm": ("anti-smith antibody", "anti-smith antibodies", "anti-smith", "anti-sm"),
    "mpo_anca": ("anti-mpo", "mpo-anca"),
    "pr3_anca": ("anti-pr3", "pr3-anca"),
    "p_anca": ("p-anca",),
    "c_anca": ("c-anca",),
    "anti_ssa": ("anti-ssa", "anti-ro", "anti-ssa/ro"),
    "anti_ssb": ("anti-ssb", "anti-la", "anti-ssb/la"),
    "myositis_specific": ("myositis-specific", "myositis specific"),
    "myositis_associated": ("myositis-associated", "myositis associated"),
    "rf": ("rheumatoid factor", "rf"),
    "acpa": ("acpa", "anti-ccp", "anti-ccp antibody"),
    "hbsag": ("hbsag", "hepatitis b surface antigen"),
    "hbcab": ("hbcab", "hepatitis b core antibody", "anti-hbc"),
    "hbv_dna": ("hbv dna", "hbv-dna", "hepatitis b virus dna"),
    "hcv_ab": (
        "hcv antibody",
        "hcv antibodies",
        "anti-hcv",
        "hcv-ab",
        "hepatitis c virus antibody",
        "hepatitis c virus antibodies",
    ),
    "hcv_rna": ("hcv rna", "hcv-rna"),
    "hiv_ab": (
        "hiv antibody",
        "hiv antibodies",
        "hiv-ab",
        "hiv",
        "human immunodeficiency virus antibodies",
        "human immunodeficiency virus antibody",
    ),
    "syphilis": ("syphilis", "treponema pallidum antibody", "syphilis antibody", "syphilis primary screening antibody"),
    "cmv_dna": ("cmv dna", "cmv-dna", "cytomegalovirus dna", "cytomegalovirus dna detection"),
}
# Tests of one infection: "HBsAg positive and HBV DNA detectable" joins them with "and" even in
# an exclusion, where "and" between two different things is read as neither.
# The reproductive states an exclusion lists ("pregnant and nursing"), any one of which applies.
REPRODUCTIVE = ({"pregnant": True}, {"breastfeeding": True}, {"intends_to_conceive": True})
SAME_INFECTION = (frozenset({"hbsag", "hbcab", "hbv_dna"}), frozenset({"hcv_ab", "hcv_rna"}))
ANCA = ("mpo_anca", "pr3_anca", "p_anca", "c_anca")


def _each(names: tuple[str, ...], rule: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every name of ``names`` saying ``rule``; one shared mapping, which the extractor copies
    before handing it out."""
    return dict.fromkeys(names, rule)


def _positive(*tests: str) -> dict[str, Any]:
    return {"positive": sorted(tests)}


_ACTIVE_INFECTION: dict[str, Any] = {"any": [{"condition": "other_active_infection"}, {"fact": "infections.active_tb"}]}
_HBV = _positive("hbsag", "hbv_dna")
_HCV = _positive("hcv_rna")
_HIV = _positive("hiv_ab")

# Whole phrases (after the person words are taken off) and what they say.
PHRASES: dict[str, dict[str, Any]] = {
    # pregnancy
    **_each(("pregnant", "pregnancy", "currently pregnant", "pregnant women"), {"pregnant": True}),
    **_each(
        (
            "breastfeeding",
            "breast-feeding",
            "breast feeding",
            "lactating",
            "lactation",
            "nursing",
            "lactating women",
            "breastfeeding women",
            "nursing women",
            "nursing mothers",
        ),
        {"breastfeeding": True},
    ),
    **_each(
        (
            "intending to conceive",
            "intend to conceive",
            "planning pregnancy",
            "planning to become pregnant",
            "plan to become pregnant",
            "intending to become pregnant",
            "planning pregnancy during the study",
            "planning to become pregnant during the study",
        ),
        {"intends_to_conceive": True},
    ),
    **_each(
        ("pregnancy test positive", "positive pregnancy test", "positive serum pregnancy test"),
        {"pregnancy_test": "positive"},
    ),
    # infections
    **_each(
        (
            "hiv",
            "hiv infection",
            "hiv positive",
            "hiv-positive",
            "hiv/aids",
            "aids",
            "hiv seropositive",
            "hiv serology positive",
            "hiv serology positivity",
            "hiv affected",
            "seropositive for hiv",
            "positive for hiv",
            "human immunodeficiency virus infection",
            "human immunodeficiency virus",
        ),
        _HIV,
    ),
    **_each(
        (
            "hepatitis b",
            "hepatitis b infection",
            "active hepatitis b",
            "active hepatitis b infection",
            "chronic hepatitis b",
            "hbv infection",
            "active hbv infection",
            "chronic hbv infection",
        ),
        _HBV,
    ),
    **_each(
        (
            "hepatitis c",
            "hepatitis c infection",
            "active hepatitis c",
            "active hepatitis c infection",
            "chronic hepatitis c",
            "hcv infection",
            "active hcv infection",
        ),
        _HCV,
    ),
    **_each(("syphilis", "syphilis infection", "positive for syphilis", "syphilis positive"), _positive("syphilis")),
    **_each(
        ("active tuberculosis", "active tb", "active pulmonary tuberculosis", "active tuberculosis infection"),
        {"fact": "infections.active_tb"},
    ),
    **_each(
        (
            "active infection",
            "active infections",
            "active infectious disease",
            "active infectious diseases",
            "evidence of active infection",
        ),
        _ACTIVE_INFECTION,
    ),
    # conditions
    **_each(
        (
            "other autoimmune disease",
            "other autoimmune diseases",
            "other autoimmune conditions",
            "other autoimmune disorders",
            "concomitant autoimmune disease",
        ),
        {"other_autoimmune": True},
    ),
    **_each(("interstitial lung disease", "interstitial pneumonia", "interstitial pneumonitis"), {"condition": "ild"}),
    "congenital immunoglobulin deficiency": {"condition": "congenital_immunoglobulin_deficiency"},
    **_each(
        ("end-stage renal failure", "end-stage renal disease", "end stage renal failure", "end stage renal disease"),
        {"condition": "end_stage_renal_failure"},
    ),
    **_each(
        ("cirrhosis", "liver cirrhosis", "cirrhosis of the liver", "hepatic cirrhosis"), {"condition": "cirrhosis"}
    ),
    **_each(
        (
            "gvhd",
            "acute or chronic gvhd",
            "active or chronic gvhd",
            "graft-versus-host disease",
            "graft versus host disease",
            "active gvhd",
        ),
        {"condition": "gvhd"},
    ),
    **_each(
        ("diabetes", "diabetes mellitus", "type 1 or type 2 diabetes", "type 1 or type 2 diabetes mellitus"),
        {"condition": "diabetes"},
    ),
    **_each(
        (
            "uncontrolled diabetes",
            "uncontrollable diabetes",
            "poorly controlled diabetes",
            "uncontrolled diabetes mellitus",
        ),
        {"condition": "diabetes", "uncontrolled": True},
    ),
    **_each(
        ("uncontrolled hypertension", "uncontrollable hypertension", "poorly controlled hypertension"),
        {"condition": "hypertension", "uncontrolled": True},
    ),
    # "arterial": not pulmonary arterial hypertension, which the contract does not hold.
    **_each(("hypertension", "arterial hypertension", "systemic arterial hypertension"), {"condition": "hypertension"}),
    **_each(
        (
            "clinically significant ecg abnormalities",
            "clinically relevant or significant ecg abnormalities",
            "clinically significant ecg abnormality",
            "significant ecg abnormalities",
        ),
        {"fact": "organ_function.ecg_significant_abnormality"},
    ),
    **_each(
        (
            "no significant abnormalities observed on electrocardiogram",
            "no obvious abnormality in electrocardiogram",
            "no significant abnormality on ecg",
            "no clinically significant ecg abnormalities",
        ),
        {"fact": "organ_function.ecg_significant_abnormality", "is": False},
    ),
    **_each(
        ("good hemodynamic stability", "hemodynamically stable", "haemodynamically stable"),
        {"fact": "organ_function.haemodynamically_stable"},
    ),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words of a consent sentence; a sentence of these words only (and naming consent) is consent.
CONSENT_WORDS = _words(
    """
    a able ability agree agreement agrees an and be before by cooperate comply compliance
    consent form follow-up for give good has have he/she her his icf in indicating informed is
    must of on or participate participation provide purpose procedure procedures sign signed
    signing signs she should study subject subjects patient patients participant participants
    the their this to trial understand understanding understands voluntarily voluntary volunteer
    volunteers willing willingness which who with written that clinical research document it
    """
)
GUARDIAN_WORDS = _words(
    """
    guardian guardians legal legally representative representatives surrogate
    """
)
# Words of "no contraindication to leukapheresis" sentences.
COLLECTION_WORDS = _words(
    """
    having with meet meets the standards standard of single or intravenous venous blood
    collection and no other contraindications contraindication for to cell leukapheresis
    apheresis
    """
)

# Classification criteria sets by disease family and year (remission.criteria.predicates.CriteriaSet).
CRITERIA_SETS: dict[str, dict[str, str]] = {
    "SLE": {"1997": "ACR 1997", "2012": "SLICC 2012", "2019": "EULAR/ACR 2019"},
    "SSC": {"2013": "ACR/EULAR 2013"},
    "AAV": {"2022": "ACR/EULAR 2022"},
    "IIM": {"2017": "EULAR/ACR 2017"},
    "SJS": {"2002": "AECG 2002", "2016": "ACR/EULAR 2016"},
    "RA": {"2010": "ACR/EULAR 2010"},
    "IGG4RD": {"2019": "ACR/EULAR 2019 IgG4-RD"},
}

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
