"""The leaves of the criteria language: comparisons and facts about one patient.

Each leaf is written in a protocol file as a mapping whose first key names it and whose other
keys qualify it (``{measure: lvef, at_least: 55}``, ``{positive: [cd19, bcma]}``,
``{condition: diabetes, uncontrolled: true}``). Every leaf answers met / not met / unknown by
the screening conventions of ../shared/reference/screening/vignettes.json: thresholds are
inclusive as written ("at least", "at most", "between") and strict for "above"/"below"; an
absent, null or "unknown" fact is unknown; "equivocal" is unknown; ANA counts as positive only
at a titre of 1:80 or more when a titre is given (the EULAR/ACR 2019 entry criterion, Aringer M
et al., Arthritis Rheumatol 2019;71:1400-1412).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from remission.criteria.calendar import add_months, parse_date
from remission.criteria.facts import CONDITIONS, LAB_LABELS, MEASURES, PLAIN_MEASURES, TESTS, boolean_facts
from remission.criteria.logic import Context, Judgement, Node, any_of, known, unknown
from remission.criteria.profile import Measured, num
from remission.criteria.units import CANONICAL, FACTORS, convert

ANA_MIN_TITRE = 80
DiagnosisCode = Literal["SLE", "SSC", "AAV", "IIM", "SJS", "RA", "TAK", "IGG4RD", "other"]
Subtype = Literal["GPA", "MPA", "EGPA", "DM", "PM", "IMNM", "ASyS", "primary", "secondary"]
CriteriaSet = Literal[
    "ACR 1997",
    "SLICC 2012",
    "EULAR/ACR 2019",
    "ACR/EULAR 2013",
    "ACR/EULAR 2022",
    "EULAR/ACR 2017",
    "AECG 2002",
    "ACR/EULAR 2016",
    "ACR/EULAR 2010",
    "ACR/EULAR 2019 IgG4-RD",
    "other",
]
SHORT_DISEASE_LABELS = {"SSC": "SSc", "SJS": "Sjogren's", "IGG4RD": "IgG4-RD", "other": "other disease"}


def as_list(value: Any) -> Any:
    """A single name written where a list is expected is a list of one."""
    return [value] if isinstance(value, str) else value


class Leaf(BaseModel, Node):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        # The leaf's own key is kept even at its default ({relapsed_refractory: true}).
        head = self.model_dump(mode="json", include={self.op})
        return {**head, **self.model_dump(mode="json", exclude_defaults=True, by_alias=True)}


# --- numbers ---------------------------------------------------------------------------------


class Measure(Leaf):
    """A number compared with thresholds: ``{measure: alt, at_most: 3, scale: xULN}``."""

    op: ClassVar[str] = "measure"
    measure: str
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None
    below: float | None = None
    equals: float | None = None
    between: tuple[float, float] | None = None
    scale: Literal["value", "xULN"] = "value"
    unit: str | None = None  # the thresholds' unit when not the canonical one

    @field_validator("measure")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}; known: {', '.join(MEASURES)}")
        return name

    @model_validator(mode="after")
    def _thresholds(self) -> Measure:
        if not any(
            x is not None for x in (self.at_least, self.at_most, self.above, self.below, self.equals, self.between)
        ):
            raise ValueError("a measure needs a threshold: at_least, at_most, above, below, equals or between")
        if self.scale == "xULN" and self.measure not in FACTORS:
            raise ValueError(f"{self.measure} is not a lab, so it has no ULN")
        if self.unit is not None and (self.measure not in FACTORS or self.unit not in FACTORS[self.measure]):
            allowed = ", ".join(FACTORS.get(self.measure, ())) or "none (not a lab)"
            raise ValueError(f"unit {self.unit!r} is not a unit of {self.measure} (allowed: {allowed})")
        return self

    def _to_canonical(self, value: float) -> float:
        if self.unit is None or self.scale == "xULN":
            return value
        return convert(self.measure, value, self.unit, CANONICAL[self.measure])

    def needs(self) -> str:
        u = "" if self.scale == "value" else " x ULN"
        parts = []
        for word, value in (
            ("≥", self.at_least),
            ("≤", self.at_most),
            (">", self.above),
            ("<", self.below),
            ("=", self.equals),
        ):
            if value is not None:
                parts.append(f"{word} {num(value)}{u}")
        if self.between is not None:
            parts.append(f"{num(self.between[0])}-{num(self.between[1])}{u}")
        return " and ".join(parts)

    def read(self, ctx: Context) -> Measured | None:
        profile = ctx.profile
        if self.measure == "age":
            return profile.age
        if self.measure in LAB_LABELS:
            return profile.times_uln(self.measure) if self.scale == "xULN" else profile.lab(self.measure)
        return profile.plain(PLAIN_MEASURES[self.measure][1])

    def evaluate(self, ctx: Context) -> Judgement:
        label = MEASURES[self.measure]
        got = self.read(ctx)
        if got is None:
            what = f"{label} (with its ULN)" if self.scale == "xULN" and self.measure in LAB_LABELS else label
            return unknown(what)
        v, c = got.value, self._to_canonical
        ok = (
            (self.at_least is None or v >= c(self.at_least))
            and (self.at_most is None or v <= c(self.at_most))
            and (self.above is None or v > c(self.above))
            and (self.below is None or v < c(self.below))
            and (self.equals is None or v == c(self.equals))
            and (self.between is None or c(self.between[0]) <= v <= c(self.between[1]))
        )
        return known(ok, f"{label} {got.text}, needs {self._needs}")

    @cached_property
    def _needs(self) -> str:
        return self.needs()


# --- yes/no facts ----------------------------------------------------------------------------


class Fact(Leaf):
    """A yes/no field of the profile: ``{fact: organ_function.leukapheresis_feasible}``."""

    op: ClassVar[str] = "fact"
    fact: str
    is_: bool = Field(default=True, alias="is")

    @field_validator("fact")
    @classmethod
    def _known(cls, path: str) -> str:
        if path not in boolean_facts():
            raise ValueError(f"unknown yes/no fact {path!r}; known: {', '.join(boolean_facts())}")
        return path

    def evaluate(self, ctx: Context) -> Judgement:
        label = boolean_facts()[self.fact]
        value = ctx.profile.get(self.fact)
        if value is None:
            return unknown(label)
        return known(value is self.is_, f"{label}: {'yes' if value else 'no'}")


class HasCondition(Leaf):
    """A condition recorded as ``{present: ...}``, optionally qualified:
    ``{condition: diabetes, uncontrolled: true}``, ``{condition: gvhd, min_grade: 2}``."""

    op: ClassVar[str] = "condition"
    condition: str
    uncontrolled: bool | None = None
    severe: bool | None = None
    requires_systemic_treatment: bool | None = None
    types: list[str] | None = None
    min_grade: int | None = None

    @field_validator("condition")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in CONDITIONS:
            raise ValueError(f"unknown condition {name!r}; known: {', '.join(CONDITIONS)}")
        return name

    def _qualifiers(self, record: dict[str, Any], label: str) -> Judgement:
        checks: list[tuple[str, Any, Any]] = []  # (words, recorded, wanted)
        if self.uncontrolled is not None:
            controlled = record.get("controlled")
            checks.append(("uncontrolled", None if controlled is None else not controlled, self.uncontrolled))
        for name in ("severe", "requires_systemic_treatment"):
            wanted = getattr(self, name)
            if wanted is not None:
                checks.append((name.replace("_", " "), record.get(name), wanted))
        if self.types is not None:
            recorded = record.get("types") or []
            checks.append(
                ("of type " + "/".join(self.types), bool(set(recorded) & set(self.types)) if recorded else None, True)
            )
        if self.min_grade is not None:
            grade = record.get("acute_grade")
            checks.append((f"grade ≥ {self.min_grade}", None if grade is None else grade >= self.min_grade, True))
        for words, recorded, wanted in checks:
            if recorded is None:
                return unknown(f"{label}: {words}")
            if recorded != wanted:
                return known(False, f"{label} present, not {words}" if wanted else f"{label} present, {words}")
        detail = ", ".join(w for w, _, wanted in checks if wanted) if checks else ""
        return known(True, f"{label} present" + (f" ({detail})" if detail else ""))

    def evaluate(self, ctx: Context) -> Judgement:
        label, path = CONDITIONS[self.condition]
        record = ctx.profile.get(path)
        present = record.get("present") if isinstance(record, dict) else None
        if present is None:
            return unknown(label)
        if not present:
            return known(False, f"{label}: no")
        return self._qualifiers(record, label)


class Positive(Leaf):
    """At least one of the tests positive: ``{positive: [cd19, bcma]}``. Not met when every one is
    negative; "equivocal" and unrecorded tests are unknown."""

    op: ClassVar[str] = "positive"
    positive: list[str]
    ana_min_titre: int = ANA_MIN_TITRE

    @field_validator("positive", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        names = as_list(value)
        if isinstance(names, list):
            bad = [n for n in names if n not in TESTS]
            if bad:
                raise ValueError(f"unknown test {', '.join(map(repr, bad))}; known: {', '.join(TESTS)}")
        return names

    def _one(self, ctx: Context, name: str) -> Judgement:
        label, section = TESTS[name]
        result = ctx.profile.section(section).get(name) or {}
        status = result.get("status")
        if status == "positive":
            titre = result.get("titre_denominator")
            if name == "ana" and titre is not None and titre < self.ana_min_titre:
                return known(False, f"ANA 1:{titre}, below 1:{self.ana_min_titre}")
            return known(True, f"{label} positive" + (f" (1:{titre})" if name == "ana" and titre else ""))
        if status == "negative":
            return known(False, f"{label} negative")
        return unknown(label, f"{label} {'equivocal' if status == 'equivocal' else 'not recorded'}")

    def evaluate(self, ctx: Context) -> Judgement:
        return any_of([self._one(ctx, name) for name in self.positive])


# --- the disease -----------------------------------------------------------------------------


def diagnosis_label(diagnosis: dict[str, Any] | Any) -> str:
    code = diagnosis.get("code", "?")
    label = diagnosis.get("label") if code == "other" else None
    sub = diagnosis.get("subtype")
    text = label or SHORT_DISEASE_LABELS.get(code, code)
    return f"{text} ({sub})" if sub else text


class Disease(Leaf):
    """The disease (and subtype): ``{disease: IIM, subtype: [DM]}``. Within a cohort it is judged
    on the cohort's diagnosis, otherwise on any of the patient's diagnoses."""

    op: ClassVar[str] = "disease"
    disease: DiagnosisCode
    subtype: list[Subtype] | None = None
    labels: list[str] | None = None  # for ``other``: words of the diagnosis label ("myasthenia")

    def _name(self) -> str:
        if self.disease == "other" and self.labels:
            return "/".join(self.labels)
        return SHORT_DISEASE_LABELS.get(self.disease, self.disease)

    def matches(self, diagnosis: dict[str, Any] | Any) -> Judgement:
        if diagnosis.get("code") != self.disease:
            return known(False, f"{diagnosis_label(diagnosis)}, not {self._name()}")
        if self.labels is not None:
            label = (diagnosis.get("label") or "").lower()
            if not label:
                return unknown("name of the diagnosis")
            if not any(word.lower() in label for word in self.labels):
                return known(False, f"{diagnosis_label(diagnosis)}, not {self._name()}")
        if self.subtype:
            sub = diagnosis.get("subtype")
            if sub is None:
                return unknown(f"{SHORT_DISEASE_LABELS.get(self.disease, self.disease)} subtype")
            if sub not in self.subtype:
                return known(False, f"{diagnosis_label(diagnosis)}, not {'/'.join(self.subtype)}")
        return known(True, diagnosis_label(diagnosis))

    def evaluate(self, ctx: Context) -> Judgement:
        if ctx.diagnosis is not None:
            return self.matches(ctx.diagnosis)
        outcomes = [self.matches(d) for d in ctx.profile.diagnoses()]
        for o in outcomes:
            if o.value:
                return o
        open_ = [o for o in outcomes if o.value is None]
        if open_:
            return open_[0]
        if ctx.profile.data.get("diagnoses_complete") or outcomes:
            # The main disease is always listed; with a listed disease that is not this one,
            # the patient is not in this disease's population.
            return known(
                False, "diagnoses: " + (", ".join(diagnosis_label(d) for d in ctx.profile.diagnoses()) or "none")
            )
        return unknown("diagnosis")


def _cohort_diagnosis(ctx: Context) -> Mapping[str, Any] | None:
    if ctx.diagnosis is not None:
        return ctx.diagnosis
    listed = list(ctx.profile.diagnoses())
    return listed[0] if len(listed) == 1 else None


class Classification(Leaf):
    """Any of the classification criteria sets met: ``{classification: [ACR 1997, SLICC 2012]}``.
    Met if a set is in ``classification_criteria_met``; not met only if every one is in
    ``classification_criteria_not_met``."""

    op: ClassVar[str] = "classification"
    classification: Annotated[list[CriteriaSet], BeforeValidator(as_list)]

    def evaluate(self, ctx: Context) -> Judgement:
        diagnosis = _cohort_diagnosis(ctx)
        wanted = " or ".join(self.classification)
        if diagnosis is None:
            return unknown("diagnosis")
        met = set(diagnosis.get("classification_criteria_met") or ())
        hit = [s for s in self.classification if s in met]
        if hit:
            return known(True, f"meets {', '.join(hit)}")
        not_met = set(diagnosis.get("classification_criteria_not_met") or ())
        if all(s in not_met for s in self.classification):
            return known(False, f"does not meet {wanted}")
        return unknown(f"classification criteria ({wanted})")


class DiagnosedFor(Leaf):
    """The cohort's disease diagnosed at least this long before as_of: date + N months <= as_of."""

    op: ClassVar[str] = "diagnosed_for"
    diagnosed_for: dict[Literal["months", "years"], int]

    def months(self) -> int:
        return self.diagnosed_for.get("months", 0) + 12 * self.diagnosed_for.get("years", 0)

    def evaluate(self, ctx: Context) -> Judgement:
        diagnosis = _cohort_diagnosis(ctx)
        if diagnosis is None or not diagnosis.get("date"):
            return unknown("diagnosis date")
        since = parse_date(diagnosis["date"])
        ok = add_months(since, self.months()) <= ctx.profile.as_of
        return known(ok, f"diagnosed {since.isoformat()}, needs ≥ {self.months()} months before {ctx.profile.as_of}")


