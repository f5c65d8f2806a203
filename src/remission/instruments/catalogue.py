"""Every instrument by its name (the CLI's and the REST API's ``NAME``)."""

from __future__ import annotations

from typing import Any

from remission.instruments import (
    general,
    igg4rd,
    kidney,
    myositis,
    ra,
    sjogren,
    sle,
    ssc,
    takayasu,
    toxicity,
    vasculitis,
)
from remission.instruments.base import Instrument, InstrumentError

_ALL: list[Instrument[Any, Any]] = [
        Instrument("sledai_2k", "SLEDAI-2K and clinical SLEDAI-2K", "Gladman 2002, J Rheumatol 29:288",
                   sle.Sledai2kInput, sle.Sledai2kResult, sle.sledai_2k),
        Instrument("sle_2019_eular_acr", "2019 EULAR/ACR SLE classification criteria",
                   "Aringer 2019, doi:10.1002/art.40930", sle.Sle2019Input, sle.Sle2019Result, sle.sle_2019),
        Instrument("essdai", "ESSDAI (Sjögren's activity)", "Seror 2010, doi:10.1136/ard.2009.110619",
                   sjogren.EssdaiInput, sjogren.EssdaiResult, sjogren.essdai),
        Instrument("bvas_v3", "Birmingham Vasculitis Activity Score v3", "Mukhtyar 2009, doi:10.1136/ard.2008.101279",
                   vasculitis.BvasInput, vasculitis.BvasResult, vasculitis.bvas_v3),
        Instrument("aav_2022_acr_eular", "2022 ACR/EULAR GPA, MPA and EGPA classification criteria",
                   "Robson, Suppiah, Grayson 2022, doi:10.1136/annrheumdis-2021-221795",
                   vasculitis.Aav2022Input, vasculitis.Aav2022Result, vasculitis.aav_2022),
        Instrument("das28_esr", "DAS28-ESR (4 or 3 variables)", "Prevoo 1995, doi:10.1002/art.1780380107",
                   ra.Das28EsrInput, ra.Das28EsrResult, ra.das28_esr),
        Instrument("das28_crp", "DAS28-CRP (4 or 3 variables)", "Wells 2009, doi:10.1136/ard.2007.084459",
                   ra.Das28CrpInput, ra.Das28CrpResult, ra.das28_crp),
        Instrument("cdai", "Clinical Disease Activity Index", "Aletaha 2005, doi:10.1186/ar1740",
                   ra.CdaiInput, ra.CdaiResult, ra.cdai),
        Instrument("sdai", "Simplified Disease Activity Index", "Smolen 2003, doi:10.1093/rheumatology/keg072",
                   ra.SdaiInput, ra.SdaiResult, ra.sdai),
        Instrument("eular_ra_response", "EULAR response (DAS28)", "van Gestel 1996, doi:10.1002/art.1780390105",
                   ra.EularResponseInput, ra.EularResponseResult, ra.eular_ra_response),
        Instrument("ra_2010_acr_eular", "2010 ACR/EULAR RA classification criteria",
                   "Aletaha 2010, doi:10.1002/art.27584", ra.Ra2010Input, ra.Ra2010Result, ra.ra_2010),
        Instrument("ckd_epi_2021_cr", "CKD-EPI 2021 creatinine eGFR (race-free)",
                   "Inker 2021, doi:10.1056/NEJMoa2102953",
                   kidney.AdultCreatinineInput, kidney.EgfrResult, kidney.ckd_epi_2021),
        Instrument("ckd_epi_2009_cr", "CKD-EPI 2009 creatinine eGFR",
                   "Levey 2009, doi:10.7326/0003-4819-150-9-200905050-00006",
                   kidney.AdultCreatinineInput, kidney.Egfr2009Result, kidney.ckd_epi_2009),
        Instrument("schwartz_bedside", "Bedside Schwartz eGFR (children)", "Schwartz 2009, doi:10.1681/ASN.2008030287",
                   kidney.SchwartzInput, kidney.EgfrResult, kidney.schwartz_bedside),
        Instrument("ice_score", "ICE score", "Lee 2019, doi:10.1016/j.bbmt.2018.12.758",
                   toxicity.IceInput, toxicity.IceResult, toxicity.ice_score),
        Instrument("astct_crs", "ASTCT CRS grade", "Lee 2019, doi:10.1016/j.bbmt.2018.12.758",
                   toxicity.CrsInput, toxicity.CrsResult, toxicity.astct_crs),
        Instrument("astct_icans", "ASTCT ICANS grade (adults, children ≥ 12)",
                   "Lee 2019, doi:10.1016/j.bbmt.2018.12.758",
                   toxicity.IcansInput, toxicity.IcansResult, toxicity.astct_icans),
        # Instruments without reference files: tested from hand calculations in tests/instruments.
        Instrument("sle_1997_acr", "1997 ACR SLE classification criteria", "Hochberg 1997, doi:10.1002/art.1780400928",
                   sle.Sle1997Input, sle.CountResult, sle.sle_1997),
        Instrument("sle_2012_slicc", "2012 SLICC SLE classification criteria", "Petri 2012, doi:10.1002/art.34473",
                   sle.Slicc2012Input, sle.Slicc2012Result, sle.slicc_2012),
        Instrument("bilag_2004", "BILAG-2004 grade counts (A, B) and numeric score",
                   "Isenberg 2005, doi:10.1093/rheumatology/keh624; Yee 2010, doi:10.1093/rheumatology/keq026",
                   sle.Bilag2004Input, sle.Bilag2004Result, sle.bilag_2004),
        Instrument("sri_4", "SLE Responder Index 4", "Furie 2009, doi:10.1002/art.24698",
                   sle.Sri4Input, sle.Sri4Result, sle.sri_4),
        Instrument("lldas", "Lupus Low Disease Activity State", "Franklyn 2016, doi:10.1136/annrheumdis-2015-207726",
                   sle.LldasInput, sle.StateResult, sle.lldas),
        Instrument("doris", "DORIS remission in SLE (on and off therapy)",
                   "van Vollenhoven 2021, doi:10.1136/lupus-2021-000538", sle.DorisInput, sle.DorisResult, sle.doris),
        Instrument("mrss", "Modified Rodnan skin score", "Khanna 2017, doi:10.5301/jsrd.5000231",
                   ssc.MrssInput, ssc.MrssResult, ssc.mrss),
        Instrument("ssc_2013_acr_eular", "2013 ACR/EULAR systemic sclerosis classification criteria",
                   "van den Hoogen 2013, doi:10.1002/art.38098", ssc.Ssc2013Input, ssc.Ssc2013Result, ssc.ssc_2013),
        Instrument("mmt8", "Manual Muscle Testing, 8 groups (0-80 and 0-150)", "Rider 2010, doi:10.1002/acr.20035",
                   myositis.Mmt8Input, myositis.Mmt8Result, myositis.mmt8),
        Instrument("myositis_tis_2016", "2016 ACR/EULAR myositis response: Total Improvement Score",
                   "Aggarwal 2017, doi:10.1002/art.40064",
                   myositis.TisInput, myositis.TisResult, myositis.myositis_tis),
        Instrument("iim_2017_eular_acr", "2017 EULAR/ACR idiopathic inflammatory myopathy criteria and subgroups",
                   "Lundberg 2017, doi:10.1136/annrheumdis-2017-211468",
                   myositis.Iim2017Input, myositis.Iim2017Result, myositis.iim_2017),
        Instrument("sjogren_2016_acr_eular", "2016 ACR/EULAR primary Sjögren's classification criteria",
                   "Shiboski 2017, doi:10.1002/art.39859",
                   sjogren.Sjogren2016Input, sjogren.SjogrenResult, sjogren.sjogren_2016),
        Instrument("sjogren_2002_aecg", "2002 American-European Consensus Group Sjögren's criteria",
                   "Vitali 2002, doi:10.1136/ard.61.6.554", sjogren.Aecg2002Input, sjogren.SjogrenResult,
                   sjogren.aecg_2002),
        Instrument("acr_response", "ACR20/50/70 response (rheumatoid arthritis)",
                   "Felson 1995, doi:10.1002/art.1780380602",
                   ra.AcrResponseInput, ra.AcrResponseResult, ra.acr_response),
        Instrument("bvas_remission", "Remission in ANCA-associated vasculitis (BVAS v3 = 0)",
                   "Hellmich 2007, doi:10.1136/ard.2006.062711; Yates 2016, doi:10.1136/annrheumdis-2016-209133",
                   vasculitis.BvasRemissionInput, vasculitis.BvasRemissionResult, vasculitis.bvas_remission),
        Instrument("itas2010", "ITAS2010 and ITAS-A (Takayasu arteritis activity)",
                   "Misra 2013, doi:10.1093/rheumatology/ket128",
                   takayasu.Itas2010Input, takayasu.Itas2010Result, takayasu.itas2010),
        Instrument("igg4rd_ri", "IgG4-RD Responder Index", "Carruthers 2012, doi:10.1155/2012/259408",
                   igg4rd.Igg4rdRiInput, igg4rd.Igg4rdRiResult, igg4rd.igg4rd_ri),
        Instrument("ecog", "ECOG performance status (or from Karnofsky)",
                   "Oken 1982, doi:10.1097/00000421-198212000-00014",
                   general.EcogInput, general.EcogResult, general.ecog),
        Instrument("astct_icans_child", "ASTCT ICANS grade, children under 12 (CAPD)",
                   "Lee 2019, doi:10.1016/j.bbmt.2018.12.758; Traube 2014, doi:10.1097/CCM.0b013e3182a66b76",
                   toxicity.IcansChildInput, toxicity.IcansChildResult, toxicity.astct_icans_child),
        Instrument("ctcae_neutrophil_count_decreased", "CTCAE v5 neutrophil count decreased", toxicity.CTCAE_REFERENCE,
                   toxicity.NeutrophilInput, toxicity.CtcaeResult, toxicity.ctcae_neutrophils),
        Instrument("ctcae_platelet_count_decreased", "CTCAE v5 platelet count decreased", toxicity.CTCAE_REFERENCE,
                   toxicity.PlateletInput, toxicity.CtcaeResult, toxicity.ctcae_platelets),
        Instrument("ctcae_anemia", "CTCAE v5 anemia", toxicity.CTCAE_REFERENCE,
                   toxicity.AnemiaInput, toxicity.CtcaeResult, toxicity.ctcae_anemia),
        Instrument("ctcae_alt_increased", "CTCAE v5 alanine aminotransferase increased", toxicity.CTCAE_REFERENCE,
                   toxicity.RiseInput, toxicity.CtcaeResult, toxicity.ctcae_alt),
        Instrument("ctcae_ast_increased", "CTCAE v5 aspartate aminotransferase increased", toxicity.CTCAE_REFERENCE,
                   toxicity.RiseInput, toxicity.CtcaeResult, toxicity.ctcae_ast),
        Instrument("ctcae_blood_bilirubin_increased", "CTCAE v5 blood bilirubin increased", toxicity.CTCAE_REFERENCE,
                   toxicity.RiseInput, toxicity.CtcaeResult, toxicity.ctcae_bilirubin),
        Instrument("ctcae_creatinine_increased", "CTCAE v5 creatinine increased", toxicity.CTCAE_REFERENCE,
                   toxicity.RiseInput, toxicity.CtcaeResult, toxicity.ctcae_creatinine),
]  # fmt: skip
CATALOGUE: dict[str, Instrument[Any, Any]] = {i.name: i for i in _ALL}


class UnknownInstrument(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no instrument named {name!r}; `remission score list` shows them")
        self.name = name


def get(name: str) -> Instrument[Any, Any]:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise UnknownInstrument(name) from None


def score(name: str, data: Any) -> dict[str, Any]:
    """``{"instrument": name, ...result fields..., "details": {...}}``; ``InstrumentError`` on a refused input."""
    fields = get(name).run(data).model_dump(mode="json")
    details = fields.pop("details")
    return {"instrument": name, **fields, "details": details}


__all__ = ["CATALOGUE", "InstrumentError", "UnknownInstrument", "get", "score"]
