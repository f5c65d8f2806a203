"""/api/v1/instruments: the catalogue, one instrument's schema, and scoring (every reference
vector of ../shared/reference/instruments again, now over HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from remission.web.app import create_app
from tests.instruments.test_reference_vectors import FILES, VECTORS, check


class NoRegistry:
    """The instrument routes never touch the registry."""


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(NoRegistry()))  # type: ignore[arg-type]


def test_catalogue_lists_every_instrument(client: TestClient) -> None:
    listed = client.get("/api/v1/instruments").json()
    names = {i["name"] for i in listed}
    assert {f.stem for f in FILES} <= names
    assert {"mrss", "bilag_2004", "iim_2017_eular_acr", "ctcae_anemia", "astct_icans_child"} <= names
    assert all(i["reference"] and i["title"] for i in listed)


def test_describe_gives_input_schema_and_reference(client: TestClient) -> None:
    got = client.get("/api/v1/instruments/das28_esr").json()
    assert "Prevoo 1995" in got["reference"]
    assert got["inputs"]["properties"]["tjc28"]["anyOf"][0]["maximum"] == 28
    assert "das28_esr" in got["result"]["properties"]
    assert client.get("/api/v1/instruments/nope").status_code == 404


@pytest.mark.parametrize(("name", "vector", "tol"), VECTORS)
def test_reference_vectors_over_http(client: TestClient, name: str, vector: dict[str, Any], tol: float | None) -> None:
    response = client.post(f"/api/v1/instruments/{name}", json=vector["input"])
    got = response.json()
    assert got["instrument"] == name
    if "error" in vector["expected"]:
        assert response.status_code == 422 and got["error"]
        return
    assert response.status_code == 200, got
    check(vector["expected"], got, tol)


def test_refused_input_names_the_item(client: TestClient) -> None:
    response = client.post("/api/v1/instruments/ecog", json={"ecog": 9})
    assert response.status_code == 422
    assert response.json()["error"] == "ecog is out of range (allowed: >= 0 and <= 5)"
    response = client.post("/api/v1/instruments/ecog", json=[1, 2])
    assert response.status_code == 422 and "JSON object" in response.json()["error"]
    response = client.post("/api/v1/instruments/nope", json={})
    assert response.status_code == 404 and "remission score list" in response.json()["error"]
