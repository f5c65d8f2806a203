"""BF-BOIN operating characteristics against bfboin 0.1.1's get.oc.bf
(../shared/reference/boin/get_oc_bf_*.json), 10,000 trials from our own random stream, with
``rules="bfboin"``: selection % within 2.5 points, patients per dose within 0.2, % without MTD
within 2.5 points, and the mean trial duration within 0.3 months."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.simulate_bf import BackfillSettings, simulate_bf_boin
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("get_oc_bf_*.json"))


def run(args: dict[str, Any], rules: str, seed: int = 2026, trials: int = 10_000) -> Any:
    design = BoinDesign(target=args["target"], n_cohorts=args["ncohort"], cohort_size=args["cohortsize"],
                        n_earlystop=args["n.earlystop"])  # fmt: skip
    settings = BackfillSettings(cap=args["n.cap"], accrual_per_month=args["n.per.month"],
                                dlt_window_months=args["dlt.window"], accrual=args["accrual"],
                                assign=args["backfill.assign"], rules=rules)  # type: ignore[arg-type]  # fmt: skip
    return simulate_bf_boin(design, args["p.true"], args["p.response.true"], settings, trials, seed=seed)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_agrees_with_bfboin(path: Path) -> None:
    ref = json.loads(path.read_text())
    r = ref["result"]
    oc = run(ref["args"], "bfboin")
    assert oc.selection_percent == pytest.approx(r["selpercent"], abs=2.5)
    assert oc.patients_per_dose == pytest.approx(r["npatients"], abs=0.2)
    assert oc.dlt_per_dose == pytest.approx(r["ntox"], abs=0.2)
    assert oc.no_mtd_percent == pytest.approx(r["percentstop"], abs=2.5)
    assert oc.duration_months == pytest.approx(r["duration_months"], abs=0.3)


def test_paper_rules_never_pass_the_cap() -> None:
    # With the paper's "< cap" no dose ends above the cap; bfboin's "≤ cap" lets one more in.
    args = json.loads(FILES[-1].read_text())["args"]
    args = {**args, "n.cap": 6, "p.response.true": [1.0] * 5}
    paper, bfboin = run(args, "paper", trials=2000), run(args, "bfboin", trials=2000)
    assert paper.mean_sample_size < bfboin.mean_sample_size


def test_refusals() -> None:
    with pytest.raises(DoseFindingError, match="cohorts of at least 3"):
        simulate_bf_boin(BoinDesign(0.25, cohort_size=1), [0.1, 0.2])
    with pytest.raises(DoseFindingError, match="response needs one probability"):
        simulate_bf_boin(BoinDesign(0.25), [0.1, 0.2], [0.5])


@pytest.mark.parametrize(("name", "titration"), [("get_oc_oc11", 0), ("get_oc_oc15", 5)])
def test_without_backfill_the_calendar_engine_is_r_boin(name: str, titration: int) -> None:
    # BOIN decisions do not depend on calendar time, so with backfilling off the same engine must
    # reproduce R BOIN's get.oc, and with titration on every dose its titration=TRUE run.
    ref = json.loads((SHARED / "reference" / "boin" / f"{name}.json").read_text())
    a, r = ref["args"], ref["result"]
    design = BoinDesign(target=a["target"], n_cohorts=a["ncohort"], cohort_size=a["cohortsize"])
    settings = BackfillSettings(backfill=False, titration_levels=titration, max_total=design.max_n)
    oc = simulate_bf_boin(design, a["p.true"], None, settings, 10_000, seed=77)
    assert oc.selection_percent == pytest.approx(r["selpercent"], abs=2.5)
    assert oc.patients_per_dose == pytest.approx(r["npatients"], abs=0.2)


def test_hybrid_titration_triggers() -> None:
    design = BoinDesign(0.30, n_cohorts=12)
    safe = [0.0] * 5
    # No toxicity: one patient at 25 and one at 50, then cohorts from 100 up; no response, no backfill.
    plain = BackfillSettings(titration_levels=2, max_total=36)
    oc = simulate_bf_boin(design, safe, [0.0] * 5, plain, 500, seed=1)
    assert oc.patients_per_dose[:2] == [1.0, 1.0]
    assert oc.mean_sample_size == 36
    # Every patient has a grade ≥ 2 toxicity: the second one (at 50) triggers, 50 is filled to 3.
    graded = BackfillSettings(titration_levels=2, max_total=36, grade2=(1.0,) * 5)
    oc = simulate_bf_boin(design, safe, [0.0] * 5, graded, 500, seed=1)
    assert oc.patients_per_dose[:2] == [1.0, 3.0]


def test_hybrid_total_counts_backfill() -> None:
    design = BoinDesign(0.30, n_cohorts=12)
    settings = BackfillSettings(titration_levels=2, max_total=36, cap=12)
    oc = simulate_bf_boin(design, [0.02, 0.05, 0.10, 0.25, 0.40], [0.3] * 5, settings, 2000, seed=5)
    assert oc.mean_sample_size <= 36
    assert oc.duration_months is not None and oc.duration_months > 0
