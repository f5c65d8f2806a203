"""/api/v1/dose against the R reference files and the bundled NCT07095075 protocol."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from remission.web.app import create_app
from tests.conftest import SHARED
from tests.web.test_instruments_api import NoRegistry

BOIN = SHARED / "reference" / "boin"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(NoRegistry()))  # type: ignore[arg-type]


def test_boundaries_equal_r(client: TestClient) -> None:
    ref = json.loads((BOIN / "get_boundary_target025.json").read_text())["result"]
    got = client.get("/api/v1/dose/boundaries", params={"target": 0.25, "cohorts": 10, "cohort_size": 3}).json()
    assert [{k: r[k] for k in ("n", "escalate_if_dlt_le", "deescalate_if_dlt_ge", "eliminate_if_dlt_ge")}
            for r in got["table"]] == ref["full_boundary_tab"]  # fmt: skip
    bad = client.get("/api/v1/dose/boundaries", params={"target": 0.9})
    assert bad.status_code == 422 and "target = 0.9" in bad.json()["error"]


def test_select_mtd_equals_r(client: TestClient) -> None:
    ref = json.loads((BOIN / "select_mtd_sm01.json").read_text())
    got = client.post("/api/v1/dose/select-mtd", json={"target": 0.3, "n": ref["args"]["npts"],
                                                       "y": ref["args"]["ntox"]}).json()  # fmt: skip
    assert got["mtd"] == ref["result"]["MTD"]
    assert got["estimates"][:4] == pytest.approx(ref["internals_full_precision"]["isotonic_all_treated"], abs=1e-6)
    bad = client.post("/api/v1/dose/select-mtd", json={"n": [3], "y": [4]})
    assert bad.status_code == 422 and "dose 1: y = 4 DLTs in n = 3" in bad.json()["error"]


def test_next_for_the_bundled_protocol(client: TestClient) -> None:
    got = client.post("/api/v1/dose/next", json={"protocol": "NCT07095075", "outcomes": "1N 2N 3NNN"}).json()
    assert (got["trial"], got["action"], got["dose"], got["patients"]) == ("NCT07095075", "treat", 4, 3)
    got = client.post("/api/v1/dose/next", json={"protocol": "NCT07095075",
                                                 "patients": [{"dose": "25", "dlt": True}]}).json()  # fmt: skip
    assert (got["action"], got["dose"], got["patients"]) == ("treat", 1, 2)
    bad = client.post("/api/v1/dose/next", json={"protocol": "/etc/passwd", "outcomes": "1N"})
    assert bad.status_code == 422 and "no bundled protocol" in bad.json()["error"]


def test_simulate_agrees_with_r(client: TestClient) -> None:
    ref = json.loads((BOIN / "get_oc_oc03.json").read_text())
    got = client.post("/api/v1/dose/simulate", params={"trials": 10000, "seed": 5},
                      json={"design": "boin", "target": 0.3, "truth": ref["args"]["p.true"], "cohorts": 10}).json()  # fmt: skip
    assert got["selection_percent"] == pytest.approx(ref["result"]["selpercent"], abs=2.5)
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 1.2]})
    assert bad.status_code == 422 and "truth at dose 2" in bad.json()["error"]
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1], "backfill_cap": 0})
    assert bad.status_code == 422 and "backfill_cap" in bad.json()["error"]
    got = client.post("/api/v1/dose/simulate", params={"trials": 500},
                      json={"design": "atd-bf-boin", "truth": [0.02, 0.05, 0.1, 0.25, 0.4], "cohorts": 12}).json()  # fmt: skip
    assert got["duration_months"] > 0 and got["mean_sample_size"] <= 36
