"""Relevance ranking shared by both database engines: BM25F.

The engines' own full-text search decides *which* trials match (FTS5 ``MATCH`` on SQLite, a
``tsvector`` ``@@`` on PostgreSQL); their rank functions (FTS5's ``bm25()`` and PostgreSQL's
``ts_rank``) are different formulas and order broad queries differently. So each trial's
per-term weight is computed here once, at import, stored beside the trial, and the matches are
ordered by this one formula on both engines: the same query gives the same order.

BM25F as in Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
Foundations and Trends in Information Retrieval 3(4), 2009, doi:10.1561/1500000019, §3.5:

* a term's pseudo-frequency in a trial is ``tf~ = Σ_g w_g · tf_g / B_g`` over the text groups
  ``g``, with ``B_g = (1 − b) + b · len_g / avglen_g`` (length normalisation per group);
* its contribution is ``idf · tf~ / (k1 + tf~)`` with ``idf = ln(1 + (N − df + 0.5) / (df + 0.5))``
  (the non-negative Robertson–Spärck Jones form used by Lucene), ``N`` the trials in the
  registry and ``df`` those containing the term;
* a trial's score is the sum over the query's terms.

Tiers come before scores: a trial where a query word is in what the trial is *about* (title,
conditions, product, interventions: the core groups) ranks above every trial that has that word
only in passing (its summary, criteria or sites), whatever their BM25F scores; a lupus CAR-T
trial outranks a penile-prosthesis trial whose exclusions mention lupus. The tier is the number
of query terms found in a core group, stored as a marker term (``^term``) beside the weights.

``avglen_g`` are fixed reference lengths (rounded means over the 1,237 bundled
ClinicalTrials.gov records) rather than the live corpus mean, so that a trial's stored
weights depend on nothing but the trial: importing more trials never re-weights old ones.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

K1 = 1.2
B = 0.75
# Group weights: what a trial is about (title, conditions, product) counts more than where
# a word appears in passing (criteria, sites).
GROUP_WEIGHTS: Mapping[str, float] = {
    "title": 5.0,
    "conditions": 4.0,
    "products": 4.0,
    "interventions": 2.0,
    "summary": 1.5,
    "criteria": 1.0,
    "sites": 0.5,
}
REFERENCE_LENGTHS: Mapping[str, float] = {
    "title": 30.0,
    "conditions": 11.0,
    "products": 8.0,  # no registry record names a product; a page's product line is this long
    "interventions": 78.0,
    "summary": 182.0,
    "criteria": 185.0,
    "sites": 154.0,
}
CORE_GROUPS = frozenset({"title", "conditions", "products", "interventions"})
CORE_MARK = "^"  # a stored term "^lupus" says "lupus" is in a core group of that trial
MAX_TERM_LENGTH = 99  # longer tokens (URLs, run-together strings) are matched but not weighted
SCORE_DIGITS = 9  # scores are compared rounded, so the engines' float sums cannot reorder ties


def term_weights(groups: Mapping[str, str]) -> dict[str, float]:
    """BM25F pseudo-frequency ``tf~`` of every term of one trial, from its index text per group."""
    weights: dict[str, float] = {}
    for group, text in groups.items():
        words = [w for w in text.split() if len(w) <= MAX_TERM_LENGTH]
        if not words:
            continue
        norm = (1 - B) + B * len(words) / REFERENCE_LENGTHS[group]
        for term, tf in Counter(words).items():
            weights[term] = weights.get(term, 0.0) + GROUP_WEIGHTS[group] * tf / norm
            if group in CORE_GROUPS:
                weights[CORE_MARK + term] = 1.0
    return {term: round(w, 6) for term, w in weights.items()}


def marked(query_terms: list[str]) -> list[str]:
    """The stored terms a query reads: each term and its core marker."""
    return [*query_terms, *(CORE_MARK + t for t in query_terms)]


def idf(trials: int, document_frequency: int) -> float:
    return math.log(1 + (trials - document_frequency + 0.5) / (document_frequency + 0.5))


def rank_postings(
    postings: Mapping[str, Mapping[str, float]], document_frequency: Mapping[str, int], trials: int
) -> list[tuple[str, float]]:
    """``(trial id, score)`` best first; ``postings`` maps each matching trial to its weights of the
    query's terms (and their core markers). Trials with more query terms in a core group come
    first; within a tier, by score; equal scores fall back to the trial id, so the order is total."""
    idfs = {term: idf(trials, df) for term, df in document_frequency.items()}
    ranked = []
    for trial_id, weights in postings.items():
        tier = sum(1 for t in weights if t.startswith(CORE_MARK))
        score = round(sum(idfs.get(t, 0.0) * w / (K1 + w) for t, w in weights.items() if not t.startswith(CORE_MARK)),
                      SCORE_DIGITS)  # fmt: skip
        ranked.append((tier, trial_id, score))
    ranked.sort(key=lambda item: (-item[0], -item[2], item[1]))
    return [(trial_id, score) for _, trial_id, score in ranked]
