"""Small value types with units or precision: partial dates and ages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from remission.domain.vocab import AgeUnit, DatePrecision, DateType

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(BaseModel):
    """A calendar date known to a day, a month or a year.

    Registries publish "2025-11" for a month: that is not the 1st of November, so the precision
    travels with the value and the JSON form is the same ISO prefix the registry wrote.
    """

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=1900, le=2200)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return parse_iso_partial(data)
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            return parse_iso_partial(data["date"])  # the serialized form, read back
        if isinstance(data, date):
            return {"year": data.year, "month": data.month, "day": data.day}
        return data

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.day is not None and self.month is not None:
            date(self.year, self.month, self.day)  # raises ValueError on 2025-02-30
        return self

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        return DatePrecision.MONTH if self.month is not None else DatePrecision.YEAR

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> date:
        """The first day the value may stand for (for sorting and range filters)."""
        return date(self.year, self.month or 1, self.day or 1)

    @model_serializer
    def _serialize(self) -> dict[str, Any]:
        return {"date": self.iso(), "precision": self.precision.value}

    def __str__(self) -> str:
        return self.iso()


def parse_iso_partial(text: str) -> dict[str, int | None]:
    """``"2025"``, ``"2025-11"`` or ``"2025-11-03"`` into year / month / day parts."""
    m = _ISO_PARTIAL.match(text.strip())
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    y, mo, d = m.groups()
    return {"year": int(y), "month": int(mo) if mo else None, "day": int(d) if d else None}


class DateValue(BaseModel):
    """A milestone date with whether it happened or is anticipated."""

    model_config = ConfigDict(frozen=True)

    value: PartialDate
    type: DateType | None = None


_DAYS_PER_UNIT: dict[AgeUnit, float] = {
    AgeUnit.YEARS: 365.25,
    AgeUnit.MONTHS: 365.25 / 12,
    AgeUnit.WEEKS: 7.0,
    AgeUnit.DAYS: 1.0,
    AgeUnit.HOURS: 1 / 24,
    AgeUnit.MINUTES: 1 / 1440,
}

_AGE_TEXT = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(years?|y|yrs?|months?|mo|weeks?|wk|days?|d|hours?|h|minutes?|min)?\s*$",
    re.IGNORECASE,
)


_AGE_UNIT_WORDS: dict[str, AgeUnit] = {
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), AgeUnit.YEARS),
    **dict.fromkeys(("mo", "month", "months"), AgeUnit.MONTHS),
    **dict.fromkeys(("wk", "week", "weeks"), AgeUnit.WEEKS),
    **dict.fromkeys(("d", "day", "days"), AgeUnit.DAYS),
    **dict.fromkeys(("h", "hour", "hours"), AgeUnit.HOURS),
    **dict.fromkeys(("min", "minute", "minutes"), AgeUnit.MINUTES),
}


class Age(BaseModel):
    """An age limit with its unit ("18 Years", "6 Months"); comparisons go through days."""

    model_config = ConfigDict(frozen=True)

    value: float = Field(ge=0, le=200 * 366 * 1440)
    unit: AgeUnit = AgeUnit.YEARS

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return parse_age_text(data)
        return data

    def in_days(self) -> float:
        return self.value * _DAYS_PER_UNIT[self.unit]

    def __str__(self) -> str:
        number = int(self.value) if float(self.value).is_integer() else self.value
        return f"{number} {self.unit.value}"


def parse_age_text(text: str) -> dict[str, Any]:
    """``"18 Years"``, ``"6 months"``, ``"34"`` (years) into value and unit; ``ValueError`` otherwise."""
    m = _AGE_TEXT.match(text)
    if not m:
        raise ValueError(f"not an age (a number with an optional unit such as '18 years'): {text!r}")
    number, unit_text = m.groups()
    unit = _AGE_UNIT_WORDS[unit_text.lower()] if unit_text else AgeUnit.YEARS
    return {"value": float(number), "unit": unit}
