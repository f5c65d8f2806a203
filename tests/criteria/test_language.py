"""The criteria language: Kleene three-valued logic, the leaves' rules, protocol-file errors."""

from __future__ import annotations

from typing import Any

import pytest

from remission.criteria.logic import Context
from remission.criteria.parse import ExpressionError, parse
from remission.criteria.profile import Profile
from remission.criteria.protocol import ProtocolError, load_protocol_text

BASE: dict[str, Any] = {"id": "p", "as_of": "2025-12-01"}


def value(rule: dict[str, Any], **facts: Any) -> bool | None:
    profile = Profile.parse({**BASE, **facts})
    diagnoses = facts.get("diagnoses") or [None]
    return parse(rule).evaluate(Context(profile, diagnoses[0])).value


LVEF60 = {"organ_function": {"lvef_percent": 60}}
T, F, U = {"measure": "lvef", "at_least": 50}, {"measure": "lvef", "at_least": 70}, {"measure": "dlco", "at_least": 1}


@pytest.mark.parametrize(
    ("rule", "want"),
    [
        # Kleene: all fails on any failure, is unknown only while nothing fails; any dually.
        ({"all": [T, U]}, None), ({"all": [F, U]}, False), ({"all": [T, T]}, True),
        ({"any": [F, U]}, None), ({"any": [T, U]}, True), ({"any": [F, F]}, False),
        ({"not": U}, None), ({"not": F}, True),
        ({"decide": {"met_if": U, "not_met_if": T}}, False), ({"decide": {"met_if": T, "not_met_if": T}}, True),
        ({"decide": {"met_if": F, "not_met_if": U}}, None),
        ({"if": {"condition": U, "then": T}}, None), ({"if": {"condition": F, "then": F}}, True),
        ({"if": {"condition": T, "then": F}}, False),
    ],
)  # fmt: skip
def test_three_valued_logic(rule: dict[str, Any], want: bool | None) -> None:
    assert value(rule, **LVEF60) is want


@pytest.mark.parametrize(
    ("rule", "lvef", "want"),
    [
        ({"at_least": 55}, 55, True), ({"above": 55}, 55, False), ({"below": 55}, 54.9, True),
        ({"at_most": 55}, 55, True), ({"between": [50, 55]}, 50, True), ({"between": [50, 55]}, 55.1, False),
    ],
)  # fmt: skip
def test_thresholds_inclusive_as_written(rule: dict[str, Any], lvef: float, want: bool) -> None:
    assert value({"measure": "lvef", **rule}, organ_function={"lvef_percent": lvef}) is want


def test_threshold_in_another_unit() -> None:
    # ">= 1500 cells/uL" against 1.5 x 10^9/L (= 1500 cells/uL): met; ">= 1501 cells/uL": not.
    labs = {"neutrophils": {"value": 1.5, "unit": "10^9/L"}}
    assert value({"measure": "neutrophils", "at_least": 1500, "unit": "cells/uL"}, labs=labs) is True
    assert value({"measure": "neutrophils", "at_least": 1501, "unit": "cells/uL"}, labs=labs) is False


def test_absent_is_unknown_never_no() -> None:
    assert value({"condition": "cirrhosis"}) is None
    assert value({"condition": "cirrhosis"}, comorbidities={"cirrhosis": {"present": False}}) is False
    assert value({"positive": "hbsag"}, infections={"hbsag": {"status": "unknown"}}) is None
    assert value({"positive": "hbsag"}, infections={"hbsag": {"status": "equivocal"}}) is None
    assert value({"received": ["car_t"]}) is None
    assert value({"received": ["car_t"]}, not_received=[{"category": "car_t"}]) is False
    assert value({"received": ["car_t"]}, not_received=[{"category": "car_t", "since": "2020-01-01"}]) is None
    assert value({"other_autoimmune": True}, diagnoses=[{"code": "SLE"}]) is None
    assert value({"other_autoimmune": True}, diagnoses=[{"code": "SLE"}], diagnoses_complete=True) is False


def test_ana_titre_counts_from_1_in_80() -> None:
    assert value({"positive": "ana"}, serology={"ana": {"status": "positive", "titre_denominator": 40}}) is False
    assert value({"positive": "ana"}, serology={"ana": {"status": "positive", "titre_denominator": 80}}) is True
    assert value({"positive": "ana"}, serology={"ana": {"status": "positive"}}) is True


def test_condition_qualifiers() -> None:
    rule = {"condition": "diabetes", "uncontrolled": True}
    assert value(rule, comorbidities={"diabetes": {"present": True, "controlled": True}}) is False
    assert value(rule, comorbidities={"diabetes": {"present": True, "controlled": False}}) is True
    assert value(rule, comorbidities={"diabetes": {"present": True}}) is None


