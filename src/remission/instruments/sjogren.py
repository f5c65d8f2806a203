"""Sjögren's disease: ESSDAI."""

from __future__ import annotations

from pydantic import field_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, category

# Seror R et al. Ann Rheum Dis 2010;69:1103-1109, doi:10.1136/ard.2009.110619: each domain's
# weight and the activity levels it allows (0 none, 1 low, 2 moderate, 3 high).
ESSDAI_DOMAINS: dict[str, tuple[int, frozenset[int]]] = {
    "constitutional": (3, frozenset({0, 1, 2})),
    "lymphadenopathy": (4, frozenset({0, 1, 2, 3})),
    "glandular": (2, frozenset({0, 1, 2})),
    "articular": (2, frozenset({0, 1, 2, 3})),
    "cutaneous": (3, frozenset({0, 1, 2, 3})),
    "pulmonary": (5, frozenset({0, 1, 2, 3})),
    "renal": (5, frozenset({0, 1, 2, 3})),
    "muscular": (6, frozenset({0, 1, 2, 3})),
    "pns": (5, frozenset({0, 1, 2, 3})),
    "cns": (5, frozenset({0, 2, 3})),
    "hematological": (2, frozenset({0, 1, 2, 3})),
    "biological": (1, frozenset({0, 1, 2})),
}
LEVEL_NAMES = {0: "no activity", 1: "low", 2: "moderate", 3: "high"}


class EssdaiInput(InstrumentInput):
    activity_levels: dict[str, int | None]

    @field_validator("activity_levels")
    @classmethod
    def _levels(cls, levels: dict[str, int | None]) -> dict[str, int | None]:
        unknown = sorted(set(levels) - set(ESSDAI_DOMAINS))
        if unknown:
            raise ValueError(f"unknown domain {', '.join(unknown)}; domains: {', '.join(ESSDAI_DOMAINS)}")
        absent = [d for d in ESSDAI_DOMAINS if d not in levels]
        if absent:
            raise ValueError(f"every domain needs a level (null when not assessed); missing: {', '.join(absent)}")
        for domain, level in levels.items():
            allowed = ESSDAI_DOMAINS[domain][1]
            if level is not None and level not in allowed:
                name = LEVEL_NAMES.get(level, str(level))
                raise ValueError(
                    f"{domain} level {level} ({name}) does not exist; allowed: {', '.join(map(str, sorted(allowed)))}"
                )
        return levels


class EssdaiResult(InstrumentResult):
    essdai: int | None
    activity_category: str | None


def essdai(x: EssdaiInput) -> EssdaiResult:
    """ESSDAI = Σ weight × activity level over 12 domains (0-123); low < 5, moderate 5-13,
    high ≥ 14 (Seror R et al., RMD Open 2016;2:e000154, doi:10.1136/rmdopen-2015-000154).
    Weights and levels: Seror R et al., Ann Rheum Dis 2010;69:1103-1109, doi:10.1136/ard.2009.110619.
    A domain not assessed (null) leaves the total unknown."""
    missing = [d for d, level in x.activity_levels.items() if level is None]
    points = {d: ESSDAI_DOMAINS[d][0] * level for d, level in x.activity_levels.items() if level is not None}
    total = None if missing else sum(points.values())
    band = category(total, [(5, False, "low"), (14, False, "moderate")], "high")
    return EssdaiResult(essdai=total, activity_category=band, details={"points": points, "missing": missing})
