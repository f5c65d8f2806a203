"""The patient profile: the contract's JSON (../shared/contracts/patient-profile.schema.json,
bundled as remission/data/contracts/), validated, and the facts criteria read from it.

Absent means unknown (contract README): every accessor here returns ``None`` for a fact the
record does not state, and nothing is inferred from absence. Derived facts follow the
contract: age in completed years at ``as_of`` (``birth_date`` wins over ``age_years``), labs in
canonical units (:mod:`remission.criteria.units`), "× ULN" as value / ULN after converting the
value into the ULN's unit, and eGFR as reported, else computed from creatinine through the
instruments (CKD-EPI 2021 at 18 and over, bedside Schwartz under 18).

Errors name the field and never the value: a profile is patient data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Any, cast

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from remission.criteria.calendar import completed_years, parse_date
from remission.criteria.scores import score_items
from remission.criteria.units import CANONICAL, FACTORS, XULN, UnitError, canonical, convert
from remission.instruments.kidney import AdultCreatinineInput, SchwartzInput, ckd_epi_2021, schwartz_bedside

SCHEMA_RESOURCE = "data/contracts/patient-profile.schema.json"
_MAX_ERRORS = 20


class ProfileError(ValueError):
    """A profile the contract refuses: every problem, each named by its field path."""

    def __init__(self, problems: list[str], *, record: str | None = None, source: str | None = None) -> None:
        self.problems = problems
        self.record = record
        self.source = source
        # The record's id is a pseudonym, but shown whole it could be anything the sender put there.
        shown = record if record is None or len(record) <= 40 else record[:40] + "…"
        where = " ".join(x for x in (source, f"record {shown!r}" if shown else None) if x)
        head = f"invalid patient profile{f' ({where})' if where else ''}"
        super().__init__(f"{head}: " + "; ".join(problems))


@cache
def schema() -> dict[str, Any]:
    text = resources.files("remission").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


@cache
def _fast_check() -> Any:
    # jsonschema-rs (compiled) answers "valid?" some 300 times faster than jsonschema; a profile
    # it refuses goes through jsonschema, whose errors carry the paths the messages need.
    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def _path(error: ValidationError) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p}]" for p in error.absolute_path]
    return ".".join(parts).replace(".[", "[") or "(profile)"


def _describe(error: ValidationError) -> str:
    """The schema's complaint in words that carry no patient value (jsonschema's own messages
    quote the instance)."""
    rule, expected = str(error.validator), cast(Any, error.validator_value)
    field = _path(error)
    if rule == "required":
        missing = [name for name in expected if isinstance(error.instance, dict) and name not in error.instance]
        return f"{field}: missing required field {', '.join(missing)}"
    if rule in ("additionalProperties", "unevaluatedProperties"):
        known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = sorted(k for k in error.instance if k not in known) if isinstance(error.instance, dict) else []
        return f"{field}: unknown field {', '.join(extra) or '(unexpected)'}"
    if rule == "enum":
        return f"{field}: not one of the allowed values ({', '.join(map(str, expected))})"
    if rule == "const":
        return f"{field}: must be {expected!r}"
    if rule == "type":
        return f"{field}: must be of type {expected if isinstance(expected, str) else ' or '.join(expected)}"
    if rule == "format":
        return f"{field}: not a valid {expected} (ISO YYYY-MM-DD)" if expected == "date" else f"{field}: bad {expected}"
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return f"{field}: out of range (allowed: {words[rule]} {expected})"
    if rule in ("minLength", "minItems"):
        return f"{field}: too short (at least {expected})"
    return f"{field}: refused by the schema rule {rule!r}"


# Sizes no real record reaches, checked before anything else reads the profile: screening
# compares every pair of diagnoses, so an unbounded list is unbounded work (contract 1.0 sets no
# maxItems; these are Remission's limits, named in the error).
MAX_ITEMS: dict[str, int] = {"diagnoses": 50, "treatments": 500, "not_received": 100}
MAX_ANY_LIST = 1000


def _check_sizes(data: Mapping[str, Any], source: str | None) -> None:
    problems = []
    for name, value in data.items():
        limit = MAX_ITEMS.get(name, MAX_ANY_LIST)
        if isinstance(value, list) and len(value) > limit:
            problems.append(f"{name}: at most {limit} entries")
    record = data.get("id") if isinstance(data.get("id"), str) else None
    if problems:
        raise ProfileError(problems, record=record, source=source)


def _non_finite(node: object, path: str, found: list[str]) -> None:
    # JSON has no NaN or Infinity, but Python's reader accepts them; a profile holding one is refused.
    if isinstance(node, float) and not math.isfinite(node):
        found.append(f"{path or '(profile)'}: not a finite number")
    elif isinstance(node, dict):
        for key, value in node.items():
            _non_finite(value, f"{path}.{key}" if path else str(key)[:60], found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _non_finite(value, f"{path}[{i}]", found)


def _check_dates(data: Mapping[str, Any], record: str | None, source: str | None) -> None:
    born = (data.get("demographics") or {}).get("birth_date")
    if born and parse_date(born) > parse_date(data["as_of"]):
        raise ProfileError(["demographics.birth_date: after as_of"], record=record, source=source)


def validate(data: object, *, source: str | None = None) -> dict[str, Any]:
    """``data`` if it follows the contract, else :class:`ProfileError` with every problem."""
    if not isinstance(data, dict):
        raise ProfileError(["(profile): must be a JSON object"], source=source)
    _check_sizes(data, source)
    non_finite: list[str] = []
    _non_finite(data, "", non_finite)
    if non_finite:
        raise ProfileError(non_finite[:_MAX_ERRORS], source=source)
    if _fast_check().is_valid(data):
        errors = []
    else:
        errors = sorted(
            _validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), str(e.validator))
        )
    problems = list(dict.fromkeys(_describe(e) for e in errors))
    record = data.get("id") if isinstance(data.get("id"), str) else None
    if problems:
        more = len(problems) - _MAX_ERRORS
        shown = problems[:_MAX_ERRORS] + ([f"... and {more} more"] if more > 0 else [])
        raise ProfileError(shown, record=record, source=source)
    _check_units(data, record, source)
    _check_dates(data, record, source)
    return data


def _check_units(data: Mapping[str, Any], record: str | None, source: str | None) -> None:
    # The schema lists each lab's units; a reference_unit is free text there, so it is checked here.
    problems = []
    for lab, item in (data.get("labs") or {}).items():
        ref = item.get("reference_unit")
        if ref is not None and lab in FACTORS and ref not in FACTORS[lab]:
            problems.append(f"labs.{lab}.reference_unit: not one of {', '.join(FACTORS[lab])}")
    if problems:
        raise ProfileError(problems, record=record, source=source)


@dataclass(frozen=True)
class Measured:
    """A number read or derived from the profile, with the words that say where it came from."""

    value: float
    text: str  # e.g. "1.5 x10^9/L (1500 cells/uL)" or "28.96 (CKD-EPI 2021 from creatinine 2 mg/dL)"


def num(value: float) -> str:
    """A number as a reason shows it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Profile:
    """A validated profile and the facts derived from it (cached per profile)."""

    def __init__(self, data: Mapping[str, Any], scored: Mapping[str, str] | None = None) -> None:
        self.data = data
        # disease_activity fields scored from raw items -> the instrument that scored them
        self.scored: Mapping[str, str] = scored or {}
        self.id: str = data["id"]
        self.as_of: date = parse_date(data["as_of"])
        # One patient is judged against thousands of criteria that read the same few facts.
        self._paths: dict[str, Any] = {}
        self._labs: dict[tuple[str, bool], Measured | None] = {}

    @classmethod
    def parse(cls, data: object, *, source: str | None = None, items: object = None) -> Profile:
        """A profile from contract JSON; ``items`` (instrument name -> raw items) fills the
        activity totals the profile lacks (:mod:`remission.criteria.scores`)."""
        valid = validate(data, source=source)
        if items is None:
            return cls(valid)
        record = valid["id"]
        if not isinstance(items, Mapping):
            raise ProfileError(
                ["items: must be a JSON object of instrument name -> items"], record=record, source=source
            )
        filled, scored, problems = score_items(valid, items)
        if problems:
            raise ProfileError(problems, record=record, source=source)
        return cls(validate(filled, source=source), scored)

    def plain(self, path: str) -> Measured | None:
        """A plain number of the profile, saying so when it was scored from raw items."""
        value = self.get(path)
        if value is None:
            return None
        by = self.scored.get(path.removeprefix("disease_activity."))
        return Measured(value, num(value) + (f" (scored from items by {by})" if by else ""))

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def get(self, path: str) -> Any:
        """The value at a dotted path (``organ_function.lvef_percent``), None when absent."""
        if path in self._paths:
            return self._paths[path]
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict):
                node = None
                break
            node = node.get(part)
        self._paths[path] = node
        return node

    @property
    def sex(self) -> str | None:
        sex: str | None = self.section("demographics").get("sex")
        return sex

    @cached_property
    def age(self) -> Measured | None:
        demographics = self.section("demographics")
        born = demographics.get("birth_date")
        if born:
            years = completed_years(parse_date(born), self.as_of)
            return Measured(years, f"{years} (from birth date)")
        stated = demographics.get("age_years")
        return None if stated is None else Measured(stated, str(stated))

    def lab(self, name: str) -> Measured | None:
        """The lab in its canonical unit; eGFR as reported or computed."""
        key = (name, False)
        if key not in self._labs:
            self._labs[key] = self._lab(name)
        return self._labs[key]

    def _lab(self, name: str) -> Measured | None:
        if name == "egfr":
            return self.egfr
        item = self.section("labs").get(name)
        if not item or item.get("unit") == XULN:
            return None
        unit = item["unit"]
        value = canonical(name, item["value"], unit)
        target = CANONICAL[name]
        shown = f"{num(value)} {target}" + ("" if unit == target else f" ({num(item['value'])} {unit})")
        return Measured(value, shown)

    def times_uln(self, name: str) -> Measured | None:
        """The lab as a multiple of its ULN: value / uln, the value first put into the ULN's unit."""
        key = (name, True)
        if key not in self._labs:
            self._labs[key] = self._times_uln(name)
        return self._labs[key]

    def _times_uln(self, name: str) -> Measured | None:
        item = self.section("labs").get(name)
        if not item:
            return None
        if item["unit"] == XULN:
            return Measured(item["value"], f"{num(item['value'])} x ULN (reported)")
        uln = item.get("uln")
        if uln is None or uln <= 0:
            return None
        ref = item.get("reference_unit") or item["unit"]
        try:
            value = convert(name, item["value"], item["unit"], ref) if ref != item["unit"] else item["value"]
        except UnitError:
            return None
        ratio = round(value / uln, 9)
        shown = f"{num(ratio)} x ULN ({num(item['value'])} {item['unit']} / ULN {num(uln)} {ref})"
        return Measured(ratio, shown)

    @cached_property
    def egfr(self) -> Measured | None:
        reported = self.section("labs").get("egfr")
        if reported:
            method = reported.get("method")
            return Measured(
                reported["value"], f"{num(reported['value'])} mL/min/1.73m2" + (f" ({method})" if method else "")
            )
        creatinine = self.section("labs").get("creatinine")
        age = self.age
        if not creatinine or age is None:
            return None
        scr = convert("creatinine", creatinine["value"], creatinine["unit"], "mg/dL")
        if age.value >= 18:
            if self.sex is None:
                return None
            result = ckd_epi_2021(AdultCreatinineInput(creatinine_mg_dl=scr, age_years=age.value, sex=self.sex))
            how = "CKD-EPI 2021"
        else:
            height = self.section("demographics").get("height_cm")
            if height is None or not 40 <= height <= 220:
                return None
            result = schwartz_bedside(SchwartzInput(creatinine_mg_dl=scr, height_cm=height))
            how = "bedside Schwartz"
        value = result.egfr_ml_min_1_73m2
        if value is None:
            return None
        return Measured(value, f"{num(value)} mL/min/1.73m2 ({how} from creatinine {num(scr)} mg/dL)")

    def diagnoses(self) -> Iterator[Mapping[str, Any]]:
        yield from self.data.get("diagnoses") or ()

    def treatments(self) -> Sequence[Mapping[str, Any]]:
        return self.data.get("treatments") or ()
