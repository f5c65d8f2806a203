"""IgG4-related disease: the IgG4-RD Responder Index, 2012 version.

The 2018 validated index (Wallace ZS et al., "An international multi-specialty validation study
of the IgG4-related disease responder index", ACR 2018 abstract; Arthritis Care Res 2018)
assesses 25 domains (24 organ sites and constitutional symptoms) and weights "urgent"
manifestations and those worse despite treatment more. What could be read of it gives neither
the 24 sites nor the weights, and a trial that used a 0-4 organ scale (NCT01584388: 3 new or
recurrent off treatment, 4 worse despite treatment, urgent doubled) does not say it is that
index; so the 2012 index is what is implemented here, named as such in every result
(``details.version``), until the 2018 form can be read.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, known_names

# The organs and sites of the IgG4-RD RI form (Carruthers MN et al., Int J Rheumatol
# 2012;2012:259408, doi:10.1155/2012/259408); "other" stands for any further site named on the form.
IGG4RD_ORGANS = (
    "pachymeninges", "pituitary", "orbit_and_lacrimal_glands", "salivary_glands", "thyroid", "lymph_nodes",
    "lungs", "aorta_and_large_vessels", "heart_and_pericardium", "retroperitoneum_mediastinum_mesentery",
    "pancreas", "bile_ducts_and_liver", "kidneys", "skin", "other",
)  # fmt: skip
ACTIVITY = {0: "unaffected or resolved", 1: "improved", 2: "persistent (unchanged)", 3: "new, recurrent or worse"}


class OrganActivity(InstrumentInput):
    activity: int = Field(ge=0, le=3)
    urgent: bool = False
    damage: bool = False


class Igg4rdRiInput(InstrumentInput):
    organs: dict[str, OrganActivity]
    serum_igg4: int | None = Field(ge=0, le=3)

    @field_validator("organs")
    @classmethod
    def _organs(cls, organs: dict[str, OrganActivity]) -> dict[str, OrganActivity]:
        known_names(list(organs), IGG4RD_ORGANS, "organ")
        return organs


class Igg4rdRiResult(InstrumentResult):
    igg4rd_ri: int | None
    organ_score: int
    active_organs: int
    urgent_organs: list[str]


def igg4rd_ri(x: Igg4rdRiInput) -> Igg4rdRiResult:
    """IgG4-RD Responder Index (2012 version): each organ or site involved scores 0 unaffected
    or resolved, 1 improved, 2 persistent, 3 new, recurrent or worse; an organ whose involvement
    needs urgent treatment scores double; the serum IgG4 concentration scores 0 normal,
    1 improved, 2 unchanged, 3 worse; the index is the sum. Damage is recorded per organ and not
    scored. Carruthers MN et al., Int J Rheumatol 2012;2012:259408, doi:10.1155/2012/259408.
    An unknown serum IgG4 leaves the index unknown (the organ score is still given)."""
    points = {name: o.activity * (2 if o.urgent else 1) for name, o in x.organs.items()}
    organ_score = sum(points.values())
    return Igg4rdRiResult(
        igg4rd_ri=None if x.serum_igg4 is None else organ_score + x.serum_igg4,
        organ_score=organ_score,
        active_organs=sum(1 for o in x.organs.values() if o.activity > 0),
        urgent_organs=sorted(n for n, o in x.organs.items() if o.urgent and o.activity > 0),
        details={
            "points": points,
            "activity": {n: ACTIVITY[o.activity] for n, o in x.organs.items()},
            "damage": sorted(n for n, o in x.organs.items() if o.damage),
            "version": "2012 (Carruthers 2012); the 2018 validated index is not implemented",
        },
    )
