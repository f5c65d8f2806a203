"""The trial model: everything a registry record or an aggregator page says about a trial.

A :class:`Trial` is what one source says (a *source record*) or, after merging, what all
sources together say, with :attr:`Trial.provenance` naming the source of every field and
:attr:`Trial.conflicts` keeping the values that lost a disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, model_validator

from remission.domain.diseases import find_diseases
from remission.domain.values import Age, DateValue, PartialDate
from remission.domain.vocab import (
    DISEASE_PARENT,
    AgencyClass,
    AgeUnit,
    Allocation,
    ArmGroupType,
    CellSource,
    CellType,
    ContactRole,
    DiseaseCode,
    DoseUnit,
    EnrollmentType,
    EscalationMethod,
    InterventionModel,
    InterventionType,
    Masking,
    OfficialRole,
    OverallStatus,
    Phase,
    PrimaryPurpose,
    ResponsiblePartyType,
    Sex,
    StdAge,
    StudyType,
)

NCT_ID = re.compile(r"^NCT\d{6,8}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TrialId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


_COMPUTED: dict[type, frozenset[str]] = {}


class _Model(BaseModel):
    """Strict on names (a misspelt field is an error), lenient on nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # Computed fields are part of the JSON we write; reading that JSON back ignores them.
        # The names are looked up once per class: pydantic builds model_computed_fields anew on
        # each access, which made reading a registry's trials several times slower.
        computed = _COMPUTED.get(cls)
        if computed is None:
            computed = _COMPUTED[cls] = frozenset(cls.model_computed_fields)
        if computed and isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in computed}
        return data


class SecondaryId(_Model):
    """Another identifier of the trial: the sponsor's study id, a EudraCT number, a grant ..."""

    id: Text
    type: str | None = None  # e.g. org_study_id, EUDRACT_NUMBER, NIH, REGISTRY, OTHER
    source: str | None = None  # who issued it (v2 ``domain``), or where it was seen
    link: str | None = None


class Organization(_Model):
    name: Text
    agency_class: AgencyClass | None = None


class ResponsibleParty(_Model):
    type: ResponsiblePartyType | None = None
    investigator_name: str | None = None
    investigator_title: str | None = None
    investigator_affiliation: str | None = None


class Investigator(_Model):
    """An overall official (principal investigator, study chair ...) with affiliation."""

    name: Text
    role: OfficialRole | None = None
    affiliation: str | None = None


class Contact(_Model):
    name: str | None = None
    role: ContactRole | None = None
    phone: str | None = None
    phone_ext: str | None = None
    email: str | None = None
    affiliation: str | None = None


