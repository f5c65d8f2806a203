"""Read registry values into Remission's vocabularies, keeping what does not fit.

Both ClinicalTrials.gov readers (the v2 JSON and the CSV tables) read enums, dates and ages the
same way: a value outside the vocabulary (an aact fixture's ``PHASE5``, an unparseable date) is
kept in ``unmapped`` under its field name instead of failing a record that is otherwise sound.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from pydantic import ValidationError

from remission.domain.values import Age, DateValue, PartialDate
from remission.domain.vocab import DateType

E = TypeVar("E", bound=StrEnum)


class VocabReader:
    """Collects the values of one record that fall outside the vocabularies."""

    def __init__(self) -> None:
        self.unmapped: dict[str, list[str]] = {}

    def keep(self, field: str, value: str) -> None:
        self.unmapped.setdefault(field, []).append(value)

    def enum(self, cls: type[E], value: str | None, field: str, aliases: dict[str, E] | None = None) -> E | None:
        if value is None or value == "":
            return None
        if aliases and value in aliases:
            return aliases[value]
        try:
            return cls(value)
        except ValueError:
            self.keep(field, value)
            return None

    def enums(self, cls: type[E], values: list[str], field: str) -> list[E]:
        out = [self.enum(cls, v, field) for v in values]
        return [v for v in out if v is not None]

    def date_text(self, text: str | None, field: str, type_: str | None = None) -> DateValue | None:
        if not text:
            return None
        try:
            value = PartialDate.model_validate(text)
        except ValidationError:
            self.keep(field, text)
            return None
        return DateValue(value=value, type=self.enum(DateType, type_, f"{field}.type"))

    def age(self, text: str | None, field: str) -> Age | None:
        if not text:
            return None
        try:
            return Age.model_validate(text)
        except ValidationError:
            self.keep(field, text)
            return None
