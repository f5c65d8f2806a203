"""The trial repository: save merged trials with their facets, ids and search text; look them
up by any id; filter and rank them by full-text relevance on SQLite (FTS5, BM25) and on
PostgreSQL (``tsvector``, ``ts_rank``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from remission.domain.trial import Trial
from remission.domain.vocab import Sex
from remission.store.tables import SourceRecordRow, TrialFacetRow, TrialIdRow, TrialRow

# BM25 column weights for trial_fts (trial_id, then the groups in GROUPS order) and the
# matching tsvector weight letters; the ratios are the same on both engines.
_FTS_WEIGHTS = (0.0, 10.0, 5.0, 5.0, 2.5, 1.5, 1.0, 1.0)
GROUPS = ("title", "conditions", "products", "interventions", "summary", "criteria", "sites")
_PG_LETTERS = {
    "title": "A",
    "conditions": "B",
    "products": "B",
    "interventions": "C",
    "summary": "C",
    "criteria": "D",
    "sites": "D",
}


def id_key(value: str) -> str:
    return value.strip().upper()


def title_key(title: str) -> str:
    return "TITLE:" + re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


@dataclass
class Filters:
    """Search filters. Within one filter any value matches; all filters must match."""

    diseases: list[str] = field(default_factory=list)
    cell_types: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    age_days: float | None = None
    sex: Sex | None = None


@dataclass
class Page:
    ids: list[str]
    scores: dict[str, float]
    total: int


def facets_of(trial: Trial) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    out |= {("disease", d.value) for d in trial.diseases}
    out |= {("cell_type", c.value.upper()) for c in trial.cell_types}
    out |= {("target", t.upper()) for t in trial.targets}
    out |= {("phase", p.value) for p in trial.phases}
    out |= {("country", c.upper()[:200]) for c in trial.all_countries()}
    out |= {("city", s.city.upper()[:200]) for s in trial.sites if s.city}
    return out


class TrialStore:
    """Reads and writes of the registry on one session; the caller owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    # -- source records ------------------------------------------------------------------------

    def source(self, source_id: str) -> SourceRecordRow | None:
        return self.session.get(SourceRecordRow, source_id)

    def save_source(self, row: SourceRecordRow) -> None:
        self.session.merge(row)

    def sources_of(self, trial_id: str) -> list[SourceRecordRow]:
        stmt = select(SourceRecordRow).where(SourceRecordRow.trial_id == trial_id).order_by(SourceRecordRow.id)
        return list(self.session.scalars(stmt))

    def move_sources(self, from_trial: str, to_trial: str) -> None:
        for row in self.sources_of(from_trial):
            row.trial_id = to_trial

    # -- trials --------------------------------------------------------------------------------

    def resolve(self, any_id: str) -> str | None:
        """The trial id behind any id it is known by (NCT id, local id, sponsor id, alias)."""
        row = self.session.get(TrialIdRow, id_key(any_id))
        return row.trial_id if row else None

    def by_title(self, title: str) -> str | None:
        row = self.session.get(TrialIdRow, title_key(title))
        return row.trial_id if row else None

    def document(self, trial_id: str) -> str | None:
        return self.session.scalar(select(TrialRow.document).where(TrialRow.id == trial_id))

    def summaries(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self.session.execute(select(TrialRow.id, TrialRow.summary).where(TrialRow.id.in_(list(ids))))
        return {r.id: r.summary for r in rows}

    def delete(self, trial_id: str) -> None:
        if self.dialect == "sqlite":
            self.session.execute(text("DELETE FROM trial_fts WHERE trial_id = :id"), {"id": trial_id})
        self.session.execute(delete(TrialFacetRow).where(TrialFacetRow.trial_id == trial_id))
        self.session.execute(delete(TrialIdRow).where(TrialIdRow.trial_id == trial_id))
        self.session.execute(delete(TrialRow).where(TrialRow.id == trial_id))

    def save(self, trial: Trial, summary_json: str, search_text: dict[str, str]) -> None:
        """Insert or replace a merged trial with everything derived from it; ``search_text`` is the
        index text of each group (title, conditions, products, interventions, summary, criteria, sites)."""
        self.delete(trial.id)
        self.session.flush()
        e = trial.eligibility
        self.session.add(
            TrialRow(
                id=trial.id,
                nct_id=trial.nct_id,
                brief_title=trial.brief_title,
                overall_status=trial.overall_status.value if trial.overall_status else None,
                study_type=trial.study_type.value if trial.study_type else None,
                sex=e.sex.value if e and e.sex else None,
                min_age_days=e.minimum_age.in_days() if e and e.minimum_age else None,
                max_age_days=e.maximum_age.in_days() if e and e.maximum_age else None,
                start_date=trial.start(),
                document=trial.model_dump_json(),
                summary=summary_json,
                updated_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        self.session.flush()
        self.session.add_all(TrialFacetRow(trial_id=trial.id, facet=f, value=v) for f, v in sorted(facets_of(trial)))
        keys = {id_key(i) for i in trial.identifiers()} | {title_key(trial.brief_title)}
        for key in sorted(keys):
            # An id another trial already owns (two trials with one sponsor id) stays with the first.
            if self.session.get(TrialIdRow, key) is None:
                self.session.add(TrialIdRow(key=key, trial_id=trial.id))
        groups = {g: search_text.get(g, "") for g in GROUPS}
        if self.dialect == "sqlite":
            self.session.execute(
                text(
                    f"INSERT INTO trial_fts (trial_id, {', '.join(GROUPS)}) "
                    f"VALUES (:trial_id, {', '.join(':' + g for g in GROUPS)})"
                ),
                {"trial_id": trial.id, **groups},
            )
        else:
            vector = " || ".join(f"setweight(to_tsvector('simple', :{g}), '{_PG_LETTERS[g]}')" for g in GROUPS)
            self.session.execute(
                text(f"UPDATE trials SET search_vector = {vector} WHERE id = :trial_id"),
                {"trial_id": trial.id, **groups},
            )
        self.session.flush()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(TrialRow)) or 0)

    # -- search --------------------------------------------------------------------------------

    def _filtered(self, stmt: Select[Any], f: Filters) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = []
        for facet, values in (
            ("disease", f.diseases),
            ("cell_type", [v.upper() for v in f.cell_types]),
            ("target", [v.upper() for v in f.targets]),
            ("phase", f.phases),
            ("country", [v.upper() for v in f.countries]),
            ("city", [v.upper() for v in f.cities]),
        ):
            if values:
                conditions.append(
                    exists().where(
                        and_(
                            TrialFacetRow.trial_id == TrialRow.id,
                            TrialFacetRow.facet == facet,
                            TrialFacetRow.value.in_(values),
                        )
                    )
                )
        if f.statuses:
            conditions.append(TrialRow.overall_status.in_(f.statuses))
        if f.age_days is not None:
            # A trial that states no limit does not exclude anyone on it.
            conditions.append(or_(TrialRow.min_age_days.is_(None), TrialRow.min_age_days <= f.age_days + 1e-6))
            conditions.append(or_(TrialRow.max_age_days.is_(None), TrialRow.max_age_days >= f.age_days - 1e-6))
        if f.sex is not None and f.sex != Sex.ALL:
            conditions.append(or_(TrialRow.sex.is_(None), TrialRow.sex.in_([Sex.ALL.value, f.sex.value])))
        return stmt.where(*conditions) if conditions else stmt

    def search(self, query_terms: list[str], f: Filters, *, limit: int, offset: int) -> Page:
        """Trials matching every term and every filter, best first (by id when no query)."""
        if not query_terms:
            base: Select[Any] = self._filtered(select(TrialRow.id), f)
            total = int(self.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
            ids = [str(i) for i in self.session.scalars(base.order_by(TrialRow.id).limit(limit).offset(offset))]
            return Page(ids, {}, total)
        params: dict[str, str] = {}
        score: ColumnElement[Any]
        stmt: Select[Any]
        if self.dialect == "sqlite":
            params["match"] = " AND ".join('"' + t.replace('"', "") + '"' for t in query_terms)
            weights = ", ".join(str(w) for w in _FTS_WEIGHTS)
            fts = text(
                f"SELECT trial_id, bm25(trial_fts, {weights}) AS rank FROM trial_fts WHERE trial_fts MATCH :match"
            ).columns(literal_column("trial_id"), literal_column("rank"))
            sub = fts.subquery("fts")
            # bm25 is lower-is-better and negative; report a positive score.
            score = (-sub.c.rank).label("score")
            stmt = select(TrialRow.id, score).join(sub, sub.c.trial_id == TrialRow.id)
        else:
            tsquery = func.to_tsquery("simple", " & ".join(_pg_term(t) for t in query_terms))
            vector: ColumnElement[Any] = literal_column("trials.search_vector")
            score = func.ts_rank(vector, tsquery, 1).label("score")
            stmt = select(TrialRow.id, score).where(vector.op("@@")(tsquery))
        stmt = self._filtered(stmt, f)
        total = int(self.session.scalar(select(func.count()).select_from(stmt.subquery()), params) or 0)
        rows = self.session.execute(stmt.order_by(score.desc(), TrialRow.id).limit(limit).offset(offset), params)
        scores = {str(r[0]): float(r[1]) for r in rows}
        return Page(list(scores), scores, total)

    def sharing_facets(self, trial_id: str, facets: Iterable[tuple[str, str]], limit: int) -> list[str]:
        """Other trials that share any of the given facets, most shared first."""
        pairs = [and_(TrialFacetRow.facet == f, TrialFacetRow.value == v) for f, v in facets]
        if not pairs:
            return []
        shared = func.count().label("shared")
        stmt = (
            select(TrialFacetRow.trial_id, shared)
            .where(or_(*pairs), TrialFacetRow.trial_id != trial_id)
            .group_by(TrialFacetRow.trial_id)
            .order_by(shared.desc(), TrialFacetRow.trial_id)
            .limit(limit)
        )
        return [r[0] for r in self.session.execute(stmt)]


def _pg_term(term: str) -> str:
    # to_tsquery syntax: quote each lexeme so punctuation in it is literal.
    return "'" + term.replace("'", "''").replace("\\", "") + "'"
