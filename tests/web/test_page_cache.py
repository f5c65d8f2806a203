"""Kept pages (the page cache) and the request guard: a kept page is the same page with the
reader's own CSRF token, it is dropped when the registry changes, an address with parameters the
page does not read is never kept, no answer is ever kept; and request bodies are capped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from remission.services.trials import Registry
from remission.web.app import create_app
from remission.web.page_cache import KeptPage, PageCache
from remission.web.security import MAX_BODY
from tests.conftest import CTGOV, sample_registry

_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def _cache(client: TestClient) -> PageCache:
    cache: PageCache = client.app.state.page_cache  # type: ignore[attr-defined]
    return cache


def test_a_kept_page_carries_each_readers_own_token(domain_registry: Registry) -> None:
    app = create_app(domain_registry)
    first, second = TestClient(app), TestClient(app)  # one app, one cache, two browsers
    a = first.get("/trials/NCT07095075")
    hits = _cache(first).hits
    b = second.get("/trials/NCT07095075")
    assert _cache(first).hits == hits + 1, "the second reader was not served the kept page"
    token_a, token_b = _META.search(a.text), _META.search(b.text)
    assert token_a and token_b
    assert token_a.group(1) == first.cookies.get("remission_csrf")
    assert token_b.group(1) == second.cookies.get("remission_csrf")
    assert token_a.group(1) != token_b.group(1)
    assert a.text.replace(token_a.group(1), "") == b.text.replace(token_b.group(1), "")


def test_a_hostile_token_cookie_is_escaped_in_a_kept_page(domain_registry: Registry) -> None:
    client = TestClient(create_app(domain_registry))
    client.get("/?q=lupus")  # kept
    client.cookies.set("remission_csrf", '"><script>alert(1)</script>xxxxxxxx')
    page = client.get("/?q=lupus").text
    assert "<script>alert(1)" not in page
    assert "&#34;&gt;&lt;script&gt;" in page


def test_a_page_is_rebuilt_once_the_registry_changes(tmp_path: Path) -> None:
    registry = sample_registry(tmp_path, 3)
    client = TestClient(create_app(registry))
    record = json.loads(CTGOV.read_text().splitlines()[0])
    trial_id = record["protocolSection"]["identificationModule"]["nctId"]
    before = client.get(f"/trials/{trial_id}").text
    assert "A renamed pilot study" not in before
    assert client.get(f"/trials/{trial_id}").text == before  # kept, same reader
    record["protocolSection"]["identificationModule"]["briefTitle"] = "A renamed pilot study"
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-11-30", "type": "ACTUAL"}
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(record) + "\n")
    assert registry.import_paths([changed]).updated == 1
    assert "A renamed pilot study" in client.get(f"/trials/{trial_id}").text


def test_an_address_with_other_parameters_is_not_kept(domain_registry: Registry) -> None:
    client = TestClient(create_app(domain_registry))
    cache = _cache(client)
    client.get("/trials/NCT07095075?utm=<b>x</b>")
    client.get("/trials/NCT07095075?utm=<b>x</b>")
    assert cache.hits == 0 and cache.misses == 0  # never even looked up
    client.get("/trials/NCT07095075/prescreen?disease=SLE")
    client.get("/trials/NCT07095075/prescreen?disease=SLE&lang=zh")  # another language: another page
    assert cache.misses == 2 and cache.hits == 0
    assert client.get("/trials/NCT07095075/prescreen?disease=SLE&lang=zh").status_code == 200
    assert cache.hits == 1


def test_answers_are_never_kept(domain_registry: Registry) -> None:
    client = TestClient(create_app(domain_registry))
    client.get("/trials/NCT07095075/prescreen?disease=SLE")
    token = str(client.cookies.get("remission_csrf"))
    size = len(_cache(client)._pages)
    answer = client.post(
        "/trials/NCT07095075/prescreen", data={"csrf_token": token, "disease": "SLE", "age_years": "34"}
    )
    assert answer.status_code in (200, 422)
    assert len(_cache(client)._pages) == size


def test_the_cache_drops_the_least_recently_used_past_its_budget() -> None:
    cache = PageCache(budget_chars=100)
    for key in "abc":
        cache.put(key, KeptPage("x" * 6, 200))  # 6 characters each: a page over 100 // 16 is not kept
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("d", KeptPage("y" * 6, 200))
    assert cache.get("b") is not None and cache.get("c") is not None  # 4 pages of 6 = 24 ≤ 100
    cache.put("big", KeptPage("z" * 7, 200))  # 7 > 100 // 16 = 6: refused
    assert cache.get("big") is None
    small = PageCache(budget_chars=16 * 6)  # room for 16 pages of 6
    for i in range(17):
        small.put(i, KeptPage("x" * 6, 200))
    assert small.get(0) is None and small.get(1) is not None and small.get(16) is not None


def test_a_body_over_the_cap_is_refused_before_it_is_read(domain_registry: Registry) -> None:
    client = TestClient(create_app(domain_registry))
    declared = client.post(
        "/api/v1/screen", content=b"{" + b" " * MAX_BODY + b"}", headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413 and declared.json()["status"] == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap counts as the body arrives
        for _ in range(MAX_BODY // 100_000 + 2):
            yield b" " * 100_000

    chunked = client.post("/api/v1/screen", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    page = client.post("/screen", content=b"a=" + b"b" * MAX_BODY, headers={"accept": "text/html",
                       "content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert page.status_code == 413 and "<h1>Too large</h1>" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    fine = client.post("/api/v1/screen", json={"profile_version": "1.0"})
    assert fine.status_code != 413