class DiagnosisFlag(Leaf):
    """A flag of the cohort's diagnosis: ``{diagnosis: active}`` (also refractory, relapsing)."""

    op: ClassVar[str] = "diagnosis"
    diagnosis: Literal["active", "refractory", "relapsing"]
    is_: bool = Field(default=True, alias="is")

    def evaluate(self, ctx: Context) -> Judgement:
        diagnosis = _cohort_diagnosis(ctx)
        value = None if diagnosis is None else diagnosis.get(self.diagnosis)
        label = f"disease {self.diagnosis}"
        if value is None:
            return unknown(label)
        return known(value is self.is_, f"{label}: {'yes' if value else 'no'}")


class RelapsedRefractory(Leaf):
    """Relapsed/refractory where a trial does not define it: met if the diagnosis is marked
    refractory or relapsing, not met if both are false (the vignettes' general rule)."""

    op: ClassVar[str] = "relapsed_refractory"
    relapsed_refractory: Literal[True] = True

    def evaluate(self, ctx: Context) -> Judgement:
        diagnosis = _cohort_diagnosis(ctx)
        flags = {} if diagnosis is None else {k: diagnosis.get(k) for k in ("refractory", "relapsing")}
        held = [k for k, v in flags.items() if v]
        if held:
            return known(True, " and ".join(held))
        if flags and all(v is False for v in flags.values()):
            return known(False, "neither refractory nor relapsing")
        return unknown("relapsed/refractory status")


