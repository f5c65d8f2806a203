"""The names a criterion may use for patient facts, each with the words a reason and a "missing"
list show, and where the profile keeps it (../shared/contracts/patient-profile.schema.json)."""

from __future__ import annotations

from functools import cache
from typing import Any

from remission.criteria.profile import schema
from remission.criteria.units import CANONICAL
from remission.domain.marker import N_

LAB_LABELS: dict[str, str] = {
    "neutrophils": N_("neutrophil count"),
    "lymphocytes": N_("lymphocyte count"),
    "platelets": N_("platelet count"),
    "haemoglobin": N_("haemoglobin"),
    "total_bilirubin": N_("total bilirubin"),
    "creatinine": N_("creatinine"),
    "crp": N_("CRP"),
    "esr": N_("ESR"),
    "igg": N_("IgG"),
    "c3": N_("C3"),
    "c4": N_("C4"),
    "spo2": N_("SpO2"),
    "egfr": N_("eGFR"),
    "alt": N_("ALT"),
    "ast": N_("AST"),
    "inr": N_("INR"),
    "pt": "PT",
}
assert set(LAB_LABELS) == set(CANONICAL)

# measure name -> (label, dotted path in the profile); labs and age are derived, path None.
PLAIN_MEASURES: dict[str, tuple[str, str]] = {
    "lvef": (N_("LVEF"), "organ_function.lvef_percent"),
    "fvc": (N_("FVC % predicted"), "organ_function.fvc_percent_predicted"),
    "dlco": (N_("DLCO % predicted"), "organ_function.dlco_percent_predicted"),
    "weight": (N_("weight (kg)"), "demographics.weight_kg"),
    "height": (N_("height (cm)"), "demographics.height_cm"),
    "sledai_2k": (N_("SLEDAI-2K"), "disease_activity.sledai_2k"),
    "modified_sledai_2k": (N_("modified SLEDAI-2K"), "disease_activity.modified_sledai_2k"),
    "bilag_2004_a_count": (N_("BILAG-2004 A count"), "disease_activity.bilag_2004_a_count"),
    "bilag_2004_b_count": (N_("BILAG-2004 B count"), "disease_activity.bilag_2004_b_count"),
    "essdai": (N_("ESSDAI"), "disease_activity.essdai"),
    "mrss": (N_("mRSS"), "disease_activity.mrss"),
    "bvas": (N_("BVAS"), "disease_activity.bvas"),
    "das28_esr": (N_("DAS28-ESR"), "disease_activity.das28_esr"),
    "cdai": (N_("CDAI"), "disease_activity.cdai"),
    "sjc66": (N_("swollen joint count (66)"), "disease_activity.sjc66"),
    "tjc68": (N_("tender joint count (68)"), "disease_activity.tjc68"),
    "mmt8": (N_("MMT-8"), "disease_activity.mmt8"),
    "itas2010": (N_("ITAS2010"), "disease_activity.itas2010"),
    "itas_a": (N_("ITAS-A"), "disease_activity.itas_a"),
    "igg4rd_ri": (N_("IgG4-RD responder index"), "disease_activity.igg4rd_ri"),
    "ecog": (N_("ECOG"), "disease_activity.ecog"),
    "acr_functional_class": (N_("ACR functional class"), "disease_activity.acr_functional_class"),
}
MEASURES: dict[str, str] = {"age": "age", **LAB_LABELS, **{k: v[0] for k, v in PLAIN_MEASURES.items()}}

