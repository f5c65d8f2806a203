"""The public pages as a browser without JavaScript sees them (FastAPI's test client): the
finder with its facets and distances, the trial page, the pre-screen, languages, headers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from remission.services.trials import Registry
from remission.web.app import create_app


@pytest.fixture(scope="module")
def client(domain_registry: Registry) -> TestClient:
    return TestClient(create_app(domain_registry))


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">.*?</li>\s*(?=<li class="card">|</ol>)', html, re.S)


def _total(html: str) -> int:
    m = re.search(r'id="results-heading"[^>]*>\s*([\d,]+) trials? found', html)
    assert m, "no result count on the page"
    return int(m.group(1).replace(",", ""))


def _facet_count(html: str, name: str, value: str) -> int:
    m = re.search(rf'name="{name}" value="{re.escape(value)}"[^>]*>\s*<label[^>]*>[^<]*<span class="count">\(([\d,]+)\)', html)
    assert m, f"no facet {name}={value}"
    return int(m.group(1).replace(",", ""))


def test_the_finder_is_the_home_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<form id="find"' in page.text and 'role="search"' in page.text
    assert "swagger" not in page.text.lower()
    assert len(_cards(page.text)) == 20  # a full first page of the 315 domain trials


def test_a_facet_count_is_what_choosing_it_gives(client: TestClient) -> None:
    """The count beside a facet value is the number of results once it is ticked."""
    base = client.get("/", params={"q": "lupus"}).text
    for name, value in (("disease", "SLE"), ("cell_kind", "CAR-NK"), ("target", "BCMA"), ("status", "RECRUITING")):
        shown = _facet_count(base, name, value)
        narrowed = client.get("/", params={"q": "lupus", name: value}).text
        assert _total(narrowed) == shown, (name, value)
        assert 0 < shown <= _total(base)


def test_distance_from_a_city_filters_and_sorts(client: TestClient) -> None:
    page = client.get("/", params={"q": "lupus", "near": "Shanghai", "within": "500", "sort": "distance"}).text
    distances = [float(d.replace(",", "")) for d in re.findall(r" · ([\d,.]+) km", page)]
    assert distances, "no distances shown"
    assert all(d <= 500 for d in distances)
    assert distances == sorted(distances)
    # Several lupus trials recruit in Shanghai itself (Changhai Hospital, NCT07246096), so the
    # nearest site of the first card is in the city.
    assert distances[0] < 30
    far = client.get("/", params={"q": "lupus", "near": "Shanghai", "within": "100"}).text
    assert _total(far) < _total(page)


def test_an_unknown_city_is_a_clear_error(client: TestClient) -> None:
    page = client.get("/", params={"near": "Xqzvville"})
    assert page.status_code == 422
    assert "Please check: near — no city of that name is known" in page.text


def test_the_trial_page_holds_the_record(client: TestClient) -> None:
    page = client.get("/trials/NCT07095075")
    assert page.status_code == 200
    for words in ("LUCAR-DKS1", "Nanjing", "400", "Jiangsu Province Hospital", "Flu/Cy", "BF-BOIN", "<svg"):
        assert words in page.text, words
    assert "[source: page:meddatax" in page.text  # the dose levels came from the seed page
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), "an inline script"


def test_every_id_resolves_to_the_trial_page(client: TestClient) -> None:
    moved = client.get("/trials/LIANGZOU", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/trials/NCT07059169"
    assert client.get("/trials/lb2405-0001", follow_redirects=True).url.path == "/trials/NCT07095075"
    missing = client.get("/trials/NCT00000000", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text


def test_chinese_follows_the_browser_and_the_switch(client: TestClient) -> None:
    zh = client.get("/trials/NCT07095075", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert zh.headers["content-language"] == "zh-Hans"
    assert '<html lang="zh-Hans">' in zh.text
    assert len(re.findall(r"[\u4e00-\u9fff]", zh.text)) >= 200
    switched = client.get("/", params={"lang": "en"}, headers={"accept-language": "zh-CN"})
    assert '<html lang="en">' in switched.text
    assert switched.cookies.get("lang") == "en"


def test_the_plain_summary_is_on_the_page_with_its_date(client: TestClient) -> None:
    page = client.get("/trials/NCT07095075").text
    assert "This study tests LUCAR-DKS1" in page
    assert "Data as of Dec 10, 2025" in page  # the record's last update (2025-12-10)


def test_the_prescreen_asks_and_answers(client: TestClient) -> None:
    form = client.get("/trials/NCT07095075/prescreen")
    assert form.status_code == 200 and "<form" in form.text
    assert 'name="q_age"' in form.text and 'name="disease"' in form.text
    token = client.cookies.get("remission_csrf")
    answer = client.post(
        "/trials/NCT07095075/prescreen",
        data={"csrf_token": token, "disease": "SLE", "q_age": "75", "q_sex": "female"},
    )
    assert answer.status_code == 200
    # I2 "Aged 18 to 70 years": 75 is outside, so the verdict is ineligible, with the reason.
    assert "at least one rule is not met" in answer.text
    assert "age 75, needs 18-70" in answer.text
    assert "What to check next" not in answer.text  # an ineligible verdict lists nothing to check


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    answer = client.post("/trials/NCT07095075/prescreen", data={"q_age": "40"}, headers={"accept": "text/html"})
    assert answer.status_code == 403


def test_a_bad_answer_names_the_question_not_the_value(client: TestClient) -> None:
    client.get("/trials/NCT07095075/prescreen")
    token = client.cookies.get("remission_csrf")
    answer = client.post("/trials/NCT07095075/prescreen", data={"csrf_token": token, "disease": "SLE", "q_age": "abc"})
    assert answer.status_code == 422
    assert "How old are you (years)?: a number is needed" in answer.text


def test_docs_work_offline(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert not re.search(r"https?://(?!127\.0\.0\.1)[^\"']+\.(js|css)", docs.text)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset


def test_the_api_shows_no_file_paths(client: TestClient) -> None:
    body = client.get("/api/v1/trials/NCT07095075").text
    assert "/src/remission/" not in body and "site-packages" not in body


def test_an_exclusion_that_applies_reads_as_ruling_out_not_as_met(client: TestClient) -> None:
    client.get("/trials/NCT07095075/prescreen")
    token = client.cookies.get("remission_csrf")
    answer = client.post("/trials/NCT07095075/prescreen", data={"csrf_token": token, "disease": "SLE", "q_age": "40",
                                                                 "q_sex": "female", "q_pregnancy_status": "yes"})  # fmt: skip
    row = re.search(r"Female subjects who were pregnant.*?</tr>", answer.text, re.S)
    assert row and 'class="a-bad">applies: rules out' in row.group(0)
    other = client.post("/trials/NCT07095075/prescreen", data={"csrf_token": token, "disease": "SLE", "q_age": "40",
                                                                "q_sex": "female", "q_pregnancy_status": "no",
                                                                "q_breastfeeding": "no"})  # fmt: skip
    row = re.search(r"Female subjects who were pregnant.*?</tr>", other.text, re.S)
    assert row and 'class="a-ok">does not apply' in row.group(0)


def test_a_disease_typed_in_chinese_becomes_its_filter(client: TestClient) -> None:
    english = _total(client.get("/", params={"disease": "SLE"}).text)
    # The Chinese name comes from the zh catalogue's translation of "Systemic lupus erythematosus".
    assert _total(client.get("/", params={"q": "系统性红斑狼疮", "lang": "en"}).text) == english
    unread = client.get("/", params={"q": "你好"})
    assert unread.status_code == 422 and "not searched yet" in unread.text


def test_the_finder_has_a_json_twin(client: TestClient) -> None:
    page = client.get("/", params={"q": "lupus", "near": "Shanghai", "within": "500"}).text
    twin = client.get("/api/v1/find", params={"q": "lupus", "near": "Shanghai", "within": "500"}).json()
    assert twin["total"] == _total(page)
    sle = next(f["count"] for f in twin["facets"]["disease"] if f["value"] == "SLE")
    assert sle == _facet_count(page, "disease", "SLE")
    assert twin["place"]["name"] == "Shanghai"
    assert all(t["distance_km"] <= 500 for t in twin["items"])
    # Open trials first: no closed one before an open one.
    open_ = [t["overall_status"] in ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE")
             for t in twin["items"]]  # fmt: skip
    assert open_ == sorted(open_, reverse=True)
    bad = client.get("/api/v1/find", params={"near": "Xqzvville"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "near"]


def test_a_refusal_is_in_the_readers_language(client: TestClient) -> None:
    """The field and the message are translated apart, the values put in after."""
    english = client.get("/", params={"q": "lupus", "near": "Qwxzville"})
    assert english.status_code == 422
    assert "Please check: near — no city of that name is known" in english.text
    chinese = client.get("/", params={"q": "lupus", "near": "Qwxzville", "lang": "zh"})
    assert chinese.status_code == 422
    assert "地点" in chinese.text and "未找到该城市" in chinese.text
    assert "no city of that name" not in chinese.text
    phase = client.get("/", params={"phase": "PHASE9", "lang": "zh"})
    assert "未知的取值 &#39;PHASE9&#39;；可选：" in phase.text and "PHASE1" in phase.text
    client.cookies.delete("lang")
