"""Notes shared by a passcode-protected link. The browser encrypts the note (AES-256-GCM with a
key derived from the passcode by PBKDF2-HMAC-SHA256, 600,000 iterations, as OWASP's Password
Storage Cheat Sheet recommends for PBKDF2-SHA256) and sends only the salt, the IV and the
ciphertext: the server can neither read the note nor test passcodes against it any faster than
anyone holding the link. A shared note expires after 30 days.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete

from remission.domain.marker import N_
from remission.services.errors import FieldError
from remission.services.outbox import now
from remission.services.trials import Registry
from remission.store.tables import SharedNoteRow

MAX_CIPHERTEXT = 64 * 1024  # bytes, before base64
LIFETIME = timedelta(days=30)


class NoteError(FieldError):
    """A shared note refused, naming the field."""


@dataclass(frozen=True)
class SharedNote:
    id: str
    trial_id: str
    salt: str
    iv: str
    ciphertext: str
    expires_at: str


def _b64(field: str, value: str, low: int, high: int) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(field, N_("not base64")) from None
    if not low <= len(raw) <= high:
        raise NoteError(field, N_("%(low)s to %(high)s bytes"), low=low, high=high)
    return value


def share(registry: Registry, trial_id: str, salt: str, iv: str, ciphertext: str) -> SharedNote:
    trial = registry.get(trial_id)  # TrialNotFound for an unknown trial
    _b64("salt", salt, 16, 64)
    _b64("iv", iv, 12, 16)
    _b64("ciphertext", ciphertext, 17, MAX_CIPHERTEXT)
    note_id = secrets.token_urlsafe(16)
    created = now()
    with registry.sessions.begin() as session:
        session.execute(delete(SharedNoteRow).where(SharedNoteRow.expires_at < created))
        session.add(SharedNoteRow(id=note_id, created_at=created, expires_at=created + LIFETIME, trial_id=trial.id,
                                  salt=salt, iv=iv, ciphertext=ciphertext))  # fmt: skip
    return SharedNote(note_id, trial.id, salt, iv, ciphertext, (created + LIFETIME).isoformat())


def shared(registry: Registry, note_id: str) -> SharedNote | None:
    with registry.sessions() as session:
        row = session.get(SharedNoteRow, note_id[:32])
        if row is None or row.expires_at < now():
            return None
        return SharedNote(row.id, row.trial_id, row.salt, row.iv, row.ciphertext, row.expires_at.isoformat())
