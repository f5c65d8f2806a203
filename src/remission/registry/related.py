"""Related trials: how alike two trials are, and why.

The score is a weighted sum of four similarities, each in [0, 1]:

* disease (weight 0.40): Jaccard overlap of the trials' disease codes, parents included (a GPA
  trial and an AAV trial share AAV);
* target antigen (0.25): Jaccard overlap of the products' targets (CD19, BCMA ...);
* cell type (0.15): Jaccard overlap of cell types (CAR-T, CAR-NK ...);
* text (0.20): cosine similarity of the stemmed words of title, conditions and products, each
  word weighted by its inverse document frequency among the candidates (TF-IDF).

A pair with nothing in common scores 0 and is not listed. The weights put what a patient or a
referring physician asks first (same disease, same target) ahead of wording.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from remission.domain.trial import Trial, TrialSummary
from remission.registry.search_text import terms

Comparable = Trial | TrialSummary  # a candidate is compared by its summary: no whole document to read

WEIGHTS = {"disease": 0.40, "target": 0.25, "cell_type": 0.15, "text": 0.20}


@dataclass(frozen=True)
class Similarity:
    trial_id: str
    score: float
    why: list[str]


def _jaccard(a: Iterable[str], b: Iterable[str]) -> tuple[float, list[str]]:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0, []
    shared = sorted(sa & sb)
    return len(shared) / len(sa | sb), shared


def _words(trial: Comparable) -> Counter[str]:
    if isinstance(trial, Trial):
        conditions, products = [c.text for c in trial.conditions], [p.name for p in trial.products]
    else:
        conditions, products = trial.conditions, trial.products
    text = " ".join([trial.brief_title, trial.official_title or "", *conditions, *products, *trial.keywords])
    return Counter(terms(text))


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(a[w] * b[w] * idf.get(w, 0.0) ** 2 for w in a.keys() & b.keys())
    na = math.sqrt(sum((c * idf.get(w, 0.0)) ** 2 for w, c in a.items()))
    nb = math.sqrt(sum((c * idf.get(w, 0.0)) ** 2 for w, c in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def rank_related(trial: Comparable, candidates: Sequence[Comparable], limit: int = 10) -> list[Similarity]:
    """The candidates most like ``trial``, best first, with the reasons."""
    others = [c for c in candidates if c.id != trial.id]
    words = {c.id: _words(c) for c in others}
    mine = _words(trial)
    n = len(others) + 1
    df: Counter[str] = Counter()
    for bag in [mine, *words.values()]:
        df.update(bag.keys())
    idf = {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}
    # The trial's own facets once: a Trial computes its diseases from its text on each access.
    my_diseases = [d.value for d in trial.diseases]
    my_targets = list(trial.targets)
    my_cells = [c.value for c in trial.cell_types]
    out: list[Similarity] = []
    for other in others:
        parts: dict[str, float] = {}
        why: list[str] = []
        parts["disease"], shared = _jaccard(my_diseases, (d.value for d in other.diseases))
        if shared:
            why.append("disease: " + ", ".join(shared))
        parts["target"], shared = _jaccard(my_targets, other.targets)
        if shared:
            why.append("target: " + ", ".join(shared))
        parts["cell_type"], shared = _jaccard(my_cells, (c.value for c in other.cell_types))
        if shared:
            why.append("cell type: " + ", ".join(shared))
        parts["text"] = _cosine(mine, words[other.id], idf)
        if parts["text"] >= 0.1:
            why.append(f"text: {parts['text']:.2f}")
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        if score > 0:
            out.append(Similarity(other.id, round(score, 4), why))
    out.sort(key=lambda s: (-s.score, s.trial_id))
    return out[:limit]
