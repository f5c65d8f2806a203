"""Screening use cases: one patient (or a batch) against the bundled protocol files and the
registry's trials.

A trial is screened by its protocol file when one is bundled (src/remission/data/screening/,
addressable by its own id and by the registry ids it lists), else by the criteria the free-text
extractor made from its registry record (stored by the registry), else by review items only.
Profiles are patient data: nothing here logs them, and errors name fields, not values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from remission.criteria.profile import Profile, ProfileError
from remission.criteria.protocol import Protocol, TrialResult
from remission.matching.rank import NextFact, rank, what_next
from remission.matching.registry_protocol import protocol_from_spec
from remission.services.protocols import bundled_protocol, bundled_protocols
from remission.services.trials import Filters, Registry, TrialNotFound

__all__ = [
    "ProfileError",
    "Screening",
    "TrialNotFound",
    "bundled_protocol",
    "bundled_protocols",
    "profile_from",
    "read_profile",
    "read_profiles",
]


def profile_from(data: object, *, source: str, items: object = None) -> Profile:
    """A profile from a screening input: the profile itself, or ``{"profile": ..., "items":
    {instrument: raw items}}``, whose items are scored into the totals the profile lacks (see
    :mod:`remission.criteria.scores`). The contract allows no ``profile`` field in a profile, so
    the two forms cannot be confused."""
    if isinstance(data, dict) and "profile" in data:
        extra = sorted(set(data) - {"profile", "items"})
        if extra:
            raise ProfileError(
                [f"(input): unknown field {', '.join(extra)} (an input holds profile and items)"], source=source
            )
        if items is not None and "items" in data:
            raise ProfileError(["items: given both in the input and separately"], source=source)
        return Profile.parse(data["profile"], source=source, items=data.get("items", items))
    return Profile.parse(data, source=source, items=items)


def _json(text: str, *, source: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError([f"not valid JSON (line {exc.lineno}, column {exc.colno})"], source=source) from None
    except RecursionError:
        raise ProfileError(["(profile): nested too deeply"], source=source) from None


def read_profile(text: str, *, source: str, items: str | None = None, items_source: str = "items") -> Profile:
    """A profile from JSON text (and raw items from ``items``, JSON text); :class:`ProfileError`
    names the problem (never a value)."""
    extra = _json(items, source=items_source) if items is not None else None
    return profile_from(_json(text, source=source), source=source, items=extra)


@dataclass(frozen=True)
class BatchLine:
    line: int
    profile: Profile | None
    error: ProfileError | None


def read_profiles(lines: Sequence[str], *, source: str) -> Iterator[BatchLine]:
    """Profiles from JSON lines; a bad line is reported (with its number) and the rest go on."""
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            yield BatchLine(number, read_profile(text, source=f"{source} line {number}"), None)
        except ProfileError as exc:
            yield BatchLine(number, None, exc)


@dataclass(frozen=True)
class Screened:
    results: list[TrialResult]

    def next_facts(self, limit: int = 10) -> list[NextFact]:
        return what_next(self.results, limit)


class Screening:
    """Screening against the bundled protocols and, when a registry is given, its trials."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry

    def protocol(self, trial_id: str) -> Protocol:
        found = bundled_protocol(trial_id)
        if found is not None:
            return found
        resolved = self.registry.resolve(trial_id) if self.registry is not None else None
        if self.registry is None or resolved is None:
            raise TrialNotFound(trial_id)
        bundled = self._bundled_by_registry_id.get(resolved)
        if bundled is not None:
            return bundled
        specs = self.registry.criteria([resolved])
        if not specs:
            raise TrialNotFound(trial_id)
        return protocol_from_spec(specs[0])

    @cached_property
    def _bundled_by_registry_id(self) -> dict[str, Protocol]:
        """The bundled protocols by the registry id of the trial they encode."""
        assert self.registry is not None
        found: dict[str, Protocol] = {}
        for protocol in bundled_protocols():
            for alias in protocol.ids:
                resolved = self.registry.resolve(alias)
                if resolved is not None:
                    found.setdefault(resolved, protocol)
        return found

    def protocols(self, trial_ids: Sequence[str] = (), filters: Filters | None = None) -> list[tuple[str, Protocol]]:
        """(the id to show, protocol) for the trials asked for, or for every registry trial."""
        if trial_ids:
            return [(t, self.protocol(t)) for t in dict.fromkeys(trial_ids)]
        if self.registry is None:
            return [(p.id, p) for p in bundled_protocols()]
        bundled = self._bundled_by_registry_id
        out = []
        for spec in self.registry.criteria(filters=filters):
            protocol = bundled.get(spec.id)
            out.append((protocol.id, protocol) if protocol is not None else (spec.id, protocol_from_spec(spec)))
        return out

    @staticmethod
    def screen_with(profile: Profile, protocols: Sequence[tuple[str, Protocol]]) -> Screened:
        results = []
        for shown, protocol in protocols:
            result = protocol.screen(profile)
            results.append(result if shown == result.trial else _renamed(result, shown))
        return Screened(rank(results))

    def screen(self, profile: Profile, trial_ids: Sequence[str] = (), filters: Filters | None = None) -> Screened:
        return self.screen_with(profile, self.protocols(trial_ids, filters))


def _renamed(result: TrialResult, trial: str) -> TrialResult:
    return replace(result, trial=trial)
