"""select.mtd cases of R BOIN 2.7.2 (../shared/reference/boin/select_mtd_*.json): the same MTD,
the isotonic estimates, credible intervals and Pr(overdose) to 1e-6 (the files keep full precision)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DoseDesign
from remission.dosefinding.mtd import MtdSelection, select_mtd, select_mtd_batch
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("select_mtd_*.json"))


def run(path: Path) -> tuple[dict[str, Any], MtdSelection]:
    ref = json.loads(path.read_text())
    args = ref["args"]
    design = DoseDesign(target=args["target"], cutoff_eli=args.get("cutoff.eli", 0.95),
                        extrasafe=args.get("extrasafe", False), offset=args.get("offset", 0.05))  # fmt: skip
    return ref, select_mtd(design.table(), args["npts"], args["ntox"], bound_mtd=args.get("boundMTD", False))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_same_mtd(path: Path) -> None:
    ref, got = run(path)
    want = ref["result"]["MTD"]
    assert got.mtd == (None if want == 99 else want)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_internals(path: Path) -> None:
    ref, got = run(path)
    internals = ref["internals_full_precision"]
    treated = [d - 1 for d in internals["treated_doses"]]
    assert got.eliminated == [bool(e) for e in internals["eliminated"]]
    assert got.admissible == (internals["admissible_doses"] or [])
    for mine, theirs in (("estimates", "isotonic_all_treated"), ("p_overdose", "p_overdose_all_treated"),
                         ("ci_lower", "ci95_lower_all_treated"), ("ci_upper", "ci95_upper_all_treated")):  # fmt: skip
        values = getattr(got, mine)
        assert [values[j] for j in treated] == pytest.approx(internals[theirs], abs=1e-6), mine
        assert all(values[j] is None for j in range(len(values)) if j not in treated)
    if internals.get("isotonic_admissible") is not None:
        assert got.selection_estimates == pytest.approx(internals["isotonic_admissible"], abs=1e-6)


def test_reported_strings_round_to_the_same_two_decimals() -> None:
    for path in FILES:
        ref, got = run(path)
        for row, value in zip(ref["result"]["p_est_reported"], got.estimates, strict=True):
            assert row["phat"] == ("----" if value is None else f"{value:.2f}")


def test_bad_counts() -> None:
    with pytest.raises(DoseFindingError, match="dose 2: y = 4 DLTs in n = 3"):
        select_mtd(DoseDesign().table(), [3, 3], [0, 4])
    with pytest.raises(DoseFindingError, match="one entry per dose"):
        select_mtd(DoseDesign().table(), [3, 3], [0])


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
    table = DoseDesign(target=target, extrasafe=extrasafe).table()
    one = select_mtd(table, n, y, bound_mtd=bound).mtd
    batch = select_mtd_batch(table, np.array([n]), np.array([y]), bound_mtd=bound)[0]
    assert batch == (-1 if one is None else one - 1)


def test_batch_selection_of_rows_with_a_gap() -> None:
    # Treated doses that are not adjacent cannot come from these designs; the exact PAVA answers them.
    table = DoseDesign(target=0.3).table()
    n, y = [3, 0, 6, 0], [0, 0, 2, 0]
    one = select_mtd(table, n, y).mtd
    assert select_mtd_batch(table, np.array([n]), np.array([y]))[0] == (-1 if one is None else one - 1)
