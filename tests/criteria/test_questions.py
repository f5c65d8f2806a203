"""The pre-screen questionnaire: from a protocol's missing facts to questions, and the answers
back into a contract profile that screens as a clinician's record would."""

from __future__ import annotations

import pytest

from remission.criteria.profile import Profile
from remission.criteria.questions import AnswerError, profile_from_answers, question_for, questionnaire


def test_labels_map_to_profile_fields() -> None:
    assert question_for("age").path == "demographics.age_years"  # type: ignore[union-attr]
    neutrophils = question_for("neutrophil count")
    assert neutrophils is not None and neutrophils.kind == "lab"
    assert neutrophils.units == ("10^9/L", "10^3/uL", "cells/uL")  # the contract's accepted units
    history = question_for("history of CAR-T/other cell therapy (autologous)")
    assert history is not None and history.path == "treatments:car_t,other_cell_therapy"
    assert question_for("classification criteria (ACR 1997 or SLICC 2012)") is None


def test_one_question_per_field_and_the_rest_for_the_team() -> None:
    questions, uncovered = questionnaire(["age", "ALT", "ALT (with its ULN)", "classification criteria (x)"])
    assert [q.key for q in questions] == ["age", "ALT"]
    assert uncovered == ["classification criteria (x)"]


def test_answers_make_a_valid_profile() -> None:
    questions, _ = questionnaire(["age", "sex", "neutrophil count", "HBsAg", "malignancy history",
                                  "history of CAR-T/other cell therapy (autologous)", "diagnosis date"])  # fmt: skip
    answers = {"q_age": "34", "q_sex": "female", "q_neutrophil_count": "1.8", "q_neutrophil_count_unit": "10^9/L",
               "q_hbsag": "negative", "q_malignancy_history": "no",
               "q_history_of_car_t_other_cell_therapy_autologous": "no", "q_diagnosis_date": "2020-05-01"}  # fmt: skip
    data = profile_from_answers(questions, answers, as_of="2026-12-01", disease="SLE")
    profile = Profile.parse(data, source="test")  # the contract's own validation
    assert data["labs"]["neutrophils"] == {"value": 1.8, "unit": "10^9/L"}
    assert data["diagnoses"] == [{"code": "SLE", "date": "2020-05-01"}]
    assert {"category": "car_t"} in data["not_received"]
    assert profile.as_of.isoformat() == "2026-12-01"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("q_age", "-3", "a number of 0 or more"), ("q_age", "nan", "a number of 0 or more"),
    ("q_sex", "other", "answer female or male"), ("q_neutrophil_count_unit", "mg", "choose one of the units"),
])  # fmt: skip
def test_bad_answers_name_the_question(field: str, value: str, message: str) -> None:
    questions, _ = questionnaire(["age", "sex", "neutrophil count"])
    answers = {"q_age": "30", "q_sex": "male", "q_neutrophil_count": "2", field: value}
    with pytest.raises(AnswerError, match=message) as caught:
        profile_from_answers(questions, answers, as_of="2026-12-01", disease="SLE")
    assert value not in str(caught.value) or value in ("other",)  # "other" is also a word of the message

