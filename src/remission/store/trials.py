"""The trial repository: save merged trials with their facets, ids, search text and term
weights; look them up by any id; find the trials a query matches with the engine's full-text
search (FTS5 on SQLite, ``tsvector`` with a GIN index on PostgreSQL) and return each match's
stored term weights, which the caller ranks (one formula for both engines)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, insert, literal_column, or_, select, text
from sqlalchemy.orm import Session

from remission.domain.trial import Trial
from remission.domain.vocab import Sex
from remission.store.tables import (
    SourceRecordRow,
    TrialCriteriaRow,
    TrialFacetRow,
    TrialIdRow,
    TrialRow,
    TrialTermRow,
)

GROUPS = ("title", "conditions", "products", "interventions", "summary", "criteria", "sites")


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
    cell_kinds: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)  # "CAR": trials of a CAR cell therapy
    age_days: float | None = None
    sex: Sex | None = None


@dataclass
class Page:
    ids: list[str]
    total: int


@dataclass
class Matches:
    """The trials a query matches, with what ranking them needs."""

    postings: dict[str, dict[str, float]]  # trial id -> {query term: stored weight}
    document_frequency: dict[str, int]  # query term -> trials holding it, in the whole registry
    trials: int  # trials in the registry


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    """``ids`` in lists of ``size``: SQL engines cap the size of an IN list."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def facets_of(trial: Trial) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    out |= {("disease", d.value) for d in trial.diseases}
    out |= {("cell_type", c.value.upper()) for c in trial.cell_types}
    out |= {("cell_kind", k.upper()) for k in trial.cell_kinds}
    out |= {("target", t.upper()) for t in trial.targets}
    out |= {("phase", p.value) for p in trial.phases}
    out |= {("country", c.upper()[:200]) for c in trial.all_countries()}
    out |= {("city", s.city.upper()[:200]) for s in trial.sites if s.city}
    if trial.cell_kinds or _CAR.search(" ".join([trial.brief_title, *(i.name for i in trial.interventions)])):
        out.add(("scope", "CAR"))
    return out


