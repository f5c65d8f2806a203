"""Configuration, read once from the environment (pydantic-settings).

``REMISSION_DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``)
wins over ``REMISSION_DB`` (the SQLite file, ``remission.db`` in the working directory by
default).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REMISSION_", extra="ignore")

    db: Path = Field(default=Path("remission.db"), description="SQLite database file")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; overrides db")
    host: str = "127.0.0.1"
    port: int = 8000

    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.db.expanduser().resolve()}"


def get_settings() -> Settings:
    return Settings()
