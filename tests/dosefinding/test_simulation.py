"""Simulated operating characteristics against the reference implementations: R BOIN 2.7.2's
get.oc (../shared/reference/boin/get_oc_oc*.json) and bfboin 0.1.1's get.oc.bf (get_oc_bf_*.json),
10,000 trials from our own random stream (so agreement is statistical: selection % within 2.5
points per dose, patients per dose within 0.2, as the reference README advises); 3+3 against
probabilities worked out by hand; the NCT07095075 hybrid's titration and sample size."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DAYS_PER_MONTH, DoseDesign
from remission.dosefinding.simulation import OperatingCharacteristics, PatientModel, simulate
from remission.services.dosing import load_dose_protocol
from tests.conftest import SHARED

BOIN = SHARED / "reference" / "boin"
OC = sorted(BOIN.glob("get_oc_oc*.json"))
BF = sorted(BOIN.glob("get_oc_bf_*.json"))


def within_mc_error(got: OperatingCharacteristics, want: list[float], trials: int = 10_000) -> None:
    """Patients per dose within 0.2, or 3.5 standard errors of the difference of two runs of this
    many trials when the trials vary more (a dose where trials either stop at once or treat dozens)."""
    assert got.sd_patients_per_dose is not None
    for j, (mean, sd, ref) in enumerate(zip(got.patients_per_dose, got.sd_patients_per_dose, want, strict=True)):
        assert abs(mean - ref) <= max(0.2, 3.5 * math.sqrt(2) * sd / math.sqrt(trials)), (j + 1, mean, ref, sd)


def boin_design(a: dict[str, Any]) -> DoseDesign:
    return DoseDesign(target=a["target"], cohorts=a["ncohort"], cohort_size=a["cohortsize"],
                      n_earlystop=a.get("n.earlystop"), extrasafe=a.get("extrasafe", False),
                      start_dose=a.get("startdose", 1), bound_mtd=a.get("boundMTD", False),
                      titration={"levels": None, "grade2_trigger": False} if a.get("titration") else None)  # fmt: skip


@pytest.mark.parametrize("calendar", [False, True], ids=["cohort by cohort", "calendar time"])
@pytest.mark.parametrize("path", OC, ids=lambda p: p.stem)
def test_agrees_with_r_boin(path: Path, calendar: bool) -> None:
    # BOIN's decisions do not depend on calendar time, so both ways of running trials must agree with R.
    ref = json.loads(path.read_text())
    a, r = ref["args"], ref["result"]
    oc = simulate(boin_design(a), PatientModel(truth=a["p.true"]), 10_000, seed=20261122, calendar=calendar)
    assert oc.selection_percent == pytest.approx(r["selpercent"], abs=2.5)
    within_mc_error(oc, r["npatients"])
    assert oc.dlt_per_dose == pytest.approx(r["ntox"], abs=0.2)
    assert oc.no_mtd_percent == pytest.approx(r["percentstop"], abs=2.5)
    assert oc.mean_sample_size == pytest.approx(r["totaln"], abs=0.5)
    if "overdose60" in r:
        assert oc.overdose60_percent == pytest.approx(r["overdose60"], abs=2.5)
    assert (oc.duration_months is not None) == calendar


def bfboin(a: dict[str, Any], rules: str = "bfboin") -> tuple[DoseDesign, PatientModel]:
    design = DoseDesign(target=a["target"], cohorts=a["ncohort"], cohort_size=a["cohortsize"],
                        n_earlystop=a["n.earlystop"], dlt_window_days=round(a["dlt.window"] * DAYS_PER_MONTH),
                        backfill={"cap": a["n.cap"], "rules": rules, "assign": a["backfill.assign"]})  # fmt: skip
    model = PatientModel(truth=a["p.true"], response=a["p.response.true"], accrual_per_month=a["n.per.month"],
                         accrual=a["accrual"])  # fmt: skip
    return design, model


@pytest.mark.parametrize("path", BF, ids=lambda p: p.stem)
def test_bfboin_rules_agree_with_bfboin(path: Path) -> None:
    ref = json.loads(path.read_text())
    r = ref["result"]
    oc = simulate(*bfboin(ref["args"]), 10_000, seed=2026)
    assert oc.selection_percent == pytest.approx(r["selpercent"], abs=2.5)
    within_mc_error(oc, r["npatients"])
    assert oc.dlt_per_dose == pytest.approx(r["ntox"], abs=0.2)
    assert oc.no_mtd_percent == pytest.approx(r["percentstop"], abs=2.5)
    # Whole days: a 1-month window is 30 days, not 30.44, so durations run about 0.3 months short.
    assert oc.duration_months == pytest.approx(r["duration_months"] - 0.25, abs=0.25)


def test_paper_rules_never_pass_the_cap() -> None:
    # With "< cap" no dose ends above the cap; bfboin's "≤ cap" before adding lets one more in.
    a = {**json.loads(BF[-1].read_text())["args"], "n.cap": 6, "p.response.true": [1.0] * 5}
    paper = simulate(*bfboin(a, "paper"), 2000, seed=3)
    old = simulate(*bfboin(a, "bfboin"), 2000, seed=3)
    assert paper.backfill_per_dose is not None and old.backfill_per_dose is not None
    assert sum(paper.backfill_per_dose) < sum(old.backfill_per_dose)


def test_three_plus_three_exact_cases() -> None:
    design = DoseDesign(escalation="3+3")
    # Dose 2 always toxic: 0/3 at dose 1 escalates, 3/3 sends 3 more to dose 1, whose 6 make it the MTD.
    oc = simulate(design, PatientModel(truth=[0.0, 1.0]), 200, seed=1)
    assert (oc.selection_percent, oc.patients_per_dose) == ([100.0, 0.0], [6.0, 3.0])
    # One dose with p = 0.2: it is the MTD when its 6 patients have at most 1 DLT:
    # (0.8)^6 + 6 (0.2)(0.8)^5 = 0.262144 + 0.393216 = 0.65536.
    oc = simulate(design, PatientModel(truth=[0.2]), 100_000, seed=2)
    assert oc.selection_percent[0] == pytest.approx(65.536, abs=0.5)
    # p = (0.3, 1): dose 1 is the MTD with at most 1 DLT in its 6: 0.7^6 + 6 (0.3)(0.7)^5 = 0.420175.
    oc = simulate(design, PatientModel(truth=[0.3, 1.0]), 100_000, seed=3)
    assert oc.selection_percent[0] == pytest.approx(42.0175, abs=0.5)
    assert oc.no_mtd_percent == pytest.approx(100 - 42.0175, abs=0.5)


def test_hybrid_titration_and_sample_size() -> None:
    hybrid = load_dose_protocol("NCT07095075").design
    safe = [0.0] * 5
    # No toxicity, no response: one patient at 25 and one at 50, then cohorts from 100 up; at the top
    # dose escalation is blocked, which is "stay": 12 there reach n_earlystop: 1 + 1 + 3 + 3 + 12 = 20.
    oc = simulate(hybrid, PatientModel(truth=safe, response=safe), 500, seed=1)
    assert oc.patients_per_dose == [1.0, 1.0, 3.0, 3.0, 12.0]
    # Without n_earlystop the trial goes on to its 36 patients.
    oc = simulate(hybrid.model_copy(update={"n_earlystop": None}), PatientModel(truth=safe, response=safe), 500)
    assert oc.patients_per_dose == [1.0, 1.0, 3.0, 3.0, 28.0]
    # Every patient has a grade ≥ 2 toxicity: the second one (at 50) triggers, 50 is filled to 3.
    oc = simulate(hybrid, PatientModel(truth=safe, response=safe, grade2=[1.0] * 5), 500, seed=1)
    assert oc.patients_per_dose[:2] == [1.0, 3.0]
    # Backfill patients count towards the 36.
    oc = simulate(hybrid, PatientModel(truth=[0.02, 0.05, 0.10, 0.25, 0.40], response=[0.3] * 5), 2000, seed=5)
    assert oc.mean_sample_size <= 36 and oc.backfill_per_dose is not None and sum(oc.backfill_per_dose) > 1


def test_reproducible_by_seed_and_refusals() -> None:
    design, model = DoseDesign(), PatientModel(truth=[0.05, 0.12, 0.3, 0.46, 0.6])
    assert simulate(design, model, 500, seed=7) == simulate(design, model, 500, seed=7)
    assert simulate(design, model, 500, seed=7) != simulate(design, model, 500, seed=8)
    oc = simulate(design, model, 2000, seed=3)
    assert sum(oc.selection_percent) + oc.no_mtd_percent == pytest.approx(100)
    assert sum(oc.patients_per_dose) == pytest.approx(oc.mean_sample_size) and oc.mean_sample_size <= 30
    with pytest.raises(ValueError, match=r"truth at dose 2 = 1\.5"):
        PatientModel(truth=[0.1, 1.5])
    with pytest.raises(ValueError, match="response needs one value per dose"):
        PatientModel(truth=[0.1, 0.2], response=[0.5])
    with pytest.raises(DoseFindingError, match="start_dose: 4 is out of range"):
        simulate(DoseDesign(start_dose=4), PatientModel(truth=[0.1, 0.2]), 10)
    with pytest.raises(DoseFindingError, match="calendar time"):
        simulate(DoseDesign(backfill={}), PatientModel(truth=[0.1, 0.2]), 10, calendar=False)


def test_trials_beyond_a_block_continue_the_stream() -> None:
    # 25,000 trials run in blocks of 10,000; the figures must not depend on the blocks (each block
    # is the same machine, the random stream goes on).
    design, model = DoseDesign(target=0.25), PatientModel(truth=[0.02, 0.06, 0.1, 0.25, 0.4])
    oc = simulate(design, model, 25_000, seed=4)
    assert oc.trials == 25_000 and oc.selection_percent[3] == pytest.approx(56, abs=4)


def test_a_sample_size_smaller_than_the_expansion_cuts_it() -> None:
    # R's titration, 2 patients in all: a DLT in the first patient (p = 0.9) expands dose 1 to a
    # cohort of 3, but only one more patient fits; the trial ends with 2, never more.
    design = DoseDesign(titration={"levels": None, "grade2_trigger": False}, max_n=2, cohorts=1)
    for calendar in (False, True):
        oc = simulate(design, PatientModel(truth=[0.9, 0.9]), 300, seed=1, calendar=calendar)
        assert oc.mean_sample_size == 2
