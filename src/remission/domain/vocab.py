"""Controlled vocabularies of the trial model.

Registry enumerations follow the ClinicalTrials.gov API v2 data dictionary
(https://clinicaltrials.gov/data-api/about-api/study-data-structure), so a v2 record maps onto
them without translation. Disease codes follow the patient-profile contract of Remission
(``shared/contracts/patient-profile.schema.json``) so that a trial's cohorts and a patient's
diagnoses use one vocabulary.
"""

from __future__ import annotations

from enum import StrEnum

from remission.domain.marker import N_


class Phase(StrEnum):
    """Trial phase. ``PHASE0`` is kept apart from ``EARLY_PHASE1`` because aggregator pages
    show "Phase 0" (an exploratory study); ClinicalTrials.gov files both as Early Phase 1
    ("formerly listed as Phase 0"), which is why search treats them as one (see
    :data:`EQUIVALENT_PHASES`)."""

    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE0 = "PHASE0"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"
    NA = "NA"


#: Phases a search for one phase also finds (ClinicalTrials.gov: "Early Phase 1, formerly Phase 0").
EQUIVALENT_PHASES: dict[Phase, frozenset[Phase]] = {
    Phase.EARLY_PHASE1: frozenset({Phase.EARLY_PHASE1, Phase.PHASE0}),
    Phase.PHASE0: frozenset({Phase.EARLY_PHASE1, Phase.PHASE0}),
}


def expand_phases(phases: list[Phase]) -> list[str]:
    """The phase values a phase filter matches: each phase and its equivalents, sorted."""
    out = {p.value for phase in phases for p in EQUIVALENT_PHASES.get(phase, frozenset({phase}))}
    return sorted(out)


class OverallStatus(StrEnum):
    """Overall recruitment status (v2 ``statusModule.overallStatus``); also used per site."""

    NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
    RECRUITING = "RECRUITING"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"
    UNKNOWN = "UNKNOWN"
    AVAILABLE = "AVAILABLE"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING"
    WITHHELD = "WITHHELD"


#: Statuses under which a person can still ask to join (a trial's or a site's).
OPEN_STATUSES: frozenset[str] = frozenset({"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"})


class StudyType(StrEnum):
    INTERVENTIONAL = "INTERVENTIONAL"
    OBSERVATIONAL = "OBSERVATIONAL"
    EXPANDED_ACCESS = "EXPANDED_ACCESS"


class DateType(StrEnum):
    """Whether a date has happened (``ACTUAL``) or is planned (``ESTIMATED``)."""

    ACTUAL = "ACTUAL"
    ESTIMATED = "ESTIMATED"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class EnrollmentType(StrEnum):
    """``ESTIMATED`` is the registry's word for an anticipated enrollment."""

    ACTUAL = "ACTUAL"
    ESTIMATED = "ESTIMATED"


class Sex(StrEnum):
    ALL = "ALL"
    FEMALE = "FEMALE"
    MALE = "MALE"


class AgeUnit(StrEnum):
    YEARS = "years"
    MONTHS = "months"
    WEEKS = "weeks"
    DAYS = "days"
    HOURS = "hours"
    MINUTES = "minutes"


class StdAge(StrEnum):
    CHILD = "CHILD"
    ADULT = "ADULT"
    OLDER_ADULT = "OLDER_ADULT"


class AgencyClass(StrEnum):
    """Sponsor / collaborator class. The registry's ``OTHER`` covers hospitals and
    universities; ``HOSPITAL`` is only set from a page that names no class but a hospital."""

    NIH = "NIH"
    FED = "FED"
    OTHER_GOV = "OTHER_GOV"
    INDIV = "INDIV"
    INDUSTRY = "INDUSTRY"
    NETWORK = "NETWORK"
    AMBIG = "AMBIG"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"
    HOSPITAL = "HOSPITAL"


class ResponsiblePartyType(StrEnum):
    SPONSOR = "SPONSOR"
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR"
    SPONSOR_INVESTIGATOR = "SPONSOR_INVESTIGATOR"


class OfficialRole(StrEnum):
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR"
    STUDY_DIRECTOR = "STUDY_DIRECTOR"
    STUDY_CHAIR = "STUDY_CHAIR"
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR"


class ContactRole(StrEnum):
    """Contact roles: the registry's (``CONTACT``, ``PRINCIPAL_INVESTIGATOR`` ...) and the
    primary / backup split that aggregator pages show."""

    CONTACT = "CONTACT"
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR"
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR"
    STUDY_CHAIR = "STUDY_CHAIR"
    STUDY_DIRECTOR = "STUDY_DIRECTOR"
    PRIMARY = "PRIMARY"
    BACKUP = "BACKUP"


