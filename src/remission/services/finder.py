"""The finder: a search with its facet counts, a place to measure distance from, and a sort.

What the search page and ``GET /api/v1/find`` answer. Facet counts are over every trial the
query and the filters match (not just the page shown), so that a count says how many results
clicking that value gives when added to the other filters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from remission.domain.marker import N_
from remission.domain.trial import SitePlace, TrialSummary
from remission.domain.vocab import OPEN_STATUSES
from remission.registry.gazetteer import Place, distance_km, gazetteer
from remission.registry.search_text import query_terms
from remission.services.errors import FieldError
from remission.services.trials import Registry, make_filters
from remission.store.trials import Filters, TrialStore

Sort = Literal["relevance", "distance", "last_update"]
SORTS: tuple[Sort, ...] = ("relevance", "distance", "last_update")
#: The facets the page shows, in order; each is also a repeatable parameter of a search address.
FACETS: tuple[str, ...] = ("disease", "cell_kind", "target", "phase", "status", "country")


class UnknownPlace(FieldError):
    """A place name the gazetteer does not hold."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name, N_("no city of that name is known (try the city's English or local name)"))


@dataclass(frozen=True)
class Search:
    """A search as an address holds it (the finder's query string), read and checked."""

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    near: str | None = None
    within_km: float | None = None
    sort: Sort = "relevance"
    scope_all: bool = False


def _bounded_int(value: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value or default)))
    except ValueError:
        return default


def search_from(params: Mapping[str, Sequence[str]]) -> Search:
    """The search of a finder address (``q``, ``near``, ``within``, ``sort``, ``scope`` and the
    facets, each facet repeatable); raises :class:`InvalidFilter` naming a bad parameter."""

    def one(name: str) -> str:
        values = params.get(name) or [""]
        return str(values[0])[:200]

    chosen = {name: [str(v)[:200] for v in (params.get(name) or [])][:20] for name in FACETS}
    scope_all = one("scope") == "all"
    filters = make_filters(
        diseases=chosen["disease"],
        statuses=chosen["status"],
        targets=chosen["target"],
        phases=chosen["phase"],
        countries=chosen["country"],
        cell_kinds=chosen["cell_kind"],
        scopes=[] if scope_all else ["CAR"],
    )
    sort: Sort = "relevance"
    for known in SORTS:
        if one("sort") == known:
            sort = known
    within = float(_bounded_int(one("within"), 0, 0, 20_000)) or None
    return Search(one("q"), filters, one("near") or None, within, sort, scope_all)


@dataclass
class Finding:
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int
    sort: Sort
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    place: Place | None = None


def nearest(summary: TrialSummary, lat: float, lon: float) -> tuple[float, SitePlace] | None:
    """The nearest site, preferring one still open to enrolment when any is."""
    best: tuple[bool, float, SitePlace] | None = None
    for p in summary.places:
        key = (p.status is not None and p.status.value not in OPEN_STATUSES, distance_km(lat, lon, p.lat, p.lon), p)
        if best is None or key[:2] < best[:2]:
            best = key
    return (best[1], best[2]) if best else None


def find(registry: Registry, search: Search, *, limit: int = 20, offset: int = 0) -> Finding:
    query, filters, near, within_km, sort = search.query, search.filters, search.near, search.within_km, search.sort
    place: Place | None = None
    if near and near.strip():
        place = gazetteer().find(near)
        if place is None:
            raise UnknownPlace("near")
    words = query_terms(query or "")
    with registry.sessions() as session:
        store = TrialStore(session)
        if words:
            ranked = registry.ranked(store, words, filters)
        else:
            ranked = [(i, 0.0) for i in store.browse(filters, limit=1_000_000, offset=0).ids]
        parsed = registry.summaries(store, [i for i, _ in ranked])
        summaries: list[TrialSummary] = []
        for trial_id, score in ranked:
            summary = parsed[trial_id]
            summary.score = score if words else None
            if place is not None:
                found = nearest(summary, place.lat, place.lon)
                if found is not None:
                    summary.distance_km, summary.nearest = round(found[0], 1), found[1]
            summaries.append(summary)
        if place is not None and within_km is not None:
            summaries = [s for s in summaries if s.distance_km is not None and s.distance_km <= within_km]
        counts = store.facet_counts([s.id for s in summaries])
    status_counts: dict[str, int] = {}
    for s in summaries:
        if s.overall_status is not None:
            status_counts[s.overall_status.value] = status_counts.get(s.overall_status.value, 0) + 1
    counts["status"] = status_counts
    facets = {
        name: sorted(counts.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0]))[: 12 if name == "country" else 20]
        for name in FACETS
    }
    if sort == "distance" and place is not None:
        summaries.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0.0))
    elif sort == "last_update" or (sort == "relevance" and not words):
        # ISO dates sort as text; a trial without a date goes last.
        summaries.sort(key=lambda s: s.last_update or "", reverse=True)
    # Trials a person can still join come first, each group in the order chosen (a stable sort):
    # a withdrawn or completed trial is listed, but after every open one.
    summaries.sort(key=lambda s: s.overall_status is None or s.overall_status.value not in OPEN_STATUSES)
    return Finding(summaries[offset : offset + limit], len(summaries), limit, offset, sort, facets, place)
