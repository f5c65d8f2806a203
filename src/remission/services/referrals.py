"""Contacting a study centre: the referral packet of the trial page ("get in touch with the
nearest study center", seed page 001), queued in the outbox and delivered.

The message goes to the chosen site's contact e-mail when the record gives one, else to the
trial's central contact, else to the referral desk (``REMISSION_REFERRAL_DESK``), which passes
it on by the phone numbers the record lists. The pre-screen summary travels only when the
sender ticks the consent box; nothing else about the patient is asked for or kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remission.domain.marker import N_
from remission.domain.trial import Site, Trial
from remission.domain.vocab import OPEN_STATUSES
from remission.services.errors import FieldError
from remission.services.outbox import Mail, deliver_queued, queue, sent_recently
from remission.services.trials import Registry
from remission.settings import Settings

PER_HOUR = 3  # referrals from one address per hour
_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[^@\s<>,;]{1,190}\.[^@\s<>,;.]{2,63}$")
CONTACT_LANGUAGES = {"en": "English", "zh": "Chinese (中文)"}


class ReferralError(FieldError):
    """A referral that cannot be sent, naming the form field (never its value)."""


@dataclass(frozen=True)
class Referral:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    language: str = "en"
    message: str = ""
    site: int | None = None  # the site's row on the trial page (0-based)
    summary: str | None = None  # the pre-screen summary, sent only with consent
    consent: bool = False
    copy_to_sender: bool = False


@dataclass(frozen=True)
class Receipt:
    site: str
    via: str  # "site" | "trial" | "desk"
    copy_sent: bool


def valid_email(address: str) -> bool:
    return bool(_EMAIL.match(address.strip()))


def _check(r: Referral) -> None:
    for name, value, limit in (("first_name", r.first_name, 100), ("last_name", r.last_name, 100)):
        if not value.strip():
            raise ReferralError(name, N_("required"))
        if len(value) > limit or "\n" in value:
            raise ReferralError(name, N_("at most %(limit)s characters on one line"), limit=limit)
    if not valid_email(r.email):
        raise ReferralError("email", N_("not an e-mail address"))
    if len(r.phone) > 40 or (r.phone and not re.fullmatch(r"[0-9+()\-. ]{5,40}", r.phone)):
        raise ReferralError("phone", N_("digits, spaces and + ( ) - only"))
    if r.language not in CONTACT_LANGUAGES:
        raise ReferralError("language", N_("one of %(accepted)s"), accepted=", ".join(CONTACT_LANGUAGES))
    if len(r.message) > 2000:
        raise ReferralError("message", N_("at most %(limit)s characters"), limit="2,000")
    if r.summary is not None and len(r.summary) > 20_000:
        raise ReferralError("summary", N_("too long"))
    if r.summary and not r.consent:
        raise ReferralError("consent", N_("tick the box to send the pre-screen answers, or remove them"))


def contact_sites(trial: Trial) -> list[Site]:
    """The sites a person can write to: those still recruiting (or not yet), else all."""
    open_ = [s for s in trial.sites if s.status is None or s.status.value in OPEN_STATUSES]
    return open_ or list(trial.sites)


def _recipient(trial: Trial, site: Site | None, settings: Settings) -> tuple[str, str]:
    for contact in site.contacts if site else []:
        if contact.email and valid_email(contact.email):
            return contact.email, "site"
    for contact in trial.central_contacts:
        if contact.email and valid_email(contact.email):
            return contact.email, "trial"
    return settings.referral_desk, "desk"


def _body(trial: Trial, site: Site | None, r: Referral, via: str) -> str:
    where = ", ".join(x for x in (site.facility, site.city, site.country) if x) if site else "any site"
    lines = [
        f"A person asks to be contacted about the trial {trial.id}: {trial.brief_title}",
        f"Site: {where}",
        "",
        f"Name: {r.first_name.strip()} {r.last_name.strip()}",
        f"E-mail: {r.email.strip()}",
        f"Phone: {r.phone.strip() or '(not given)'}",
        f"Preferred language: {CONTACT_LANGUAGES[r.language]}",
    ]
    if r.message.strip():
        lines += ["", "Message:", r.message.strip()]
    if r.summary and r.consent:
        lines += [
            "",
            "Pre-screen answers (sent with the person's consent; as their browser sent them, not checked):",
            r.summary.strip(),
        ]
    if via == "desk":
        lines += ["", "The trial's record gives no e-mail address for this site: please pass this on."]
    if via != "copy":
        lines += ["", "Sent through Remission. Reply to this mail to answer the person directly."]
    return "\n".join(lines)


def send_referral(registry: Registry, settings: Settings, trial_id: str, r: Referral) -> Receipt:
    _check(r)
    trial = registry.get(trial_id)
    sites = contact_sites(trial)
    if r.site is not None and not 0 <= r.site < len(sites):
        raise ReferralError("site", N_("choose one of the sites listed"))
    site = sites[r.site] if r.site is not None else (sites[0] if sites else None)
    to, via = _recipient(trial, site, settings)
    with registry.sessions.begin() as session:
        if sent_recently(session, r.email, "referral") >= PER_HOUR:
            raise ReferralError("email", N_("too many messages from this address in the last hour; try again later"))
        subject = f"Remission referral: {trial.id} {trial.brief_title[:80]}"
        body = _body(trial, site, r, via)
        rows = [queue(session, Mail(to, subject, body, "referral", reply_to=r.email.strip()), r.email)]
        if r.copy_to_sender:
            copy = "A copy of your message to the study centre.\n\n" + _body(trial, site, r, "copy")
            mail = Mail(r.email.strip(), "Your message: " + subject, copy, "referral-copy")
            rows.append(queue(session, mail, r.email))
        session.flush()
        ids = [row.id for row in rows]
    deliver_queued(registry.sessions, settings, ids)
    name = (site.facility or site.city or "") if site else ""
    return Receipt(name, via, r.copy_to_sender)