class Allocation(StrEnum):
    RANDOMIZED = "RANDOMIZED"
    NON_RANDOMIZED = "NON_RANDOMIZED"
    NA = "NA"


class InterventionModel(StrEnum):
    SINGLE_GROUP = "SINGLE_GROUP"
    PARALLEL = "PARALLEL"
    CROSSOVER = "CROSSOVER"
    FACTORIAL = "FACTORIAL"
    SEQUENTIAL = "SEQUENTIAL"


class Masking(StrEnum):
    NONE = "NONE"
    SINGLE = "SINGLE"
    DOUBLE = "DOUBLE"
    TRIPLE = "TRIPLE"
    QUADRUPLE = "QUADRUPLE"


class PrimaryPurpose(StrEnum):
    TREATMENT = "TREATMENT"
    PREVENTION = "PREVENTION"
    DIAGNOSTIC = "DIAGNOSTIC"
    ECT = "ECT"
    SUPPORTIVE_CARE = "SUPPORTIVE_CARE"
    SCREENING = "SCREENING"
    HEALTH_SERVICES_RESEARCH = "HEALTH_SERVICES_RESEARCH"
    BASIC_SCIENCE = "BASIC_SCIENCE"
    DEVICE_FEASIBILITY = "DEVICE_FEASIBILITY"
    OTHER = "OTHER"


class ArmGroupType(StrEnum):
    EXPERIMENTAL = "EXPERIMENTAL"
    ACTIVE_COMPARATOR = "ACTIVE_COMPARATOR"
    PLACEBO_COMPARATOR = "PLACEBO_COMPARATOR"
    SHAM_COMPARATOR = "SHAM_COMPARATOR"
    NO_INTERVENTION = "NO_INTERVENTION"
    OTHER = "OTHER"


class InterventionType(StrEnum):
    BEHAVIORAL = "BEHAVIORAL"
    BIOLOGICAL = "BIOLOGICAL"
    COMBINATION_PRODUCT = "COMBINATION_PRODUCT"
    DEVICE = "DEVICE"
    DIAGNOSTIC_TEST = "DIAGNOSTIC_TEST"
    DIETARY_SUPPLEMENT = "DIETARY_SUPPLEMENT"
    DRUG = "DRUG"
    GENETIC = "GENETIC"
    PROCEDURE = "PROCEDURE"
    RADIATION = "RADIATION"
    OTHER = "OTHER"


class CellType(StrEnum):
    """Engineered cell products seen in autoimmune cell-therapy trials."""

    CAR_T = "CAR-T"
    CAR_NK = "CAR-NK"
    CAR_NKT = "CAR-NKT"
    CAR_TREG = "CAR-Treg"
    CAAR_T = "CAAR-T"
    TCR_T = "TCR-T"
    CAR_GDT = "CAR-γδT"  # gamma-delta T cells, usually allogeneic
    IN_VIVO_CAR = "in-vivo CAR"  # a vector or mRNA that makes CAR cells inside the body; no cells infused


class CellSource(StrEnum):
    """Autologous (the patient's own cells) or allogeneic (a donor's; "universal" / off-the-shelf)."""

    AUTOLOGOUS = "AUTOLOGOUS"
    ALLOGENEIC = "ALLOGENEIC"


class DoseUnit(StrEnum):
    """Cell-dose units, canonical per quantity (conversions at the edge)."""

    MILLION_CELLS_PER_KG = "x10^6 cells/kg"
    MILLION_CELLS = "x10^6 cells"


class EscalationMethod(StrEnum):
    """Dose-escalation designs a record may state."""

    ACCELERATED_TITRATION = "ACCELERATED_TITRATION"
    BOIN = "BOIN"
    BF_BOIN = "BF-BOIN"
    THREE_PLUS_THREE = "3+3"
    MTPI = "mTPI"
    CRM = "CRM"
    DOSE_INCREASING = "DOSE_INCREASING"


class DiseaseCode(StrEnum):
    """Disease vocabulary of Remission, shared with the patient-profile contract.

    Parent diseases and their subtypes are both codes; :data:`DISEASE_PARENT` links a subtype
    to its parent (GPA → AAV, DM → IIM, LN → SLE ...).
    """

    AUTOIMMUNE = "AUTOIMMUNE"  # "relapsed/refractory autoimmune diseases", unspecified
    SLE = "SLE"
    LN = "LN"
    SSC = "SSC"
    AAV = "AAV"
    GPA = "GPA"
    MPA = "MPA"
    EGPA = "EGPA"
    IIM = "IIM"
    DM = "DM"
    PM = "PM"
    IMNM = "IMNM"
    ASYS = "ASYS"
    SJS = "SJS"
    RA = "RA"
    TAK = "TAK"
    IGG4RD = "IGG4RD"
    MG = "MG"
    NMOSD = "NMOSD"
    MS = "MS"
    ITP = "ITP"
    AIHA = "AIHA"
    IGAN = "IGAN"
    MN = "MN"
    APS = "APS"
    CIDP = "CIDP"
    AIE = "AIE"
    SPS = "SPS"
    MOGAD = "MOGAD"
    PEMPHIGUS = "PEMPHIGUS"


