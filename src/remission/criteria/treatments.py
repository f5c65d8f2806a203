"""Treatment history in the criteria language: what was received (and when), courses counted by
distinct agent with their duration, dose and response, and investigational treatment.

Conventions (../shared/reference/screening/vignettes.json): a course lasts from start to end,
or to as_of while ongoing, counted in completed calendar months; "never received" needs
``treatments_complete`` or a ``not_received`` entry (without ``since``, or since early enough);
glucocorticoid doses are prednisone-equivalent and mg/day converts to mg/kg/day by
``demographics.weight_kg``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from remission.criteria.calendar import add_days, add_months, completed_months, parse_date
from remission.criteria.logic import Context, Judgement, known, unknown
from remission.criteria.predicates import Leaf, as_list
from remission.criteria.profile import Profile, num

Category = Literal[
    "glucocorticoid",
    "antimalarial",
    "csdmard_immunosuppressant",
    "bdmard",
    "tsdmard",
    "cyclophosphamide",
    "rituximab",
    "belimumab",
    "car_t",
    "other_cell_therapy",
    "hsct",
    "solid_organ_transplant",
    "live_vaccine",
    "investigational_product",
    "other",
]
CATEGORY_LABELS = {
    "csdmard_immunosuppressant": "csDMARD/immunosuppressant",
    "bdmard": "bDMARD",
    "tsdmard": "tsDMARD",
    "car_t": "CAR-T",
    "other_cell_therapy": "other cell therapy",
    "hsct": "HSCT",
    "solid_organ_transplant": "solid-organ transplant",
    "live_vaccine": "live vaccine",
    "investigational_product": "investigational product",
}

# Agent names as records spell them -> one key per agent, so "distinct agents" counts agents and
# not spellings (MMF and mycophenolate mofetil are one).
_AGENT_ALIASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bmmf\b|mycophenol"), "mycophenolate"),
    (re.compile(r"c[iy]closporin|cyclosporine"), "ciclosporin"),
    (re.compile(r"\bhcq\b|hydroxychloroquine"), "hydroxychloroquine"),
    (re.compile(r"\bcyc\b|cyclophosphamide|cytoxan"), "cyclophosphamide"),
    (re.compile(r"\bmtx\b|methotrexate"), "methotrexate"),
    (re.compile(r"\baza\b|azathioprine"), "azathioprine"),
    (re.compile(r"\brtx\b|rituximab"), "rituximab"),
    (re.compile(r"belimumab|benlysta"), "belimumab"),
    (re.compile(r"telitacicept"), "telitacicept"),
    (re.compile(r"tacrolimus|\bfk-?506\b"), "tacrolimus"),
    (re.compile(r"sirolimus|rapamycin"), "sirolimus"),
    (re.compile(r"leflunomide"), "leflunomide"),
]


@lru_cache(maxsize=4096)
def agent_key(name: str) -> str:
    """The agent a treatment name stands for (brand and short names folded), memoised: every
    treatment criterion asks it of every course the patient had."""
    text = name.strip().lower()
    for pattern, key in _AGENT_ALIASES:
        if pattern.search(text):
            return key
    return re.sub(r"\s+", " ", text)


def window_start(as_of: date, months: int = 0, days: int = 0) -> date:
    """The first day of a "within N months / days before as_of" window."""
    return add_days(add_months(as_of, -months), -days)


Categories = Annotated[list[Category], BeforeValidator(as_list)]


def _category_words(categories: Sequence[str]) -> str:
    return "/".join(CATEGORY_LABELS.get(c, c) for c in categories)


def _history_complete(profile: Profile, categories: Sequence[str], window_start: date | None) -> bool:
    """Whether the record rules out any unlisted course of these categories (since window_start)."""
    if profile.data.get("treatments_complete"):
        return True
    denied: dict[str, list[date | None]] = {}
    for entry in profile.data.get("not_received") or ():
        since = parse_date(entry["since"]) if entry.get("since") else None
        denied.setdefault(entry["category"], []).append(since)

    def ruled_out(category: str) -> bool:
        return any(s is None or (window_start is not None and s <= window_start) for s in denied.get(category, ()))

    return all(ruled_out(c) for c in categories)


class _Selects(BaseModel):
    """Which treatment entries a leaf looks at: categories, optionally narrowed to agents."""

    agents: list[str] | None = None

    def _picks(self, entry: Mapping[str, Any], categories: Sequence[str]) -> bool:
        if entry.get("category") not in categories:
            return False
        return self.agents is None or agent_key(entry.get("agent", "")) in {agent_key(a) for a in self.agents}


class Received(Leaf, _Selects):
    """Ever received (or within a window before as_of): ``{received: [car_t], cell_source:
    autologous}``, ``{received: [live_vaccine], within_days: 28}``."""

    op: ClassVar[str] = "received"
    received: Categories
    cell_source: Literal["autologous", "allogeneic"] | None = None
    within_days: int | None = None
    within_months: int | None = None

    def _window_start(self, as_of: date) -> date | None:
        if self.within_days is None and self.within_months is None:
            return None
        return window_start(as_of, self.within_months or 0, self.within_days or 0)

    def evaluate(self, ctx: Context) -> Judgement:
        profile = ctx.profile
        start = self._window_start(profile.as_of)
        what = _category_words(self.received) + (f" ({self.cell_source})" if self.cell_source else "")
        window = "" if start is None else f" since {start.isoformat()}"
        held, open_ = [], []
        for entry in profile.treatments():
            if not self._picks(entry, self.received):
                continue
            source = entry.get("cell_source")
            if self.cell_source is not None and source != self.cell_source:
                if source is None:
                    open_.append(f"cell source of {entry.get('agent')}")
                continue
            if start is not None:
                when = _last_exposure(entry, profile.as_of)
                if when is None:
                    open_.append(f"date of {entry.get('agent')}")
                    continue
                if when < start:
                    continue
            held.append(str(entry.get("agent")))
        if held:
            return known(True, f"received {what}{window}: {', '.join(held)}")
        if open_:
            return unknown(open_[0], f"{what}{window}: {', '.join(open_)} not recorded")
        if _history_complete(profile, list(self.received), start):
            return known(False, f"no {what}{window}")
        return unknown(f"history of {what}")


def _last_exposure(entry: Mapping[str, Any], as_of: date) -> date | None:
    if entry.get("end"):
        return parse_date(entry["end"])
    if entry.get("response") == "ongoing":
        return as_of
    return parse_date(entry["start"]) if entry.get("start") else None


class Dose(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float
    unit: Literal["mg/day", "mg/kg/day"]


def _dose_in(entry: Mapping[str, Any], unit: str, weight: float | None) -> float | None:
    dose = entry.get("dose") or {}
    value, given = dose.get("value"), dose.get("unit")
    if value is None or given not in ("mg/day", "mg/kg/day"):
        return None
    if given == unit:
        return float(value)
    if weight is None:
        return None
    return float(value) * weight if unit == "mg/day" else float(value) / weight


class Courses(Leaf, _Selects):
    """Courses counted by distinct agent: ``{courses: [csdmard_immunosuppressant, cyclophosphamide],
    min_agents: 2, min_months: 3}``, with optional ``response`` (any of), ``dose_at_least``,
    ``ongoing`` (the current course), and ``months_strict`` for "more than N months"."""

    op: ClassVar[str] = "courses"
    courses: Categories
    min_agents: int = 1
    min_months: int | None = None
    months_strict: bool = False
    response: list[Literal["failed", "intolerant", "ongoing", "responded", "stopped_other"]] | None = None
    dose_at_least: Dose | None = None
    ongoing: bool | None = None

    @model_validator(mode="after")
    def _positive(self) -> Courses:
        if self.min_agents < 1:
            raise ValueError("min_agents must be at least 1")
        return self

    def _qualifies(self, entry: Mapping[str, Any], profile: Profile) -> tuple[bool | None, str]:
        """Whether one course qualifies, and the fact that is missing when that is unknown."""
        agent = str(entry.get("agent"))
        verdict: bool | None = True
        missing = ""
        if self.response is not None:
            response = entry.get("response")
            if response is None:
                verdict, missing = None, f"response to {agent}"
            elif response not in self.response:
                return False, ""
        if self.ongoing is not None and bool(entry.get("end")) is self.ongoing:
            return False, ""
        if self.min_months is not None:
            if not entry.get("start"):
                verdict, missing = None, f"start date of {agent}"
            else:
                start = parse_date(entry["start"])
                end = parse_date(entry["end"]) if entry.get("end") else profile.as_of
                if self.months_strict:
                    long_enough = add_months(start, self.min_months) < end
                else:
                    long_enough = completed_months(start, end) >= self.min_months
                if not long_enough:
                    return False, ""
        if self.dose_at_least is not None:
            weight = profile.get("demographics.weight_kg")
            dose = _dose_in(entry, self.dose_at_least.unit, weight)
            if dose is None:
                verdict, missing = (
                    None,
                    f"dose of {agent}" + ("" if (entry.get("dose") or {}).get("value") is None else " (weight)"),
                )
            elif round(dose, 9) < self.dose_at_least.value:
                return False, ""
        return verdict, missing

    def describe(self) -> str:
        bits = [_category_words(self.agents or list(self.courses))]
        if self.dose_at_least is not None:
            bits.append(f"≥ {num(self.dose_at_least.value)} {self.dose_at_least.unit}")
        if self.min_months is not None:
            bits.append(f"{'>' if self.months_strict else '≥'} {self.min_months} months")
        if self.response is not None:
            bits.append("/".join(self.response))
        if self.ongoing:
            bits.append("current")
        return f"≥ {self.min_agents} agent(s): " + ", ".join(bits)

    def evaluate(self, ctx: Context) -> Judgement:
        profile = ctx.profile
        yes: dict[str, str] = {}
        maybe: dict[str, str] = {}
        for entry in profile.treatments():
            if not self._picks(entry, self.courses):
                continue
            key = agent_key(str(entry.get("agent", "")))
            verdict, missing = self._qualifies(entry, profile)
            if verdict:
                yes[key] = str(entry.get("agent"))
            elif verdict is None and key not in yes:
                maybe[key] = missing
        maybe = {k: v for k, v in maybe.items() if k not in yes}
        needs = self.describe()
        found = f"{len(yes)} qualifying" + (f" ({', '.join(yes.values())})" if yes else "")
        if len(yes) >= self.min_agents:
            return known(True, f"{found}; needs {needs}")
        if len(yes) + len(maybe) >= self.min_agents or not _history_complete(profile, list(self.courses), None):
            fact = next(iter(maybe.values()), f"complete treatment history ({_category_words(list(self.courses))})")
            return unknown(fact, f"{found}; needs {needs}")
        return known(False, f"{found}; needs {needs}")


class InvestigationalWithin(Leaf):
    """Investigational treatment within N months before as_of (``trial_participation``, or an
    ``investigational_product`` course)."""

    op: ClassVar[str] = "investigational_within"
    investigational_within: dict[Literal["months", "days"], int]

    def evaluate(self, ctx: Context) -> Judgement:
        profile = ctx.profile
        window = self.investigational_within
        start = window_start(profile.as_of, window.get("months", 0), window.get("days", 0))
        taking = profile.section("trial_participation")
        last = taking.get("last_investigational_treatment_date")
        dates = [parse_date(last)] if last else []
        dates += [
            d
            for e in profile.treatments()
            if e.get("category") == "investigational_product"
            for d in [_last_exposure(e, profile.as_of)]
            if d
        ]
        recent = [d for d in dates if d >= start]
        if recent:
            return known(True, f"investigational treatment on {max(recent).isoformat()} (since {start.isoformat()})")
        if taking.get("ever") is False:
            return known(False, "never in a clinical trial")
        if dates or _history_complete(profile, ["investigational_product"], start):
            return known(False, f"no investigational treatment since {start.isoformat()}")
        return unknown("date of last investigational treatment")
