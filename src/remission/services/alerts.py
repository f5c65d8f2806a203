"""Alerts: a saved search (or one trial) and an e-mail address, with double opt-in.

Subscribing queues a confirmation mail; nothing else is ever sent to an address that has not
clicked its link (double opt-in, as the EU's GDPR Art. 7 consent must be shown and M3AAWG's
sender best practices ask). Every mail carries the unsubscribe link. ``remission alerts send``
(one cron line) mails each confirmed alert the trials that are new or changed since its last
mail: a new trial in the results, a status change, a new site.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import parse_qs, urlencode

from sqlalchemy import select

from remission.domain.marker import N_
from remission.domain.trial import TrialSummary
from remission.services.errors import FieldError
from remission.services.finder import Search, find, search_from
from remission.services.outbox import Mail, deliver_queued, now, queue, sent_recently
from remission.services.referrals import valid_email
from remission.services.trials import Registry
from remission.settings import Settings
from remission.store.tables import AlertRow

MAX_RESULTS = 200  # an alert follows at most this many trials


class AlertError(FieldError):
    """An alert that cannot be made, naming the field."""


@dataclass(frozen=True)
class Change:
    trial_id: str
    title: str
    what: list[str]


def _search(saved: str) -> Search:
    params = parse_qs(saved, keep_blank_values=False)
    return search_from(params)


class State(TypedDict):
    """What an alert remembers of a trial between mails."""

    status: str | None
    sites: list[str]


def _state(summary: TrialSummary) -> State:
    return {
        "status": summary.overall_status.value if summary.overall_status else None,
        "sites": sorted({f"{p.facility or ''}|{p.city or ''}" for p in summary.places}),
    }


Current = dict[str, tuple[TrialSummary, State]]


def _current(registry: Registry, saved: str) -> Current:
    params = parse_qs(saved)
    if "trial" in params:
        trial = registry.get(params["trial"][0])
        summary = TrialSummary.of(trial)
        return {summary.id: (summary, _state(summary))}
    finding = find(registry, _search(saved), limit=MAX_RESULTS)
    return {s.id: (s, _state(s)) for s in finding.items}


def changes(before: dict[str, State], now_: Current) -> list[Change]:
    """What is new or changed in ``now_`` against what the last mail knew (``before``)."""
    out = []
    for trial_id, (summary, state) in now_.items():
        old = before.get(trial_id)
        if old is None:
            out.append(Change(trial_id, summary.brief_title, ["new in your search"]))
            continue
        what = []
        if old.get("status") != state["status"]:
            what.append(f"status: {old.get('status') or 'unknown'} → {state['status'] or 'unknown'}")
        added = set(state["sites"]) - set(old.get("sites") or [])
        if added:
            what.append("new site: " + ", ".join(sorted(a.replace("|", ", ").strip(", ") for a in added))[:300])
        if what:
            out.append(Change(trial_id, summary.brief_title, what))
    return out


def subscribe(registry: Registry, settings: Settings, email: str, saved: str) -> None:
    """Queue the confirmation mail of a new alert (nothing else is sent until it is confirmed)."""
    email = email.strip()
    if not valid_email(email):
        raise AlertError("email", N_("not an e-mail address"))
    if len(saved) > 2000:
        raise AlertError("search", N_("too long"))
    params = parse_qs(saved)
    if "trial" in params:
        registry.get(params["trial"][0])  # raises TrialNotFound for an unknown id
        saved = urlencode({"trial": registry.resolve(params["trial"][0]) or params["trial"][0]})
    else:
        find(registry, _search(saved), limit=1)  # InvalidFilter or UnknownPlace, as the finder says
    token = secrets.token_urlsafe(32)
    with registry.sessions.begin() as session:
        if sent_recently(session, email, "alert-confirm", hours=24) >= 5:
            raise AlertError("email", N_("too many alerts asked for this address today"))
        session.add(AlertRow(email=email, search=saved, token=token, created_at=now(), snapshot="{}"))
        link = f"{settings.public_url}/alerts/confirm?token={token}"
        body = (
            "Someone (we hope you) asked Remission to e-mail this address when trials change.\n\n"
            f"To start the alerts, open: {link}\n\n"
            "If it was not you, ignore this mail: nothing more will be sent.\n"
            f"Stop this alert now: {settings.public_url}/alerts/unsubscribe?token={token}\n"
        )
        row = queue(session, Mail(email, "Confirm your Remission alert", body, "alert-confirm"), email)
        session.flush()
        ids = [row.id]
    deliver_queued(registry.sessions, settings, ids)


def confirm(registry: Registry, token: str) -> bool:
    """Start an alert; its snapshot is taken now, so the first mail holds only later changes."""
    with registry.sessions.begin() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == token[:64]))
        if row is None or row.unsubscribed_at is not None:
            return False
        if row.confirmed_at is None:
            row.confirmed_at = now()
            saved = row.search
            row.snapshot = json.dumps({k: v for k, (_, v) in _current(registry, saved).items()})
        return True


def unsubscribe(registry: Registry, token: str) -> bool:
    with registry.sessions.begin() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == token[:64]))
        if row is None:
            return False
        row.unsubscribed_at = row.unsubscribed_at or now()
        return True


def send_alerts(registry: Registry, settings: Settings) -> dict[str, int]:
    """Mail every confirmed alert whose trials changed; returns counts for the CLI."""
    with registry.sessions() as session:
        alerts = [
            (a.id, a.search, a.snapshot)
            for a in session.scalars(
                select(AlertRow).where(AlertRow.confirmed_at.is_not(None), AlertRow.unsubscribed_at.is_(None))
            )
        ]
    mailed = unchanged = 0
    ids: list[int] = []
    for alert_id, saved, snapshot in alerts:
        current = _current(registry, saved)
        found = changes(json.loads(snapshot or "{}"), current)
        with registry.sessions.begin() as session:
            row = session.get(AlertRow, alert_id)
            if row is None or row.unsubscribed_at is not None:
                continue
            row.snapshot = json.dumps({k: v for k, (_, v) in current.items()})
            if not found:
                unchanged += 1
                continue
            lines = ["Trials that are new or changed since the last mail:", ""]
            for c in found:
                link = f"  {settings.public_url}/trials/{c.trial_id}"
                lines += [c.title, link, *[f"  - {w}" for w in c.what], ""]
            lines += [f"Stop these mails: {settings.public_url}/alerts/unsubscribe?token={row.token}"]
            mail = Mail(row.email, f"Remission: {len(found)} trial(s) changed", "\n".join(lines), "alert")
            out = queue(session, mail, row.email)
            row.last_sent_at = now()
            session.flush()
            ids.append(out.id)
            mailed += 1
    sent, failed = deliver_queued(registry.sessions, settings, ids)
    return {"alerts": len(alerts), "mailed": mailed, "unchanged": unchanged, "sent": sent, "failed": failed}