DISEASE_PARENT: dict[DiseaseCode, DiseaseCode] = {
    DiseaseCode.LN: DiseaseCode.SLE,
    DiseaseCode.GPA: DiseaseCode.AAV,
    DiseaseCode.MPA: DiseaseCode.AAV,
    DiseaseCode.EGPA: DiseaseCode.AAV,
    DiseaseCode.DM: DiseaseCode.IIM,
    DiseaseCode.PM: DiseaseCode.IIM,
    DiseaseCode.IMNM: DiseaseCode.IIM,
    DiseaseCode.ASYS: DiseaseCode.IIM,
}

DISEASE_LABELS: dict[DiseaseCode, str] = {
    DiseaseCode.AUTOIMMUNE: N_("Autoimmune disease (unspecified)"),
    DiseaseCode.SLE: N_("Systemic lupus erythematosus"),
    DiseaseCode.LN: N_("Lupus nephritis"),
    DiseaseCode.SSC: N_("Systemic sclerosis"),
    DiseaseCode.AAV: N_("ANCA-associated vasculitis"),
    DiseaseCode.GPA: N_("Granulomatosis with polyangiitis"),
    DiseaseCode.MPA: N_("Microscopic polyangiitis"),
    DiseaseCode.EGPA: N_("Eosinophilic granulomatosis with polyangiitis"),
    DiseaseCode.IIM: N_("Idiopathic inflammatory myopathy"),
    DiseaseCode.DM: N_("Dermatomyositis"),
    DiseaseCode.PM: N_("Polymyositis"),
    DiseaseCode.IMNM: N_("Immune-mediated necrotising myopathy"),
    DiseaseCode.ASYS: N_("Antisynthetase syndrome"),
    DiseaseCode.SJS: N_("Sjögren's disease"),
    DiseaseCode.RA: N_("Rheumatoid arthritis"),
    DiseaseCode.TAK: N_("Takayasu arteritis"),
    DiseaseCode.IGG4RD: N_("IgG4-related disease"),
    DiseaseCode.MG: N_("Myasthenia gravis"),
    DiseaseCode.NMOSD: N_("Neuromyelitis optica spectrum disorder"),
    DiseaseCode.MS: N_("Multiple sclerosis"),
    DiseaseCode.ITP: N_("Immune thrombocytopenia"),
    DiseaseCode.AIHA: N_("Autoimmune haemolytic anaemia"),
    DiseaseCode.IGAN: N_("IgA nephropathy"),
    DiseaseCode.MN: N_("Membranous nephropathy"),
    DiseaseCode.APS: N_("Antiphospholipid syndrome"),
    DiseaseCode.CIDP: N_("Chronic inflammatory demyelinating polyradiculoneuropathy"),
    DiseaseCode.AIE: N_("Autoimmune encephalitis"),
    DiseaseCode.SPS: N_("Stiff person syndrome"),
    DiseaseCode.MOGAD: N_("MOG antibody-associated disease"),
    DiseaseCode.PEMPHIGUS: "Pemphigus",
}


def disease_with_parents(code: DiseaseCode) -> list[DiseaseCode]:
    """The code itself and its parent, if it is a subtype (GPA → [GPA, AAV])."""
    parent = DISEASE_PARENT.get(code)
    return [code] if parent is None else [code, parent]


def parse_disease_code(text: str) -> DiseaseCode:
    """A disease code from what a person types: ``SSc``, ``ssc``, ``IgG4-RD`` and ``SjS`` all work.

    Raises ``ValueError`` naming the accepted codes.
    """
    key = "".join(ch for ch in text.upper() if ch.isalnum())
    aliases = {"PSS": DiseaseCode.SJS, "SS": DiseaseCode.SJS, "ANCA": DiseaseCode.AAV}
    if key in aliases:
        return aliases[key]
    try:
        return DiseaseCode(key)
    except ValueError:
        accepted = ", ".join(c.value for c in DiseaseCode)
        raise ValueError(f"unknown disease {text!r}; accepted: {accepted}") from None
