"""Configuration, read once from the environment (pydantic-settings).

``REMISSION_DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``)
wins over ``REMISSION_DB`` (the SQLite file, ``remission.db`` in the working directory by
default).
Mail settings (``REMISSION_SMTP_HOST`` ...) are described on :class:`Settings`.
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
    # Mail. With no SMTP host, mail is written as .eml files to mail_dir (``make run`` needs no
    # mail server); with one, it is sent through it (STARTTLS when smtp_starttls).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_dir: Path = Path("mail")
    mail_from: str = "Remission <no-reply@remission.localhost>"
    # Where a referral goes when the trial's record gives no e-mail address for the chosen site.
    referral_desk: str = "referrals@remission.localhost"
    # The address of this app as people reach it, for links in mails.
    public_url: str = "http://127.0.0.1:8000"

    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.db.expanduser().resolve()}"


def get_settings() -> Settings:
    return Settings()