def test_courses_count_distinct_agents_and_months() -> None:
    rule = {"courses": ["csdmard_immunosuppressant"], "min_agents": 2, "min_months": 3}
    mmf = {"agent": "MMF", "category": "csdmard_immunosuppressant", "start": "2024-01-15", "end": "2024-04-15"}
    mmf2 = {**mmf, "agent": "mycophenolate mofetil"}  # the same agent: counts once
    tac = {"agent": "tacrolimus", "category": "csdmard_immunosuppressant", "start": "2024-05-01", "end": "2024-07-31"}
    assert value(rule, treatments=[mmf, mmf2], treatments_complete=True) is False
    # 1 May -> 31 Jul is 2 completed months (1 Aug would be 3): tacrolimus does not count.
    assert value(rule, treatments=[mmf, tac], treatments_complete=True) is False
    assert value(rule, treatments=[mmf, {**tac, "end": "2024-08-01"}], treatments_complete=True) is True
    assert value(rule, treatments=[mmf]) is None  # the list may be incomplete


def test_dose_per_kg_uses_weight() -> None:
    rule = {"courses": ["glucocorticoid"], "dose_at_least": {"value": 1, "unit": "mg/kg/day"}}
    pred = {"agent": "prednisone", "category": "glucocorticoid", "dose": {"value": 60, "unit": "mg/day"}}
    assert value(rule, treatments=[pred], treatments_complete=True) is None  # no weight
    assert value(rule, treatments=[pred], treatments_complete=True, demographics={"weight_kg": 60}) is True
    assert value(rule, treatments=[pred], treatments_complete=True, demographics={"weight_kg": 61}) is False


def test_malignancy_exemptions() -> None:
    rule = {"malignancy": True, "except": [{"types": ["breast"], "in_situ": True, "disease_free_years_above": 5}]}
    dcis = {"type": "breast", "in_situ": True, "years_disease_free": 6}
    assert value(rule, comorbidities={"malignancy": {"present": True, "entries": [dcis]}}) is False
    assert value(rule, comorbidities={"malignancy": {"present": True, "entries": [{**dcis, "years_disease_free": 5}]}}) is True
    assert value(rule, comorbidities={"malignancy": {"present": True, "entries": [{**dcis, "in_situ": None}]}}) is None
    assert value(rule, comorbidities={"malignancy": {"present": True}}) is None


def test_live_vaccine_window() -> None:
    rule = {"received": ["live_vaccine"], "within_days": 28}
    shot = {"agent": "MMR", "category": "live_vaccine", "start": "2025-11-03"}  # 28 days before as_of
    assert value(rule, treatments=[shot], treatments_complete=True) is True
    assert value(rule, treatments=[{**shot, "start": "2025-11-02"}], treatments_complete=True) is False


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ({"measure": "lvef"}, "needs a threshold"),
        ({"measure": "lvf", "at_least": 5}, "unknown measure 'lvf'"),
        ({"all": []}, "rule.all: needs a non-empty list"),
        ({"positive": ["hbsag", "hbx"]}, "unknown test 'hbx'"),
        ({"fact": "organ_function.lvef_percent"}, "unknown yes/no fact"),
        ({"colour": "red"}, "no known expression"),
    ],
)
def test_bad_expressions_are_named(rule: dict[str, Any], where: str) -> None:
    with pytest.raises(ExpressionError, match=where):
        parse(rule)


def test_protocol_errors_name_file_and_criterion() -> None:
    text = "id: X\ncohorts: [{name: SLE, disease: SLE}]\ninclusion:\n  - id: I9\n    text: LVEF\n    rule: {measure: lvef}\n"
    with pytest.raises(ProtocolError, match=r"x.yaml: inclusion I9: rule: a measure needs a threshold"):
        load_protocol_text(text, source="x.yaml")
    with pytest.raises(ProtocolError, match="cohort 'AAV' is not declared"):
        load_protocol_text(text.replace("    rule: {measure: lvef}", "    cohort: AAV\n    review: x"), source="x.yaml")
    with pytest.raises(ProtocolError, match="either a rule or a review"):
        load_protocol_text(text.replace("    rule: {measure: lvef}\n", ""), source="x.yaml")
    with pytest.raises(ProtocolError, match="not valid YAML"):
        load_protocol_text("id: [", source="x.yaml")


@pytest.mark.parametrize(
    "rule",
    [
        {"relapsed_refractory": True},
        {"other_autoimmune": True, "active_only": True},
        {"fact": "organ_function.leukapheresis_feasible", "is": False},
        {"malignancy": True, "except": [{"types": ["breast"], "in_situ": True}]},
        {"received": ["car_t"], "cell_source": "autologous"},
        {"decide": {"met_if": {"positive": ["hbsag"]}, "not_met_if": {"not": {"positive": ["hbsag"]}}}},
    ],
)
def test_written_form_round_trips(rule: dict[str, Any]) -> None:
    # A tree writes itself back as the mapping it was read from (the extractor's output form).
    assert parse(rule).to_dict() == rule
