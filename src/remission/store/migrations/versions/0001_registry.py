"""The trial registry: trials, facets, term weights, ids, source records and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trials",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("doc", sa.Integer, nullable=False, unique=True),
        sa.Column("nct_id", sa.String(16), index=True),
        sa.Column("brief_title", sa.Text, nullable=False),
        sa.Column("overall_status", sa.String(32), index=True),
        sa.Column("study_type", sa.String(32)),
        sa.Column("sex", sa.String(8)),
        sa.Column("min_age_days", sa.Float),
        sa.Column("max_age_days", sa.Float),
        sa.Column("start_date", sa.Date),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_trials_search", "trials", ["doc", "id", "overall_status", "sex", "min_age_days", "max_age_days"]
    )
    op.create_table(
        "trial_facets",
        sa.Column("trial_id", sa.String(64), sa.ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("facet", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(200), primary_key=True),
    )
    op.create_index("ix_trial_facets_facet_value", "trial_facets", ["facet", "value", "trial_id"])
    op.create_table(
        "trial_terms",
        sa.Column("term", sa.String(100), primary_key=True),
        sa.Column("trial_id", sa.String(64), sa.ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_trial_terms_trial", "trial_terms", ["trial_id"])
    op.create_table(
        "trial_ids",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column(
            "trial_id", sa.String(64), sa.ForeignKey("trials.id", ondelete="CASCADE"), nullable=False, index=True
        ),
    )
    op.create_table(
        "source_records",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("trial_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("retrieved", sa.Date),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Text pre-stemmed by Remission so both engines index the same terms ('simple' adds no
        # stemming); ranking uses trial_terms on both engines, so no weights here.
        op.execute("ALTER TABLE trials ADD COLUMN search_vector tsvector")
        op.execute("CREATE INDEX ix_trials_search_vector ON trials USING GIN (search_vector)")
    else:
        op.execute(
            # rowid = trials.doc
            "CREATE VIRTUAL TABLE trial_fts USING fts5(title, conditions, products, "
            "interventions, summary, criteria, sites, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_trials_search_vector")
    else:
        op.execute("DROP TABLE IF EXISTS trial_fts")
    op.drop_table("source_records")
    op.drop_index("ix_trials_search", "trials")
    op.drop_table("trial_ids")
    op.drop_index("ix_trial_terms_trial", "trial_terms")
    op.drop_table("trial_terms")
    op.drop_index("ix_trial_facets_facet_value", "trial_facets")
    op.drop_table("trial_facets")
    op.drop_table("trials")