class GeoPoint(_Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Site(_Model):
    facility: str | None = None
    city: str | None = None
    state: str | None = None  # region / province
    zip: str | None = None
    country: str | None = None
    status: OverallStatus | None = None
    contacts: list[Contact] = Field(default_factory=list)
    geo: GeoPoint | None = None
    # "gazetteer" when the registry gave no coordinates and they were looked up from the city.
    geo_source: str | None = None
    # A site the record does not list, inferred (the sponsor institution of a trial listing none).
    inferred: bool = False


class Enrollment(_Model):
    count: int = Field(ge=0)
    type: EnrollmentType | None = None  # ESTIMATED = anticipated

    @computed_field  # type: ignore[prop-decorator]
    @property
    def anticipated(self) -> bool | None:
        return None if self.type is None else self.type == EnrollmentType.ESTIMATED


class Design(_Model):
    allocation: Allocation | None = None
    intervention_model: InterventionModel | None = None
    intervention_model_description: str | None = None
    masking: Masking | None = None
    masking_description: str | None = None
    who_masked: list[str] = Field(default_factory=list)
    primary_purpose: PrimaryPurpose | None = None
    observational_model: str | None = None
    time_perspective: str | None = None
    open_label: bool | None = None
    single_arm: bool | None = None


class Arm(_Model):
    label: Text
    type: ArmGroupType | None = None
    description: str | None = None
    intervention_names: list[str] = Field(default_factory=list)


class Intervention(_Model):
    name: Text
    type: InterventionType | None = None
    description: str | None = None
    other_names: list[str] = Field(default_factory=list)
    arm_labels: list[str] = Field(default_factory=list)


class Product(_Model):
    """The cell product under test, e.g. LUCAR-DKS1: its cell type, source and target antigens."""

    name: Text
    cell_type: CellType | None = None
    cell_source: CellSource | None = None
    #: True when the record does not say and the source is assumed (a CAR-T that names no
    #: donor, universal or off-the-shelf cells is the patient's own: every allogeneic product
    #: says so, since it is the point of it).
    cell_source_assumed: bool = False
    targets: list[str] = Field(default_factory=list)  # antigen symbols: CD19, BCMA ...

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kind(self) -> str | None:
        """What a person filters on: "autologous CAR-T", "allogeneic CAR-T", "CAR-NK" ..."""
        if self.cell_type is None:
            return None
        if self.cell_type in (CellType.CAR_T, CellType.CAAR_T) and self.cell_source is not None:
            return f"{self.cell_source.value.lower()} {self.cell_type.value}"
        return self.cell_type.value


class Conditioning(_Model):
    """Lymphodepletion before infusion, e.g. fludarabine + cyclophosphamide."""

    agents: list[str] = Field(default_factory=list)  # lower-case generic names
    description: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def regimen(self) -> str | None:
        agents = set(self.agents)
        if {"fludarabine", "cyclophosphamide"} <= agents:
            return "Flu/Cy"
        return " + ".join(self.agents) if self.agents else None


class DoseLevel(_Model):
    level: int = Field(ge=1)
    value: float = Field(gt=0)
    unit: DoseUnit
    label: str | None = None


class Escalation(_Model):
    methods: list[EscalationMethod] = Field(default_factory=list)
    description: str | None = None


class Condition(_Model):
    """A condition as the record wrote it, with its code in the disease vocabulary when known."""

    text: Text
    code: DiseaseCode | None = None


class Criterion(_Model):
    """One inclusion or exclusion item; ``cohort`` is the disease it applies to, if any."""

    text: Text
    cohort: DiseaseCode | None = None
    cohort_heading: str | None = None
    number: str | None = None


class Eligibility(_Model):
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    sex: Sex | None = None
    gender_based: bool | None = None
    gender_description: str | None = None
    healthy_volunteers: bool | None = None
    std_ages: list[StdAge] = Field(default_factory=list)
    criteria_text: str | None = None
    inclusion: list[Criterion] = Field(default_factory=list)
    exclusion: list[Criterion] = Field(default_factory=list)

    def age_bounds_days(self) -> tuple[float | None, float | None]:
        """The youngest and oldest age (in days) the trial takes; ``None`` where it sets no limit.

        Stated ages win. Without them, ClinicalTrials.gov's age groups bound the range: Child is
        birth to 17 years, Adult 18 to 64, Older Adult 65 and over (ClinicalTrials.gov data
        element definitions, ``stdAges``); a trial for adults only does not take a child.
        """
        low = self.minimum_age.in_days() if self.minimum_age else None
        high = self.maximum_age.in_days() if self.maximum_age else None
        groups = set(self.std_ages)
        if groups and low is None and StdAge.CHILD not in groups:
            low = Age(value=18 if StdAge.ADULT in groups else 65, unit=AgeUnit.YEARS).in_days()
        if groups and high is None and StdAge.OLDER_ADULT not in groups:
            # The day before the next group begins.
            high = Age(value=18 if StdAge.ADULT not in groups else 65, unit=AgeUnit.YEARS).in_days() - 1
        return low, high

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cohorts(self) -> list[DiseaseCode]:
        seen: list[DiseaseCode] = []
        for c in [*self.inclusion, *self.exclusion]:
            if c.cohort is not None and c.cohort not in seen:
                seen.append(c.cohort)
        return seen


class Outcome(_Model):
    measure: Text
    description: str | None = None
    time_frame: str | None = None


class SourceInfo(_Model):
    """Where a record came from: its kind and layout, file or URL, and when it was current."""

    id: Text  # stable: kind + location + record key
    kind: Text  # "ctgov-v2", "page:meddatax", "page:generic" ...
    location: Text  # file name (no directory) or URL
    record: str | None = None  # record key inside the file (line, index, NCT id)
    retrieved: PartialDate | None = None  # the date the source says its data were current
    registry: bool = False  # an authoritative registry record (wins conflicts)


class Conflict(_Model):
    """Two sources disagree on a field: the kept value and the value that lost, with their sources."""

    field: Text
    kept_source: Text
    kept_value: Any
    other_source: Text
    other_value: Any


class Trial(_Model):
    """A CAR cell-therapy trial (or any registry study) with per-field provenance."""

    id: TrialId
    nct_id: str | None = None
    org_study_id: str | None = None
    secondary_ids: list[SecondaryId] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)

    brief_title: Text
    official_title: str | None = None
    acronym: str | None = None
    products: list[Product] = Field(default_factory=list)

    sponsor: Organization | None = None
    collaborators: list[Organization] = Field(default_factory=list)
    responsible_party: ResponsibleParty | None = None
    investigators: list[Investigator] = Field(default_factory=list)

    overall_status: OverallStatus | None = None
    why_stopped: str | None = None
    start_date: DateValue | None = None
    primary_completion_date: DateValue | None = None
    completion_date: DateValue | None = None
    first_posted: DateValue | None = None
    last_update: DateValue | None = None

    phases: list[Phase] = Field(default_factory=list)
    study_type: StudyType | None = None
    enrollment: Enrollment | None = None

    design: Design | None = None
    arms: list[Arm] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    conditioning: Conditioning | None = None
    dose_levels: list[DoseLevel] = Field(default_factory=list)
    escalation: Escalation | None = None

    conditions: list[Condition] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    eligibility: Eligibility | None = None

    primary_outcomes: list[Outcome] = Field(default_factory=list)
    secondary_outcomes: list[Outcome] = Field(default_factory=list)
    other_outcomes: list[Outcome] = Field(default_factory=list)

    sites: list[Site] = Field(default_factory=list)
    central_contacts: list[Contact] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)

    brief_summary: str | None = None
    detailed_description: str | None = None
    has_results: bool | None = None

    sources: list[SourceInfo] = Field(default_factory=list)
    provenance: dict[str, str] = Field(default_factory=dict)  # field name -> SourceInfo.id
    conflicts: list[Conflict] = Field(default_factory=list)
    unmapped: dict[str, list[str]] = Field(default_factory=dict)  # field -> values outside vocabulary

    # -- derived views used by search and filters ---------------------------------------------

    @computed_field  # type: ignore[prop-decorator]
    @property
    def diseases(self) -> list[DiseaseCode]:
        """Every disease the trial enrols, with the parent of each subtype (a GPA cohort is also
        an AAV trial): from its conditions, title, keywords and the disease cohorts of its
        inclusion criteria, never from an exclusion item (a trial excluding "active autoimmune
        disease" does not enrol it)."""
        found = [code for c in self.conditions for code in find_diseases(c.text, abbreviations=True)]
        found += find_diseases(self.brief_title, abbreviations=True)
        for keyword in self.keywords:
            found += find_diseases(keyword, abbreviations=True)
        if self.eligibility is not None:
            found += [c.cohort for c in self.eligibility.inclusion if c.cohort is not None]
        specific = [c for c in found if c is not DiseaseCode.AUTOIMMUNE]
        codes: list[DiseaseCode] = []
        # The umbrella term only when nothing specific is named.
        for code in specific or found:
            for c in (code, DISEASE_PARENT.get(code)):
                if c is not None and c not in codes:
                    codes.append(c)
        return codes

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cell_types(self) -> list[CellType]:
        return _unique(p.cell_type for p in self.products if p.cell_type is not None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cell_kinds(self) -> list[str]:
        return _unique(p.kind for p in self.products if p.kind is not None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def targets(self) -> list[str]:
        return _unique(t for p in self.products for t in p.targets)

    def all_countries(self) -> list[str]:
        return _unique([*self.countries, *(s.country for s in self.sites if s.country)])

    def identifiers(self) -> list[str]:
        """Every id the trial is known by: its id, NCT id, the sponsor's id, aliases."""
        ids = [self.id, self.nct_id, self.org_study_id, *self.aliases]
        return _unique(i for i in ids if i)

    def start(self) -> date | None:
        return self.start_date.value.earliest() if self.start_date else None


T = TypeVar("T")


def _unique(items: Iterable[T]) -> list[T]:
    out: list[T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


#: The fields that carry content (merged field by field, each with its own provenance).
CONTENT_FIELDS: tuple[str, ...] = tuple(
    name for name in Trial.model_fields if name not in {"id", "sources", "provenance", "conflicts"}
)


class SitePlace(BaseModel):
    """Where a site is, as a search card and a distance sort need it."""

    facility: str | None = None
    city: str | None = None
    country: str | None = None
    status: OverallStatus | None = None
    lat: float
    lon: float
    inferred: bool = False


class TrialSummary(BaseModel):
    """The short form of a trial that lists, searches and related-trial answers return."""

    id: str
    nct_id: str | None = None
    brief_title: str
    official_title: str | None = None
    acronym: str | None = None
    overall_status: OverallStatus | None = None
    phases: list[Phase] = Field(default_factory=list)
    study_type: StudyType | None = None
    diseases: list[DiseaseCode] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)
    cell_types: list[CellType] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    sponsor: str | None = None
    enrollment: int | None = None
    start_date: str | None = None
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: Sex | None = None
    countries: list[str] = Field(default_factory=list)
    cities: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    last_update: str | None = None
    places: list[SitePlace] = Field(default_factory=list)
    score: float | None = None
    why: list[str] = Field(default_factory=list)
    distance_km: float | None = None  # to the nearest site, when a search names a place
    nearest: SitePlace | None = None

    @classmethod
    def of(cls, trial: Trial) -> TrialSummary:
        e = trial.eligibility
        return cls(
            id=trial.id,
            nct_id=trial.nct_id,
            brief_title=trial.brief_title,
            official_title=trial.official_title,
            acronym=trial.acronym,
            overall_status=trial.overall_status,
            phases=trial.phases,
            study_type=trial.study_type,
            diseases=trial.diseases,
            conditions=[c.text for c in trial.conditions],
            keywords=trial.keywords,
            products=[p.name for p in trial.products],
            cell_types=trial.cell_types,
            targets=trial.targets,
            sponsor=trial.sponsor.name if trial.sponsor else None,
            enrollment=trial.enrollment.count if trial.enrollment else None,
            start_date=trial.start_date.value.iso() if trial.start_date else None,
            minimum_age=str(e.minimum_age) if e and e.minimum_age else None,
            maximum_age=str(e.maximum_age) if e and e.maximum_age else None,
            sex=e.sex if e else None,
            countries=trial.all_countries(),
            cities=_unique(s.city for s in trial.sites if s.city),
            sources=[s.kind for s in trial.sources],
            last_update=trial.last_update.value.iso() if trial.last_update else None,
            places=[
                SitePlace(
                    facility=s.facility,
                    city=s.city,
                    country=s.country,
                    status=s.status,
                    lat=s.geo.lat,
                    lon=s.geo.lon,
                    inferred=s.inferred,
                )
                for s in trial.sites
                if s.geo is not None
            ],
        )
