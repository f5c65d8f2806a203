"""Reading a criterion expression from its written form (a mapping, as YAML or JSON holds it)
into a tree of :class:`~remission.criteria.logic.Node`.

Combinators take one key: ``all: [...]``, ``any: [...]``, ``not: {...}``,
``decide: {met_if: ..., not_met_if: ...}``, ``if: {condition: ..., then: ..., else: ...}``.
A leaf is a mapping with exactly one leaf name among its keys (see
:mod:`remission.criteria.predicates` and :mod:`remission.criteria.treatments`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from remission.criteria.logic import All, AnyOf, Decide, If, Node, Not
from remission.criteria.predicates import (
    Breastfeeding,
    Classification,
    Consent,
    DiagnosedFor,
    DiagnosisFlag,
    Disease,
    Fact,
    HasCondition,
    IntendsToConceive,
    Leaf,
    Malignancy,
    Measure,
    OtherAutoimmune,
    Positive,
    PregnancyTest,
    Pregnant,
    RelapsedRefractory,
    SexIs,
)
from remission.criteria.treatments import Courses, InvestigationalWithin, Received

LEAVES: dict[str, type[Leaf]] = {
    cls.op: cls
    for cls in (
        Measure,
        Fact,
        HasCondition,
        Positive,
        Disease,
        Classification,
        DiagnosedFor,
        DiagnosisFlag,
        RelapsedRefractory,
        OtherAutoimmune,
        Malignancy,
        Consent,
        SexIs,
        Pregnant,
        PregnancyTest,
        Breastfeeding,
        IntendsToConceive,
        Received,
        Courses,
        InvestigationalWithin,
    )
}
COMBINATORS = ("all", "any", "not", "decide", "if")


class ExpressionError(ValueError):
    """A written expression that is not one: ``where`` is its path inside the criterion."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


def parse(data: Any, where: str = "rule") -> Node:
    if not isinstance(data, Mapping) or not data:
        raise ExpressionError(where, "an expression is a mapping such as {measure: lvef, at_least: 55}")
    keys = list(data)
    combinator = [k for k in keys if k in COMBINATORS]
    if combinator:
        if len(keys) != 1:
            raise ExpressionError(where, f"{combinator[0]!r} takes no other keys (found {', '.join(map(str, keys))})")
        return _combinator(combinator[0], data[combinator[0]], f"{where}.{combinator[0]}")
    ops = [k for k in keys if k in LEAVES]
    if len(ops) != 1:
        found = ", ".join(map(str, keys))
        if not ops:
            raise ExpressionError(
                where, f"no known expression among keys {found}; known: {', '.join([*COMBINATORS, *LEAVES])}"
            )
        raise ExpressionError(where, f"one expression per mapping, found {', '.join(ops)}")
    cls = LEAVES[ops[0]]
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ExpressionError(f"{where}.{loc}" if loc else where, first["msg"].removeprefix("Value error, ")) from None


def _parts(value: Any, where: str) -> tuple[Node, ...]:
    if not isinstance(value, list) or not value:
        raise ExpressionError(where, "needs a non-empty list of expressions")
    return tuple(parse(item, f"{where}[{i}]") for i, item in enumerate(value))


def _combinator(op: str, value: Any, where: str) -> Node:
    if op == "all":
        return All(_parts(value, where))
    if op == "any":
        return AnyOf(_parts(value, where))
    if op == "not":
        return Not(parse(value, where))
    if not isinstance(value, Mapping):
        raise ExpressionError(where, "needs a mapping")
    if op == "decide":
        _only(value, {"met_if", "not_met_if"}, {"met_if", "not_met_if"}, where)
        return Decide(parse(value["met_if"], f"{where}.met_if"), parse(value["not_met_if"], f"{where}.not_met_if"))
    _only(value, {"condition", "then", "else"}, {"condition", "then"}, where)
    otherwise = parse(value["else"], f"{where}.else") if "else" in value else None
    return If(parse(value["condition"], f"{where}.condition"), parse(value["then"], f"{where}.then"), otherwise)


def _only(value: Mapping[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    extra = sorted(set(value) - allowed)
    if extra:
        raise ExpressionError(where, f"unknown key {', '.join(extra)} (allowed: {', '.join(sorted(allowed))})")
    absent = sorted(required - set(value))
    if absent:
        raise ExpressionError(where, f"missing {', '.join(absent)}")
