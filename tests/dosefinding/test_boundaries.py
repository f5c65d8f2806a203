"""BOIN boundaries against R BOIN 2.7.2's get.boundary (../shared/reference/boin/get_boundary_*.json):
λe, λd and every cell of the full table, the decision grid and the extrasafe stop boundary, exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from remission.dosefinding.boundaries import BoinDesign, Decision, DoseFindingError
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("get_boundary_*.json"))


def design(args: dict[str, Any]) -> BoinDesign:
    return BoinDesign(target=args["target"], n_cohorts=args["ncohort"], cohort_size=args["cohortsize"],
                      extrasafe=args.get("extrasafe", False))  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lambdas(path: Path) -> None:
    ref = json.loads(path.read_text())
    lambda_e, lambda_d = design(ref["args"]).lambdas
    assert lambda_e == pytest.approx(ref["result"]["lambda_e"], abs=1e-12)
    assert lambda_d == pytest.approx(ref["result"]["lambda_d"], abs=1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_full_table_every_cell(path: Path) -> None:
    ref = json.loads(path.read_text())
    rows = design(ref["args"]).table
    want = ref["result"]["full_boundary_tab"]
    assert len(rows) == len(want)
    for row, cell in zip(rows, want, strict=True):
        assert (row.n, row.escalate_if_dlt_le, row.deescalate_if_dlt_ge, row.eliminate_if_dlt_ge) == (
            cell["n"], cell["escalate_if_dlt_le"], cell["deescalate_if_dlt_ge"], cell["eliminate_if_dlt_ge"])  # fmt: skip


@pytest.mark.parametrize("path", [p for p in FILES if "extrasafe" not in p.name], ids=lambda p: p.stem)
def test_decision_grid(path: Path) -> None:
    ref = json.loads(path.read_text())
    d = design(ref["args"])
    for cell in ref["derived"]["decision_grid"]:
        got = [d.row(cell["n"]).decision(y).value for y in range(cell["n"] + 1)]
        assert got == cell["decision_by_y"], cell["n"]


@pytest.mark.parametrize("path", [p for p in FILES if "extrasafe" in p.name], ids=lambda p: p.stem)
def test_extrasafe_stop_boundary(path: Path) -> None:
    ref = json.loads(path.read_text())
    d = design(ref["args"])
    assert ref["result"]["stop_cutoff"] == pytest.approx(d.cutoff_eli - d.offset)
    for cell in ref["result"]["stop_boundary"]:
        assert d.stop_boundary(cell["n_at_lowest_dose"]) == cell["stop_trial_if_dlt_ge"]


def test_target_025_deescalates_at_one_in_three_unless_asked_to_stay() -> None:
    # The 0.25 table says de-escalate on 1/3 (⌈0.2984 × 3⌉ = 1); the app's option keeps the dose.
    assert BoinDesign(0.25).row(3).decision(1) is Decision.DEESCALATE
    assert BoinDesign(0.25, stay_at_one_third=True).row(3).decision(1) is Decision.STAY
    with pytest.raises(DoseFindingError, match="stay_at_one_third"):
        BoinDesign(0.30, stay_at_one_third=True)


def test_refused_designs_name_the_parameter() -> None:
    with pytest.raises(DoseFindingError, match=r"target = 0\.7"):
        BoinDesign(0.7)
    with pytest.raises(DoseFindingError, match="p_saf"):
        BoinDesign(0.3, p_saf=0.29)