class OtherAutoimmune(Leaf):
    """Another autoimmune diagnosis besides the cohort's disease; ruled out only when
    ``diagnoses_complete``. Narrowed by ``codes``, ``subtypes`` or words of the ``labels``, and
    with ``active_only`` to ones not marked inactive."""

    op: ClassVar[str] = "other_autoimmune"
    other_autoimmune: Literal[True] = True
    codes: list[DiagnosisCode] | None = None
    subtypes: list[Subtype] | None = None
    labels: list[str] | None = None
    active_only: bool = False

    def _kind(self, diagnosis: dict[str, Any] | Any) -> bool:
        if self.codes is None and self.subtypes is None and self.labels is None:
            return True
        label = (diagnosis.get("label") or "").lower()
        return (
            (self.codes is not None and diagnosis.get("code") in self.codes)
            or (self.subtypes is not None and diagnosis.get("subtype") in self.subtypes)
            or (self.labels is not None and any(word.lower() in label for word in self.labels))
        )

    def evaluate(self, ctx: Context) -> Judgement:
        cohort = _cohort_diagnosis(ctx)
        others = [d for d in ctx.profile.diagnoses() if d is not cohort]
        held, open_ = [], []
        for d in others:
            if not self._kind(d):
                continue
            active = d.get("active")
            if not self.active_only or active:
                held.append(diagnosis_label(d))
            elif active is None:
                open_.append(diagnosis_label(d))
        if held:
            return known(True, f"has {', '.join(held)}" + (" (active)" if self.active_only else ""))
        if open_:
            return unknown(f"whether {', '.join(open_)} is active")
        if ctx.profile.data.get("diagnoses_complete"):
            return known(False, "no such diagnosis (diagnosis list complete)")
        return unknown("complete list of other autoimmune diagnoses")


