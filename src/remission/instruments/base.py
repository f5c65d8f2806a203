"""What every instrument is made of: a typed input model, a calculator, a result, a reference.

Inputs are pydantic models that forbid unknown fields (a misspelt item is an error, never
silently ignored) and carry each item's allowed range. An item that is present with the
value ``null`` is *unknown*: the calculator answers what it can without it and says what was
missing, never treating it as zero or absent. An item left out entirely is an error when the
instrument needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ItemVerdict = Literal["met", "not_met", "cannot_tell"]


class InstrumentInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InstrumentResult(BaseModel):
    """A result: the instrument's own fields, plus ``details`` (what counted, what was missing)."""

    model_config = ConfigDict(frozen=True)

    details: dict[str, Any] = Field(default_factory=dict)


class ClassificationResult(InstrumentResult):
    """Classification criteria answer met, not met, or cannot tell (a missing item could change it)."""

    result: ItemVerdict


def known_names(names: list[str], vocabulary: Collection[str], item: str) -> list[str]:
    """``names`` sorted and de-duplicated, or a ``ValueError`` naming each one not in ``vocabulary``."""
    unknown = sorted(set(names) - set(vocabulary))
    if unknown:
        raise ValueError(f"{item}: unknown {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(vocabulary))}")
    return sorted(set(names))


def every_key(mapping: Mapping[str, object], vocabulary: Collection[str], what: str, needs: str) -> None:
    """A mapping that must hold every name of ``vocabulary`` (``null`` when not assessed) and no
    other: an error names the unknown ones, or the missing ones."""
    known_names(list(mapping), vocabulary, what)
    absent = [name for name in vocabulary if name not in mapping]
    if absent:
        raise ValueError(f"every {what} needs {needs} (null when not assessed); missing: {', '.join(absent)}")


def require_one_unit(model: BaseModel, first: str, second: str) -> None:
    """A value the input may give in either of two units: one of them must be there (``null``
    meaning unknown), not both."""
    if first not in model.model_fields_set and second not in model.model_fields_set:
        raise ValueError(f"{first} (or {second}) is required")
    if getattr(model, first) is not None and getattr(model, second) is not None:
        raise ValueError(f"give {first} or {second}, not both")


def value_in(model: BaseModel, field: str, other: str, factor: float) -> float | None:
    """The value in ``field``'s unit: ``field`` itself, else ``other`` × ``factor``, else unknown."""
    value: float | None = getattr(model, field)
    if value is not None:
        return value
    converted: float | None = getattr(model, other)
    return converted * factor if converted is not None else None


def disjoint(present: Collection[str], missing: Collection[str], what: str) -> None:
    """An item cannot be both present and not assessed."""
    both = sorted(set(present) & set(missing))
    if both:
        raise ValueError(f"{what} both present and missing: {', '.join(both)}")


def verdict(rule: Callable[[frozenset[str]], bool], present: Collection[str], missing: Collection[str]) -> ItemVerdict:
    """Met, not met, or cannot tell for a rule that more items can only help: met on the items
    present alone, not met even with every missing item present, else cannot tell. (The two
    rules that are not monotone, SLICC's Coombs test and the 2022 AAV negative weights, are
    bounded in their own modules.)"""
    if rule(frozenset(present)):
        return "met"
    return "cannot_tell" if missing and rule(frozenset(present) | frozenset(missing)) else "not_met"


def all_true(checks: Mapping[str, bool | None]) -> bool | None:
    """Three-valued AND: false if any is false, unknown if any is unknown, else true."""
    values = list(checks.values())
    if False in values:
        return False
    return None if None in values else True


def best_per_domain(
    domains: Mapping[str, Mapping[str, float]], present: Collection[str]
) -> dict[str, tuple[str, float]]:
    """The highest-weighted present item of each domain (criteria sets where only one item
    per domain counts): ``{domain: (item, weight)}``."""
    best: dict[str, tuple[str, float]] = {}
    for domain, items in domains.items():
        for item, weight in items.items():
            if item in present and weight > best.get(domain, ("", float("-inf")))[1]:
                best[domain] = (item, weight)
    return best


class InstrumentError(ValueError):
    """An input the instrument refuses; the message names the item and what is allowed."""

    def __init__(self, instrument: str, message: str) -> None:
        super().__init__(f"{instrument}: {message}")
        self.instrument = instrument
        self.message = message


In = TypeVar("In", bound=InstrumentInput)
Out = TypeVar("Out", bound=InstrumentResult)


def _declared_bounds(model: type[BaseModel], loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The bounds declared on the field at ``loc`` (through nested models), so that an error
    states the whole allowed range and not just the side that was crossed."""
    current: type[BaseModel] = model
    for depth, part in enumerate(loc):
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return {}
        if depth == len(loc) - 1:
            return {k: getattr(m, k) for m in field.metadata for k in ("ge", "gt", "le", "lt") if hasattr(m, k)}
        candidates = get_args(field.annotation) or (field.annotation,)
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return {}
        current = nested[0]
    return {}


def _describe(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    """One problem in words: the item and what is allowed, never the value given (it may be a
    patient's)."""
    item = ".".join(str(x) for x in error["loc"])
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "missing":
        return f"{item} is required"
    if kind == "extra_forbidden":
        return f"{item} is not an item of this instrument"
    bounds = {k: ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx}
    if bounds:
        bounds = _declared_bounds(model, tuple(error["loc"])) or bounds
        words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
        allowed = " and ".join(f"{words[k]} {v}" for k, v in bounds.items())
        return f"{item} is out of range (allowed: {allowed})"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{item}: {message}" if item else message


@dataclass(frozen=True)
class Instrument(Generic[In, Out]):
    """One calculator in the catalogue."""

    name: str
    title: str
    reference: str
    inputs: type[In]
    result: type[Out]
    calculate: Callable[[In], Out]

    def parse(self, data: Any) -> In:
        if not isinstance(data, Mapping):
            raise InstrumentError(self.name, f"the input must be a JSON object, not {type(data).__name__}")
        try:
            return self.inputs.model_validate(data)
        except ValidationError as exc:
            raise InstrumentError(self.name, "; ".join(_describe(e, self.inputs) for e in exc.errors())) from None

    def run(self, data: Any) -> Out:
        """Validate ``data`` (a mapping of item name to value) and calculate."""
        try:
            return self.calculate(self.parse(data))
        except ValueError as exc:
            if isinstance(exc, InstrumentError):
                raise
            raise InstrumentError(self.name, str(exc)) from None


def category(value: float | None, bands: list[tuple[float, bool, str]], top: str) -> str | None:
    """The band of ``value``: the first ``(upper, inclusive, name)`` whose upper limit it is below
    (or equal to, when ``inclusive``), else ``top``. Values are compared at 10 decimals so that
    1 + 0 + 1 + 1 + 0.3 is 3.3, as a clinician adds it."""
    if value is None:
        return None
    v = round(value, 10)
    for upper, inclusive, name in bands:
        if v < upper or (inclusive and v == upper):
            return name
    return top
