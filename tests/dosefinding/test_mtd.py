"""select.mtd cases of R BOIN 2.7.2 (../shared/reference/boin/select_mtd_*.json): the same MTD,
the isotonic estimates, credible intervals and Pr(overdose) to 1e-6 (the files keep full precision)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.mtd import MtdSelection, select_mtd
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "boin").glob("select_mtd_*.json"))


def run(path: Path) -> tuple[dict[str, Any], MtdSelection]:
    ref = json.loads(path.read_text())
    args = ref["args"]
    design = BoinDesign(target=args["target"], cutoff_eli=args.get("cutoff.eli", 0.95),
                        extrasafe=args.get("extrasafe", False), offset=args.get("offset", 0.05))  # fmt: skip
    return ref, select_mtd(design, args["npts"], args["ntox"], bound_mtd=args.get("boundMTD", False))


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
        select_mtd(BoinDesign(0.3), [3, 3], [0, 4])
    with pytest.raises(DoseFindingError, match="one entry per dose"):
        select_mtd(BoinDesign(0.3), [3, 3], [0])
