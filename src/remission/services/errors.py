"""The error a service raises for a person's input: it names the form or request field and what
is wrong with it, never the value (which may be a patient's or an address)."""

from __future__ import annotations


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