# A chimeric antigen receptor named in the title or an intervention, for trials whose product
# the classifier could not type (the "CAR trials" scope of the finder).
_CAR = re.compile(r"\bCAR(?:-?T|-?NK|[- ]?Treg)?\b|(?i:chimeric antigen receptor)")


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

    def documents(self, ids: Sequence[str]) -> dict[str, str]:
        """The trial documents of ``ids``."""
        found: dict[str, str] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(select(TrialRow.id, TrialRow.document).where(TrialRow.id.in_(chunk)))
            found.update({r.id: r.document for r in rows})
        return found

    def summaries(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self.session.execute(select(TrialRow.id, TrialRow.summary).where(TrialRow.id.in_(list(ids))))
        return {r.id: r.summary for r in rows}

    def delete(self, trial_id: str) -> None:
        if self.dialect == "sqlite":
            doc = self.session.scalar(select(TrialRow.doc).where(TrialRow.id == trial_id))
            if doc is not None:
                self.session.execute(text("DELETE FROM trial_fts WHERE rowid = :doc"), {"doc": doc})
        self.session.execute(delete(TrialCriteriaRow).where(TrialCriteriaRow.trial_id == trial_id))
        self.session.execute(delete(TrialFacetRow).where(TrialFacetRow.trial_id == trial_id))
        self.session.execute(delete(TrialTermRow).where(TrialTermRow.trial_id == trial_id))
        self.session.execute(delete(TrialIdRow).where(TrialIdRow.trial_id == trial_id))
        self.session.execute(delete(TrialRow).where(TrialRow.id == trial_id))

    def save(
        self, trial: Trial, summary_json: str, search_text: dict[str, str], term_weights: dict[str, float]
    ) -> None:
        """Insert or replace a merged trial with everything derived from it; ``search_text`` is the
        index text of each group (title, conditions, products, interventions, summary, criteria,
        sites), ``term_weights`` the ranking weight of each of its terms."""
        self.delete(trial.id)
        self.session.flush()
        e = trial.eligibility
        ages = e.age_bounds_days() if e else (None, None)
        doc = int(self.session.scalar(select(func.coalesce(func.max(TrialRow.doc), 0))) or 0) + 1
        self.session.add(
            TrialRow(
                id=trial.id,
                doc=doc,
                nct_id=trial.nct_id,
                brief_title=trial.brief_title,
                overall_status=trial.overall_status.value if trial.overall_status else None,
                study_type=trial.study_type.value if trial.study_type else None,
                sex=e.sex.value if e and e.sex else None,
                min_age_days=ages[0],
                max_age_days=ages[1],
                start_date=trial.start(),
                document=trial.model_dump_json(),
                summary=summary_json,
                updated_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        self.session.flush()
        self.session.add_all(TrialFacetRow(trial_id=trial.id, facet=f, value=v) for f, v in sorted(facets_of(trial)))
        keys = {id_key(i) for i in trial.identifiers()} | {title_key(trial.brief_title)}
        # An id another trial already owns (two trials with one sponsor id) stays with the first.
        taken = set(self.session.scalars(select(TrialIdRow.key).where(TrialIdRow.key.in_(keys))))
        self.session.add_all(TrialIdRow(key=k, trial_id=trial.id) for k in sorted(keys - taken))
        self._save_terms(trial.id, term_weights)
        groups = {g: search_text.get(g, "") for g in GROUPS}
        if self.dialect == "sqlite":
            self.session.execute(
                text(
                    f"INSERT INTO trial_fts (rowid, {', '.join(GROUPS)}) "
                    f"VALUES (:doc, {', '.join(':' + g for g in GROUPS)})"
                ),
                {"doc": doc, **groups},
            )
        else:
            vector = " || ".join(f"to_tsvector('simple', :{g})" for g in GROUPS)
            self.session.execute(
                text(f"UPDATE trials SET search_vector = {vector} WHERE id = :trial_id"),
                {"trial_id": trial.id, **groups},
            )
        self.session.flush()

    def _save_terms(self, trial_id: str, term_weights: dict[str, float]) -> None:
        """Hundreds of rows per trial: COPY on PostgreSQL (a row-by-row executemany costs a
        round trip each), a Core executemany on SQLite (in-process, no round trips)."""
        rows = sorted(term_weights.items())
        if not rows:
            return
        if self.dialect == "postgresql":
            # The session's own connection, so the rows stay in the record's transaction.
            driver = self.session.connection().connection.driver_connection
            if driver is None:  # pragma: no cover - a pooled connection always has one
                raise RuntimeError("no database connection")
            with driver.cursor() as cursor, cursor.copy("COPY trial_terms (term, trial_id, weight) FROM STDIN") as copy:
                for term, weight in rows:
                    copy.write_row((term, trial_id, weight))
            return
        self.session.execute(
            insert(TrialTermRow.metadata.tables[TrialTermRow.__tablename__]),
            [{"term": t, "trial_id": trial_id, "weight": w} for t, w in rows],
        )

    # -- computable criteria -------------------------------------------------------------------

    def save_criteria(self, trial_id: str, extractor: str, protocol_json: str) -> None:
        self.session.merge(TrialCriteriaRow(trial_id=trial_id, extractor=extractor, protocol=protocol_json))

    def criteria(self, ids: Sequence[str], extractor: str) -> dict[str, str]:
        """The stored criteria of ``ids`` that ``extractor`` made (others are left out)."""
        found: dict[str, str] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(TrialCriteriaRow.trial_id, TrialCriteriaRow.protocol).where(
                    TrialCriteriaRow.trial_id.in_(chunk), TrialCriteriaRow.extractor == extractor
                )
            )
            found.update({r.trial_id: r.protocol for r in rows})
        return found

    def without_criteria(self, extractor: str) -> list[str]:
        """Trials with no criteria made by ``extractor`` (none yet, or made by another version)."""
        current = select(TrialCriteriaRow.trial_id).where(TrialCriteriaRow.extractor == extractor)
        return [str(i) for i in self.session.scalars(select(TrialRow.id).where(TrialRow.id.not_in(current)))]

    def version(self) -> tuple[int, str]:
        """Changes whenever a trial is added, replaced or deleted: (count, latest write time)."""
        count, latest = self.session.execute(select(func.count(), func.max(TrialRow.updated_at))).one()
        return int(count or 0), str(latest)

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
            ("cell_kind", [v.upper() for v in f.cell_kinds]),
            ("scope", f.scopes),
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

    def browse(self, f: Filters, *, limit: int, offset: int) -> Page:
        """Trials matching every filter, by id."""
        base: Select[Any] = self._filtered(select(TrialRow.id), f)
        total = int(self.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
        ids = [str(i) for i in self.session.scalars(base.order_by(TrialRow.id).limit(limit).offset(offset))]
        return Page(ids, total)

    def match(self, query_terms: list[str], f: Filters, posting_terms: list[str] | None = None) -> Matches:
        """Trials whose text holds every query term and that pass every filter, with their stored
        weights of ``posting_terms`` (default: the query terms)."""
        params: dict[str, str] = {}
        matched: Select[Any]
        if self.dialect == "sqlite":
            params["match"] = " AND ".join('"' + t.replace('"', "") + '"' for t in query_terms)
            # Linked by rowid: reading a column of the FTS table would load each match's whole text.
            fts = text("SELECT rowid FROM trial_fts WHERE trial_fts MATCH :match").columns(literal_column("rowid"))
            matched = select(TrialRow.id).where(TrialRow.doc.in_(fts))
        else:
            tsquery = func.to_tsquery("simple", " & ".join(_pg_term(t) for t in query_terms))
            matched = select(TrialRow.id).where(literal_column("trials.search_vector").op("@@")(tsquery))
        ids = self._filtered(matched, f).subquery("matched")
        rows = self.session.execute(
            select(ids.c.id, TrialTermRow.term, TrialTermRow.weight).outerjoin(
                TrialTermRow,
                and_(TrialTermRow.trial_id == ids.c.id, TrialTermRow.term.in_(posting_terms or query_terms)),
            ),
            params,
        )
        postings: dict[str, dict[str, float]] = {}
        for trial_id, term, weight in rows:
            weights = postings.setdefault(str(trial_id), {})
            if term is not None:
                weights[str(term)] = float(weight)
        df_rows = self.session.execute(
            select(TrialTermRow.term, func.count())
            .where(TrialTermRow.term.in_(query_terms))
            .group_by(TrialTermRow.term)
        )
        return Matches(postings, {str(t): int(n) for t, n in df_rows}, self.count())

    def facet_counts(self, ids: Sequence[str]) -> dict[str, dict[str, int]]:
        """How many of the trials ``ids`` hold each facet value, by facet."""
        counts: dict[str, dict[str, int]] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(TrialFacetRow.facet, TrialFacetRow.value, func.count())
                .where(TrialFacetRow.trial_id.in_(chunk))
                .group_by(TrialFacetRow.facet, TrialFacetRow.value)
            )
            for facet, value, n in rows:
                by_value = counts.setdefault(str(facet), {})
                by_value[str(value)] = by_value.get(str(value), 0) + int(n)
        return counts

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
