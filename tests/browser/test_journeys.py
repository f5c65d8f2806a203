"""The journeys of the web app issue, in a real browser: with the mouse at desktop width, with
the keyboard alone, and at a phone's width; axe-core on every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from remission.services.alerts import send_alerts
from remission.services.trials import Registry
from remission.settings import get_settings
from remission.store.tables import AlertRow
from tests.browser.conftest import DESKTOP, PHONE, check_page, tab_to
from tests.web.test_mail import Inbox

pytestmark = pytest.mark.browser
WAYS = ["mouse", "keyboard", "phone"]
expect.set_options(timeout=15_000)  # a loaded CI machine is slow; a real failure still fails


def settled(page: Page) -> None:
    """Wait until htmx has no request in flight (the results were swapped in)."""
    # (wait_for_function would evaluate a string, which the app's CSP rightly forbids)
    expect(page.locator(".htmx-request")).to_have_count(0)


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, way: str) -> Page:
    context = browser.new_context(viewport=PHONE if way == "phone" else DESKTOP, locale="en-GB")
    return context.new_page()


def act(page: Page, way: str, selector: str, text: str | None = None, key: str = "Enter") -> None:
    """Fill or press one control: by the Tab key and typing when ``way`` is keyboard."""
    if way == "keyboard":
        tab_to(page, selector)
        if text is not None:
            page.keyboard.press("Control+A")
            page.keyboard.type(text)
        else:
            page.keyboard.press(key)
    elif text is not None:
        page.locator(selector).first.fill(text)
    else:
        page.locator(selector).first.click()


def choose(page: Page, way: str, selector: str, value: str) -> None:
    if way == "keyboard":
        tab_to(page, selector)
        control = page.locator(selector)
        for _ in range(30):  # the arrow keys step through a focused select's options
            if control.input_value() == value:
                break
            page.keyboard.press("ArrowDown")
        expect(control).to_have_value(value)
    else:
        page.locator(selector).select_option(value)


def pick_radio(page: Page, way: str, name: str, value: str) -> None:
    target = page.locator(f"input[name={name}][value='{value}']")
    if way != "keyboard":
        target.check()
        return
    # Tab enters a radio group once, at its checked button ("don't know"); the arrows move inside it.
    for _ in range(150):
        if page.evaluate("document.activeElement.name") == name:
            break
        page.keyboard.press("Tab")
    for _ in range(10):
        if target.is_checked():
            return
        page.keyboard.press("ArrowRight")
    expect(target).to_be_checked()


def test_find_recruiting_car_t_trials_for_lupus_near_shanghai(page: Page, way: str, live_server: str) -> None:
    page.goto(live_server + "/")
    check_page(page, f"finder-{way}")
    act(page, way, "#q", "lupus")
    act(page, way, "#near", "Shanghai")
    choose(page, way, "#within", "500")
    act(page, way, "button[type=submit]")
    expect(page.locator("#results-heading")).to_contain_text("distances from Shanghai")
    settled(page)
    act(page, way, "input[name=status][value=RECRUITING]", key="Space")
    expect(page.locator("input[name=status][value=RECRUITING]")).to_be_checked()
    page.wait_for_url(re.compile(r"status=RECRUITING"))
    settled(page)
    act(page, way, "input[name=cell_kind][value='AUTOLOGOUS CAR-T']", key="Space")
    page.wait_for_url(re.compile(r"cell_kind=AUTOLOGOUS"))
    settled(page)
    expect(page.locator("#results-heading")).to_contain_text("trial")
    cards = page.locator("li.card")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        assert "Recruiting" in card.inner_text()
        km = re.search(r"· ([\d,.]+) km", card.inner_text())
        assert km and float(km.group(1).replace(",", "")) <= 500
    check_page(page, f"finder-results-{way}")


def test_read_in_chinese_prescreen_and_refer(
    page: Page, way: str, live_server: str, smtp_inbox: tuple[Inbox, int]
) -> None:
    inbox = smtp_inbox[0]
    page.goto(live_server + "/trials/NCT07095075")
    expect(page.locator("h1")).to_contain_text("LUCAR-DKS1")
    check_page(page, f"trial-{way}")
    act(page, way, "a[hreflang=zh-Hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#plain-h")).to_have_text("通俗解读")
    check_page(page, f"trial-zh-{way}")
    act(page, way, "a[href$='/prescreen']")
    expect(page.locator("h1")).to_be_visible()
    choose(page, way, "#disease", "SLE")
    act(page, way, "#q_age", "34")
    pick_radio(page, way, "q_sex", "female")
    act(page, way, "form.questions button[type=submit]")
    expect(page.locator("#verdict-h")).to_be_visible()
    expect(page.locator("table.verdicts")).to_contain_text("18")
    check_page(page, f"prescreen-result-{way}")
    act(page, way, "form.actions button[type=submit]")
    act(page, way, "#first_name", "Mei")
    act(page, way, "#last_name", "Chen")
    act(page, way, "#email", f"mei.{way}@example.org")
    act(page, way, "input[name=consent]", key="Space")
    check_page(page, f"contact-{way}")
    before = len(inbox.messages)
    act(page, way, "form.questions button[type=submit]")
    expect(page.locator("[role=status] h2")).to_be_visible()
    sent = [m for m in inbox.messages[before:] if "NCT07095075" in (m["Subject"] or "")]
    assert sent and sent[0]["Reply-To"] == f"mei.{way}@example.org"
    body = sent[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Pre-screen answers (sent with the person's consent" in body and "age 34" in body


def test_subscribe_confirm_receive_a_change_and_unsubscribe(
    page: Page, way: str, live_server: str, smtp_inbox: tuple[Inbox, int], domain_registry: Registry
) -> None:
    inbox = smtp_inbox[0]
    page.goto(live_server + "/?q=lupus&near=Shanghai&within=500")
    act(page, way, "a[href^='/alerts?search=']")
    expect(page.locator("#search")).to_have_value(re.compile("q=lupus"))
    check_page(page, f"alerts-{way}")
    address = f"alert.{way}@example.org"
    act(page, way, "#email", address)
    before = len(inbox.messages)
    act(page, way, "form.questions button[type=submit]")
    expect(page.locator("[role=status] h2")).to_be_visible()
    mail = next(m for m in inbox.messages[before:] if m["To"] == address)
    text = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    confirm = re.search(r"(http://\S+/alerts/confirm\?token=[\w-]+)", text)
    assert confirm
    page.goto(confirm.group(1))
    act(page, way, "button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("Your alert is on")
    token = confirm.group(1).rsplit("=", 1)[1]
    # A change: the alert last saw one of its trials as not yet recruiting, at no site.
    with domain_registry.sessions.begin() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == token))
        assert row is not None
        snapshot = row.snapshot
        first = re.search(r'"(NCT\d+)"', snapshot)
        assert first
        row.snapshot = snapshot.replace(f'"{first.group(1)}": {{', f'"{first.group(1)}": {{"x": 0, ', 1)
        row.snapshot = re.sub(rf'("{first.group(1)}": {{"x": 0, "status": )"[A-Z_]+"', r'\1"NOT_YET_RECRUITING"',
                              row.snapshot)  # fmt: skip
    before = len(inbox.messages)
    assert send_alerts(domain_registry, get_settings())["sent"] >= 1
    change = next(m for m in inbox.messages[before:] if m["To"] == address)
    body = change.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert first.group(1) in body and "status: NOT_YET_RECRUITING →" in body
    stop = re.search(r"(http://\S+/alerts/unsubscribe\?token=[\w-]+)", body)
    assert stop
    page.goto(stop.group(1))
    check_page(page, f"unsubscribe-{way}")
    act(page, way, "button[type=submit]")
    expect(page.locator("[role=status]")).to_contain_text("Your alert is stopped")
    with domain_registry.sessions() as session:
        row = session.scalar(select(AlertRow).where(AlertRow.token == token))
        assert row is not None and row.unsubscribed_at is not None


PAGES = ["/faq", "/screen", "/tools", "/tools/dose?protocol=NCT07095075", "/tools/instruments/sledai_2k", "/docs",
         "/trials/NCT07246096", "/trials/NCT07095075/contact", "/notes/none"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_other_page_passes_axe(browser: Browser, live_server: str, path: str) -> None:
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        if path == "/docs":
            expect(page.locator(".swagger-ui .info")).to_be_visible()
            continue  # Swagger UI's own markup is not ours to fix; it loads offline, which is the point
        check_page(page, path.strip("/").replace("/", "-") or "home")
        assert name
