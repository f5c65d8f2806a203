"""The three-valued core of the criteria language: an outcome, the node every criterion is
built of, and the combinators all / any / not / decide / if.

Values are ``True`` (met), ``False`` (not met) and ``None`` (unknown), combined by Kleene's
strong three-valued logic (Kleene SC, Introduction to Metamathematics, 1952, §64): "all" fails
as soon as one part fails and is unknown only while no part fails; "any" holds as soon as one
part holds. That is exactly the screening rule that an absent fact may never be read as "no".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from remission.criteria.profile import Profile

Tri = bool | None


@dataclass(frozen=True, slots=True)
class Judgement:
    """One node's answer: the value, the reason (the values compared, after conversion) and,
    when unknown, the facts whose absence left it unknown."""

    value: Tri
    reason: str
    missing: tuple[str, ...] = ()


def unknown(fact: str, reason: str | None = None) -> Judgement:
    return Judgement(None, reason or f"{fact} not recorded", (fact,))


def known(value: bool, reason: str) -> Judgement:
    return Judgement(value, reason)


@dataclass(frozen=True, slots=True)
class Context:
    """What a criterion is judged on: the profile and, within a cohort, the diagnosis that put
    the patient in it (the "disease" of "diagnosed >= 6 months", "other autoimmune disease")."""

    profile: Profile
    diagnosis: Mapping[str, Any] | None = None


class Node:
    """A criterion expression. Subclasses set ``op`` (their key in a protocol file)."""

    op: ClassVar[str] = ""

    def evaluate(self, ctx: Context) -> Judgement:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError


def _merge_missing(outcomes: Iterable[Judgement]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fact for o in outcomes for fact in o.missing))


def _join(outcomes: Iterable[Judgement]) -> str:
    return "; ".join(dict.fromkeys(o.reason for o in outcomes if o.reason))


def all_of(outcomes: list[Judgement]) -> Judgement:
    """Kleene AND: not met by any failure, unknown while a part is, else met."""
    failed = [o for o in outcomes if o.value is False]
    if failed:
        return Judgement(False, _join(failed))
    open_ = [o for o in outcomes if o.value is None]
    if open_:
        return Judgement(None, _join(open_), _merge_missing(open_))
    return Judgement(True, _join(outcomes))


def any_of(outcomes: list[Judgement]) -> Judgement:
    """Kleene OR: met by any part, unknown while a part is, else not met."""
    held = [o for o in outcomes if o.value is True]
    if held:
        return Judgement(True, _join(held))
    open_ = [o for o in outcomes if o.value is None]
    if open_:
        return Judgement(None, _join(open_), _merge_missing(open_))
    return Judgement(False, _join(outcomes))


@dataclass(frozen=True)
class All(Node):
    parts: tuple[Node, ...]
    op: ClassVar[str] = "all"

    def evaluate(self, ctx: Context) -> Judgement:
        return all_of([p.evaluate(ctx) for p in self.parts])

    def to_dict(self) -> dict[str, Any]:
        return {"all": [p.to_dict() for p in self.parts]}


@dataclass(frozen=True)
class AnyOf(Node):
    parts: tuple[Node, ...]
    op: ClassVar[str] = "any"

    def evaluate(self, ctx: Context) -> Judgement:
        return any_of([p.evaluate(ctx) for p in self.parts])

    def to_dict(self) -> dict[str, Any]:
        return {"any": [p.to_dict() for p in self.parts]}


@dataclass(frozen=True)
class Not(Node):
    part: Node
    op: ClassVar[str] = "not"

    def evaluate(self, ctx: Context) -> Judgement:
        o = self.part.evaluate(ctx)
        return o if o.value is None else Judgement(not o.value, o.reason)

    def to_dict(self) -> dict[str, Any]:
        return {"not": self.part.to_dict()}


@dataclass(frozen=True)
class Decide(Node):
    """Met when ``met_if`` holds, else not met when ``not_met_if`` holds, else unknown: for a
    criterion whose ruling-out needs other facts than its applying (a trial that names
    "hepatitis" applies on a positive HBV DNA, and is ruled out by a negative HBsAg)."""

    met_if: Node
    not_met_if: Node
    op: ClassVar[str] = "decide"

    def evaluate(self, ctx: Context) -> Judgement:
        yes = self.met_if.evaluate(ctx)
        if yes.value is True:
            return yes
        no = self.not_met_if.evaluate(ctx)
        if no.value is True:
            return Judgement(False, no.reason)
        open_ = [o for o in (yes, no) if o.value is None]
        return Judgement(None, _join(open_), _merge_missing(open_))

    def to_dict(self) -> dict[str, Any]:
        return {"decide": {"met_if": self.met_if.to_dict(), "not_met_if": self.not_met_if.to_dict()}}


@dataclass(frozen=True)
class If(Node):
    """``then`` when ``condition`` holds, ``otherwise`` when it does not (met when no
    ``otherwise`` is given), unknown while the condition is: "if combined with ILD, then ...".
    """

    condition: Node
    then: Node
    otherwise: Node | None = None
    op: ClassVar[str] = "if"

    def evaluate(self, ctx: Context) -> Judgement:
        cond = self.condition.evaluate(ctx)
        if cond.value is None:
            return cond
        if cond.value:
            branch = self.then.evaluate(ctx)
            return Judgement(branch.value, _join([cond, branch]), branch.missing)
        if self.otherwise is None:
            return Judgement(True, cond.reason)
        branch = self.otherwise.evaluate(ctx)
        return Judgement(branch.value, _join([cond, branch]), branch.missing)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"condition": self.condition.to_dict(), "then": self.then.to_dict()}
        if self.otherwise is not None:
            body["else"] = self.otherwise.to_dict()
        return {"if": body}
