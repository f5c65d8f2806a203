"""A dose-finding design, in its one shape: the ``[design]`` table of a protocol file, the JSON of
the REST API and what the command line's options fill in are all a ``DoseDesign``.

A design is immutable configuration. ``rulebook(design)`` (``rules/``) turns it into the tree of
rules that the live decision and every simulation run; nothing else reads these fields to decide.
Field names are the command line's options (``--backfill-cap`` is ``backfill.cap``, see
``OPTION_PATHS``), so an option given beside ``--protocol`` overrides the protocol's value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from remission.dosefinding.boundaries import DecisionTable, DoseFindingError

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_PRESET",
    "OPTION_PATHS",
    "PRESETS",
    "BackfillAssign",
    "BackfillRule",
    "BackfillRules",
    "DesignError",
    "DoseDesign",
    "EarlyStopReading",
    "TitrationRule",
    "design_from",
    "field_problems",
    "option_path",
    "problems_text",
]

# The choices of a few fields, named so that the command line offers the same ones.
EarlyStopReading = Literal["with_stay", "simple"]
BackfillRules = Literal["paper", "bfboin"]
BackfillAssign = Literal["highest", "lowest"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TitrationRule(_Frozen):
    """Accelerated titration (Simon R et al., J Natl Cancer Inst 1997;89:1138-1147,
    doi:10.1093/jnci/89.15.1138): one patient per dose on the first ``levels`` doses (None: every
    dose, as R BOIN's ``titration = TRUE``) until the first DLT or, with ``grade2_trigger``, the
    second patient with a grade ≥ 2 toxicity. At the trigger, ``expand_to_cohort`` fills the dose
    up to a cohort (the index patient counts; R BOIN), ``next_design`` lets the escalation rule
    decide at once on the single patient."""

    levels: int | None = Field(None, ge=1, le=20)
    grade2_trigger: bool = True
    on_trigger: Literal["expand_to_cohort", "next_design"] = "expand_to_cohort"


class BackfillRule(_Frozen):
    """BF-BOIN backfilling (Zhao 2024): patients who arrive while the escalation cohort is in its
    DLT window go to a lower open dose. ``rules``: ``paper`` (the article's rules as settled in
    ``rules/backfill.py``) or ``bfboin`` (the R package bfboin 0.1.1, kept to reproduce its figures)."""

    cap: int = Field(12, ge=1, le=100, description="patients per dose, escalation and backfill together")
    rules: BackfillRules = "paper"
    assign: BackfillAssign = "highest"
    require_response: bool = True


class DoseDesign(_Frozen):
    """Every parameter of a design. Defaults are R BOIN's where it has one."""

    escalation: Literal["boin", "3+3"] = "boin"
    target: float = Field(0.30, ge=0.05, le=0.6, description="target DLT rate φ")
    p_saf: float | None = Field(None, gt=0, lt=1, description="highest rate deemed safe (default 0.6 φ)")
    p_tox: float | None = Field(None, gt=0, lt=1, description="lowest rate deemed toxic (default 1.4 φ)")
    cohort_size: int = Field(3, ge=1, le=12)
    cohorts: int = Field(10, ge=1, le=100, description="escalation cohorts (backfill patients are extra)")
    max_n: int | None = Field(None, ge=1, le=500, description="every patient, backfill included")
    n_earlystop: int | None = Field(None, ge=1, le=500, description="stop with this many at the current dose")
    n_earlystop_rule: EarlyStopReading = "with_stay"
    cutoff_eli: float | None = Field(0.95, ge=0.5, lt=1, description="elimination cut-off (null: none)")
    extrasafe: bool = False
    offset: float = Field(0.05, ge=0, lt=0.5)
    stay_at_one_third: bool = False
    bound_mtd: bool = False
    start_dose: int = Field(1, ge=1, le=20)
    dlt_window_days: int = Field(28, ge=1, le=365)
    titration: TitrationRule | None = None
    backfill: BackfillRule | None = None
    assumed: tuple[str, ...] = Field((), description="values the trial has not published (field paths)")

    @field_validator("cohort_size", "n_earlystop", "extrasafe", "stay_at_one_third", "backfill")
    @classmethod
    def _not_for_3_plus_3(cls, value: Any, info: ValidationInfo) -> Any:
        """3+3 has cohorts of 3, no backfill, and none of BOIN's stopping or safety options; a
        field check (escalation is declared first) so that the error names the field."""
        if info.data.get("escalation") == "3+3":
            if info.field_name == "cohort_size" and value != 3:
                raise ValueError("3+3 has cohorts of 3")
            if info.field_name != "cohort_size" and value:
                raise ValueError("BOIN's, not a rule of 3+3")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DoseDesign:
        self.table()  # the boundary checks R BOIN makes (target, p_saf, p_tox, cut-offs)
        if self.backfill is not None and self.cohort_size < 3:
            raise ValueError("backfill needs cohorts of at least 3 (BF-BOIN): cohort_size is less")
        for path in self.assumed:
            if not _has_path(self, path):
                raise ValueError(f"assumed: {path!r} is not a field of the design")
        return self

    @property
    def safe(self) -> float:
        """φ1, the highest rate deemed safe (default 0.6 φ)."""
        return 0.6 * self.target if self.p_saf is None else self.p_saf

    @property
    def toxic(self) -> float:
        """φ2, the lowest rate deemed overly toxic (default 1.4 φ)."""
        return 1.4 * self.target if self.p_tox is None else self.p_tox

    @property
    def escalation_size(self) -> int:
        """Patients the escalation treats at most: cohorts × cohort size (titration included)."""
        return self.cohorts * self.cohort_size

    def capacity(self, doses: int) -> int:
        """The most patients a trial of this design can treat on ``doses`` doses: the escalation,
        plus backfill up to the cap at every dose below the top, within ``max_n``."""
        most = self.escalation_size + (0 if self.backfill is None else self.backfill.cap * max(doses - 1, 0))
        return most if self.max_n is None else min(most, self.max_n)

    def table(self) -> DecisionTable:
        try:
            return DecisionTable(self.target, self.safe, self.toxic, self.cutoff_eli,
                                 self.offset if self.extrasafe else None, self.stay_at_one_third)  # fmt: skip
        except DoseFindingError as exc:
            raise ValueError(str(exc)) from None

    def check_doses(self, doses: int) -> None:
        """The checks that need the number of doses; an error names the field."""
        if doses < 1:
            raise DesignError([("doses", "at least one dose is needed")])
        if self.start_dose > doses:
            raise DesignError([("start_dose", f"{self.start_dose} is out of range (1 to {doses})")])
        if self.titration is not None and self.titration.levels is not None and self.titration.levels > doses:
            raise DesignError([("titration.levels", f"{self.titration.levels} is out of range (1 to {doses})")])

    def assumed_values(self) -> list[tuple[str, object]]:
        """The values the trial has not published, by field path."""
        return [(path, self.value(path)) for path in self.assumed]

    def assumed_note(self) -> str:
        """The one line every face shows for the assumed values ("" when there are none)."""
        values = ", ".join(f"{path} = {value}" for path, value in self.assumed_values())
        return f"assumed, not published by the trial: {values}" if values else ""

    def value(self, path: str) -> object:
        """The value at a field path (``backfill.cap``)."""
        value: object = self
        for part in path.split("."):
            value = getattr(value, part)
        return value

    def table_rows(self) -> int:
        """How many rows of the decision table a trial can reach: up to the sample size, and no
        further than n_earlystop (R BOIN's get.boundary)."""
        most = self.escalation_size if self.max_n is None else self.max_n
        return most if self.n_earlystop is None else min(most, self.n_earlystop)


def _has_path(design: BaseModel, path: str) -> bool:
    head, _, rest = path.partition(".")
    if head not in type(design).model_fields:
        return False
    if not rest:
        return True
    value = getattr(design, head)
    return isinstance(value, BaseModel) and _has_path(value, rest)


def problems_text(problems: list[tuple[str, str]], name: Callable[[str], str] = str) -> str:
    """Problems as one line, each field shown by ``name`` (the CLI shows its flags)."""
    return "; ".join(f"{name(field)}: {msg}" if field else msg for field, msg in problems)


class DesignError(DoseFindingError):
    """A refused design: ``problems`` pairs each field path with what is wrong with it."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "") -> None:
        lead = f"{source}: " if source else ""
        super().__init__(lead + problems_text(problems))
        self.problems = problems
        self.source = source


# The command line's option names for the fields they set (the same dotted path in the TOML file
# and in REST JSON). One table, so the CLI, REST and the protocol loader override the same way:
# every plain field under its own name, then the names of the nested ones.
OPTION_PATHS: dict[str, str] = {
    **{name: name for name in DoseDesign.model_fields if name not in ("titration", "backfill", "assumed")},
    "dlt_window_months": "dlt_window_days",
    "titration_levels": "titration.levels",
    "grade2_trigger": "titration.grade2_trigger",
    "on_trigger": "titration.on_trigger",
    "backfill_cap": "backfill.cap",
    "backfill_rules": "backfill.rules",
    "backfill_assign": "backfill.assign",
    "require_response": "backfill.require_response",
}


def option_path(option: str) -> str:
    """The field path an option name sets (a name that is not an option is taken as a path)."""
    return OPTION_PATHS.get(option, option)


DAYS_PER_MONTH = 365.25 / 12

# Named starting points for ``--design``: what each name adds to the defaults.
DEFAULT_PRESET = "boin"
PRESETS: dict[str, dict[str, Any]] = {
    "boin": {},
    "3+3": {"escalation": "3+3"},
    "bf-boin": {"backfill": {}},
    "atd-bf-boin": {"titration": {"levels": 2}, "backfill": {}},
}


def field_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Each of pydantic's errors as (field path, message): the path is empty for a check of the
    whole model, whose message names what it is about."""
    return [(".".join(str(x) for x in e["loc"]), e["msg"].removeprefix("Value error, ")) for e in exc.errors()]


def design_from(
    base: DoseDesign | Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
    source: str = "design",
) -> DoseDesign:
    """A design from ``base`` (a design, or its JSON/TOML mapping; None: the defaults) with
    ``overrides`` keyed by option name or dotted path (a None value overrides nothing). Setting
    a field of titration or backfill on a design without it is refused, naming the option."""
    data: dict[str, Any] = base.model_dump() if isinstance(base, DoseDesign) else dict(base or {})
    problems: list[tuple[str, str]] = []
    for option, given in (overrides or {}).items():
        key, value = option, given
        if value is None:
            continue
        if key == "titration" and isinstance(value, bool):
            # R BOIN's titration = TRUE: one patient per dose on every dose until the first DLT.
            data["titration"] = {"levels": None, "grade2_trigger": False} if value else None
            continue
        if key == "dlt_window_months":
            days = round(value * DAYS_PER_MONTH) if isinstance(value, int | float) else 0
            if days < 1:
                problems.append((key, "must be at least a day"))
                continue
            if (overrides or {}).get("dlt_window_days") is not None:
                problems.append((key, "give the window in months or in days, not both"))
                continue
            key, value = "dlt_window_days", days
        path = option_path(key)
        head, _, rest = path.partition(".")
        if not rest:
            data[head] = value
            continue
        section = data.get(head)
        if not isinstance(section, dict):
            problems.append((key, f"the design has no {head}"))
            continue
        data[head] = {**section, rest: value}
    if problems:
        raise DesignError(problems, source)
    try:
        return DoseDesign.model_validate(data)
    except ValidationError as exc:
        raise DesignError(field_problems(exc), source) from None
