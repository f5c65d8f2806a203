"""BOIN operating characteristics against R BOIN 2.7.2's get.oc (../shared/reference/boin/get_oc_oc*.json),
10,000 trials from our own random stream: selection % within 2.5 points per dose, patients per
dose within 0.2, % without an MTD (R's "percentstop") within 2.5 points."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.mtd import select_mtd, select_mtd_batch
from remission.dosefinding.simulate import simulate_boin
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("get_oc_oc*.json"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_agrees_with_r_boin(path: Path) -> None:
    ref = json.loads(path.read_text())
    a, r = ref["args"], ref["result"]
    design = BoinDesign(target=a["target"], n_cohorts=a["ncohort"], cohort_size=a["cohortsize"],
                        n_earlystop=a.get("n.earlystop", 100), extrasafe=a.get("extrasafe", False))  # fmt: skip
    oc = simulate_boin(design, a["p.true"], 10_000, seed=20261122, start_dose=a.get("startdose", 1),
                       titration=a.get("titration", False), bound_mtd=a.get("boundMTD", False))  # fmt: skip
    assert oc.selection_percent == pytest.approx(r["selpercent"], abs=2.5)
    assert oc.patients_per_dose == pytest.approx(r["npatients"], abs=0.2)
    assert oc.dlt_per_dose == pytest.approx(r["ntox"], abs=0.2)
    assert oc.no_mtd_percent == pytest.approx(r["percentstop"], abs=2.5)
    assert oc.mean_sample_size == pytest.approx(r["totaln"], abs=0.5)
    if "overdose60" in r:
        assert oc.overdose60_percent == pytest.approx(r["overdose60"], abs=2.5)


def test_reproducible_by_seed() -> None:
    design = BoinDesign(0.3)
    truth = [0.05, 0.12, 0.3, 0.46, 0.6]
    assert simulate_boin(design, truth, 500, seed=7) == simulate_boin(design, truth, 500, seed=7)
    assert simulate_boin(design, truth, 500, seed=7) != simulate_boin(design, truth, 500, seed=8)


def test_totals_and_refusals() -> None:
    oc = simulate_boin(BoinDesign(0.3), [0.05, 0.12, 0.3, 0.46, 0.6], 2000, seed=3)
    assert sum(oc.selection_percent) + oc.no_mtd_percent == pytest.approx(100)
    assert sum(oc.patients_per_dose) == pytest.approx(oc.mean_sample_size)
    assert oc.mean_sample_size <= 30
    with pytest.raises(DoseFindingError, match=r"truth at dose 2 = 1\.5"):
        simulate_boin(BoinDesign(0.3), [0.1, 1.5], 10)
    with pytest.raises(DoseFindingError, match="start_dose = 4"):
        simulate_boin(BoinDesign(0.3), [0.1, 0.2], 10, start_dose=4)


@st.composite
def trials(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    doses = draw(st.integers(1, 6))
    lo = draw(st.integers(0, doses - 1))
    hi = draw(st.integers(lo, doses - 1))
    n = [draw(st.integers(1, 20)) if lo <= j <= hi else 0 for j in range(doses)]
    y = [draw(st.integers(0, m)) for m in n]
    return n, y


@settings(max_examples=300)
@given(trials(), st.sampled_from([0.2, 0.25, 0.3, 0.33]), st.booleans(), st.booleans())
def test_batch_selection_equals_select_mtd(trial: tuple[list[int], list[int]], target: float, bound: bool,
                                           extrasafe: bool) -> None:  # fmt: skip
    n, y = trial
    design = BoinDesign(target, extrasafe=extrasafe)
    one = select_mtd(design, n, y, bound_mtd=bound).mtd
    batch = select_mtd_batch(design, np.array([n]), np.array([y]), bound_mtd=bound)[0]
    assert batch == (-1 if one is None else one - 1)


def test_three_plus_three_exact_cases() -> None:
    from remission.dosefinding.simulate import simulate_three_plus_three

    # Dose 2 always toxic: 0/3 at dose 1 escalates, 3/3 sends 3 more to dose 1, whose 6 make it the MTD.
    oc = simulate_three_plus_three(BoinDesign(0.3), [0.0, 1.0], 200, seed=1)
    assert (oc.selection_percent, oc.patients_per_dose) == ([100.0, 0.0], [6.0, 3.0])
    # One dose with p = 0.2: it is the MTD when its 6 patients have at most 1 DLT:
    # (0.8)^6 + 6 (0.2)(0.8)^5 = 0.262144 + 0.393216 = 0.65536.
    oc = simulate_three_plus_three(BoinDesign(0.3), [0.2], 100_000, seed=2)
    assert oc.selection_percent[0] == pytest.approx(65.536, abs=0.5)
    # p = (0.3, 1): dose 1 is the MTD with at most 1 DLT in its 6: 0.7^6 + 6 (0.3)(0.7)^5 = 0.420175.
    oc = simulate_three_plus_three(BoinDesign(0.3), [0.3, 1.0], 100_000, seed=3)
    assert oc.selection_percent[0] == pytest.approx(42.0175, abs=0.5)
    assert oc.no_mtd_percent == pytest.approx(100 - 42.0175, abs=0.5)
