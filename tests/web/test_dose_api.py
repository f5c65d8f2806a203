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
    assert bad.status_code == 422 and bad.json()["error"] == "query.target: Input should be less than or equal to 0.6"


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
    assert {a["field"]: a["value"] for a in got["assumed"]} == {"target": 0.3, "n_earlystop": 12,
                                                                "dlt_window_days": 28, "backfill.cap": 12}  # fmt: skip
    got = client.post("/api/v1/dose/next", json={"protocol": "NCT07095075",
                                                 "patients": [{"dose": "25", "dlt": True}]}).json()  # fmt: skip
    assert (got["action"], got["dose"], got["patients"]) == ("treat", 1, 2)
    bad = client.post("/api/v1/dose/next", json={"protocol": "/etc/passwd", "outcomes": "1N"})
    assert bad.status_code == 422 and "no bundled protocol" in bad.json()["error"]


def test_simulate_agrees_with_r(client: TestClient) -> None:
    ref = json.loads((BOIN / "get_oc_oc03.json").read_text())
    got = client.post("/api/v1/dose/simulate", json={"design": "boin", "options": {"target": 0.3, "cohorts": 10},
                                                     "truth": ref["args"]["p.true"], "trials": 10000, "seed": 5}).json()  # fmt: skip
    assert got["selection_percent"] == pytest.approx(ref["result"]["selpercent"], abs=2.5)
    assert got["design"]["target"] == 0.3 and got["trial"] is None
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 1.2]})
    assert bad.status_code == 422 and "truth at dose 2" in bad.json()["error"]
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1], "design": "bf-boin", "options": {"backfill_cap": 0}})
    assert bad.status_code == 422 and bad.json()["error"] == "body.options.backfill_cap: Input should be greater than or equal to 1"


def test_simulate_a_protocol_like_the_cli(client: TestClient) -> None:
    body = {"protocol": "NCT07095075", "options": {"n_earlystop": 9}, "truth": [0.02, 0.05, 0.1, 0.25, 0.4],
            "response": [0.1, 0.2, 0.3, 0.4, 0.5], "trials": 500}  # fmt: skip
    got = client.post("/api/v1/dose/simulate", json=body).json()
    assert got["trial"] == "NCT07095075" and got["duration_months"] > 0 and got["mean_sample_size"] <= 36
    assert got["design"]["n_earlystop"] == 9 and "n_earlystop" not in {a["field"] for a in got["assumed"]}
    traced = client.post("/api/v1/dose/simulate", json={**body, "trials": 3, "trace": True}).json()
    assert {line["trial"] for line in traced["trace"]} == {1, 2, 3}


def test_every_value_inside_the_ranges_answers(client: TestClient) -> None:
    # 200 cohorts of 12 are outside the range (refused, naming the field); 100 of 12 answer at once.
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 0.2, 0.3], "trials": 100,
                                                     "options": {"cohorts": 200, "cohort_size": 12}})  # fmt: skip
    assert bad.status_code == 422 and "cohorts: Input should be less than or equal to 100" in bad.json()["error"]
    got = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 0.2, 0.3], "trials": 1000,
                                                     "options": {"cohorts": 100, "cohort_size": 12}})  # fmt: skip
    assert got.status_code == 200 and sum(got.json()["selection_percent"]) + got.json()["no_mtd_percent"] == 100
    table = client.get("/api/v1/dose/boundaries", params={"cohorts": 100, "cohort_size": 12})
    assert table.status_code == 200 and len(table.json()["table"]) == 1200
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 0.2, 0.3], "trials": 100_000,
                                                     "options": {"cohorts": 100, "cohort_size": 12}})  # fmt: skip
    # 100,000 trials × (100 cohorts × 12 patients) × 3 doses = 360,000,000 units of work, over the limit.
    assert bad.status_code == 422 and "= 360,000,000 is over 50,000,000" in bad.json()["error"]
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 0.2], "seed": -1})
    assert bad.status_code == 422 and bad.json()["error"].startswith("body.seed: Input should be greater than")
    # A trace of 100 trials of 100 cohorts × 3 holds 100 × 300² = 9,000,000 patient lines: refused.
    bad = client.post("/api/v1/dose/simulate", json={"truth": [0.1, 0.2], "trials": 100, "trace": True,
                                                     "options": {"cohorts": 100}})  # fmt: skip
    assert bad.status_code == 422 and "(here 9,000,000)" in bad.json()["error"]
