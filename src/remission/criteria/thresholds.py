"""Reading a measure and its threshold from criterion wording: "ALT <= 3 x ULN", "aged 18 to 70
years", "ECOG 0, 1 or 2", "platelet count >= 100 x 10^9/L". The threshold keeps its unit; a unit
that is not one of the measure's (remission.criteria.units) leaves the clause unread."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from remission.criteria.phrases import MEASURE_FILLERS, MEASURE_NAMES, OWN_UNIT, SCORES, UNITS
from remission.criteria.units import CANONICAL, FACTORS
from remission.criteria.wording import NUM, Kind, Rule, connector, drop_brackets

_UNIT_RE = "|".join(re.escape(u) for u in sorted([*UNITS, "xuln"], key=len, reverse=True))
_VALUE = re.compile(rf"^(?P<v>{NUM})\s*(?P<u>{_UNIT_RE})?(?![a-z0-9])")
_OPS = {">=": "at_least", "<=": "at_most", ">": "above", "<": "below", "=": "equals"}
_OP = re.compile(r"^(?P<op>>=|<=|>|<|=)\s*")
_POSTFIX = re.compile(
    r"^(?P<word>or\s+(?:more|higher|above|greater|older)|and\s+(?:above|older|over)|or\s+(?:less|lower|below|fewer)|\+)"
    r"(?![a-z])"
)
_RANGE = re.compile(
    rf"^(?:between\s+|from\s+|ranges?\s+from\s+)?(?P<a>{NUM})\s*(?P<ua>{_UNIT_RE})?\s*"
    rf"(?:-|to|~|and)\s*(?P<b>{NUM})\s*(?P<ub>{_UNIT_RE})?(?![a-z0-9.])"
)
_LIST = re.compile(rf"^(?P<items>{NUM}(?:\s*,\s*{NUM})*),?\s*or\s*(?P<last>{NUM})(?![a-z0-9.])")


def clash(limits: Sequence[Mapping[str, float]]) -> bool:
    """Whether thresholds on one measure cannot all hold: the highest lower limit (``at_least``,
    ``above``) lies above the lowest upper one (``at_most``, ``below``), as in "< 3 and > 16"."""
    low = max((x[k] for x in limits for k in ("at_least", "above") if k in x), default=None)
    high = min((x[k] for x in limits for k in ("at_most", "below") if k in x), default=None)
    return low is not None and high is not None and high < low


@dataclass
class _Bounds:
    limits: dict[str, float]
    unit: str | None
    rest: str

    @property
    def outside(self) -> bool:
        """Two limits that cannot both hold: either one ("< 3 and > 16")."""
        return clash([self.limits])


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _bounds(text: str) -> _Bounds | None:
    """A threshold at the start of ``text``: "<op> N [unit]" (twice with "and"), "N to M", "N or
    more", "0, 1 or 2"; with what follows it."""
    m = _RANGE.match(text)
    # "N and M" is a range only after "between"; "N - M", "N to M" and "N ~ M" always are.
    if (
        m
        and (m.group("ua") or "") in ("", m.group("ub") or "")
        and (text.startswith(("between", "from", "range")) or re.search(r"-|~| to ", m.group(0)))
    ):
        return _Bounds(
            {"at_least": _number(m.group("a")), "at_most": _number(m.group("b"))},
            m.group("ub"),
            text[m.end() :].strip(),
        )
    m = _LIST.match(text)
    if m:
        values = [int(float(v)) for v in re.findall(NUM, m.group("items"))] + [int(float(m.group("last")))]
        if values == list(range(values[0], values[0] + len(values))):
            return _Bounds({"at_least": values[0], "at_most": values[-1]}, None, text[m.end() :].strip())
        return None
    limits: dict[str, float] = {}
    unit: str | None = None
    rest = text
    for _ in range(2):
        op = _OP.match(rest)
        if op is None:
            break
        value = _VALUE.match(rest[op.end() :])
        if value is None:
            return None
        if value.group("u"):
            if unit not in (None, value.group("u")):
                return None
            unit = value.group("u")
        limits[_OPS[op.group("op")]] = _number(value.group("v"))
        rest = re.sub(r"^(?:old|of age)\b\s*", "", rest[op.end() + value.end() :].strip())
        joined = re.match(r"^(?:and|but)\s+", rest)
        if joined is None or not _OP.match(rest[joined.end() :]):
            break
        rest = rest[joined.end() :]
    if limits:
        return _Bounds(limits, unit, rest)
    value = _VALUE.match(text)
    if value is not None:
        after = text[value.end() :].strip()
        # "18 years of age or older"
        after = re.sub(r"^(?:of age|old)\s+", "", after)
        post = _POSTFIX.match(after)
        if post is not None:
            word = post.group("word")
            key = "at_most" if word.endswith(("less", "lower", "below", "fewer")) else "at_least"
            return _Bounds({key: _number(value.group("v"))}, value.group("u"), after[post.end() :].strip())
    return None


