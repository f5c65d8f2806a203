"""Patients of a dose-finding trial, and a one-line notation for them.

The notation follows the R package ``escalation`` (Brock K, brockk.github.io/escalation):
"1NN 2NNT" is two patients at dose 1 without a DLT, then three at dose 2, the last with a DLT.
Marks are added for the designs here: ``G`` is a patient without a DLT but with a grade ≥ 2
toxicity (the second trigger of accelerated titration, Simon et al. 1997), ``R`` a patient
without a DLT who responded (backfilling opens on a response), ``P`` a patient whose DLT
window is still open; and a group written ``b2NN`` is two backfill patients at dose 2.
Groups are in order of treatment.

Records (JSON objects or CSV rows) say more: the treatment date, the date of a DLT, a response
seen while the window is still open. With dates, the live decision knows on which day each
outcome became known, and so what every earlier decision saw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from remission.dosefinding.boundaries import DoseFindingError

__all__ = ["Patient", "format_outcomes", "parse_outcomes", "patients_from_records"]

_GROUP = re.compile(r"^(b?)(\d+)([NTGPR]+)$")


@dataclass(frozen=True)
class Patient:
    dose: int  # 1-based dose level
    dlt: bool | None  # None while the DLT window is open
    grade2: bool = False  # a grade ≥ 2 toxicity (a DLT is one too)
    backfill: bool = False
    response: bool | None = None  # an efficacy response seen (backfill opens on it); None: not known
    treated_on: date | None = None
    dlt_on: date | None = None  # the day the DLT occurred (it is known from then on)

    @property
    def letter(self) -> str:
        if self.dlt is None:
            return "P"
        return "T" if self.dlt else "G" if self.grade2 else "R" if self.response else "N"


def parse_outcomes(text: str, doses: int | None = None) -> list[Patient]:
    """Patients from the notation; a malformed group is an error naming it."""
    patients: list[Patient] = []
    for group in text.split():
        match = _GROUP.match(group)
        if not match:
            raise DoseFindingError(
                f"outcome group {group!r}: expected a dose then N, T, G, R or P, e.g. '2NNT' or 'b1N'"
            )
        backfill, dose = match.group(1) == "b", int(match.group(2))
        if dose < 1 or (doses is not None and dose > doses):
            raise DoseFindingError(f"outcome group {group!r}: dose {dose} does not exist (1 to {doses or '…'})")
        for letter in match.group(3):
            dlt = None if letter == "P" else letter == "T"
            response = True if letter == "R" else None
            patients.append(Patient(dose, dlt, grade2=letter in "TG", backfill=backfill, response=response))
    return patients


def format_outcomes(patients: Sequence[Patient]) -> str:
    """The notation for ``patients`` (consecutive patients at one dose and role share a group)."""
    groups: list[str] = []
    previous: tuple[int, bool] | None = None
    for p in patients:
        key = (p.dose, p.backfill)
        if key != previous:
            groups.append(("b" if p.backfill else "") + str(p.dose))
            previous = key
        groups[-1] += p.letter
    return " ".join(groups)


_FIELDS = {"dose", "dlt", "dlt_on", "grade2", "backfill", "response", "treated_on", "id"}


def patients_from_records(records: Sequence[dict[str, object]], labels: Sequence[str], source: str) -> list[Patient]:
    """Patients from records (JSON objects or CSV rows): ``dose`` as a 1-based level or one of
    the protocol's dose labels; ``dlt`` true, false or empty/null/"pending"; optional
    ``grade2``, ``backfill``, ``response`` (booleans), ``treated_on`` and ``dlt_on`` (ISO dates;
    treatment dates are given for every record or for none). An error names the source, the
    record (1-based) and the field, never a patient's value or identity."""

    def flag(value: object, field: str, where: str, empty: bool | None) -> bool | None:
        if value is None or value == "":
            return empty
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "y"):
            return True
        if text in ("false", "no", "0", "n"):
            return False
        if field == "dlt" and text == "pending":
            return None
        raise DoseFindingError(f"{where}: {field} must be true or false" + (" or pending" if field == "dlt" else ""))

    patients: list[Patient] = []
    for i, record in enumerate(records, start=1):
        where = f"{source}: record {i}"
        unknown = sorted(set(record) - _FIELDS)
        if unknown:
            allowed = ", ".join(sorted(_FIELDS))
            raise DoseFindingError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
        raw = record.get("dose")
        label = str(raw).strip() if raw is not None else ""
        if label in labels:
            dose = list(labels).index(label) + 1
        elif label.isdigit() and 1 <= int(label) <= len(labels):
            dose = int(label)
        else:
            raise DoseFindingError(f"{where}: dose must be a level 1 to {len(labels)} or one of {', '.join(labels)}")
        when = _date(record.get("treated_on"), "treated_on", where)
        dlt_on = _date(record.get("dlt_on"), "dlt_on", where)
        dlt = flag(record.get("dlt"), "dlt", where, None)
        if dlt_on is not None and dlt is not True:
            raise DoseFindingError(f"{where}: dlt_on is given but dlt is not true")
        if dlt_on is not None and when is not None and dlt_on < when:
            raise DoseFindingError(f"{where}: dlt_on is before treated_on")
        patients.append(Patient(
            dose=dose,
            dlt=dlt,
            grade2=bool(flag(record.get("grade2"), "grade2", where, False)) or bool(dlt),
            backfill=bool(flag(record.get("backfill"), "backfill", where, False)),
            response=flag(record.get("response"), "response", where, None),
            treated_on=when,
            dlt_on=dlt_on,
        ))  # fmt: skip
    dated = {p.treated_on is not None for p in patients}
    if len(dated) > 1:
        raise DoseFindingError(f"{source}: treated_on must be given for every record or for none")
    return patients


def _date(value: object, field: str, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DoseFindingError(f"{where}: {field} must be a date (YYYY-MM-DD)") from None
