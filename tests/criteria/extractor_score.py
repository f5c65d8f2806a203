"""Scoring the free-text extractor against the hand-labelled sentences of
tests/fixtures/criteria_sentences.yaml: coverage (share translated) and precision (share of the
translated ones whose expression and cohort equal the hand-written ones).

Two expressions are equal when they say the same thing written the same canonical way: a
``between`` is its two bounds, ``at_least: 0`` on a measure says nothing, nested all/all and
any/any are one, the tests of an ``any`` are one ``positive`` list, and order inside lists does
not matter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from remission.criteria.extract import extract

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "criteria_sentences.yaml"


def canonical(rule: Any) -> Any:
    if isinstance(rule, list):
        return [canonical(r) for r in rule]
    if not isinstance(rule, dict):
        return rule
    out = {k: canonical(v) for k, v in rule.items()}
    if "measure" in out:
        if "between" in out:
            low, high = out.pop("between")
            out["at_least"], out["at_most"] = low, high
        if out.get("at_least") == 0:
            del out["at_least"]
        out = {k: (float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v) for k, v in out.items()}
    for key in ("positive", "received", "classification"):
        if isinstance(out.get(key), list):
            out[key] = sorted(out[key])
    for connector in ("all", "any"):
        if set(out) == {connector}:
            flat: list[Any] = []
            for item in out[connector]:
                flat.extend(item[connector] if isinstance(item, dict) and set(item) == {connector} else [item])
            if connector == "any":
                tests = sorted({t for i in flat if set(i) == {"positive"} for t in i["positive"]})
                flat = [i for i in flat if set(i) != {"positive"}] + ([{"positive": tests}] if tests else [])
                merged: dict[str, dict[str, Any]] = {}
                rest = []
                for i in flat:
                    if "received" in i and set(i) <= {"received", "cell_source"}:
                        key = json.dumps({k: v for k, v in i.items() if k != "received"}, sort_keys=True)
                        merged.setdefault(key, {**i, "received": []})["received"] += i["received"]
                    else:
                        rest.append(i)
                flat = rest + [{**m, "received": sorted(set(m["received"]))} for m in merged.values()]
            unique = sorted({json.dumps(i, sort_keys=True) for i in flat})
            items = [json.loads(u) for u in unique]
            return items[0] if len(items) == 1 else {connector: items}
    return out


@dataclass
class Score:
    total: int = 0
    translated: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.translated / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.translated if self.translated else 1.0


def sentences() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["sentences"]
    return data


def _groups(item: dict[str, Any]) -> tuple[str, ...]:
    """The totals a sentence counts in: the development set ("all" and its stratum) or its
    held-out sample (``held-out-1``, ``held-out-2``) and that sample's stratum."""
    sample = item.get("set")
    if sample is not None:
        return (sample, f"{sample} {item['stratum']}")
    return ("all", item["stratum"])


def score() -> dict[str, Score]:
    """Scores by stratum, and ``all``; also the sentences whose label is translatable (``ceiling``)."""
    scores: dict[str, Score] = {}
    for item in sentences():
        got = extract(item["text"], item["source"].split()[1])
        for name in _groups(item):
            s = scores.setdefault(name, Score())
            s.total += 1
            if got is None:
                continue
            s.translated += 1
            ok = "rule" in item and canonical(got.rule) == canonical(item["rule"]) and got.cohort == item.get("cohort")
            if ok:
                s.correct += 1
            elif name in ("all", "held-out-1", "held-out-2"):
                s.wrong.append(f"{item['id']}: {json.dumps(got.rule)} cohort={got.cohort}")
    return scores


def translatable() -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in sentences():
        if "rule" in item:
            for name in _groups(item):
                counts[name] = counts.get(name, 0) + 1
    return counts
