"""`remission dose ...` reproduces the R reference files from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remission.cli import app
from tests.conftest import SHARED

BOIN = SHARED / "reference" / "boin"
runner = CliRunner()


def dose(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["dose", *args, "--json"])
    assert result.exit_code == 0, result.output
    got: dict[str, Any] = json.loads(result.stdout)
    return got


@pytest.mark.parametrize("path", sorted(BOIN.glob("get_boundary_*.json")), ids=lambda p: p.stem)
def test_boundaries(path: Path) -> None:
    a = json.loads(path.read_text())["args"]
    ref = json.loads(path.read_text())["result"]
    flags = ["--target", str(a["target"]), "--cohorts", str(a["ncohort"]), "--cohort-size", str(a["cohortsize"])]
    got = dose("boundaries", *flags, *(["--extrasafe"] if a.get("extrasafe") else []))
    assert [{k: r[k] for k in ("n", "escalate_if_dlt_le", "deescalate_if_dlt_ge", "eliminate_if_dlt_ge")}
            for r in got["table"]] == ref["full_boundary_tab"]  # fmt: skip
    if a.get("extrasafe"):
        assert got["stop_boundary"] == ref["stop_boundary"]


@pytest.mark.parametrize("path", sorted(BOIN.glob("select_mtd_*.json")), ids=lambda p: p.stem)
def test_select_mtd(path: Path) -> None:
    ref = json.loads(path.read_text())
    a = ref["args"]
    flags = ["--target", str(a["target"]), "--n", ",".join(map(str, a["npts"])), "--y", ",".join(map(str, a["ntox"]))]
    flags += ["--bound-mtd"] if a.get("boundMTD") else []
    flags += ["--extrasafe"] if a.get("extrasafe") else []
    got = dose("select-mtd", *flags)
    assert got["mtd"] == (None if ref["result"]["MTD"] == 99 else ref["result"]["MTD"])
    treated = [d - 1 for d in ref["internals_full_precision"]["treated_doses"]]
    assert [got["estimates"][j] for j in treated] == pytest.approx(
        ref["internals_full_precision"]["isotonic_all_treated"], abs=1e-6)  # fmt: skip
    assert set(got) >= {"ci_lower", "ci_upper", "p_overdose"}


@pytest.mark.parametrize("path", sorted(BOIN.glob("get_oc_oc*.json")), ids=lambda p: p.stem)
def test_simulate(path: Path) -> None:
    ref = json.loads(path.read_text())
    a, r = ref["args"], ref["result"]
    flags = ["--design", "boin", "--target", str(a["target"]), "--truth", ",".join(map(str, a["p.true"])),
             "--cohorts", str(a["ncohort"]), "--cohort-size", str(a["cohortsize"]), "--trials", "10000", "--seed", "11"]  # fmt: skip
    for option, arg in (("--n-earlystop", "n.earlystop"), ("--start-dose", "startdose")):
        flags += [option, str(a[arg])] if arg in a else []
    for option, arg in (("--titration", "titration"), ("--extrasafe", "extrasafe"), ("--bound-mtd", "boundMTD")):
        flags += [option] if a.get(arg) else []
    got = dose("simulate", *flags)
    assert got["selection_percent"] == pytest.approx(r["selpercent"], abs=2.5)
    assert got["patients_per_dose"] == pytest.approx(r["npatients"], abs=0.2)
    assert got["no_mtd_percent"] == pytest.approx(r["percentstop"], abs=2.5)


def test_bad_values_exit_2_naming_the_option() -> None:
    result = runner.invoke(app, ["dose", "select-mtd", "--n", "3,x", "--y", "0,0"])
    assert result.exit_code == 2 and "--n: 'x' is not an integer" in result.stderr
    result = runner.invoke(app, ["dose", "boundaries", "--target", "0.9"])
    assert result.exit_code == 2 and "--target: Input should be less than or equal to 0.6" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--truth", "0.1,2"])
    assert result.exit_code == 2 and "truth at dose 2" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--truth", "0.1,0.2", "--backfill-cap", "8"])
    assert result.exit_code == 2 and "--backfill-cap: the design has no backfill" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--truth", "0.1,0.2", "--cohorts", "200", "--cohort-size", "12"])
    assert result.exit_code == 2 and "--cohorts: Input should be less than or equal to 100" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--design", "3+3", "--truth", "0.1,0.2", "--n-earlystop", "9"])
    assert result.exit_code == 2 and "--n-earlystop: BOIN's, not a rule of 3+3" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--design", "3+3", "--truth", "0.1,0.2", "--cohort-size", "4"])
    assert result.exit_code == 2 and "--cohort-size: 3+3 has cohorts of 3" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--design", "crm", "--truth", "0.1"])
    assert result.exit_code == 2 and "--design: 'crm' is not one of boin, 3+3, bf-boin, atd-bf-boin" in result.stderr


def test_titration_with_cohorts_of_one() -> None:
    # Cohorts of 1 with R's titration: a trial has 10 patients (10 cohorts of 1; titration
    # patients count in them) unless dose 1 is eliminated, which needs 3 DLTs in its first 3 or
    # so (Pr(φ > 0.3 | 3/3) = 1 - 0.3⁴ = 0.992 > 0.95), about 0.1³ = 0.001 of trials at 0.1.
    got = dose("simulate", "--truth", "0.1,0.2,0.3", "--cohort-size", "1", "--titration", "--trials", "300")
    assert got["mean_sample_size"] == pytest.approx(10, abs=0.1)
    assert sum(got["selection_percent"]) + got["no_mtd_percent"] == pytest.approx(100)


def test_many_doses_are_listed_one_per_row() -> None:
    truth = "0.01,0.02,0.03,0.05,0.08,0.1,0.15,0.2,0.25,0.3,0.4,0.5"
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["dose", "simulate", "--truth", truth, "--trials", "100"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert rows == [str(d) for d in range(1, 13)]


def test_boundaries_fit_80_columns() -> None:
    wide = CliRunner(env={"COLUMNS": "80"})
    result = wide.invoke(app, ["dose", "boundaries", "--target", "0.25", "--cohorts", "10"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Every column has room: the row for n = 30 shows its cuts and its decisions in full.
    row = next(line for line in lines if line.strip("│ ").startswith("30 "))
    assert "E 0-5 · S 6-8 · D 9-11 · DU 12-30" in row, row


def test_next_for_the_bundled_hybrid() -> None:
    got = dose("next", "--protocol", "NCT07095075", "--outcomes", "1N 2N")
    assert (got["trial"], got["action"], got["dose"], got["dose_label"], got["patients"]) == (
        "NCT07095075", "treat", 3, "100", 3)  # fmt: skip
    got = dose("next", "--protocol", "NCT07095075", "--outcomes", "1N 2N 3NNN 4NTT")
    assert (got["action"], got["dose"], got["admissible"]) == ("treat", 3, [1, 2, 3, 4, 5])
    got_out = dose("next", "--protocol", "NCT07095075", "--outcomes", "1N 2N 3NNN 4NTT 3NNN 4TTN")
    assert (got_out["eliminated"], got_out["admissible"]) == ([4, 5], [1, 2, 3])
    assert got["decision_table"] == {"n": 3, "escalate_if_dlt_le": 0, "deescalate_if_dlt_ge": 2, "eliminate_if_dlt_ge": 3}


def test_next_reads_json_and_csv_data(tmp_path: Path) -> None:
    records = [{"dose": "25", "dlt": False}, {"dose": 2, "dlt": False}, {"dose": "100", "dlt": False, "response": True},
               {"dose": 3, "dlt": False}, {"dose": 3, "dlt": "false"}, {"dose": 4, "dlt": None},
               {"dose": 4, "dlt": "pending"}, {"dose": 4}]  # fmt: skip
    (tmp_path / "trial.json").write_text(json.dumps({"patients": records}))
    got = dose("next", "--protocol", "NCT07095075", "--data", str(tmp_path / "trial.json"))
    assert (got["action"], got["dose"], got["backfill_open"]) == ("backfill", 3, [3])
    (tmp_path / "trial.csv").write_text("dose,dlt,grade2\n1,false,\n2,true,\n")
    got = dose("next", "--protocol", "NCT07095075", "--data", str(tmp_path / "trial.csv"))
    assert (got["action"], got["dose"], got["patients"]) == ("treat", 2, 2)  # a DLT at 50: expand 50


def test_next_refuses_bad_data(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("dose,dlt\n1,false\n9,false\n")
    result = runner.invoke(app, ["dose", "next", "--protocol", "NCT07095075", "--data", str(tmp_path / "bad.csv")])
    assert result.exit_code == 2 and "record 2: dose must be a level 1 to 5" in result.stderr
    result = runner.invoke(app, ["dose", "next", "--protocol", "nope", "--outcomes", "1N"])
    assert result.exit_code == 2 and "NCT07095075" in result.stderr


@pytest.mark.parametrize("path", sorted(BOIN.glob("get_oc_bf_*.json")), ids=lambda p: p.stem)
def test_simulate_bf_boin_reproduces_bfboin(path: Path) -> None:
    ref = json.loads(path.read_text())
    a, r = ref["args"], ref["result"]
    got = dose("simulate", "--design", "bf-boin", "--backfill-rules", "bfboin", "--target", str(a["target"]),
               "--truth", ",".join(map(str, a["p.true"])), "--response", ",".join(map(str, a["p.response.true"])),
               "--cohorts", str(a["ncohort"]), "--cohort-size", str(a["cohortsize"]), "--n-earlystop",
               str(a["n.earlystop"]), "--backfill-cap", str(a["n.cap"]), "--accrual-per-month", str(a["n.per.month"]),
               "--dlt-window-months", str(a["dlt.window"]), "--accrual", a["accrual"], "--backfill-assign",
               a["backfill.assign"], "--trials", "10000", "--seed", "8")  # fmt: skip
    assert got["selection_percent"] == pytest.approx(r["selpercent"], abs=2.5)
    assert got["patients_per_dose"] == pytest.approx(r["npatients"], abs=0.2)
    # Whole days: a 1-month window is 30 days, not 30.44, so durations run about 0.3 months short.
    assert got["duration_months"] == pytest.approx(r["duration_months"] - 0.25, abs=0.25)


def test_simulate_the_bundled_hybrid_and_3_plus_3() -> None:
    got = dose("simulate", "--protocol", "NCT07095075", "--truth", "0.02,0.05,0.10,0.25,0.40",
               "--response", "0.1,0.2,0.3,0.4,0.5", "--trials", "2000")  # fmt: skip
    assert sum(got["selection_percent"]) + got["no_mtd_percent"] == pytest.approx(100)
    assert got["mean_sample_size"] <= 36 and got["duration_months"] > 0
    assert got["trial"] == "NCT07095075" and {a["field"] for a in got["assumed"]} >= {"target", "backfill.cap"}
    got = dose("simulate", "--design", "3+3", "--truth", "0.3,1", "--trials", "20000", "--seed", "3")
    assert got["selection_percent"][0] == pytest.approx(42.0175, abs=1.0)  # 0.7^6 + 6(0.3)(0.7)^5
    result = runner.invoke(app, ["dose", "simulate", "--protocol", "NCT07095075", "--truth", "0.1,0.2"])
    assert result.exit_code == 2 and "truth: 2 values; the protocol has 5 doses" in result.stderr


def test_protocol_options_override_the_protocol() -> None:
    # The protocol's n_earlystop (12, assumed) replaced on the command line: no longer an assumption.
    got = dose("simulate", "--protocol", "NCT07095075", "--truth", "0.02,0.05,0.10,0.25,0.40", "--n-earlystop", "9",
               "--trials", "200")  # fmt: skip
    assert got["design"]["n_earlystop"] == 9 and "n_earlystop" not in {a["field"] for a in got["assumed"]}
    # The assumed 28-day window replaced by one month (30 days): no longer an assumption.
    got = dose("simulate", "--protocol", "NCT07095075", "--truth", "0.02,0.05,0.10,0.25,0.40", "--dlt-window-months",
               "1", "--trials", "100")  # fmt: skip
    assert got["design"]["dlt_window_days"] == 30 and "dlt_window_days" not in {a["field"] for a in got["assumed"]}
    result = runner.invoke(app, ["dose", "simulate", "--protocol", "NCT07095075", "--design", "boin", "--truth", "0.1"])
    assert result.exit_code == 2 and "not both" in result.stderr


def test_simulate_prints_people_figures() -> None:
    result = runner.invoke(app, ["dose", "simulate", "--design", "bf-boin", "--target", "0.25", "--truth",
                                 "0.04,0.12,0.25,0.43,0.63", "--response", "0.1,0.2,0.3,0.45,0.58", "--trials", "300"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "of them backfilled" in result.stdout and "mean duration" in result.stdout
    # Percentages and means for people: one decimal.
    row = next(line for line in result.stdout.splitlines() if "% selected as MTD" in line)
    assert all(len(cell.strip().split(".")[-1]) == 1 for cell in row.split("│")[2:-1]), row


def test_report(tmp_path: Path) -> None:
    out = tmp_path / "nct.html"
    result = runner.invoke(app, ["dose", "report", "--protocol", "NCT07095075", "--truth", "0.02,0.05,0.1,0.25,0.4",
                                 "--response", "0.1,0.2,0.3,0.4,0.5", "--trials", "500", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "NCT07095075: dose-finding design" in html and "<svg" in html and "Scenario 1" in html
    # The decision table row for n = 3 at φ = 0.30: escalate ≤ 0, de-escalate ≥ 2, eliminate ≥ 3.
    assert "<tr><td>3</td><td>0</td><td>2</td><td>3</td></tr>" in html
    assert "accelerated titration" in html and "cap 12 per dose" in html
    assert "12 (assumed: not published by the trial)" in html
    assert (tmp_path / "nct.scenario1.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "nct.scenario1.svg").read_text().lstrip().startswith("<?xml")
