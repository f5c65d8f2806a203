"""The words a trial is found by, and the same treatment for a query.

Both engines index text that Remission has already tokenised and stemmed (Snowball English
stemmer, the one PostgreSQL's ``english`` configuration also uses), so SQLite FTS5 and
PostgreSQL full-text search match the same trials for the same query; neither engine stems
again. Groups are ranked by weight: title > conditions, products > interventions, summary >
criteria, sites.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

from remission.domain.trial import Trial
from remission.domain.vocab import DISEASE_LABELS

_TOKEN = re.compile(r"[0-9a-zà-öø-ÿ]+(?:[-+][0-9a-z]+)*", re.IGNORECASE)
# One stemmer per thread: a snowballstemmer object keeps its word in its own state, so two
# threads stemming at once (the web server's request threads) corrupt each other's word.
_STEMMERS = threading.local()
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of",
     "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "who", "whom", "which"}
)  # fmt: skip


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


def terms(text: str | None) -> list[str]:
    """Lower-cased, stemmed tokens; hyphenated codes ("CAR-T", "LUCAR-DKS1") stay one token and
    also give their parts, so "CAR-T" is found by "CAR-T" and by "CAR"."""
    if not text:
        return []
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        token = m.group(0)
        if token in STOPWORDS:
            continue
        if "-" in token or "+" in token:
            out.append(token.replace("-", "_").replace("+", "_"))
            out.extend(_stem(part) for part in re.split(r"[-+]", token) if part and part not in STOPWORDS)
        else:
            out.append(_stem(token))
    return out


def index_text(text: str | None) -> str:
    return " ".join(terms(text))


def search_groups(trial: Trial) -> dict[str, str]:
    """Each group's index text for one trial."""
    e = trial.eligibility
    conditions = (
        [c.text for c in trial.conditions]
        + trial.keywords
        + [DISEASE_LABELS[d] for d in trial.diseases]
        + [d.value for d in trial.diseases]
    )
    products = [f"{p.name} {p.cell_type or ''} {' '.join(p.targets)}" for p in trial.products]
    interventions = [f"{i.name} {i.description or ''} {' '.join(i.other_names)}" for i in trial.interventions] + [
        f"{a.label} {a.description or ''}" for a in trial.arms
    ]
    criteria = [c.text for c in (e.inclusion + e.exclusion)] if e else []
    if e is not None and not criteria and e.criteria_text:
        criteria = [e.criteria_text]
    sites = [" ".join(filter(None, [s.facility, s.city, s.state, s.country])) for s in trial.sites]
    raw = {
        "title": " ".join(
            filter(None, [trial.brief_title, trial.official_title, trial.acronym, trial.id, *trial.aliases])
        ),
        "conditions": " ".join(conditions),
        "products": " ".join(products),
        "interventions": " ".join(interventions),
        "summary": " ".join(filter(None, [trial.brief_summary, trial.detailed_description])),
        "criteria": " ".join(criteria),
        "sites": " ".join([*sites, *trial.countries]),
    }
    return {group: index_text(value) for group, value in raw.items()}


def query_terms(query: str) -> list[str]:
    """The distinct index terms of a query (every term must match)."""
    return list(dict.fromkeys(terms(query)))
