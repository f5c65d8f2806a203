"""The outbox: every mail Remission sends is first a row here, in the same transaction as what
caused it, then delivered by SMTP or, with no SMTP server configured, written as an ``.eml``
file to the mail folder. A failed delivery stays queued with its error and is tried again by
``remission outbox send``.

Only what a person asked to send is stored, and only to send it: the row is the message.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from remission.settings import Settings
from remission.store.tables import OutboxRow

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    kind: str
    reply_to: str | None = None


def sender_key(address: str) -> str:
    """A stable key of an address for rate limits, without storing the address itself twice."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def queue(session: Session, mail: Mail, sender: str) -> OutboxRow:
    row = OutboxRow(
        created_at=now(),
        kind=mail.kind,
        sender_key=sender_key(sender),
        to_addr=mail.to,
        reply_to=mail.reply_to,
        subject=mail.subject,
        body=mail.body,
        status="queued",
        attempts=0,
    )
    session.add(row)
    return row


def sent_recently(session: Session, sender: str, kind: str, hours: int = 1) -> int:
    since = now() - timedelta(hours=hours)
    stmt = (
        select(func.count())
        .select_from(OutboxRow)
        .where(OutboxRow.sender_key == sender_key(sender), OutboxRow.kind == kind, OutboxRow.created_at >= since)
    )
    return int(session.scalar(stmt) or 0)


def _message(row: OutboxRow, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message["From"] = settings.mail_from
    message["To"] = row.to_addr
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="remission.localhost")
    message.set_content(row.body)
    return message


def _write(message: EmailMessage, folder: Path, row_id: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{now():%Y%m%dT%H%M%S}-{row_id}.eml"
    partial = final.with_suffix(".tmp")
    partial.write_bytes(message.as_bytes())
    os.replace(partial, final)  # a reader of the folder never sees half a mail


def deliver(session: Session, settings: Settings, ids: list[int] | None = None) -> tuple[int, int]:
    """Deliver queued mail (those ``ids``, or all); returns (sent, failed)."""
    stmt = select(OutboxRow).where(OutboxRow.status == "queued", OutboxRow.attempts < MAX_ATTEMPTS)
    if ids is not None:
        stmt = stmt.where(OutboxRow.id.in_(ids))
    sent = failed = 0
    for row in session.scalars(stmt.order_by(OutboxRow.id)):
        row.attempts += 1
        try:
            message = _message(row, settings)
            if settings.smtp_host:
                with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
                    if settings.smtp_starttls:
                        smtp.starttls()
                    if settings.smtp_user:
                        smtp.login(settings.smtp_user, settings.smtp_password or "")
                    smtp.send_message(message)
            else:
                _write(message, settings.mail_dir, row.id)
        except (OSError, smtplib.SMTPException) as exc:
            row.error = type(exc).__name__  # the class only: a server's reply may quote the mail
            failed += 1
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            continue
        row.status, row.sent_at, row.error = "sent", now(), None
        sent += 1
    return sent, failed


def deliver_queued(
    sessions: sessionmaker[Session], settings: Settings, ids: list[int] | None = None
) -> tuple[int, int]:
    """Deliver in a transaction of its own, after the one that queued the mail has committed: a
    slow or failing mail server never holds up, or rolls back, what caused the mail."""
    with sessions.begin() as session:
        return deliver(session, settings, ids)
