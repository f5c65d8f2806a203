"""CAR-T toxicity: ICE score, ASTCT CRS and ICANS grades (Lee DW et al., Biol Blood Marrow
Transplant 2019;25:625-638, doi:10.1016/j.bbmt.2018.12.758)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from remission.instruments.base import InstrumentInput, InstrumentResult, require_one_unit, value_in


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


class _IcansDomains(InstrumentInput):
    consciousness: Consciousness = Consciousness.NORMAL
    seizure: Seizure = Seizure.NONE
    motor: Motor = Motor.NONE
    edema: Edema = Edema.NONE


class IcansInput(_IcansDomains):
    ice_score: int | None = Field(default=None, ge=0, le=10)  # None: the patient cannot be assessed


class IcansResult(InstrumentResult):
    icans_grade: int


def _icans(cognition: str, grade: int, x: _IcansDomains) -> IcansResult:
    """The most severe of the cognitive grade (ICE or CAPD) and the four other domains."""
    parts = {
        cognition: grade,
        "consciousness": list(Consciousness).index(x.consciousness),
        "seizure": {Seizure.NONE: 0, Seizure.RAPIDLY_RESOLVING: 3, Seizure.PROLONGED: 4}[x.seizure],
        "motor": 4 if x.motor is Motor.DEEP_FOCAL_WEAKNESS else 0,
        "edema": {Edema.NONE: 0, Edema.FOCAL: 3, Edema.DIFFUSE: 4}[x.edema],
    }
    return IcansResult(icans_grade=max(parts.values()), details={"domains": parts})


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
    return _icans("ice", ice, x)


class Frequency(StrEnum):
    NEVER = "never"
    RARELY = "rarely"
    SOMETIMES = "sometimes"
    OFTEN = "often"
    ALWAYS = "always"


# Traube C et al., Crit Care Med 2014;42:656-663, doi:10.1097/CCM.0b013e3182a66b76: the first
# four items ask for something a well child does (scored never 4 ... always 0), the last four
# for something a delirious child does (never 0 ... always 4).
CAPD_POSITIVE = ("eye_contact", "purposeful_actions", "aware_of_surroundings", "communicates_needs")
CAPD_NEGATIVE = ("restless", "inconsolable", "underactive", "slow_to_respond")
_CAPD_ITEM = Field(default=None)


class IcansChildInput(_IcansDomains):
    """Children under 12: the CAPD, as its eight answers or as a total 0-32; neither when the
    child cannot be assessed (then only with consciousness 'unarousable')."""

    capd_score: int | None = Field(default=None, ge=0, le=32)
    eye_contact: Frequency | None = _CAPD_ITEM
    purposeful_actions: Frequency | None = _CAPD_ITEM
    aware_of_surroundings: Frequency | None = _CAPD_ITEM
    communicates_needs: Frequency | None = _CAPD_ITEM
    restless: Frequency | None = _CAPD_ITEM
    inconsolable: Frequency | None = _CAPD_ITEM
    underactive: Frequency | None = _CAPD_ITEM
    slow_to_respond: Frequency | None = _CAPD_ITEM


class IcansChildResult(IcansResult):
    capd_score: int | None


def capd_total(x: IcansChildInput) -> int | None:
    """The CAPD total 0-32 from its eight answers (Traube 2014), or the total given."""
    answers = {item: getattr(x, item) for item in (*CAPD_POSITIVE, *CAPD_NEGATIVE)}
    given = [item for item, a in answers.items() if a is not None]
    if given and x.capd_score is not None:
        raise ValueError("give capd_score or the eight CAPD answers, not both")
    if not given:
        return x.capd_score
    if len(given) < len(answers):
        raise ValueError(f"CAPD answers missing: {', '.join(i for i in answers if i not in given)}")
    order = list(Frequency)
    return sum(
        (4 - order.index(a)) if item in CAPD_POSITIVE else order.index(a)
        for item, a in answers.items()
        if a is not None
    )


def astct_icans_child(x: IcansChildInput) -> IcansChildResult:
    """ASTCT ICANS grade for children under 12 (Lee 2019, Table 8): the ICE score is replaced by
    the Cornell Assessment of Pediatric Delirium (CAPD; Traube 2014): 1-8 grade 1 or 2, ≥ 9
    grade 3, unable to perform grade 4; the other domains are graded as in adults. Lee's table
    places CAPD 1-8 at both grades 1 and 2 without separating them, so CAPD 1-8 contributes
    grade 1 and the consciousness domain (awakens to voice) decides grade 2."""
    capd = capd_total(x)
    if capd is None and x.consciousness is not Consciousness.UNAROUSABLE:
        raise ValueError("capd_score (or the eight CAPD answers) is required unless consciousness is 'unarousable'")
    grade = 4 if capd is None else (0 if capd == 0 else 1 if capd <= 8 else 3)
    result = _icans("capd", grade, x)
    return IcansChildResult(icans_grade=result.icans_grade, capd_score=capd, details=result.details)


# CTCAE v5.0 (NCI, 27 Nov 2017), laboratory terms. Counts are in 10^9/L (= 1000/mm³).
CTCAE_REFERENCE = "Common Terminology Criteria for Adverse Events v5.0, NCI 2017"


class CtcaeResult(InstrumentResult):
    grade: int | None


def _grade_below(value: float, lln: float | None, cuts: tuple[float, float, float]) -> tuple[int | None, str]:
    """Grades of a count that falls: < LLN-c1 grade 1, < c1-c2 grade 2, < c2-c3 grade 3, < c3 grade 4."""
    v = round(value, 10)
    below = sum(1 for c in cuts if v < c)
    if below:
        return below + 1, f"{value} < {cuts[below - 1]}"
    if lln is None:
        return None, f"{value} is at or above {cuts[0]}: grade 0 or 1 depends on the lower limit of normal (lln)"
    return (1, f"{value} < LLN {lln}") if v < lln else (0, f"{value} ≥ LLN {lln}")


class NeutrophilInput(InstrumentInput):
    neutrophils_10e9_l: float | None = Field(default=None, ge=0, le=500)
    neutrophils_per_mm3: float | None = Field(default=None, ge=0, le=500_000)
    lln_10e9_l: float | None = Field(default=None, gt=0, le=20)

    @model_validator(mode="after")
    def _one(self) -> NeutrophilInput:
        require_one_unit(self, "neutrophils_10e9_l", "neutrophils_per_mm3")
        return self


def ctcae_neutrophils(x: NeutrophilInput) -> CtcaeResult:
    """CTCAE v5.0 neutrophil count decreased: < LLN-1.5 grade 1, < 1.5-1.0 grade 2, < 1.0-0.5
    grade 3, < 0.5 × 10^9/L grade 4."""
    value = value_in(x, "neutrophils_10e9_l", "neutrophils_per_mm3", 1e-3)
    if value is None:
        return CtcaeResult(grade=None, details={"missing": ["neutrophils_10e9_l"]})
    grade, why = _grade_below(value, x.lln_10e9_l, (1.5, 1.0, 0.5))
    return CtcaeResult(grade=grade, details={"neutrophils_10e9_l": value, "why": why})


class PlateletInput(InstrumentInput):
    platelets_10e9_l: float | None = Field(default=None, ge=0, le=5000)
    platelets_per_mm3: float | None = Field(default=None, ge=0, le=5_000_000)
    lln_10e9_l: float | None = Field(default=None, gt=0, le=1000)

    @model_validator(mode="after")
    def _one(self) -> PlateletInput:
        require_one_unit(self, "platelets_10e9_l", "platelets_per_mm3")
        return self


def ctcae_platelets(x: PlateletInput) -> CtcaeResult:
    """CTCAE v5.0 platelet count decreased: < LLN-75 grade 1, < 75-50 grade 2, < 50-25 grade 3,
    < 25 × 10^9/L grade 4."""
    value = value_in(x, "platelets_10e9_l", "platelets_per_mm3", 1e-3)
    if value is None:
        return CtcaeResult(grade=None, details={"missing": ["platelets_10e9_l"]})
    grade, why = _grade_below(value, x.lln_10e9_l, (75, 50, 25))
    return CtcaeResult(grade=grade, details={"platelets_10e9_l": value, "why": why})


class AnemiaInput(InstrumentInput):
    hemoglobin_g_dl: float | None = Field(default=None, ge=0, le=30)
    hemoglobin_g_l: float | None = Field(default=None, ge=0, le=300)
    lln_g_dl: float | None = Field(default=None, gt=0, le=30)
    life_threatening: bool = False
    death: bool = False

    @model_validator(mode="after")
    def _one(self) -> AnemiaInput:
        require_one_unit(self, "hemoglobin_g_dl", "hemoglobin_g_l")
        return self


def ctcae_anemia(x: AnemiaInput) -> CtcaeResult:
    """CTCAE v5.0 anemia: Hb < LLN-10.0 g/dL grade 1, < 10.0-8.0 grade 2, < 8.0 grade 3
    (transfusion indicated); life-threatening consequences needing urgent intervention grade 4;
    death grade 5. The last two are clinical, not laboratory, judgements."""
    if x.death or x.life_threatening:
        return CtcaeResult(grade=5 if x.death else 4, details={"why": "death" if x.death else "life-threatening"})
    value = value_in(x, "hemoglobin_g_dl", "hemoglobin_g_l", 0.1)
    if value is None:
        return CtcaeResult(grade=None, details={"missing": ["hemoglobin_g_dl"]})
    grade, why = _grade_below(value, x.lln_g_dl, (10.0, 8.0, float("-inf")))
    return CtcaeResult(grade=grade, details={"hemoglobin_g_dl": value, "why": why})


class RiseInput(InstrumentInput):
    """A laboratory value that rises, with the laboratory's ULN and the patient's baseline, all
    in one unit (any: only ratios are used)."""

    value: float = Field(ge=0)
    uln: float = Field(gt=0)
    baseline: float | None = Field(default=None, gt=0)


def _grade_above(ratio: float, cuts: tuple[float, ...], first_inclusive: bool = False) -> int:
    """Grade = how many of the ascending ``cuts`` the ratio exceeds (the first may be reached)."""
    r = round(ratio, 10)
    return sum(1 for i, c in enumerate(cuts) if r > c or (i == 0 and first_inclusive and r == c))


def _transaminase(x: RiseInput, name: str) -> CtcaeResult:
    """CTCAE v5.0 ALT or AST increased. Normal baseline: > ULN-3.0 × ULN grade 1, > 3.0-5.0
    grade 2, > 5.0-20.0 grade 3, > 20.0 grade 4. Abnormal baseline (above ULN): 1.5-3.0 ×
    baseline grade 1, > 3.0-5.0 grade 2, > 5.0-20.0 grade 3, > 20.0 grade 4."""
    if x.baseline is not None and x.baseline > x.uln:
        ratio = x.value / x.baseline
        grade, basis = _grade_above(ratio, (1.5, 3.0, 5.0, 20.0), first_inclusive=True), "baseline"
    else:
        ratio = x.value / x.uln
        grade, basis = _grade_above(ratio, (1.0, 3.0, 5.0, 20.0)), "ULN"
    return CtcaeResult(
        grade=grade, details={"term": f"{name} increased", "ratio": round(ratio, 4), "relative_to": basis}
    )


def ctcae_alt(x: RiseInput) -> CtcaeResult:
    """CTCAE v5.0 alanine aminotransferase increased (see ``_transaminase`` for the bands)."""
    return _transaminase(x, "alanine aminotransferase")


def ctcae_ast(x: RiseInput) -> CtcaeResult:
    """CTCAE v5.0 aspartate aminotransferase increased (see ``_transaminase`` for the bands)."""
    return _transaminase(x, "aspartate aminotransferase")


def ctcae_bilirubin(x: RiseInput) -> CtcaeResult:
    """CTCAE v5.0 blood bilirubin increased. Normal baseline: > ULN-1.5 × ULN grade 1, > 1.5-3.0
    grade 2, > 3.0-10.0 grade 3, > 10.0 grade 4. Abnormal baseline: > 1.0-1.5 × baseline grade 1,
    > 1.5-3.0 grade 2, > 3.0-10.0 grade 3, > 10.0 grade 4."""
    abnormal = x.baseline is not None and x.baseline > x.uln
    reference = x.baseline if x.baseline is not None and abnormal else x.uln
    ratio = x.value / reference
    grade = _grade_above(ratio, (1.0, 1.5, 3.0, 10.0))
    return CtcaeResult(
        grade=grade, details={"ratio": round(ratio, 4), "relative_to": "baseline" if abnormal else "ULN"}
    )


def ctcae_creatinine(x: RiseInput) -> CtcaeResult:
    """CTCAE v5.0 creatinine increased: > ULN-1.5 × ULN grade 1; > 1.5-3.0 × baseline or
    > 1.5-3.0 × ULN grade 2; > 3.0 × baseline or > 3.0-6.0 × ULN grade 3; > 6.0 × ULN grade 4.
    The grade is the higher of the ULN and the baseline criteria."""
    by_uln = _grade_above(x.value / x.uln, (1.0, 1.5, 3.0, 6.0))
    # The baseline criteria start at grade 2: > 1.5 × baseline is grade 2, > 3.0 × grade 3.
    by_baseline = 0 if x.baseline is None else (0, 2, 3)[_grade_above(x.value / x.baseline, (1.5, 3.0))]
    return CtcaeResult(
        grade=max(by_uln, by_baseline),
        details={"by_uln": by_uln, "by_baseline": by_baseline, "times_uln": round(x.value / x.uln, 4)},
    )
