"""The error a service raises for a person's input: it names the form or request field and what
is wrong with it, never the value (which may be a patient's or an address).

``message`` is English and marked for the catalogues (``N_``); what varies in it (a limit, the
accepted values) is a ``%(name)s`` placeholder filled from ``values``, so that a page can show
the message in the reader's language (the template's ``problem_text``) and the CLI and the REST
API show ``str(error)``."""

from __future__ import annotations


class FieldError(ValueError):
    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(f"{field}: {message % values if values else message}")
        self.field = field
        self.message = message
        self.values = values
