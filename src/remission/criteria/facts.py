"""The names a criterion may use for patient facts, each with the words a reason and a "missing"
list show, and where the profile keeps it (../shared/contracts/patient-profile.schema.json)."""

from __future__ import annotations

from functools import cache
from typing import Any

from remission.criteria.profile import schema
from remission.criteria.units import CANONICAL

LAB_LABELS: dict[str, str] = {
    "neutrophils": "neutrophil count",
    "lymphocytes": "lymphocyte count",
    "platelets": "platelet count",
    "haemoglobin": "haemoglobin",
    "total_bilirubin": "total bilirubin",
    "creatinine": "creatinine",
    "crp": "CRP",
    "esr": "ESR",
    "igg": "IgG",
    "c3": "C3",
    "c4": "C4",
    "spo2": "SpO2",
    "egfr": "eGFR",
    "alt": "ALT",
    "ast": "AST",
    "inr": "INR",
    "pt": "PT",
}
assert set(LAB_LABELS) == set(CANONICAL)

# measure name -> (label, dotted path in the profile); labs and age are derived, path None.
PLAIN_MEASURES: dict[str, tuple[str, str]] = {
    "lvef": ("LVEF", "organ_function.lvef_percent"),
    "fvc": ("FVC % predicted", "organ_function.fvc_percent_predicted"),
    "dlco": ("DLCO % predicted", "organ_function.dlco_percent_predicted"),
    "weight": ("weight (kg)", "demographics.weight_kg"),
    "height": ("height (cm)", "demographics.height_cm"),
    "sledai_2k": ("SLEDAI-2K", "disease_activity.sledai_2k"),
    "modified_sledai_2k": ("modified SLEDAI-2K", "disease_activity.modified_sledai_2k"),
    "bilag_2004_a_count": ("BILAG-2004 A count", "disease_activity.bilag_2004_a_count"),
    "bilag_2004_b_count": ("BILAG-2004 B count", "disease_activity.bilag_2004_b_count"),
    "essdai": ("ESSDAI", "disease_activity.essdai"),
    "mrss": ("mRSS", "disease_activity.mrss"),
    "bvas": ("BVAS", "disease_activity.bvas"),
    "das28_esr": ("DAS28-ESR", "disease_activity.das28_esr"),
    "cdai": ("CDAI", "disease_activity.cdai"),
    "sjc66": ("swollen joint count (66)", "disease_activity.sjc66"),
    "tjc68": ("tender joint count (68)", "disease_activity.tjc68"),
    "mmt8": ("MMT-8", "disease_activity.mmt8"),
    "itas2010": ("ITAS2010", "disease_activity.itas2010"),
    "itas_a": ("ITAS-A", "disease_activity.itas_a"),
    "igg4rd_ri": ("IgG4-RD responder index", "disease_activity.igg4rd_ri"),
    "ecog": ("ECOG", "disease_activity.ecog"),
    "acr_functional_class": ("ACR functional class", "disease_activity.acr_functional_class"),
}
MEASURES: dict[str, str] = {"age": "age", **LAB_LABELS, **{k: v[0] for k, v in PLAIN_MEASURES.items()}}

# test name -> (label, section of the profile)
TESTS: dict[str, tuple[str, str]] = {
    "ana": ("ANA", "serology"),
    "anti_dsdna": ("anti-dsDNA", "serology"),
    "anti_sm": ("anti-Sm", "serology"),
    "mpo_anca": ("MPO-ANCA", "serology"),
    "pr3_anca": ("PR3-ANCA", "serology"),
    "p_anca": ("p-ANCA", "serology"),
    "c_anca": ("c-ANCA", "serology"),
    "anti_ssa": ("anti-SSA", "serology"),
    "anti_ssb": ("anti-SSB", "serology"),
    "myositis_specific": ("myositis-specific antibodies", "serology"),
    "myositis_associated": ("myositis-associated antibodies", "serology"),
    "rf": ("RF", "serology"),
    "acpa": ("ACPA", "serology"),
    "cd19": ("CD19", "target_antigens"),
    "bcma": ("BCMA", "target_antigens"),
    "hbsag": ("HBsAg", "infections"),
    "hbcab": ("HBcAb", "infections"),
    "hbv_dna": ("HBV DNA", "infections"),
    "hcv_ab": ("HCV antibody", "infections"),
    "hcv_rna": ("HCV RNA", "infections"),
    "hiv_ab": ("HIV antibody", "infections"),
    "syphilis": ("syphilis serology", "infections"),
    "cmv_dna": ("CMV DNA", "infections"),
}

