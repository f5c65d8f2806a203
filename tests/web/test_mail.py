"""Mail from the public pages: a referral delivered to a real SMTP server (aiosmtpd, started by
the test), the outbox when no server is set, rate limits; alerts with double opt-in."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from fastapi.testclient import TestClient
from sqlalchemy import select

from remission.services.alerts import send_alerts
from remission.services.trials import Registry
from remission.settings import get_settings
from remission.store.tables import AlertRow, OutboxRow
from remission.web.app import create_app


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.messages.append(message)


def _read(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("REMISSION_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REMISSION_SMTP_PORT", str(port))
    yield inbox
    controller.stop()


@pytest.fixture
def client(domain_registry: Registry) -> TestClient:
    return TestClient(create_app(domain_registry))


def _token(client: TestClient, path: str) -> str:
    client.get(path)
    return str(client.cookies.get("remission_csrf"))


def _outbox(registry: Registry) -> list[OutboxRow]:
    with registry.sessions() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def test_a_referral_arrives_at_the_smtp_server(client: TestClient, smtp: Inbox, domain_registry: Registry) -> None:
    token = _token(client, "/trials/NCT07095075/contact")
    summary = "Pre-screen verdict: unknown\n- [met] (inclusion) Aged 18 to 70 years, either sex. — age 34"
    sent = client.post(
        "/trials/NCT07095075/contact",
        data={"csrf_token": token, "step": "send", "first_name": "Mei", "last_name": "Chen",
              "email": "mei.chen@example.org", "phone": "+86 21 5555 0100", "language": "zh", "site": "0",
              "summary": summary, "consent": "yes", "copy": "yes"},
    )  # fmt: skip
    assert sent.status_code == 200 and "Your message was sent." in sent.text
    to_site, copy = smtp.messages[-2], smtp.messages[-1]
    assert "NCT07095075" in to_site["Subject"]
    # The record gives no e-mail for Jiangsu Province Hospital: the referral desk passes it on.
    assert to_site["To"] == get_settings().referral_desk
    assert to_site["Reply-To"] == "mei.chen@example.org"
    body = to_site.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Jiangsu Province Hospital" in body and "Preferred language: Chinese" in body
    assert "age 34" in body  # the pre-screen answers, sent with consent
    assert copy["To"] == "mei.chen@example.org"
    assert all(r.status == "sent" for r in _outbox(domain_registry)[-2:])


def test_answers_are_not_sent_without_consent(client: TestClient, smtp: Inbox) -> None:
    token = _token(client, "/trials/NCT07095075/contact")
    before = len(smtp.messages)
    refused = client.post(
        "/trials/NCT07095075/contact",
        data={"csrf_token": token, "step": "send", "first_name": "A", "last_name": "B", "email": "ab@example.org",
              "summary": "Pre-screen verdict: unknown"},
    )  # fmt: skip
    assert refused.status_code == 422 and "consent" in refused.text
    assert len(smtp.messages) == before


def test_a_sender_is_limited_to_three_referrals_an_hour(client: TestClient, mail_dir: Path) -> None:
    token = _token(client, "/trials/NCT07246096/contact")
    data = {"csrf_token": token, "step": "send", "first_name": "Rate", "last_name": "Limit",
            "email": "rate.limit@example.org"}  # fmt: skip
    codes = [client.post("/trials/NCT07246096/contact", data=data).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 422]
    # With no SMTP server, each mail is an .eml file in the mail folder: three, no more.
    files = sorted(mail_dir.glob("*.eml"))
    assert len(files) == 3
    assert "NCT07246096" in _read(files[0])["Subject"]


def test_an_alert_needs_confirming_then_mails_changes_then_stops(
    client: TestClient, domain_registry: Registry, mail_dir: Path
) -> None:
    token = _token(client, "/alerts")
    asked = client.post("/alerts", data={"csrf_token": token, "email": "alert.me@example.org",
                                         "search": "trial=NCT07095075"})  # fmt: skip
    assert asked.status_code == 200 and "Check your inbox" in asked.text
    confirm_text = _read(sorted(mail_dir.glob("*.eml"))[-1]).get_content()
    link = re.search(r"/alerts/confirm\?token=([\w-]+)", confirm_text)
    assert link and "/alerts/unsubscribe?token=" in confirm_text
    # Before confirming, nothing is sent.
    assert send_alerts(domain_registry, get_settings())["mailed"] == 0
    confirmed = client.post("/alerts/confirm", data={"csrf_token": token, "token": link.group(1)})
    assert "Your alert is on" in confirmed.text
    assert send_alerts(domain_registry, get_settings())["mailed"] == 0  # nothing changed since
    # Pretend the last mail saw the trial as not yet recruiting with no sites: now it recruits.
    with domain_registry.sessions.begin() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == link.group(1)))
        assert row is not None
        row.snapshot = '{"NCT07095075": {"status": "NOT_YET_RECRUITING", "sites": []}}'
    counts = send_alerts(domain_registry, get_settings())
    assert counts["mailed"] == 1 and counts["sent"] == 1
    text = _read(sorted(mail_dir.glob("*.eml"))[-1]).get_content()
    assert "status: NOT_YET_RECRUITING → RECRUITING" in text and "new site: " in text
    stop = re.search(r"/alerts/unsubscribe\?token=([\w-]+)", text)
    assert stop is not None
    client.post("/alerts/unsubscribe", data={"csrf_token": token, "token": stop.group(1)})
    with domain_registry.sessions.begin() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == link.group(1)))
        assert row is not None
        row.snapshot = "{}"
    assert send_alerts(domain_registry, get_settings())["mailed"] == 0


def test_a_bad_alert_address_is_refused(client: TestClient, mail_dir: Path) -> None:
    token = _token(client, "/alerts")
    refused = client.post("/alerts", data={"csrf_token": token, "email": "not-an-address", "search": "q=lupus"})
    assert refused.status_code == 422 and "Please check: e-mail — not an e-mail address" in refused.text
    assert not list(mail_dir.glob("*.eml"))


def test_an_alert_on_a_search_the_finder_refuses_is_refused(client: TestClient, mail_dir: Path) -> None:
    token = _token(client, "/alerts")
    refused = client.post("/alerts", data={"csrf_token": token, "email": "a@example.org", "search": "near=Xqzvville"})
    assert refused.status_code == 422 and "Please check: near — no city of that name is known" in refused.text
    assert not list(mail_dir.glob("*.eml"))
