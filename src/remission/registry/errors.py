"""Typed import problems: each names the file, the record, the field and the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why a record (or a whole file) could not be imported, or what an importer could not read."""

    file: str
    reason: str
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join([*parts, self.reason])

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "record": self.record, "field": self.field, "reason": self.reason}


class RecordRejected(Exception):
    """A record that cannot become a trial; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
