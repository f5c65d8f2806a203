"""Persistence: SQLAlchemy 2 tables, Alembic migrations, and the trial repository."""
