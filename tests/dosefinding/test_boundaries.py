"""BOIN boundaries against R BOIN 2.7.2's get.boundary (../shared/reference/boin/get_boundary_*.json):
λe, λd and every cell of the full table, the decision grid and the extrasafe stop boundary, exactly;
the BF-BOIN article's Table 1 (stay at 1/3); and the posterior tail against SciPy's Beta function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import betaincc

from remission.dosefinding.boundaries import Decision, DecisionTable, DoseFindingError, overdose_probabilities
from remission.dosefinding.design import DoseDesign
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("get_boundary_*.json"))


def design(args: dict[str, Any]) -> DecisionTable:
    return DoseDesign(target=args["target"], cohorts=args["ncohort"], cohort_size=args["cohortsize"],
                      extrasafe=args.get("extrasafe", False)).table()  # fmt: skip


def upto(args: dict[str, Any]) -> int:
    return int(args["ncohort"] * args["cohortsize"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lambdas(path: Path) -> None:
    ref = json.loads(path.read_text())
    lambda_e, lambda_d = design(ref["args"]).lambdas
    assert lambda_e == pytest.approx(ref["result"]["lambda_e"], abs=1e-12)
    assert lambda_d == pytest.approx(ref["result"]["lambda_d"], abs=1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_full_table_every_cell(path: Path) -> None:
    ref = json.loads(path.read_text())
    rows = design(ref["args"]).rows(upto(ref["args"]))
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
    assert d.cutoff_eli is not None and d.extrasafe_offset is not None
    assert ref["result"]["stop_cutoff"] == pytest.approx(d.cutoff_eli - d.extrasafe_offset)
    for cell in ref["result"]["stop_boundary"]:
        assert d.stop_boundary(cell["n_at_lowest_dose"]) == cell["stop_trial_if_dlt_ge"]


def test_target_025_deescalates_at_one_in_three_unless_asked_to_stay() -> None:
    # The 0.25 table says de-escalate on 1/3 (⌈0.2984 × 3⌉ = 1); the article's Table 1 keeps the dose.
    assert DoseDesign(target=0.25).table().row(3).decision(1) is Decision.DEESCALATE
    assert DoseDesign(target=0.25, stay_at_one_third=True).table().row(3).decision(1) is Decision.STAY
    with pytest.raises(ValueError, match="stay_at_one_third"):
        DoseDesign(target=0.30, stay_at_one_third=True)


def test_the_articles_table_1() -> None:
    # Zhao 2024, Table 1 (target 0.25, cut-off 0.95, 1/3 stays), n = 3 .. 30, transcribed in the reference.
    ref = json.loads((SHARED / "reference" / "bf_boin_paper" / "zhao2024.json").read_text())["table1_decision_table"]
    table = DoseDesign(target=0.25, stay_at_one_third=True).table()
    got = [table.row(n) for n in ref["n"]]
    assert [r.escalate_if_dlt_le for r in got] == ref["escalate_if_dlt_at_most"]
    assert [r.deescalate_if_dlt_ge for r in got] == ref["deescalate_if_dlt_at_least"]
    assert [r.eliminate_if_dlt_ge for r in got] == ref["eliminate_if_dlt_at_least"]


@pytest.mark.parametrize(("target", "n"), [(0.25, 3), (0.3, 12), (0.3, 300), (0.2, 2400)])
def test_posterior_tail_equals_the_beta_function(target: float, n: int) -> None:
    # Pr(p > φ | y of n, Beta(1, 1) prior) = upper tail of Beta(y + 1, n − y + 1) at φ (SciPy's
    # regularised incomplete Beta, an independent implementation). n = 2400 is 200 cohorts of 12:
    # the exact binomial sum of the old code overflowed there.
    y = np.arange(n + 1)
    assert overdose_probabilities(target, n) == pytest.approx(betaincc(y + 1, n - y + 1, target), abs=1e-9)


def test_a_table_of_thousands_of_rows_is_computable() -> None:
    table = DoseDesign(target=0.3, cohorts=100, cohort_size=12).table()
    rows = table.rows(1200)
    assert rows[-1].n == 1200 and rows[-1].eliminate_if_dlt_ge is not None
    # The cuts grow with n and stay in order: escalate < de-escalate ≤ eliminate.
    assert all(r.escalate_if_dlt_le < r.deescalate_if_dlt_ge <= (r.eliminate_if_dlt_ge or r.n + 1) for r in rows)


def test_refused_designs_name_the_parameter() -> None:
    with pytest.raises(DoseFindingError, match=r"target = 0\.7"):
        DecisionTable(0.7, 0.42, 0.98)
    with pytest.raises(ValueError, match="p_saf"):
        DoseDesign(target=0.3, p_saf=0.29)
