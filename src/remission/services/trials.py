"""Registry use cases: import, look up, search, related trials.

Each imported record is its own transaction: its source record is stored, every source of
its trial is merged again, and the merged trial replaces the old one with its facets, ids and
search text. A record that fails leaves nothing behind; the others go on. After an import,
every trial whose computable criteria are missing, or were made by other extractor code, has
them made and stored (see :mod:`remission.matching.registry_protocol`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from remission.criteria.protocol import ProtocolSpec
from remission.domain.marker import N_
from remission.domain.trial import Trial, TrialSummary
from remission.domain.values import Age
from remission.domain.vocab import CellType, OverallStatus, Phase, Sex, expand_phases, parse_disease_code
from remission.matching.registry_protocol import extractor_fingerprint, spec_for_trial
from remission.registry.errors import Problem
from remission.registry.gazetteer import with_coordinates
from remission.registry.merge import merge
from remission.registry.parsed import Parsed, Rejected
from remission.registry.ranking import marked, rank_postings, term_weights
from remission.registry.related import rank_related
from remission.registry.search_text import query_terms, search_groups
from remission.registry.sources import expand, read_path
from remission.services.errors import FieldError
from remission.services.protocols import bundled_aliases
from remission.store.db import make_engine, session_factory
from remission.store.migrate import current_revision, head_revision, upgrade
from remission.store.tables import SourceRecordRow
from remission.store.trials import Filters, TrialStore, facets_of

__all__ = [
    "DatabaseNotReady",
    "Filters",
    "ImportReport",
    "InvalidFilter",
    "Registry",
    "SearchResult",
    "TrialNotFound",
    "bundled_paths",
    "make_filters",
]


class TrialNotFound(LookupError):
    def __init__(self, trial_id: str) -> None:
        super().__init__(f"no trial with id {trial_id!r}")
        self.trial_id = trial_id


class DatabaseNotReady(RuntimeError):
    pass


class InvalidFilter(FieldError):
    """A search filter value outside its vocabulary; ``field`` names the filter."""


def _one_of(field: str, vocabulary: type[StrEnum], value: str) -> str:
    by_key = {v.value.upper(): v.value for v in vocabulary}
    key = value.strip().upper().replace(" ", "_")
    if key not in by_key:
        accepted = ", ".join(by_key.values())
        raise InvalidFilter(
            field, N_("unknown value %(value)s; accepted: %(accepted)s"), value=repr(value), accepted=accepted
        )
    return by_key[key]


_SEX_ALIASES = {"F": "FEMALE", "M": "MALE", "WOMAN": "FEMALE", "MAN": "MALE"}


class Scope(StrEnum):
    """Which part of the registry to search: the CAR cell-therapy trials, or every record."""

    CAR = "CAR"


def make_filters(
    *,
    diseases: Sequence[str] = (),
    statuses: Sequence[str] = (),
    cell_types: Sequence[str] = (),
    targets: Sequence[str] = (),
    phases: Sequence[str] = (),
    countries: Sequence[str] = (),
    cities: Sequence[str] = (),
    cell_kinds: Sequence[str] = (),
    scopes: Sequence[str] = (),
    age: str | None = None,
    sex: str | None = None,
) -> Filters:
    """Search filters from what a person typed (CLI options, query parameters), checked against
    the vocabularies; case does not matter, and EARLY_PHASE1 also finds PHASE0 (the same stage)."""
    codes = []
    for d in diseases:
        try:
            codes.append(parse_disease_code(d).value)
        except ValueError as exc:
            raise InvalidFilter("disease", str(exc)) from None
    try:
        age_days = Age.model_validate(age).in_days() if age else None
    except ValueError as exc:
        raise InvalidFilter("age", N_("not an age ('34' in years, or '18 months')")) from exc
    return Filters(
        diseases=codes,
        statuses=[_one_of("status", OverallStatus, v) for v in statuses],
        cell_types=[_one_of("cell_type", CellType, v) for v in cell_types],
        targets=[t.strip() for t in targets if t.strip()],
        phases=expand_phases([Phase(_one_of("phase", Phase, v)) for v in phases]),
        countries=[c.strip() for c in countries if c.strip()],
        cities=[c.strip() for c in cities if c.strip()],
        cell_kinds=[k.strip() for k in cell_kinds if k.strip()],
        scopes=[_one_of("scope", Scope, v) for v in scopes],
        age_days=age_days,
        sex=Sex(_one_of("sex", Sex, _SEX_ALIASES.get(sex.strip().upper(), sex))) if sex else None,
    )


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: list[Problem] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.added + self.updated + self.unchanged + self.stale + len(self.rejected)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "stale": self.stale,
            "rejected": [p.as_dict() for p in self.rejected],
            "notes": self.notes,
        }


@dataclass
class SearchResult:
    items: list[TrialSummary]
    total: int
    limit: int
    offset: int


def bundled_paths() -> list[Path]:
    """The trial records shipped with Remission: the generic ClinicalTrials.gov records, the
    domain table (CAR trials in autoimmune disease, with their sites) and the seed pages."""
    data = Path(str(resources.files("remission") / "data"))
    return [data / "ctgov_studies.jsonl.gz", data / "domain", data / "pages"]


def _content_hash(trial: Trial) -> str:
    """What a source said, without where the file lay: the same record from another path is unchanged."""
    doc = trial.model_dump(mode="json")
    for source in doc["sources"]:
        source.pop("location", None)
        source.pop("record", None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _spec(document: str) -> ProtocolSpec:
    """The computable criteria the extractor makes from a stored trial document."""
    return spec_for_trial(Trial.model_validate_json(document))


def _every_id(store: TrialStore, filters: Filters | None) -> list[str]:
    """The id of every trial passing ``filters``, in id order."""
    return store.browse(filters or Filters(), limit=1_000_000, offset=0).ids


class Registry:
    """The trial registry on one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions: sessionmaker[Session] = session_factory(engine)
        # related() answers by (trial, limit), valid while the registry's version is unchanged:
        # the trial page asks it on every view, and the answer only changes with an import.
        self._related: dict[tuple[str, int], tuple[tuple[int, str], list[TrialSummary]]] = {}
        # Parsed summaries by id, for the same version: a search parses the summary of every
        # trial it matches (all 1,553 when no word is typed), and the same trials come back
        # search after search.
        self._summaries: tuple[tuple[int, str], dict[str, TrialSummary]] = ((-1, ""), {})

    @classmethod
    def from_url(cls, url: str) -> Registry:
        return cls(make_engine(url))

    # -- schema --------------------------------------------------------------------------------

    def upgrade(self) -> str | None:
        upgrade(self.engine)
        return current_revision(self.engine)

    def check_ready(self) -> None:
        if current_revision(self.engine) != head_revision(self.engine):
            raise DatabaseNotReady(
                f"the database at {self.engine.url.render_as_string()} is not migrated: run `remission db upgrade`"
            )

    # -- import --------------------------------------------------------------------------------

    def read(self, paths: list[Path], *, accept_fallback: bool = False) -> Iterator[Parsed | Rejected]:
        for item in expand(paths):
            if isinstance(item, Problem):
                yield Rejected([item])
            else:
                yield from read_path(item, accept_fallback=accept_fallback)

    def import_paths(
        self, paths: list[Path], *, accept_fallback: bool = False, progress: Callable[[str], None] | None = None
    ) -> ImportReport:
        report = ImportReport()
        for outcome in self.read(paths, accept_fallback=accept_fallback):
            if isinstance(outcome, Rejected):
                report.rejected.extend(outcome.problems)
            else:
                try:
                    result = self._apply(outcome)
                except SQLAlchemyError as exc:
                    report.rejected.append(
                        Problem(
                            outcome.file,
                            f"database error: {exc.__class__.__name__}: "
                            f"{str(exc.orig if hasattr(exc, 'orig') else exc)[:200]}",
                            outcome.record,
                        )
                    )
                    result = "rejected"
                else:
                    setattr(report, result, getattr(report, result) + 1)
                if result in ("added", "updated"):
                    report.notes.extend(
                        {"file": outcome.file, "record": outcome.record, "note": n} for n in outcome.notes
                    )
            if progress is not None:
                progress(outcome.file if isinstance(outcome, Parsed) else outcome.problems[0].file)
        self.refresh_criteria()
        return report

    def refresh_criteria(self, chunk: int = 200) -> int:
        """Make and store the computable criteria of every trial that lacks current ones;
        returns how many were made."""
        extractor = extractor_fingerprint()
        with self.sessions() as session:
            todo = TrialStore(session).without_criteria(extractor)
        for start in range(0, len(todo), chunk):
            with self.sessions.begin() as session:
                store = TrialStore(session)
                documents = store.documents(todo[start : start + chunk])
                for trial_id, document in documents.items():
                    spec = _spec(document)
                    store.save_criteria(trial_id, extractor, spec.model_dump_json(exclude_none=True))
        return len(todo)

    def _apply(self, parsed: Parsed) -> str:
        trial = parsed.trial
        source = trial.sources[0]
        digest = _content_hash(trial)
        with self.sessions.begin() as session:
            store = TrialStore(session)
            existing = store.source(source.id)
            if existing is not None and existing.content_hash == digest:
                return "unchanged"
            if (
                existing is not None
                and existing.retrieved
                and source.retrieved
                and source.retrieved.earliest() < existing.retrieved
            ):
                return "stale"  # an older crawl of a source we hold a newer copy of
            target = trial.id
            if trial.nct_id is None:
                # A page without an NCT id joins the trial it was merged into before, or the
                # registry trial of exactly the same title.
                target = store.resolve(trial.id) or store.by_title(trial.brief_title) or trial.id
            else:
                local = store.by_title(trial.brief_title)
                if local is not None and local != target and local.startswith("LOCAL-"):
                    store.move_sources(local, target)
                    store.delete(local)
            store.save_source(
                SourceRecordRow(
                    id=source.id,
                    trial_id=target,
                    kind=source.kind,
                    location=source.location,
                    retrieved=source.retrieved.earliest() if source.retrieved else None,
                    content_hash=digest,
                    payload=trial.model_dump_json(),
                    imported_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            session.flush()
            existed = store.document(target) is not None
            merged = merge([Trial.model_validate_json(r.payload) for r in store.sources_of(target)])
            if merged.id != target:
                store.delete(target)
                store.move_sources(target, merged.id)
            extra = bundled_aliases(merged.identifiers())
            if extra:
                merged = merged.model_copy(update={"aliases": [*merged.aliases, *extra]})
            merged = with_coordinates(merged)
            groups = search_groups(merged)
            store.save(merged, TrialSummary.of(merged).model_dump_json(), groups, term_weights(groups))
            return "updated" if existed else "added"

    # -- queries -------------------------------------------------------------------------------

    def get(self, trial_id: str) -> Trial:
        with self.sessions() as session:
            store = TrialStore(session)
            resolved = store.resolve(trial_id)
            document = store.document(resolved) if resolved else None
            if document is None:
                raise TrialNotFound(trial_id)
            return Trial.model_validate_json(document)

    def resolve(self, any_id: str) -> str | None:
        """The registry id of the trial known by ``any_id``, if any."""
        with self.sessions() as session:
            return TrialStore(session).resolve(any_id)

    def criteria(self, ids: Sequence[str] | None = None, filters: Filters | None = None) -> list[ProtocolSpec]:
        """The computable criteria of the trials ``ids`` (or of every trial passing the filters),
        by id: the stored ones when the current extractor made them, else made now from the
        record (and not stored: a read does not write)."""
        extractor = extractor_fingerprint()
        with self.sessions() as session:
            store = TrialStore(session)
            wanted = list(ids) if ids is not None else _every_id(store, filters)
            stored = store.criteria(wanted, extractor)
            documents = store.documents([i for i in wanted if i not in stored])
        out = []
        for trial_id in wanted:
            if trial_id in stored:
                out.append(ProtocolSpec.model_validate_json(stored[trial_id]))
            elif trial_id in documents:
                out.append(_spec(documents[trial_id]))
        return out

    def trials(self, filters: Filters | None = None) -> list[Trial]:
        """Every trial matching the filters, whole, by id."""
        with self.sessions() as session:
            store = TrialStore(session)
            ids = _every_id(store, filters)
            documents = store.documents(ids)
        return [Trial.model_validate_json(documents[i]) for i in ids if i in documents]

    def search(
        self, query: str | None = None, filters: Filters | None = None, *, limit: int = 20, offset: int = 0
    ) -> SearchResult:
        with self.sessions() as session:
            store = TrialStore(session)
            words = query_terms(query or "")
            shown: list[tuple[str, float | None]]
            if words:
                ranked = self.ranked(store, words, filters or Filters())
                total, shown = len(ranked), list(ranked[offset : offset + limit])
            else:
                page = store.browse(filters or Filters(), limit=limit, offset=offset)
                total, shown = page.total, [(i, None) for i in page.ids]
            summaries = self.summaries(store, [i for i, _ in shown])
        items = []
        for trial_id, score in shown:
            summary = summaries[trial_id]
            summary.score = score
            items.append(summary)
        return SearchResult(items, total, limit, offset)

    @staticmethod
    def ranked(store: TrialStore, words: list[str], filters: Filters) -> list[tuple[str, float]]:
        matches = store.match(words, filters, marked(words))
        return rank_postings(matches.postings, matches.document_frequency, matches.trials)

    def summaries(self, store: TrialStore, ids: Sequence[str]) -> dict[str, TrialSummary]:
        """The summaries of those of ``ids`` that are stored, each the caller's own copy to
        annotate (score, distance)."""
        version = store.version()
        kept_version, kept = self._summaries
        if kept_version != version:
            kept = {}
            self._summaries = (version, kept)
        missing = [i for i in ids if i not in kept]
        for trial_id, document in store.summaries(missing).items():
            kept[trial_id] = TrialSummary.model_validate_json(document)
        return {i: kept[i].model_copy() for i in ids if i in kept}

    def version(self) -> tuple[int, str]:
        """Changes whenever a trial is added, replaced or deleted: what an answer derived from the
        registry (related trials, a rendered page) is kept against."""
        with self.sessions() as session:
            return TrialStore(session).version()

    def related(self, trial_id: str, limit: int = 10, candidates: int = 400) -> list[TrialSummary]:
        """The most similar other trials (see :mod:`remission.registry.related` for the method)."""
        trial = self.get(trial_id)
        version = self.version()
        cached = self._related.get((trial.id, limit))
        if cached is not None and cached[0] == version:
            return [s.model_copy() for s in cached[1]]
        found = self._related_now(trial, limit, candidates)
        if len(self._related) > 2000:
            self._related.clear()
        self._related[(trial.id, limit)] = (version, found)
        return [s.model_copy() for s in found]

    def _related_now(self, trial: Trial, limit: int, candidates: int) -> list[TrialSummary]:
        facets = sorted(f for f in facets_of(trial) if f[0] in ("disease", "target", "cell_type"))
        with self.sessions() as session:
            store = TrialStore(session)
            ids = store.sharing_facets(trial.id, facets, candidates)
            if len(ids) < candidates:
                words = query_terms(trial.brief_title)[:6]
                for term in words:
                    best = self.ranked(store, [term], Filters())[: candidates // max(1, len(words))]
                    ids.extend(i for i, _ in best if i not in ids and i != trial.id)
            summaries = self.summaries(store, ids)
        others = [summaries[i] for i in ids if i in summaries]
        ranked = rank_related(trial, others, limit)
        by_id = {t.id: t for t in others}
        out = []
        for sim in ranked:
            summary = by_id[sim.trial_id]
            summary.score, summary.why = sim.score, sim.why
            out.append(summary)
        return out

    def count(self) -> int:
        with self.sessions() as session:
            return TrialStore(session).count()