# --- malignancy ------------------------------------------------------------------------------

MalignancyType = Literal[
    "basal_cell_skin",
    "squamous_cell_skin",
    "melanoma",
    "cervical",
    "bladder",
    "breast",
    "prostate",
    "lymphoma",
    "leukaemia",
    "lung",
    "colorectal",
    "thyroid",
    "other",
]


class Exemption(BaseModel):
    """A malignancy a criterion disregards: of these types (any, if none named), with these
    attributes true, disease-free at least (or more than) so many years."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    types: list[MalignancyType] | None = None
    in_situ: bool | None = None
    fully_treated: bool | None = None
    localized: bool | None = None
    radical_surgery: bool | None = None
    disease_free_years_at_least: float | None = None
    disease_free_years_above: float | None = None

    def applies(self, entry: dict[str, Any]) -> bool | None:
        if self.types is not None and entry.get("type") not in self.types:
            return False
        result: bool | None = True
        for name in ("in_situ", "fully_treated", "localized", "radical_surgery"):
            wanted = getattr(self, name)
            if wanted is None:
                continue
            got = entry.get(name)
            if got is None:
                result = None
            elif got != wanted:
                return False
        bounds = [
            (bound, strict)
            for bound, strict in ((self.disease_free_years_at_least, False), (self.disease_free_years_above, True))
            if bound is not None
        ]
        if bounds:
            if entry.get("active"):
                return False
            years = entry.get("years_disease_free")
            if years is None:
                result = None
            elif any((years <= bound) if strict else (years < bound) for bound, strict in bounds):
                return False
        return result


class Malignancy(Leaf):
    """A malignancy that is not one of the exemptions: ``{malignancy: true, except: [...]}``."""

    op: ClassVar[str] = "malignancy"
    malignancy: Literal[True] = True
    except_: list[Exemption] = Field(default_factory=list, alias="except")

    def evaluate(self, ctx: Context) -> Judgement:
        record = ctx.profile.get("comorbidities.malignancy") or {}
        entries = record.get("entries") or []
        if record.get("present") is False and not entries:
            return known(False, "malignancy: no")
        if not entries:
            return unknown("malignancy history" if record.get("present") is None else "malignancy details")
        counted, open_ = [], []
        for entry in entries:
            exempt = [e.applies(entry) for e in self.except_]
            words = _malignancy_words(entry)
            if any(x is True for x in exempt):
                continue
            if any(x is None for x in exempt):
                open_.append(words)
            else:
                counted.append(words)
        if counted:
            return known(True, "malignancy: " + ", ".join(counted))
        if open_:
            return unknown("malignancy details", "malignancy details needed: " + ", ".join(open_))
        return known(False, "malignancy history only of exempt kinds")


def _malignancy_words(entry: dict[str, Any]) -> str:
    kind = str(entry.get("type", "unspecified")).replace("_", " ")
    bits = [b for b in ("in_situ", "fully_treated", "active") if entry.get(b)]
    years = entry.get("years_disease_free")
    detail = ", ".join(
        [b.replace("_", " ") for b in bits] + ([f"disease-free {num(years)} y"] if years is not None else [])
    )
    return f"{kind} ({detail})" if detail else kind


# --- consent, sex, pregnancy -----------------------------------------------------------------


class Consent(Leaf):
    """Informed consent: ``own`` needs the patient's capacity; ``own_or_guardian`` also accepts
    an available guardian. Willingness decides only when recorded as declined."""

    op: ClassVar[str] = "consent"
    consent: Literal["own", "own_or_guardian"]

    def evaluate(self, ctx: Context) -> Judgement:
        c = ctx.profile.section("consent")
        if c.get("willing") is False:
            return known(False, "declined to take part")
        capacity, guardian = c.get("has_capacity"), c.get("guardian_available")
        if capacity:
            return known(True, "can consent personally")
        if self.consent == "own_or_guardian":
            if guardian:
                return known(True, "a guardian can consent")
            if capacity is False and guardian is False:
                return known(False, "cannot consent personally and no guardian")
            return unknown("capacity to consent or a guardian")
        if capacity is False:
            return known(False, "cannot consent personally")
        return unknown("capacity to consent")


class SexIs(Leaf):
    op: ClassVar[str] = "sex"
    sex: Literal["female", "male"]

    def evaluate(self, ctx: Context) -> Judgement:
        sex = ctx.profile.sex
        return unknown("sex") if sex is None else known(sex == self.sex, sex)


class Pregnant(Leaf):
    """Pregnant: met if recorded pregnant or a positive pregnancy test; not met if recorded not
    pregnant, a negative test, no childbearing potential, or male."""

    op: ClassVar[str] = "pregnant"
    pregnant: Literal[True] = True

    def evaluate(self, ctx: Context) -> Judgement:
        r = ctx.profile.section("reproductive")
        test = (r.get("pregnancy_test") or {}).get("result")
        if r.get("pregnant") is True or test == "positive":
            return known(True, "pregnant" if r.get("pregnant") else "positive pregnancy test")
        if ctx.profile.sex == "male":
            return known(False, "male")
        if r.get("pregnant") is False or test == "negative":
            return known(False, "not pregnant" + (" (negative test)" if test == "negative" else ""))
        if r.get("childbearing_potential") is False:
            return known(False, "no childbearing potential")
        return unknown("pregnancy status")


class PregnancyTest(Leaf):
    op: ClassVar[str] = "pregnancy_test"
    pregnancy_test: Literal["negative", "positive"]

    def evaluate(self, ctx: Context) -> Judgement:
        result = (ctx.profile.section("reproductive").get("pregnancy_test") or {}).get("result")
        if result in ("positive", "negative"):
            return known(result == self.pregnancy_test, f"pregnancy test {result}")
        return unknown("pregnancy test")


class Breastfeeding(Leaf):
    op: ClassVar[str] = "breastfeeding"
    breastfeeding: Literal[True] = True

    def evaluate(self, ctx: Context) -> Judgement:
        if ctx.profile.sex == "male":
            return known(False, "male")
        value = ctx.profile.section("reproductive").get("breastfeeding")
        return (
            unknown("breastfeeding")
            if value is None
            else known(value, "breastfeeding" if value else "not breastfeeding")
        )


class IntendsToConceive(Leaf):
    """Intends to conceive; agreeing to contraception counts as not intending."""

    op: ClassVar[str] = "intends_to_conceive"
    intends_to_conceive: Literal[True] = True

    def evaluate(self, ctx: Context) -> Judgement:
        r = ctx.profile.section("reproductive")
        if r.get("intends_to_conceive") is True:
            return known(True, "intends to conceive")
        if ctx.profile.sex == "male":
            return known(False, "male")
        if r.get("intends_to_conceive") is False or r.get("agrees_to_contraception") is True:
            return known(
                False,
                "no intention to conceive" if r.get("intends_to_conceive") is False else "agrees to contraception",
            )
        return unknown("intention to conceive")
