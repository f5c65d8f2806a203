"""The app served for real on loopback, Debian's chromium driven by Playwright, axe-core run on
every page, and a screenshot of every page at desktop and phone widths.

Chromium comes from Debian (``.ci/run`` installs it; never ``playwright install``, which
downloads a browser). Started with the network-quietening flags this machine needs: without
them chromium's background connections are refused by the closed network.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from remission.services.trials import Registry
from remission.web.app import create_app
from tests.web.test_mail import Inbox

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REMISSION_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REMISSION_REQUIRE_BROWSER is set but there is no chromium at {CHROMIUM}")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason="no chromium (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="session")
def live_server(domain_registry: Registry, smtp_inbox: tuple[Inbox, int]) -> Iterator[str]:
    """The app on a free loopback port, delivering mail to the test's SMTP server."""
    saved = {k: os.environ.get(k) for k in ("REMISSION_SMTP_HOST", "REMISSION_SMTP_PORT", "REMISSION_PUBLIC_URL")}
    port = _free_port()
    os.environ.update(REMISSION_SMTP_HOST="127.0.0.1", REMISSION_SMTP_PORT=str(smtp_inbox[1]),
                      REMISSION_PUBLIC_URL=f"http://127.0.0.1:{port}")  # fmt: skip
    server = uvicorn.Server(uvicorn.Config(create_app(domain_registry), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


_axe = Axe()


def check_page(page: Page, name: str) -> None:
    """Zero axe-core violations (WCAG 2.1 A and AA rules and best practices), and a screenshot."""
    results = _axe.run(page)
    violations = results.response["violations"]
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}" for v in violations
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"{safe}-{'phone' if width < 600 else 'desktop'}.png"), full_page=True)


def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Move the focus with the Tab key alone until it reaches ``selector`` (a keyboard user's way)."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
