"""The 30 reference vignettes x 5 seed trials (../shared/reference/screening/vignettes.json):
every expected verdict through the Python API and through `remission screen --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.criteria.profile import Profile
from remission.services.screening import Screening
from tests.conftest import SHARED

VIGNETTES = json.loads((SHARED / "reference" / "screening" / "vignettes.json").read_text())
CASES: list[dict[str, Any]] = VIGNETTES["cases"]
TRIALS = ["NCT07095075", "NCT07246096", "NCT07049081", "LIANGZOU", "ZJU-CAR-T-SLE"]
runner = CliRunner()


def test_thirty_patients_five_trials() -> None:
    assert len(CASES) == 30
    assert all(sorted(c["expected"]) == sorted(TRIALS) for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["patient"]["id"])
def test_python_api(case: dict[str, Any]) -> None:
    results = Screening().screen(Profile.parse(case["patient"]), TRIALS).results
    got = {r.trial: r.verdict for r in results}
    want = {t: e["verdict"] for t, e in case["expected"].items()}
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["patient"]["id"])
def test_cli(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(case["patient"]))
    args = ["screen", str(path), "--json"] + [x for t in TRIALS for x in ("--trial", t)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["trial"]: r["verdict"] for r in rows} == {t: e["verdict"] for t, e in case["expected"].items()}
    for row in rows:
        assert set(row) >= {"trial", "title", "verdict", "criteria", "missing"}
        assert all(c["kind"] in ("inclusion", "exclusion") for c in row["criteria"])
        assert all(c["result"] in ("met", "not_met", "unknown", "review") for c in row["criteria"])
        # Every criterion carries its source sentence and a reason.
        assert all(c["text"] and c["reason"] for c in row["criteria"])


def _one(patient_id: str, trial: str) -> Any:
    case = next(c for c in CASES if c["patient"]["id"] == patient_id)
    return Screening().screen(Profile.parse(case["patient"]), [trial]).results[0]


def test_reasons_carry_converted_values() -> None:
    # 35.9 umol/L = 35.9 / 17.1 = 2.099 mg/dL; / ULN 1.2 mg/dL = 1.75 x ULN > 1.5.
    r = _one("ref-sle-10", "NCT07246096")
    assert r.verdict == "ineligible"
    (failure,) = r.failures
    assert "1.75 x ULN" in failure.reason and "≤ 1.5" in failure.reason
    # CKD-EPI 2021, female 55, Scr 2.0 mg/dL: 142 x (2.0/0.7)^-1.200 x 0.9938^55 x 1.012 = 28.96.
    r = _one("ref-sle-16", "LIANGZOU")
    assert [f.id for f in r.failures] == ["I5.3"]
    assert "28.96" in r.failures[0].reason and "CKD-EPI 2021" in r.failures[0].reason


def test_unknown_lists_the_missing_facts() -> None:
    assert _one("ref-sle-03", "NCT07246096").missing == ["LVEF"]
    assert _one("ref-sle-07", "NCT07246096").missing == ["modified SLEDAI-2K"]
    assert _one("ref-sle-09", "NCT07095075").missing == ["CD19", "BCMA"]
    r = _one("ref-aav-04", "NCT07246096")
    assert r.verdict == "unknown" and "need for invasive ventilation" in r.missing


def test_review_items_never_change_the_verdict() -> None:
    r = _one("ref-sle-01", "NCT07095075")
    reviews = [c for c in r.criteria if c.result == "review"]
    assert [c.id for c in reviews] == ["I3"] and r.verdict == "eligible"


def test_every_failure_is_listed() -> None:
    r = _one("ref-sle-06", "NCT07095075")  # a child: too young and cannot consent personally
    assert sorted(f.id for f in r.failures) == ["I1", "I2"]


def test_a_long_diagnosis_list_gives_the_same_verdicts_for_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference patient with her diagnosis listed 50 times (the contract's cap) gets the
    reference verdicts, and each cohort judges at most MAX_TRIED_PER_COHORT of the copies."""
    from remission.criteria import protocol as protocol_module

    case = CASES[0]
    patient = json.loads(json.dumps(case["patient"]))
    patient["diagnoses"] = patient["diagnoses"] * (50 // len(patient["diagnoses"]))
    judged: list[str | None] = []
    original = protocol_module.Protocol._judge

    def counting(self: protocol_module.Protocol, ctx: Any, cohort: str | None) -> Any:
        judged.append(cohort)
        return original(self, ctx, cohort)

    monkeypatch.setattr(protocol_module.Protocol, "_judge", counting)
    results = Screening().screen(Profile.parse(patient), TRIALS).results
    assert {r.trial: r.verdict for r in results} == {t: e["verdict"] for t, e in case["expected"].items()}
    per_cohort = {c: judged.count(c) for c in set(judged)}
    assert max(per_cohort.values()) <= protocol_module.MAX_TRIED_PER_COHORT * len(TRIALS)
