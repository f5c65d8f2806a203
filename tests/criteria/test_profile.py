"""The patient-profile contract: schema validation with errors that name fields and never
values, unit conversion, age at as_of, eGFR from creatinine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from remission.criteria.profile import Profile, ProfileError, schema
from tests.conftest import SHARED

BASE: dict[str, Any] = {"schema_version": "1.0", "id": "p1", "as_of": "2025-12-01"}


def profile(**extra: Any) -> Profile:
    return Profile.parse({**BASE, **extra})


def test_bundled_schema_is_the_contract() -> None:
    assert schema() == json.loads((SHARED / "contracts" / "patient-profile.schema.json").read_text())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "x"}, "missing required field as_of"),
        ({**BASE, "as_of": "2025-13-40"}, "as_of: not a valid date"),
        ({**BASE, "labs": {"neutrophils": {"value": 3, "unit": "mmol/L"}}}, "labs.neutrophils.unit: not one of"),
        ({**BASE, "demographics": {"weight_kg": -4}}, "demographics.weight_kg: out of range"),
        ({**BASE, "demographics": {"shoe_size": 44}}, "demographics: unknown field shoe_size"),
        ({**BASE, "labs": {"alt": {"value": 30, "unit": "U/L", "uln": 40, "reference_unit": "mg/dL"}}}, "labs.alt.reference_unit"),
    ],
)
def test_refused_profiles_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as info:
        Profile.parse(data)
    assert field in str(info.value)


def test_errors_never_echo_values() -> None:
    with pytest.raises(ProfileError) as info:
        Profile.parse({**BASE, "demographics": {"birth_date": "31/12/1980-secret", "sex": "Jane Doe"}})
    assert "secret" not in str(info.value) and "Jane" not in str(info.value)
    assert "demographics.birth_date" in str(info.value) and "demographics.sex" in str(info.value)


def test_age_in_completed_years_birth_date_wins() -> None:
    assert profile(demographics={"birth_date": "1955-12-01", "age_years": 3}).age.value == 70  # type: ignore[union-attr]
    assert profile(demographics={"birth_date": "1955-12-02"}).age.value == 69  # type: ignore[union-attr]
    assert profile(demographics={"age_years": 41}).age.value == 41  # type: ignore[union-attr]
    assert profile().age is None


@pytest.mark.parametrize(
    ("lab", "value", "unit", "canonical"),
    [
        ("neutrophils", 1500, "cells/uL", 1.5),  # / 1000
        ("platelets", 150, "10^3/uL", 150),
        ("haemoglobin", 10.4, "g/dL", 104),  # x 10
        ("crp", 2.4, "mg/dL", 24),  # x 10
        ("total_bilirubin", 1.0, "mg/dL", 17.1),
        ("creatinine", 1.0, "mg/dL", 88.4),
        ("c3", 90, "mg/dL", 0.9),
    ],
)
def test_units(lab: str, value: float, unit: str, canonical: float) -> None:
    got = profile(labs={lab: {"value": value, "unit": unit}}).lab(lab)
    assert got is not None and got.value == pytest.approx(canonical)


def test_times_uln_converts_into_the_uln_unit() -> None:
    p = profile(labs={"total_bilirubin": {"value": 35.9, "unit": "umol/L", "uln": 1.2, "reference_unit": "mg/dL"}})
    assert p.times_uln("total_bilirubin").value == pytest.approx(35.9 / 17.1 / 1.2)  # type: ignore[union-attr]
    assert profile(labs={"alt": {"value": 2.5, "unit": "xULN"}}).times_uln("alt").value == 2.5  # type: ignore[union-attr]
    assert profile(labs={"alt": {"value": 80, "unit": "U/L"}}).times_uln("alt") is None  # no ULN: unknown


def test_egfr_reported_else_computed() -> None:
    assert profile(labs={"egfr": {"value": 30, "unit": "mL/min/1.73m2"}}).egfr.value == 30  # type: ignore[union-attr]
    adult = profile(demographics={"birth_date": "1970-03-03", "sex": "female"}, labs={"creatinine": {"value": 2.0, "unit": "mg/dL"}})
    # 142 x (2.0/0.7)^-1.200 x 0.9938^55 x 1.012
    assert adult.egfr.value == pytest.approx(142 * (2.0 / 0.7) ** -1.2 * 0.9938**55 * 1.012)  # type: ignore[union-attr]
    child = profile(demographics={"birth_date": "2020-09-15", "height_cm": 108}, labs={"creatinine": {"value": 33.6, "unit": "umol/L"}})
    assert child.egfr.value == pytest.approx(0.413 * 108 / (33.6 / 88.4))  # type: ignore[union-attr]
    no_sex = profile(demographics={"birth_date": "1970-03-03"}, labs={"creatinine": {"value": 2.0, "unit": "mg/dL"}})
    assert no_sex.egfr is None


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [at] if at else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*at, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*at, i))
    return found


def test_fast_validity_check_agrees_with_jsonschema() -> None:
    """Profiles are first checked by jsonschema-rs and only refused ones go through jsonschema
    (for the messages): the two must agree on what is valid. 30 reference profiles and 600 of
    their mutations (a field removed, a wrong type, a number out of range, an unknown field, an
    impossible date), drawn with a fixed seed."""
    import copy
    import random

    from jsonschema import Draft202012Validator, FormatChecker

    from remission.criteria.profile import _fast_check

    reference = Draft202012Validator(schema(), format_checker=FormatChecker())
    patients = [c["patient"] for c in json.loads((SHARED / "reference" / "screening" / "vignettes.json").read_text())["cases"]]
    rng = random.Random(20261122)
    mutants: list[Any] = list(patients)
    for _ in range(600):
        doc = copy.deepcopy(rng.choice(patients))
        path = rng.choice(_paths(doc))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        how = rng.randrange(5)
        if how == 0 and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == 1:
            parent[path[-1]] = "text" if not isinstance(parent[path[-1]], str) else 3
        elif how == 2:
            parent[path[-1]] = -1e9
        elif how == 3 and isinstance(parent, dict):
            parent["not_in_the_contract"] = True
        else:
            parent[path[-1]] = "2025-02-30"
        mutants.append(doc)
    verdicts = [(_fast_check().is_valid(d), reference.is_valid(d)) for d in mutants]
    assert all(fast == slow for fast, slow in verdicts)
    # The mutations must have produced both answers, or the test proves nothing.
    assert {slow for _, slow in verdicts} == {True, False}


def test_an_oversized_profile_is_refused_before_it_is_read() -> None:
    data = {"schema_version": "1.0", "id": "x" * 10_000, "as_of": "2026-12-01", "diagnoses": [{"code": "SLE"}] * 51}
    with pytest.raises(ProfileError, match="diagnoses: at most 50 entries") as caught:
        Profile.parse(data, source="test")
    assert "x" * 41 not in str(caught.value)  # the id is not echoed whole


@pytest.mark.parametrize(("change", "message"), [
    ({"demographics": {"weight_kg": float("nan")}}, "demographics.weight_kg: not a finite number"),
    ({"demographics": {"weight_kg": float("inf")}}, "demographics.weight_kg: not a finite number"),
    ({"demographics": {"birth_date": "2030-01-01"}}, "demographics.birth_date: after as_of"),
])  # fmt: skip
def test_impossible_values_are_refused(change: dict[str, Any], message: str) -> None:
    data = {"schema_version": "1.0", "id": "p", "as_of": "2026-12-01", **change}
    with pytest.raises(ProfileError, match=message):
        Profile.parse(data, source="test")
