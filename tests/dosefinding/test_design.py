"""One design, one shape: the protocol file's [design], REST's JSON and the command line's options
fill the same DoseDesign; errors name the field; a design becomes one tree of rules."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import PRESETS, DesignError, DoseDesign, design_from
from remission.dosefinding.protocol import read_protocol
from remission.dosefinding.rules import Backfill, Boin, Elimination, StopAtN, StopWhenNAtDose, Titration, rulebook
from remission.services.dosing import resolve_design

BUNDLED = files("remission") / "data" / "dose" / "NCT07095075.toml"


def test_bundled_hybrid() -> None:
    p = read_protocol(BUNDLED.read_text(encoding="utf-8"), "NCT07095075.toml")
    assert p.trial.id == "NCT07095075" and p.trial.doses == ("25", "50", "100", "200", "400")
    d = p.design
    assert (d.max_n, d.target, d.n_earlystop, d.dlt_window_days) == (36, 0.30, 12, 28)
    assert d.titration is not None and d.titration.levels == 2
    assert d.backfill is not None and d.backfill.cap == 12 and d.backfill.rules == "paper"
    assert set(d.assumed) == {"target", "n_earlystop", "dlt_window_days", "backfill.cap"}


def test_the_toml_design_is_the_rest_json() -> None:
    # The same mapping validates as a design whether it came from TOML or JSON.
    data = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))["design"]
    from_toml = DoseDesign.model_validate(data)
    from_json = DoseDesign.model_validate_json(from_toml.model_dump_json())
    assert from_json == from_toml


def test_the_tree_of_a_design() -> None:
    tree = rulebook(read_protocol(BUNDLED.read_text(encoding="utf-8")).design, 5)
    kinds = []
    node = tree
    while True:
        kinds.append(type(node))
        parent = getattr(node, "parent", None)
        if parent is None:
            break
        node = parent
    assert kinds == [StopAtN, StopAtN, StopWhenNAtDose, Titration, Backfill, Elimination, Boin]
    assert any("accelerated titration" in line for line in tree.describe())


def test_file_errors_name_section_and_key() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    with pytest.raises(DoseFindingError, match=r"x\.toml: design\.target: Input should be less than or equal to 0\.6"):
        read_protocol(text.replace("target = 0.30", "target = 0.9"), "x.toml")
    with pytest.raises(DoseFindingError, match=r"design\.targt: Extra inputs are not permitted"):
        read_protocol(text.replace("target = 0.30", "targt = 0.30"), "x.toml")
    with pytest.raises(DoseFindingError, match="not valid TOML"):
        read_protocol("[trial\n", "x.toml")
    with pytest.raises(DoseFindingError, match=r"titration\.levels: 7 is out of range \(1 to 5\)"):
        read_protocol(text.replace("levels = 2", "levels = 7"), "x.toml")
    with pytest.raises(DoseFindingError, match="assumed: 'cap' is not a field of the design"):
        read_protocol(text.replace('"backfill.cap"]', '"cap"]'), "x.toml")


def test_options_override_by_name_and_path() -> None:
    base = design_from(PRESETS["bf-boin"])
    d = design_from(base, {"backfill_cap": 9, "titration": True, "dlt_window_months": 1, "target": None})
    assert d.backfill is not None and d.backfill.cap == 9
    assert d.titration is not None and d.titration.levels is None and not d.titration.grade2_trigger
    assert d.dlt_window_days == 30 and d.target == 0.30  # None overrides nothing
    assert design_from(base, {"backfill.rules": "bfboin"}).backfill.rules == "bfboin"  # type: ignore[union-attr]


def test_overrides_are_refused_with_the_option_named() -> None:
    with pytest.raises(DesignError) as caught:
        design_from(PRESETS["boin"], {"backfill_cap": 12, "cohort_size": 0}, "options")
    assert caught.value.problems == [("backfill_cap", "the design has no backfill")]
    with pytest.raises(DesignError, match="cohort_size: Input should be greater than or equal to 1"):
        design_from(None, {"cohort_size": 0})
    with pytest.raises(DesignError, match="backfill needs cohorts of at least 3"):
        design_from(PRESETS["bf-boin"], {"cohort_size": 2})
    with pytest.raises(DesignError, match="cohorts: Input should be less than or equal to 100"):
        design_from(None, {"cohorts": 200})


def test_a_protocol_with_options_drops_the_assumptions_it_replaces() -> None:
    protocol, design = resolve_design("NCT07095075", None, {"target": 0.25, "n_earlystop": 9})
    assert protocol is not None and design.target == 0.25 and design.n_earlystop == 9
    assert set(design.assumed) == {"dlt_window_days", "backfill.cap"}
    with pytest.raises(DesignError, match="give a protocol or a design, not both"):
        resolve_design("NCT07095075", "boin", {})
    with pytest.raises(DesignError, match="'bogus' is not one of"):
        resolve_design(None, "bogus", {})
    with pytest.raises(DoseFindingError, match="no bundled protocol"):
        resolve_design("/etc/passwd", None, {}, allow_paths=False)
