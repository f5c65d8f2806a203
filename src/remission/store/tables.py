"""The registry's tables.

``trials`` holds each merged trial as a JSON document plus the columns filters need;
``trial_facets`` holds the many-valued filters (disease, cell type, target, phase, country,
city); ``trial_terms`` holds each trial's BM25F weight of every index term (the ranking
shared by both engines, see :mod:`remission.registry.ranking`); ``trial_ids`` maps every id
a trial is known by (NCT id, local id, sponsor id, alias, normalised title) to it;
``source_records`` keeps what each source said, so a trial can be merged again when any of
its sources changes; ``trial_criteria`` holds each trial's computable criteria as the
free-text extractor made them (a protocol document), with the fingerprint of the extractor
that made them, so screening reads them instead of extracting again. Full-text search lives
beside these: an FTS5 table on SQLite, a ``tsvector`` column on PostgreSQL (see the
migration).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class TrialRow(Base):
    __tablename__ = "trials"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The trial's row number in the SQLite FTS5 table (its rowid there).
    doc: Mapped[int] = mapped_column(Integer, unique=True)
    nct_id: Mapped[str | None] = mapped_column(String(16), index=True)
    brief_title: Mapped[str] = mapped_column(Text)
    overall_status: Mapped[str | None] = mapped_column(String(32), index=True)
    study_type: Mapped[str | None] = mapped_column(String(32))
    sex: Mapped[str | None] = mapped_column(String(8))
    min_age_days: Mapped[float | None] = mapped_column(Float)
    max_age_days: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date | None] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    # Covering index for search: from a full-text match (doc) to what the filters read,
    # without touching the wide rows that hold the JSON documents.
    __table_args__ = (
        Index("ix_trials_search", "doc", "id", "overall_status", "sex", "min_age_days", "max_age_days"),
        Index("ix_trials_updated_at", "updated_at"),
    )


class TrialFacetRow(Base):
    __tablename__ = "trial_facets"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)

    __table_args__ = (Index("ix_trial_facets_facet_value", "facet", "value", "trial_id"),)


class TrialTermRow(Base):
    __tablename__ = "trial_terms"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)

    # Clustered by term on SQLite: a query reads one contiguous run of rows per term.
    __table_args__ = (Index("ix_trial_terms_trial", "trial_id"), {"sqlite_with_rowid": False})


class TrialIdRow(Base):
    __tablename__ = "trial_ids"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)


class SourceRecordRow(Base):
    __tablename__ = "source_records"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    trial_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(Text)
    retrieved: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class TrialCriteriaRow(Base):
    __tablename__ = "trial_criteria"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    # Which extractor made ``protocol``: criteria made by another version are made again.
    extractor: Mapped[str] = mapped_column(String(64))
    protocol: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """A mail to send. ``sender_key`` is a hash of the sender's address, for rate limits."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(32))  # referral | referral-copy | alert-confirm | alert
    sender_key: Mapped[str] = mapped_column(String(64), index=True)
    to_addr: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text)  # the finder's query string, or "trial=<id>"
    # The capability in the confirm and unsubscribe links: it can only confirm or end this alert.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    snapshot: Mapped[str] = mapped_column(Text, default="{}")  # trial id -> what was last mailed


class SharedNoteRow(Base):
    """A note encrypted in the browser; the server never sees the passcode or the text."""

    __tablename__ = "shared_notes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    trial_id: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str] = mapped_column(String(64))
    iv: Mapped[str] = mapped_column(String(64))
    ciphertext: Mapped[str] = mapped_column(Text)
