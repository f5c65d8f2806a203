"""CAR-T toxicity: ICE score, ASTCT CRS and ICANS grades (Lee DW et al., Biol Blood Marrow
Transplant 2019;25:625-638, doi:10.1016/j.bbmt.2018.12.758)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from remission.instruments.base import InstrumentInput, InstrumentResult


class IceInput(InstrumentInput):
    orientation_0_4: int = Field(ge=0, le=4)
    naming_0_3: int = Field(ge=0, le=3)
    follows_commands_0_1: int = Field(ge=0, le=1)
    writes_sentence_0_1: int = Field(ge=0, le=1)
    attention_count_back_0_1: int = Field(ge=0, le=1)


class IceResult(InstrumentResult):
    ice_score: int


def ice_score(x: IceInput) -> IceResult:
    """ICE (Immune Effector Cell-associated Encephalopathy) score, 0-10: orientation to year,
    month, city and hospital (4), naming three objects (3), following simple commands (1),
    writing a standard sentence (1), counting back from 100 by ten (1). Lee 2019, Table 5."""
    items = x.model_dump()
    return IceResult(ice_score=sum(items.values()), details={"items": items})


class Hypotension(StrEnum):
    NONE = "none"
    NO_PRESSOR = "no_pressor"
    ONE_PRESSOR = "one_pressor"
    MULTIPLE_PRESSORS = "multiple_pressors"


class Oxygen(StrEnum):
    NONE = "none"
    LOW_FLOW = "low_flow"
    HIGH_FLOW = "high_flow"
    POSITIVE_PRESSURE = "positive_pressure"


class CrsInput(InstrumentInput):
    fever: bool
    hypot: Hypotension = Hypotension.NONE
    o2: Oxygen = Oxygen.NONE
    # After antipyretics or anti-cytokine therapy a CRS already under way is graded without fever.
    crs_treated_fever_masked: bool = False
    death_due_to_crs: bool = False


class CrsResult(InstrumentResult):
    crs_grade: int


def astct_crs(x: CrsInput) -> CrsResult:
    """ASTCT CRS grade (Lee 2019, Table 6): fever ≥ 38.0 °C is required (unless it was masked by
    antipyretics or anti-cytokine treatment of an ongoing CRS); the grade is the more severe of
    hypotension (not needing vasopressors 2, one vasopressor with or without vasopressin 3,
    several vasopressors excluding vasopressin 4) and hypoxia (low-flow ≤ 6 L/min 2, high-flow,
    facemask, non-rebreather or Venturi 3, positive pressure 4); fever alone is grade 1; death
    due to CRS is grade 5. Organ toxicities are graded by CTCAE, not here."""
    if x.death_due_to_crs:
        return CrsResult(crs_grade=5, details={"why": "death due to CRS"})
    if not (x.fever or x.crs_treated_fever_masked):
        return CrsResult(crs_grade=0, details={"why": "no fever: CRS is not graded"})
    hypotension = {"none": 1, "no_pressor": 2, "one_pressor": 3, "multiple_pressors": 4}[x.hypot.value]
    hypoxia = {"none": 1, "low_flow": 2, "high_flow": 3, "positive_pressure": 4}[x.o2.value]
    return CrsResult(crs_grade=max(hypotension, hypoxia), details={"hypotension": hypotension, "hypoxia": hypoxia})


class Consciousness(StrEnum):
    NORMAL = "normal"
    AWAKENS_SPONTANEOUSLY = "awakens_spontaneously"
    AWAKENS_TO_VOICE = "awakens_to_voice"
    AWAKENS_TO_TACTILE = "awakens_to_tactile"
    UNAROUSABLE = "unarousable"


class Seizure(StrEnum):
    NONE = "none"
    RAPIDLY_RESOLVING = "rapidly_resolving_or_eeg_resolving_with_intervention"
    PROLONGED = "prolonged_gt5min_or_repetitive"


class Motor(StrEnum):
    NONE = "none"
    DEEP_FOCAL_WEAKNESS = "deep_focal_weakness"


class Edema(StrEnum):
    NONE = "none"
    FOCAL = "focal_local"
    DIFFUSE = "diffuse_or_posturing_or_cn6_or_papilledema_or_cushing"


class IcansInput(InstrumentInput):
    ice_score: int | None = Field(default=None, ge=0, le=10)  # None: the patient cannot be assessed
    consciousness: Consciousness = Consciousness.NORMAL
    seizure: Seizure = Seizure.NONE
    motor: Motor = Motor.NONE
    edema: Edema = Edema.NONE


class IcansResult(InstrumentResult):
    icans_grade: int


def astct_icans(x: IcansInput) -> IcansResult:
    """ASTCT ICANS grade for adults and children ≥ 12 (Lee 2019, Table 7): the most severe of the
    ICE score (7-9 grade 1, 3-6 grade 2, 0-2 grade 3, unable to perform and unarousable grade 4),
    depressed consciousness (spontaneously 1, to voice 2, to tactile stimulus only 3, unarousable
    4), seizures (rapidly resolving 3, prolonged > 5 min or repetitive 4), deep focal motor
    weakness (4) and raised intracranial pressure / cerebral oedema (focal 3, diffuse 4).
    Tremor and myoclonus do not count."""
    if x.ice_score is None and x.consciousness is not Consciousness.UNAROUSABLE:
        raise ValueError("ice_score is required unless consciousness is 'unarousable'")
    ice = (
        4
        if x.ice_score is None
        else (0 if x.ice_score == 10 else 1 if x.ice_score >= 7 else 2 if x.ice_score >= 3 else 3)
    )
    parts = {
        "ice": ice,
        "consciousness": list(Consciousness).index(x.consciousness),
        "seizure": {Seizure.NONE: 0, Seizure.RAPIDLY_RESOLVING: 3, Seizure.PROLONGED: 4}[x.seizure],
        "motor": 4 if x.motor is Motor.DEEP_FOCAL_WEAKNESS else 0,
        "edema": {Edema.NONE: 0, Edema.FOCAL: 3, Edema.DIFFUSE: 4}[x.edema],
    }
    return IcansResult(icans_grade=max(parts.values()), details={"domains": parts})
