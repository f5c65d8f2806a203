"""The staff calculators (forms generated from the instrument catalogue, the dose explorer),
the physician's screen page, the FAQ, and notes shared encrypted."""

from __future__ import annotations

import base64
import json
import re

import pytest
from fastapi.testclient import TestClient

from remission.instruments.catalogue import CATALOGUE
from remission.services.trials import Registry
from remission.web.app import create_app
from remission.web.forms import FormError, fields_of, values_from


@pytest.fixture(scope="module")
def client(domain_registry: Registry) -> TestClient:
    return TestClient(create_app(domain_registry))


def _token(client: TestClient, path: str) -> str:
    client.get(path)
    return str(client.cookies.get("remission_csrf"))


def test_every_instrument_has_a_generated_form(client: TestClient) -> None:
    listing = client.get("/tools").text
    for name in CATALOGUE:
        assert f'href="/tools/instruments/{name}"' in listing
        page = client.get(f"/tools/instruments/{name}")
        assert page.status_code == 200 and "<form" in page.text, name


def test_das28_esr_scored_from_the_form(client: TestClient) -> None:
    # DAS28-ESR = 0.56·√TJC + 0.28·√SJC + 0.70·ln(ESR) + 0.014·GH (Prevoo et al. 1995), by hand for
    # TJC 4, SJC 3, ESR 30, GH 50: 1.12 + 0.48497 + 2.38085 + 0.70 = 4.6858: moderate (3.2-5.1).
    token = _token(client, "/tools/instruments/das28_esr")
    page = client.post("/tools/instruments/das28_esr",
                       data={"csrf_token": token, "tjc28": "4", "sjc28": "3", "esr_mm_h": "30",
                             "patient_global_0_100": "50"})  # fmt: skip
    assert page.status_code == 200
    assert "4.6858" in page.text and "moderate" in page.text


def test_a_refused_instrument_input_names_the_field(client: TestClient) -> None:
    token = _token(client, "/tools/instruments/das28_esr")
    page = client.post("/tools/instruments/das28_esr", data={"csrf_token": token, "tjc28": "40", "sjc28": "3",
                                                              "esr_mm_h": "30"})  # fmt: skip
    assert page.status_code == 422 and "tjc28" in page.text


def test_form_fields_from_a_schema() -> None:
    fields = {f.name: f for f in fields_of(CATALOGUE["astct_crs"].inputs.model_json_schema())}
    assert fields["fever"].kind == "boolean" and fields["fever"].required
    assert fields["hypot"].kind == "choice" and "one_pressor" in fields["hypot"].choices
    assert values_from(list(fields.values()), {"fever": "yes", "hypot": "one_pressor"})["hypot"] == "one_pressor"
    with pytest.raises(FormError, match="hypot: choose one of the options"):
        values_from(list(fields.values()), {"hypot": "lots"})


def test_the_dose_explorer_shows_boin_boundaries_and_simulates(client: TestClient) -> None:
    # BOIN at target 0.3 with the default p.saf = 0.6φ, p.tox = 1.4φ: λe = 0.2365, λd = 0.3585
    # (Liu & Yuan 2015, Table 1; R BOIN get.boundary).
    page = client.get("/tools/dose", params={"design": "boin"}).text
    assert "λe = 0.2365" in page and "λd = 0.3585" in page
    token = _token(client, "/tools/dose")
    simulated = client.post("/tools/dose", data={"csrf_token": token, "design": "boin",
                                                 "truth": "0.05, 0.1, 0.2, 0.3, 0.45", "trials": "300"})  # fmt: skip
    assert simulated.status_code == 200
    oc = simulated.text.split('id="sim-h"', 1)[1]
    shares = [float(x) for x in re.findall(r"<td>\d</td><td>[^<]*</td><td>([\d.]+)</td>", oc)]
    assert len(shares) == 5 and 90 <= sum(shares) <= 100.3  # each share is rounded to 0.1
    refused = client.post("/tools/dose", data={"csrf_token": token, "design": "boin", "truth": "0.1, x"})
    assert refused.status_code == 422 and "truth: numbers separated by commas" in refused.text


def test_the_screen_page_ranks_every_trial_for_a_profile(client: TestClient) -> None:
    token = _token(client, "/screen")
    profile = {"schema_version": "1.0", "id": "p-1", "as_of": "2026-12-01",
               "demographics": {"age_years": 34, "sex": "female"}, "diagnoses": [{"code": "SLE"}]}  # fmt: skip
    page = client.post("/screen", data={"csrf_token": token, "profile": json.dumps(profile),
                                        "near": "Shanghai", "within": "30"})  # fmt: skip
    assert page.status_code == 200
    assert "What to test next" in page.text and 'href="/trials/NCT07246096"' in page.text
    bad = client.post("/screen", data={"csrf_token": token, "profile": '{"schema_version": "1.0"}'})
    assert bad.status_code == 422 and "missing required field id" in bad.text


def test_the_faq_page(client: TestClient) -> None:
    page = client.get("/faq")
    assert page.status_code == 200 and "Can I stop?" in page.text


def _b64(n: int) -> str:
    return base64.b64encode(bytes(range(n))).decode()


def test_a_shared_note_is_stored_only_encrypted(client: TestClient, domain_registry: Registry) -> None:
    token = _token(client, "/trials/NCT07095075")
    body = {"trial_id": "NCT07095075", "salt": _b64(16), "iv": _b64(12), "ciphertext": _b64(48)}
    assert client.post("/api/v1/notes", json=body).status_code == 403  # no CSRF header
    made = client.post("/api/v1/notes", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    note = made.json()
    fetched = client.get(f"/api/v1/notes/{note['id']}").json()
    assert fetched["ciphertext"] == body["ciphertext"] and fetched["trial_id"] == "NCT07095075"
    assert client.get(f"/notes/{note['id']}").status_code == 200
    assert client.get("/api/v1/notes/nope").status_code == 404
    bad = client.post("/api/v1/notes", json={**body, "iv": "!!"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and "iv" in bad.text


def test_a_deeply_nested_profile_is_refused_not_a_500(client: TestClient) -> None:
    token = _token(client, "/screen")
    page = client.post("/screen", data={"csrf_token": token, "profile": "[" * 3000 + "]" * 3000})
    assert page.status_code == 422 and "nested too deeply" in page.text