# test name -> (label, section of the profile)
TESTS: dict[str, tuple[str, str]] = {
    "ana": (N_("ANA"), "serology"),
    "anti_dsdna": (N_("anti-dsDNA"), "serology"),
    "anti_sm": (N_("anti-Sm"), "serology"),
    "mpo_anca": (N_("MPO-ANCA"), "serology"),
    "pr3_anca": (N_("PR3-ANCA"), "serology"),
    "p_anca": (N_("p-ANCA"), "serology"),
    "c_anca": (N_("c-ANCA"), "serology"),
    "anti_ssa": (N_("anti-SSA"), "serology"),
    "anti_ssb": (N_("anti-SSB"), "serology"),
    "myositis_specific": (N_("myositis-specific antibodies"), "serology"),
    "myositis_associated": (N_("myositis-associated antibodies"), "serology"),
    "rf": (N_("RF"), "serology"),
    "acpa": (N_("ACPA"), "serology"),
    "cd19": (N_("CD19"), "target_antigens"),
    "bcma": (N_("BCMA"), "target_antigens"),
    "hbsag": (N_("HBsAg"), "infections"),
    "hbcab": (N_("HBcAb"), "infections"),
    "hbv_dna": (N_("HBV DNA"), "infections"),
    "hcv_ab": (N_("HCV antibody"), "infections"),
    "hcv_rna": (N_("HCV RNA"), "infections"),
    "hiv_ab": (N_("HIV antibody"), "infections"),
    "syphilis": (N_("syphilis serology"), "infections"),
    "cmv_dna": (N_("CMV DNA"), "infections"),
}

# condition name -> (label, dotted path of its object)
CONDITIONS: dict[str, tuple[str, str]] = {
    "malignancy": (N_("malignancy"), "comorbidities.malignancy"),
    "cardiac_disease": (N_("clinically significant heart disease"), "comorbidities.cardiac_disease"),
    "cns_disorder": (N_("CNS disorder"), "comorbidities.cns_disorder"),
    "psychiatric_illness": (N_("psychiatric illness"), "comorbidities.psychiatric_illness"),
    "cognitive_impairment": (N_("cognitive impairment"), "comorbidities.cognitive_impairment"),
    "hypertension": (N_("hypertension"), "comorbidities.hypertension"),
    "diabetes": (N_("diabetes"), "comorbidities.diabetes"),
    "congenital_immunoglobulin_deficiency": (
        N_("congenital immunoglobulin deficiency"),
        "comorbidities.congenital_immunoglobulin_deficiency",
    ),
    "end_stage_renal_failure": (N_("end-stage renal failure"), "comorbidities.end_stage_renal_failure"),
    "cirrhosis": (N_("cirrhosis"), "comorbidities.cirrhosis"),
    "haematological_disorder": (N_("aplastic anaemia / MDS / MPD"), "comorbidities.haematological_disorder"),
    "gvhd": (N_("GVHD"), "comorbidities.gvhd"),
    "lupus_nephritis": (N_("lupus nephritis"), "organ_involvement.lupus_nephritis"),
    "ild": (N_("interstitial lung disease"), "organ_involvement.ild"),
    "alveolar_haemorrhage": (N_("alveolar haemorrhage"), "organ_involvement.alveolar_haemorrhage"),
    "cns_involvement": (N_("CNS involvement by the disease"), "organ_involvement.cns_involvement"),
    "other_active_infection": (N_("active infection"), "infections.other_active_infection"),
}

_FACT_LABELS: dict[str, str] = {
    "consent.has_capacity": N_("capacity to consent"),
    "consent.guardian_available": N_("a guardian to consent"),
    "consent.willing": N_("willingness to take part"),
    "organ_function.ecg_significant_abnormality": N_("significant ECG abnormality"),
    "organ_function.haemodynamically_stable": N_("haemodynamic stability"),
    "organ_function.leukapheresis_feasible": N_("leukapheresis feasibility"),
    "infections.active_tb": N_("active tuberculosis"),
    "organ_involvement.ild.hrct_ground_glass": N_("ground glass on HRCT"),
    "organ_involvement.alveolar_haemorrhage.requires_invasive_ventilation": N_("need for invasive ventilation"),
    "organ_involvement.alveolar_haemorrhage.ventilation_expected_beyond_screening": N_("ventilation beyond screening"),
    "reproductive.childbearing_potential": N_("childbearing potential"),
    "reproductive.partner_childbearing_potential": N_("partner's childbearing potential"),
    "reproductive.agrees_to_contraception": N_("agreement to contraception"),
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
