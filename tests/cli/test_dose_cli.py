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
    assert result.exit_code == 2 and "target = 0.9" in result.stderr
    result = runner.invoke(app, ["dose", "simulate", "--truth", "0.1,2"])
    assert result.exit_code == 2 and "truth at dose 2" in result.stderr
