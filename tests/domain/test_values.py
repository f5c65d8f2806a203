from datetime import date

import pytest
from pydantic import ValidationError

from remission.domain.values import Age, PartialDate
from remission.domain.vocab import AgeUnit, DatePrecision, DiseaseCode, parse_disease_code


def test_a_month_is_not_the_first_of_the_month() -> None:
    d = PartialDate.model_validate("2025-11")
    assert d.precision == DatePrecision.MONTH
    assert d.day is None
    assert d.iso() == "2025-11"
    assert d.model_dump() == {"date": "2025-11", "precision": "month"}
    assert PartialDate.model_validate(d.model_dump()) == d


def test_partial_date_rejects_impossible_days() -> None:
    with pytest.raises(ValidationError):
        PartialDate.model_validate("2025-02-30")
    with pytest.raises(ValidationError):
        PartialDate.model_validate("11/2025")


@pytest.mark.parametrize(
    ("text", "value", "unit", "days"),
    [("18 Years", 18, AgeUnit.YEARS, 18 * 365.25), ("6 Months", 6, AgeUnit.MONTHS, 182.625), ("5", 5, AgeUnit.YEARS,
     5 * 365.25), ("28 days", 28, AgeUnit.DAYS, 28)],
)
def test_age_with_units(text: str, value: float, unit: AgeUnit, days: float) -> None:
    age = Age.model_validate(text)
    assert (age.value, age.unit) == (value, unit)
    assert age.in_days() == pytest.approx(days)


def test_age_rejects_words() -> None:
    with pytest.raises(ValidationError):
        Age.model_validate("adult")


def test_disease_codes_as_people_type_them() -> None:
    assert parse_disease_code("SSc") is DiseaseCode.SSC
    assert parse_disease_code("IgG4-RD") is DiseaseCode.IGG4RD
    assert parse_disease_code("pSS") is DiseaseCode.SJS
    with pytest.raises(ValueError, match="unknown disease 'lupoid'"):
        parse_disease_code("lupoid")


def test_earliest_day_of_a_year() -> None:
    assert PartialDate.model_validate("2026").earliest() == date(2026, 1, 1)


def test_age_groups_bound_a_trial_that_states_no_ages() -> None:
    """ClinicalTrials.gov age groups: Child 0-17, Adult 18-64, Older Adult 65+ years."""
    from remission.domain.trial import Eligibility

    year = 365.25
    adults = Eligibility.model_validate({"std_ages": ["ADULT", "OLDER_ADULT"]})
    assert adults.age_bounds_days() == (18 * year, None)
    adult_only = Eligibility.model_validate({"std_ages": ["ADULT"]})
    assert adult_only.age_bounds_days() == (18 * year, 65 * year - 1)
    children = Eligibility.model_validate({"std_ages": ["CHILD"]})
    assert children.age_bounds_days() == (None, 18 * year - 1)
    # Stated ages win over the groups; no groups and no ages is no limit.
    stated = Eligibility.model_validate({"minimum_age": "5 years", "std_ages": ["ADULT"]})
    assert stated.age_bounds_days()[0] == 5 * year
    assert Eligibility().age_bounds_days() == (None, None)
