"""Merge what several sources say about one trial into one trial with per-field provenance.

Precedence: a registry record (ClinicalTrials.gov) first, then the source whose data are most
recent (its ``retrieved`` date: a page "current as of" a later day beats an older crawl, which
is how status drift between aggregators is settled), then the source id for a stable order.
Each field takes the first source that has a value for it; the nested fields in :data:`NESTED`
(eligibility, design) are merged one sub-field at a time, so a registry table that states only
the age limits does not drop the criteria a page lists (provenance ``eligibility.inclusion``).
Where a later source has a different value, the disagreement is kept as a :class:`~remission.domain.trial.Conflict`, not
dropped. Values are compared on what both sides state: a page that gives an enrolment count
without its type does not disagree with a registry that gives both.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from remission.domain.trial import CONTENT_FIELDS, Conflict, SourceInfo, Trial

_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _priority(trial: Trial) -> tuple[int, int, str]:
    source = trial.sources[0]
    retrieved = source.retrieved.earliest() if source.retrieved else date.min
    return (0 if source.registry else 1, -retrieved.toordinal(), source.id)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"[^a-z0-9]+", " ", value.casefold()).strip()
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v not in _EMPTY}
    return value


def disagree(a: Any, b: Any) -> bool:
    """True when two stated values differ on something both state."""
    if isinstance(a, dict) and isinstance(b, dict):
        return any(disagree(a[k], b[k]) for k in a.keys() & b.keys() if a[k] not in _EMPTY and b[k] not in _EMPTY)
    return bool(_norm(a) != _norm(b))


NESTED = frozenset({"eligibility", "design"})


def _take(
    label: str,
    values: list[Any],
    sources: list[SourceInfo],
    into: dict[str, Any],
    key: str,
    provenance: dict[str, str],
    conflicts: list[Conflict],
) -> None:
    """Keep the first stated value of one field; record each later one that disagrees."""
    kept_at: int | None = None
    for i, value in enumerate(values):
        if value in _EMPTY:
            continue
        if kept_at is None:
            kept_at = i
            into[key] = value
            provenance[label] = sources[i].id
        elif disagree(into[key], value):
            conflicts.append(
                Conflict(
                    field=label,
                    kept_source=sources[kept_at].id,
                    kept_value=into[key],
                    other_source=sources[i].id,
                    other_value=value,
                )
            )


def merge(records: list[Trial]) -> Trial:
    """One trial from single-source records of it (each with exactly one source)."""
    if not records:
        raise ValueError("nothing to merge")
    ordered = sorted(records, key=_priority)
    dumps = [r.model_dump(mode="json") for r in ordered]
    sources: list[SourceInfo] = [r.sources[0] for r in ordered]
    merged: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for name in CONTENT_FIELDS:
        if name in ("aliases", "unmapped"):
            continue
        if name in NESTED:
            parts = [d.get(name) or {} for d in dumps]
            kept: dict[str, Any] = {}
            for key in dict.fromkeys(k for part in parts for k in part):
                _take(f"{name}.{key}", [p.get(key) for p in parts], sources, kept, key, provenance, conflicts)
            if kept:
                merged[name] = kept
        else:
            _take(name, [d.get(name) for d in dumps], sources, merged, name, provenance, conflicts)
    trial_id = merged.get("nct_id") or ordered[0].id
    aliases: list[str] = []
    for r in ordered:
        for alias in [r.id, *r.aliases]:
            if alias != trial_id and alias not in aliases:
                aliases.append(alias)
    unmapped: dict[str, list[str]] = {}
    for r in ordered:
        for key, values in r.unmapped.items():
            unmapped.setdefault(key, []).extend(v for v in values if v not in unmapped.get(key, []))
    return Trial.model_validate(
        {
            **merged,
            "id": trial_id,
            "aliases": aliases,
            "unmapped": unmapped,
            "sources": [s.model_dump() for s in sources],
            "provenance": provenance,
            "conflicts": [c.model_dump() for c in conflicts],
        }
    )
