"""Ranking screened trials and choosing what to check next.

Order: eligible first, then unknown with the fewest missing facts first, then ineligible with
the fewest failures first. Within a verdict, trials screened by a protocol file come before those
screened by extracted criteria, then those with review items only, and fewer review items first
(an "eligible" that rests on fewer unchecked sentences is the firmer one); ties keep the
registry's order. "What to check next" ranks each
missing fact by the number of undecided trials that list it, then by how many of those it would
decide alone (the only fact they miss)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from remission.criteria.protocol import VERDICT_ORDER, TrialResult

_BASIS = {"protocol": 0, "extracted": 1, "review-only": 2}


def _key(r: TrialResult) -> tuple[int, int, int, int]:
    within = len(r.missing) if r.verdict == "unknown" else len(r.failures)
    reviews = sum(1 for c in r.criteria if c.result == "review")
    return VERDICT_ORDER[r.verdict], within, _BASIS.get(r.source, 3), reviews


def rank(results: Iterable[TrialResult]) -> list[TrialResult]:
    return sorted(results, key=_key)


@dataclass(frozen=True)
class NextFact:
    fact: str
    trials: list[str]
    decides_alone: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"fact": self.fact, "trials": self.trials, "decides_alone": self.decides_alone}


def what_next(results: Iterable[TrialResult], limit: int = 10) -> list[NextFact]:
    trials: dict[str, list[str]] = {}
    alone: dict[str, list[str]] = {}
    for r in results:
        if r.verdict != "unknown":
            continue
        for fact in r.missing:
            trials.setdefault(fact, []).append(r.trial)
            if len(r.missing) == 1:
                alone.setdefault(fact, []).append(r.trial)
    ordered = sorted(trials, key=lambda f: (-len(trials[f]), -len(alone.get(f, [])), f))
    return [NextFact(f, trials[f], alone.get(f, [])) for f in ordered[:limit]]