# condition name -> (label, dotted path of its object)
CONDITIONS: dict[str, tuple[str, str]] = {
    "malignancy": ("malignancy", "comorbidities.malignancy"),
    "cardiac_disease": ("clinically significant heart disease", "comorbidities.cardiac_disease"),
    "cns_disorder": ("CNS disorder", "comorbidities.cns_disorder"),
    "psychiatric_illness": ("psychiatric illness", "comorbidities.psychiatric_illness"),
    "cognitive_impairment": ("cognitive impairment", "comorbidities.cognitive_impairment"),
    "hypertension": ("hypertension", "comorbidities.hypertension"),
    "diabetes": ("diabetes", "comorbidities.diabetes"),
    "congenital_immunoglobulin_deficiency": (
        "congenital immunoglobulin deficiency",
        "comorbidities.congenital_immunoglobulin_deficiency",
    ),
    "end_stage_renal_failure": ("end-stage renal failure", "comorbidities.end_stage_renal_failure"),
    "cirrhosis": ("cirrhosis", "comorbidities.cirrhosis"),
    "haematological_disorder": ("aplastic anaemia / MDS / MPD", "comorbidities.haematological_disorder"),
    "gvhd": ("GVHD", "comorbidities.gvhd"),
    "lupus_nephritis": ("lupus nephritis", "organ_involvement.lupus_nephritis"),
    "ild": ("interstitial lung disease", "organ_involvement.ild"),
    "alveolar_haemorrhage": ("alveolar haemorrhage", "organ_involvement.alveolar_haemorrhage"),
    "cns_involvement": ("CNS involvement by the disease", "organ_involvement.cns_involvement"),
    "other_active_infection": ("active infection", "infections.other_active_infection"),
}

_FACT_LABELS: dict[str, str] = {
    "consent.has_capacity": "capacity to consent",
    "consent.guardian_available": "a guardian to consent",
    "consent.willing": "willingness to take part",
    "organ_function.ecg_significant_abnormality": "significant ECG abnormality",
    "organ_function.haemodynamically_stable": "haemodynamic stability",
    "organ_function.leukapheresis_feasible": "leukapheresis feasibility",
    "infections.active_tb": "active tuberculosis",
    "organ_involvement.ild.hrct_ground_glass": "ground glass on HRCT",
    "organ_involvement.alveolar_haemorrhage.requires_invasive_ventilation": "need for invasive ventilation",
    "organ_involvement.alveolar_haemorrhage.ventilation_expected_beyond_screening": "ventilation beyond screening",
    "reproductive.childbearing_potential": "childbearing potential",
    "reproductive.partner_childbearing_potential": "partner's childbearing potential",
    "reproductive.agrees_to_contraception": "agreement to contraception",
    "allergies.severe_allergic_reaction_history": "history of severe allergic reaction",
}


@cache
def boolean_facts() -> dict[str, str]:
    """Every yes/no field of the contract, by dotted path, with its label."""
    found: dict[str, str] = {}

    def walk(node: dict[str, Any], path: str) -> None:
        for name, sub in node.get("properties", {}).items():
            here = f"{path}.{name}" if path else name
            kind = sub.get("type")
            if kind == "boolean" or (isinstance(kind, list) and "boolean" in kind):
                found[here] = _FACT_LABELS.get(here) or _default_label(here)
            if "properties" in sub:
                walk(sub, here)

    walk(schema(), "")
    return found


def _default_label(path: str) -> str:
    head, _, last = path.rpartition(".")
    if head.startswith("allergies"):
        return f"allergy to {last}"
    return last.replace("_", " ")
