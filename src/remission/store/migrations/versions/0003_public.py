"""What the public pages store when a person asks them to: mail to send (the outbox), alert
subscriptions, and notes shared by a passcode-protected link (kept only encrypted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sender_key", sa.String(64), nullable=False, index=True),
        sa.Column("to_addr", sa.Text, nullable=False),
        sa.Column("reply_to", sa.Text),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sent_at", sa.DateTime),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("search", sa.Text, nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("unsubscribed_at", sa.DateTime),
        sa.Column("last_sent_at", sa.DateTime),
        sa.Column("snapshot", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_table(
        "shared_notes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("trial_id", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("iv", sa.String(64), nullable=False),
        sa.Column("ciphertext", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shared_notes")
    op.drop_table("alerts")
    op.drop_table("outbox")
