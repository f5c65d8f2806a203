"""Every instrument by its name (the CLI's and the REST API's ``NAME``)."""

from __future__ import annotations

from typing import Any

from remission.instruments import kidney, ra, sjogren, sle, toxicity, vasculitis
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
