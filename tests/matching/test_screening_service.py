"""Screening against the registry: ranking, what to check next, protocols for registry trials,
the CLI's errors and batch, and the REST faces."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from remission.cli import app
from remission.criteria.extract import extract
from remission.criteria.profile import Profile
from remission.criteria.protocol import CriterionResult, TrialResult
from remission.matching.rank import rank, what_next
from remission.services.screening import Screening
from remission.services.trials import Registry
from remission.web.app import create_app
from tests.conftest import SHARED, sample_registry

CASES = json.loads((SHARED / "reference" / "screening" / "vignettes.json").read_text())["cases"]
SLE01 = CASES[0]["patient"]
runner = CliRunner()


def result(trial: str, verdict: str, missing: list[str] = (), fails: int = 0) -> TrialResult:  # type: ignore[assignment]
    crit = [CriterionResult(f"c{i}", "inclusion", "t", None, "not_met", "r") for i in range(fails)]
    return TrialResult(trial, None, verdict, crit, list(missing))  # type: ignore[arg-type]


def test_rank_eligible_then_fewest_missing_then_ineligible() -> None:
    rows = [result("a", "ineligible", fails=2), result("b", "unknown", ["x", "y"]), result("c", "eligible"),
            result("d", "unknown", ["x"]), result("e", "ineligible", fails=1)]  # fmt: skip
    assert [r.trial for r in rank(rows)] == ["c", "d", "b", "e", "a"]


def test_what_next_counts_trials_per_missing_fact() -> None:
    rows = [result("a", "unknown", ["LVEF"]), result("b", "unknown", ["LVEF", "HBsAg"]), result("c", "unknown", ["HBsAg"]),
            result("d", "unknown", ["LVEF"]), result("e", "ineligible", ["HBsAg"])]  # fmt: skip
    facts = what_next(rows)
    assert [(f.fact, f.trials, f.decides_alone) for f in facts] == [
        ("LVEF", ["a", "b", "d"], ["a", "d"]),
        ("HBsAg", ["b", "c"], ["c"]),
    ]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = sample_registry(tmp_path_factory.mktemp("screen"), 60)
    yield reg
    reg.engine.dispose()


def test_every_registry_trial_is_screened(registry: Registry) -> None:
    results = Screening(registry).screen(Profile.parse(SLE01)).results
    ids = [r.trial for r in results]
    assert len(ids) == registry.count() and len(set(ids)) == len(ids)
    # The five seed trials are screened by their protocol files, under their own ids.
    by = {r.trial: r for r in results}
    for trial in ("NCT07095075", "NCT07246096", "NCT07049081", "LIANGZOU", "ZJU-CAR-T-SLE"):
        assert by[trial].source == "protocol" and by[trial].verdict == "eligible"
    assert [r.verdict for r in results] == sorted((r.verdict for r in results), key=["eligible", "unknown", "ineligible"].index)
    # Trials without a protocol file: a sentence the extractor translates is computed, and one it
    # cannot translate is a review item, never a guess.
    extracted = [r for r in results if r.source == "extracted"]
    sentences = [c for r in extracted for c in r.criteria if c.id.startswith(("inc", "exc"))]
    assert extracted and sentences
    assert any(c.result != "review" for c in sentences)
    for c in sentences:
        if extract(c.text, c.kind) is None:
            assert c.result == "review", c.text


def test_registry_alias_finds_the_protocol(registry: Registry) -> None:
    screened = Screening(registry).screen(Profile.parse(SLE01), ["LOCAL-56F62430E7"]).results
    assert [(r.trial, r.source, r.verdict) for r in screened] == [("LOCAL-56F62430E7", "protocol", "eligible")]


def _write(tmp_path: Path, data: Any, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_cli_invalid_profile_exits_2_naming_the_field(tmp_path: Path) -> None:
    bad = {**SLE01, "labs": {"alt": {"value": 26, "unit": "mmol/L"}}}
    got = runner.invoke(app, ["screen", _write(tmp_path, bad), "--trial", "LIANGZOU", "--json"])
    assert got.exit_code == 2
    error = json.loads(got.stdout)["error"]
    assert "labs.alt.unit" in error and "26" not in error
    got = runner.invoke(app, ["screen", _write(tmp_path, "{not json"), "--trial", "LIANGZOU"])
    assert got.exit_code == 2 and "not valid JSON" in got.output


def test_cli_unknown_trial_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REMISSION_DB", str(tmp_path / "empty.db"))
    runner.invoke(app, ["db", "upgrade"])
    got = runner.invoke(app, ["screen", _write(tmp_path, SLE01), "--trial", "NCT99999999"])
    assert got.exit_code == 1 and "NCT99999999" in got.output


def test_cli_batch_reports_rejects(tmp_path: Path) -> None:
    lines = [json.dumps(c["patient"]) for c in CASES[:3]] + ['{"id": "x"}']
    got = runner.invoke(app, ["screen", "--batch", _write(tmp_path, "\n".join(lines), "b.jsonl"), "--trial", "ZJU-CAR-T-SLE", "--json"])
    assert got.exit_code == 2
    rows = [json.loads(x) for x in got.stdout.splitlines()]
    assert [r.get("patient") for r in rows[:3]] == [c["patient"]["id"] for c in CASES[:3]]
    assert [r["trials"][0]["verdict"] for r in rows[:3]] == [c["expected"]["ZJU-CAR-T-SLE"]["verdict"] for c in CASES[:3]]
    assert rows[3]["line"] == 4 and "as_of" in rows[3]["error"]


def test_cli_what_next(tmp_path: Path) -> None:
    p15 = next(c["patient"] for c in CASES if c["patient"]["id"] == "ref-sle-15")
    args = ["screen", _write(tmp_path, p15), "--what-next", "--json"] + [x for t in ("NCT07095075", "LIANGZOU") for x in ("--trial", t)]
    facts = json.loads(runner.invoke(app, args).stdout)
    assert {"fact": "HBsAg", "trials": ["NCT07095075", "LIANGZOU"], "decides_alone": []} in facts


def test_rest_screen(registry: Registry) -> None:
    client = TestClient(create_app(registry))
    got = client.post("/api/v1/screen", params={"trial": ["NCT07095075", "LIANGZOU"]}, json=SLE01)
    assert got.status_code == 200 and [r["verdict"] for r in got.json()] == ["eligible", "eligible"]
    one = client.post("/api/v1/trials/NCT07246096/screen", json=SLE01)
    assert one.status_code == 200 and one.json()[0]["trial"] == "NCT07246096"
    bad = client.post("/api/v1/screen", json={"id": "x"})
    assert bad.status_code == 422 and "as_of" in bad.json()["error"]
    assert client.post("/api/v1/trials/NCT99999999/screen", json=SLE01).status_code == 404
    everything = client.post("/api/v1/screen", json=SLE01).json()
    assert len(everything) == registry.count()


def _sle02_without_sledai() -> dict[str, Any]:
    patient = json.loads(json.dumps(next(c["patient"] for c in CASES if c["patient"]["id"] == "ref-sle-02")))
    del patient["disease_activity"]["sledai_2k"]
    return patient


# SLEDAI-2K 4 from arthritis alone (Gladman 2002 weight): below LIANGZOU's >= 8.
ARTHRITIS_ONLY = {"sledai_2k": {"descriptors_present": ["arthritis"]}}


def test_cli_items_score_the_missing_total(tmp_path: Path) -> None:
    patient = _write(tmp_path, _sle02_without_sledai())
    bare = json.loads(runner.invoke(app, ["screen", patient, "--trial", "LIANGZOU", "--json"]).stdout)
    assert bare[0]["verdict"] == "unknown"
    items = _write(tmp_path, ARTHRITIS_ONLY, "items.json")
    got = runner.invoke(app, ["screen", patient, "--items", items, "--trial", "LIANGZOU", "--json"])
    [row] = json.loads(got.stdout)
    assert got.exit_code == 0 and row["verdict"] == "ineligible"
    assert any("SLEDAI-2K 4 (scored from items by sledai_2k)" in c["reason"] for c in row["criteria"])
    # Refused items exit 2 naming the instrument and item.
    bad = _write(tmp_path, {"sledai_2k": {"descriptors_present": "arthritis", "colour": 1}}, "bad.json")
    refused = runner.invoke(app, ["screen", patient, "--items", bad, "--trial", "LIANGZOU", "--json"])
    error = json.loads(refused.stdout)["error"]
    assert refused.exit_code == 2 and "items.sledai_2k: descriptors_present" in error and "colour is not an item" in error
    # In a batch each line carries its own items.
    line = json.dumps({"profile": _sle02_without_sledai(), "items": ARTHRITIS_ONLY})
    batch = runner.invoke(app, ["screen", "--batch", _write(tmp_path, line, "b.jsonl"), "--trial", "LIANGZOU", "--json"])
    assert json.loads(batch.stdout)["trials"][0]["verdict"] == "ineligible"


def test_rest_items_score_the_missing_total(registry: Registry) -> None:
    client = TestClient(create_app(registry))
    body = {"profile": _sle02_without_sledai(), "items": ARTHRITIS_ONLY}
    got = client.post("/api/v1/trials/LIANGZOU/screen", json=body)
    assert got.status_code == 200 and got.json()[0]["verdict"] == "ineligible"
    bad = client.post("/api/v1/trials/LIANGZOU/screen", json={**body, "items": {"sledai_2k": {}}})
    assert bad.status_code == 422 and "items.sledai_2k: descriptors_present is required" in bad.json()["error"]