_TRAILING = re.compile(
    r"^(?:(?:points?|years?|years? old|old|of age|inclusive|,|predicted|% predicted|of predicted(?: value)?"
    r"|(?:of )?expected value|predictive value|on pulmonary function tests|on room air|by echocardiography"
    r"|at screening|during (?:the )?screening(?: period)?"
    r"|at (?:the )?time of (?:screening|enrol?lment|(?:signing (?:the )?)?(?:informed )?consent(?: form)?)"
    r"|\(including cutoff values\)|\(a total score of \d+ points\)|indicating .*"
    r"|at the time of signing the informed consent|when signing the informed consent)\s*)*$"
)


def _measure_unit(measure: str, unit: str | None) -> tuple[str, str | None] | None:
    """(scale, unit for the rule) of a threshold's unit, or None when the unit does not fit."""
    if unit == "xuln":
        return ("xULN", None) if measure in FACTORS else None
    name = UNITS.get(unit) if unit else None
    if measure in FACTORS:
        if name is None:
            # A lab threshold with no unit is read only where the lab has one unit.
            return ("value", None) if measure in OWN_UNIT else None
        if name not in FACTORS[measure]:
            return None
        return "value", None if name == CANONICAL[measure] else name
    if name is None or name in OWN_UNIT.get(measure, ()) or (name == "points" and measure in SCORES):
        return "value", None
    return None


_NAMES_RE = "|".join(
    re.escape(n) for n in sorted({n for names in MEASURE_NAMES.values() for n in names}, key=len, reverse=True)
)
_NAME_OF = {n: measure for measure, names in MEASURE_NAMES.items() for n in names}
_SUBJECTS = re.compile(rf"^(?P<first>{_NAMES_RE})(?P<more>(?:\s*(?:,|/|and|or)\s*(?:{_NAMES_RE}))*)(?![a-z0-9-])")
_LEAD = re.compile(
    r"^(?:(?:at screening,?|the|a|an|subjects?|patients?|participants?|had|has|have|with|investigator-assessed"
    r"|disease|definition of disease activity:|adults?|male or female,?|aged|age:)\s+)+"
)
_FILLERS = re.compile(
    r"^(?:(?:" + "|".join(re.escape(f) for f in sorted(MEASURE_FILLERS, key=len, reverse=True)) + r")\s*)+"
)


def read_measure(text: str, kind: Kind) -> Rule | None:
    """``<name> [fillers] <threshold> [unit] [fillers]``; several names share one threshold
    ("AST and ALT <= 3 x ULN")."""
    text = _LEAD.sub("", drop_brackets(text))
    age_first = re.match(rf"^(?:between\s+|>=\s*|<=\s*|>\s*|<\s*)?{NUM}", text)
    names: list[str]
    joiner = ""
    if age_first and re.search(r"\byears?\b", text):
        names, rest = ["age"], text  # "18 to 70 years of age", "40 years or older"
        rest = re.sub(rf"^(between\s+)?({NUM})\s*years?\s*(?=-|to\b|and\b|or\b)", r"\1\2 ", rest)
    else:
        m = _SUBJECTS.match(text)
        if m is None:
            return None
        names = [_NAME_OF[m.group("first")]] + [_NAME_OF[n] for n in re.findall(rf"(?:{_NAMES_RE})", m.group("more"))]
        joiners = set(re.findall(r"\b(and|or)\b|[,/]", m.group("more")))
        joiner = "and" if "and" in joiners else "or" if "or" in joiners else ","
        rest = _FILLERS.sub("", drop_brackets(text[m.end() :]).strip())
    bounds = _bounds(rest)
    if bounds is None or not _TRAILING.match(bounds.rest):
        return None
    if bounds.outside and (kind == "inclusion" or len(names) > 1):
        # "Age less than 3 and more than 16" excludes either; as an inclusion it is a mistake.
        return None
    leaves: list[Rule] = []
    for name in dict.fromkeys(names):
        fit = _measure_unit(name, bounds.unit)
        if fit is None:
            return None
        scale, unit = fit
        parts = [{k: v} for k, v in bounds.limits.items()] if bounds.outside else [bounds.limits]
        for limits in parts:
            leaf: Rule = {"measure": name, **limits}
            if scale == "xULN":
                leaf["scale"] = "xULN"
            if unit is not None:
                leaf["unit"] = unit
            leaves.append(leaf)
    if bounds.outside:
        return {"any": leaves}
    if len(leaves) == 1:
        return leaves[0]
    joined = connector(joiner, kind)
    return None if joined is None else {joined: leaves}
