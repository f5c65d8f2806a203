"""The REST API (FastAPI's test client on a real SQLite registry), and `remission serve` itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from remission.services.trials import Registry
from remission.web.app import create_app
from tests.conftest import sample_registry


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = sample_registry(tmp_path_factory.mktemp("api"), 120)
    yield reg
    reg.engine.dispose()


@pytest.fixture(scope="module")
def client(registry: Registry) -> TestClient:
    return TestClient(create_app(registry))


def test_list_is_paginated(client: TestClient) -> None:
    first = client.get("/api/v1/trials", params={"limit": 50}).json()
    second = client.get("/api/v1/trials", params={"limit": 50, "offset": 50}).json()
    assert first["total"] == second["total"] == 125  # 120 registry records + 5 seed pages
    assert len(first["items"]) == 50 and len(second["items"]) == 50
    assert not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}


def test_search_with_filters(client: TestClient) -> None:
    page = client.get("/api/v1/trials", params={"q": "lupus", "target": "BCMA", "status": "RECRUITING"}).json()
    assert {t["id"] for t in page["items"]} == {"NCT07095075", "NCT07246096"}
    page = client.get("/api/v1/trials", params=[("cell_type", "CAR-NK"), ("age", "34"), ("sex", "FEMALE")]).json()
    assert [t["id"] for t in page["items"]] == ["NCT07095075"]
    # Early phase 1 and phase 0 are the same stage: asking for either finds both.
    page = client.get("/api/v1/trials", params=[("phase", "EARLY_PHASE1"), ("disease", "AAV")]).json()
    assert {t["id"] for t in page["items"]} == {"NCT07095075", "NCT07246096"}


def test_one_trial_whole(client: TestClient) -> None:
    response = client.get("/api/v1/trials/nct07095075")
    trial = response.json()
    assert response.status_code == 200
    assert [d["value"] for d in trial["dose_levels"]] == [25, 50, 100, 200, 400]
    assert trial["provenance"]["dose_levels"] == "page:meddatax:NCT07095075"


def test_related(client: TestClient) -> None:
    related = client.get("/api/v1/trials/NCT07095075/related", params={"limit": 3}).json()
    assert related[0]["id"] == "NCT07246096" and related[0]["why"]


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/v1/trials/NCT00000000", {}, 404, "no trial with id 'NCT00000000'"),
        ("/api/v1/trials/NCT00000000/related", {}, 404, "no trial with id"),
        ("/api/v1/trials", {"disease": "flu"}, 422, "query.disease"),
        ("/api/v1/trials", {"age": "old"}, 422, "query.age: not an age"),
        ("/api/v1/trials", {"status": "OPEN"}, 422, "query.status"),
        ("/api/v1/trials", {"limit": 0}, 422, "query.limit"),
    ],
)
def test_errors_are_json_with_the_right_status(
    client: TestClient, path: str, params: dict[str, object], status: int, words: str
) -> None:
    response = client.get(path, params=params)
    body = response.json()
    assert response.status_code == status == body["status"]
    assert words in body["error"]


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/trials", "/api/v1/trials/{trial_id}", "/api/v1/trials/{trial_id}/related"} <= set(paths)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_remission_serve_answers_on_its_port(registry: Registry, tmp_path: Path) -> None:
    """What `make run` ends with: the console script serving the API over HTTP."""
    port = _free_port()
    url = registry.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "REMISSION_DATABASE_URL": url}
    script = Path(sys.executable).parent / "remission"
    with subprocess.Popen(
        [str(script), "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).json()
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            assert health == {"status": "ok", "trials": 125}
            assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
        finally:
            server.terminate()


def test_an_offset_past_any_registry_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.get("/api/v1/trials", params={"offset": "9223372036854775808"})
    assert response.status_code == 422 and "offset" in response.json()["error"]


def test_a_405_says_which_methods_are_allowed(client: TestClient) -> None:
    response = client.delete("/api/v1/trials")
    assert response.status_code == 405 and response.headers["allow"] == "GET"


def test_an_unmigrated_database_says_what_to_run(tmp_path: Path) -> None:
    client = TestClient(create_app(Registry.from_url(f"sqlite:///{tmp_path / 'never.db'}")))
    for path in ("/api/v1/health", "/api/v1/trials"):
        response = client.get(path)
        assert response.status_code == 503
        assert "run `remission db upgrade`" in response.json()["error"]
        assert str(tmp_path) not in response.text
