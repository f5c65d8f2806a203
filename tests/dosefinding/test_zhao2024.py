"""The BF-BOIN article's Table 4 (Zhao, Yuan, Korn, Freidlin, Clin Cancer Res 2024;30:673), its BOIN
rows and those of Supplementary Tables A2 and A16, reproduced by the default (``paper``) rules within
the tolerances the transcription states (../shared/reference/bf_boin_paper/zhao2024.json): the
article's settings (target 0.25, 10 cohorts of 3, n_stop 9 with a decision to stay, 1/3 stays,
backfill cap 12, 3 patients a month with uniform gaps, a 1-month window)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from remission.dosefinding.design import DoseDesign
from remission.dosefinding.simulation import PatientModel, simulate
from remission.dosefinding.summary import relative_to_mtd
from tests.conftest import SHARED

REF = json.loads((SHARED / "reference" / "bf_boin_paper" / "zhao2024.json").read_text())
SCENARIOS = {s["scenario"]: s for s in REF["scenarios"]}
TOLERANCE = {k: v for k, v in REF["tolerance"].items() if k != "note"}


def check(published: dict[str, Any], got: dict[str, float | None]) -> None:
    for key, tolerance in TOLERANCE.items():
        if published.get(key) is None:
            continue
        value = got[key]
        assert value is not None and abs(value - published[key]) <= tolerance, (key, value, published[key])


def design(stay: bool, backfill: bool) -> DoseDesign:
    return DoseDesign(target=0.25, cohorts=10, n_earlystop=9, stay_at_one_third=stay, dlt_window_days=30,
                      backfill={"cap": 12} if backfill else None)  # fmt: skip


@pytest.mark.parametrize("row", REF["bf_boin_published"], ids=lambda r: f"BF-BOIN s{r['scenario']}")
def test_bf_boin_rows(row: dict[str, Any]) -> None:
    s = SCENARIOS[row["scenario"]]
    oc = simulate(design(True, True), PatientModel(truth=s["p_dlt"], response=s["p_response"]), 10_000, seed=2024)
    check(row, relative_to_mtd(oc, s["mtd_dose"]))


@pytest.mark.parametrize("row", REF["boin_published"], ids=lambda r: f"BOIN {r['table']} s{r['scenario']}")
def test_boin_rows(row: dict[str, Any]) -> None:
    s = SCENARIOS[row["scenario"]]
    model = PatientModel(truth=s["p_dlt"], accrual_per_month=row["accrual_per_month"])
    oc = simulate(design(row["stay_on_1_of_3"], False), model, 10_000, seed=2024, calendar=True)
    check(row, relative_to_mtd(oc, s["mtd_dose"]))


def test_backfilling_adds_patients_below_the_mtd_and_no_risk() -> None:
    # The article's message, scenario 3: backfilling treats more patients below the MTD, keeps the
    # correct selection at least as high, and treats no more patients above the MTD.
    s = SCENARIOS[3]
    with_bf = relative_to_mtd(simulate(design(True, True), PatientModel(truth=s["p_dlt"], response=s["p_response"]),
                               10_000, seed=5), 3)  # fmt: skip
    without = relative_to_mtd(simulate(design(True, False), PatientModel(truth=s["p_dlt"]), 10_000, seed=5, calendar=True), 3)
    assert with_bf["patients_below"] is not None and without["patients_below"] is not None
    assert with_bf["patients_below"] > without["patients_below"] + 4
    assert with_bf["correct_selection_percent"] >= without["correct_selection_percent"] - 1  # type: ignore[operator]
    assert with_bf["patients_over"] <= without["patients_over"] + 0.2  # type: ignore[operator]
