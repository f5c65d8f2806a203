"""Each trial's computable criteria, as the free-text extractor made them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trial_criteria",
        sa.Column("trial_id", sa.String(64), sa.ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("protocol", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trial_criteria")
