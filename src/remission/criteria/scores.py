"""Activity scores a profile gives as raw items instead of totals, scored by the instruments.

The patient-profile contract holds only totals (``disease_activity``). A site that has the
items (the SLEDAI-2K descriptors present, the 17 mRSS sites, the 28-joint counts ...) gives
them beside the profile, by instrument name::

    {"sledai_2k": {"descriptors_present": ["arthritis", "low_complement"]},
     "mrss": {"face": 1, "anterior_chest": 0, ...}}

Each instrument scores its items (:mod:`remission.instruments.catalogue`, which cites each
formula's source) and the total fills the profile's field. A total the profile states already
wins only when it agrees: the two disagreeing is refused, because one of them is wrong. A total
the items cannot decide (an item marked missing that could change it) leaves the field unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from remission.instruments.base import InstrumentError
from remission.instruments.catalogue import CATALOGUE

__all__ = ["SCORED", "ScoredFrom", "score_items"]

# instrument -> ((its result field, the profile's disease_activity field), ...), first found wins
# for a field (ITAS-A from ESR, else from CRP; MMT-8 on 0-150 when both sides were tested).
SCORED: dict[str, tuple[tuple[str, str], ...]] = {
    "sledai_2k": (("sledai_2k", "sledai_2k"),),
    "bilag_2004": (("count_a", "bilag_2004_a_count"), ("count_b", "bilag_2004_b_count")),
    "essdai": (("essdai", "essdai"),),
    "mrss": (("mrss", "mrss"),),
    "bvas_v3": (("bvas_v3", "bvas"),),
    "das28_esr": (("das28_esr", "das28_esr"),),
    "cdai": (("cdai", "cdai"),),
    "mmt8": (("mmt8_150", "mmt8"), ("mmt8_80", "mmt8")),
    "itas2010": (("itas2010", "itas2010"), ("itas_a_esr", "itas_a"), ("itas_a_crp", "itas_a")),
    "igg4rd_ri": (("igg4rd_ri", "igg4rd_ri"),),
    "ecog": (("ecog", "ecog"),),
}
_MMT8_SCALE = {"mmt8_150": "0-150", "mmt8_80": "0-80"}

# disease_activity field -> the name of the instrument that scored it (for screening's reasons)
ScoredFrom = dict[str, str]


def score_items(data: Mapping[str, Any], items: Mapping[str, Any]) -> tuple[dict[str, Any], ScoredFrom, list[str]]:
    """The profile with the totals its ``items`` give, which instrument gave each, and the
    problems (each naming ``items.<instrument>`` or the profile field, never a value)."""
    problems: list[str] = []
    activity = dict(data.get("disease_activity") or {})
    scored: ScoredFrom = {}
    for name, given in items.items():
        if name not in SCORED:
            known = ", ".join(SCORED)
            problems.append(f"items.{name}: not an instrument whose total a profile holds (known: {known})")
            continue
        try:
            result = CATALOGUE[name].run(given).model_dump()
        except InstrumentError as exc:
            problems.append(f"items.{name}: {exc.message}")
            continue
        sources = SCORED[name]
        if name == "mmt8" and activity.get("mmt8_scale") is not None:
            # The profile says which MMT-8 version it uses: the total on that scale.
            sources = tuple(s for s in sources if _MMT8_SCALE[s[0]] == activity["mmt8_scale"])
        for source, field in sources:
            total = result.get(source)
            if total is None or field in scored:
                continue
            stated = activity.get(field)
            if stated is not None and stated != total:
                problems.append(f"disease_activity.{field}: the total given and the total of items.{name} differ")
            activity[field] = total
            scored[field] = name
            if field == "mmt8":
                activity["mmt8_scale"] = _MMT8_SCALE[source]
    if not scored:
        return dict(data), scored, problems
    return {**data, "disease_activity": activity}, scored, problems
