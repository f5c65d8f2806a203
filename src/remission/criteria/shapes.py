"""The sentence shapes of registry criteria the extractor (:mod:`remission.criteria.extract`)
reads besides measures: phrases of :data:`~remission.criteria.phrases.PHRASES`, consent,
leukapheresis, tests positive, prior treatments and windows, malignancy, infections needing
systemic treatment, uncontrolled conditions, the pregnancy test of women of childbearing
potential, disease duration, classification criteria and relapsed/refractory disease.

Each reader takes the normalised clause and the criterion's kind and returns a rule, or None
when the clause is not of its shape."""

from __future__ import annotations

import copy
import re

from remission.criteria.phrases import (
    ANCA,
    COLLECTION_WORDS,
    CONSENT_WORDS,
    CRITERIA_SETS,
    GUARDIAN_WORDS,
    PHRASES,
    TEST_NAMES,
)
from remission.criteria.wording import NUM, Kind, Rule, drop_brackets
from remission.domain.diseases import find_diseases
from remission.domain.vocab import DISEASE_PARENT, DiseaseCode

PERSON = re.compile(
    r"^(?:(?:(?:the )?(?:female |male )?(?:subjects?|patients?|participants?|people|persons?|individuals?|those|women"
    r"|females?|candidates?)(?: who| that)?(?: (?:are|is|were|was|have|has|had|with|suffering from))?"
    r"|with|having|has|have|had|known|presence of|evidence of|diagnosis of|combined|combination of"
    r"|complicated with|suffering from|s with|existence of|been diagnosed with|diagnosed with|is associated with"
    r"|associated with)\s+)+"
)
PERSON_AFTER = re.compile(r"\s+(?:women|females?|individuals|patients|subjects|at screening|at the time of screening)$")


def phrase(text: str, kind: Kind) -> Rule | None:
    core = PERSON_AFTER.sub("", PERSON.sub("", text)).strip()
    found = PHRASES.get(core) or PHRASES.get(drop_brackets(core))
    return copy.deepcopy(found) if found is not None else None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z/'-]*", drop_brackets(text).replace("(icf)", ""))


def consent(text: str, kind: Kind) -> Rule | None:
    """A sentence about informed consent and nothing else."""
    if not re.search(r"\bconsent\b|\bicf\b", text) or re.search(r"\d", text) or kind != "inclusion":
        return None
    words = _words(text)
    if not all(w in CONSENT_WORDS or w in GUARDIAN_WORDS for w in words):
        return None
    return {"consent": "own_or_guardian" if any(w in GUARDIAN_WORDS for w in words) else "own"}


def collection(text: str, kind: Kind) -> Rule | None:
    """ "Meets the standards of leukapheresis and no contraindication to it"."""
    if kind != "inclusion" or not re.search(r"apheresis|blood collection|cell collection", text):
        return None
    if not re.search(r"\bno\b.*contraindication", text) or not all(w in COLLECTION_WORDS for w in _words(text)):
        return None
    return {"fact": "organ_function.leukapheresis_feasible"}


def _cohort_of(words: str) -> str | None:
    """The one disease family ``words`` name (a subtype's parent when its parent is named too)."""
    codes = find_diseases(words, abbreviations=True)
    families = {DISEASE_PARENT.get(c, c) for c in codes}
    if len(families) != 1:
        return None
    family = families.pop()
    return family.value if family in codes or len(codes) > 1 else codes[0].value


_CLASSIFICATION = re.compile(
    r"^(?:subjects? )?(?:meets?|meeting|fulfil+s?|fulfilling|satisf(?:y|ies)) (?:the )?(?:following )?(?P<sets>.+?)"
    r"(?:classification |diagnostic )?criteria (?:for|of) (?P<disease>.+)$"
)


_SETS = re.compile(
    r"(?:(?:the |or |and/or |and |, ?)*\d{4} [a-z/ ]*?(?:revised )?(?:classification |diagnostic )?(?:criteria )?)+"
)


def classification(text: str, kind: Kind, original: str) -> tuple[Rule, str | None] | None:
    m = _CLASSIFICATION.match(text)
    if m is None or kind != "inclusion":
        return None
    sets_text = m.group("sets")
    if re.search(r"\b(?:at least|any|one|\d+ of)\b", sets_text) or not _SETS.fullmatch(sets_text + " "):
        return None
    cohort = _cohort_of(original)
    family = None if cohort is None else DISEASE_PARENT.get(DiseaseCode(cohort), DiseaseCode(cohort)).value
    known = CRITERIA_SETS.get(family or "", {})
    years = re.findall(r"\b(\d{4})\b", sets_text)
    if not years or any(y not in known for y in years):
        return None
    rule: Rule = {"classification": [known[y] for y in years]}
    if family == "SJS" and re.search(r"\bprimary\b|\bpss\b", m.group("disease")):
        rule = {"all": [rule, {"disease": "SJS", "subtype": ["primary"]}]}
    return rule, cohort


_RELAPSED = re.compile(
    r"^(?:fulfil+s?|meets?|meet) (?:the )?relapsed ?/ ?refractory (?P<disease>.+?) (?:conditions?|criteria|definition)$"
)


def relapsed(text: str, kind: Kind, original: str) -> tuple[Rule, str | None] | None:
    m = _RELAPSED.match(text)
    if m is None or kind != "inclusion":
        return None
    cohort = _cohort_of(original)
    return None if cohort is None else ({"relapsed_refractory": True}, cohort)


_TEST_OF = {n: test for test, names in TEST_NAMES.items() for n in names}


def _tests(listing: str) -> list[str] | None:
    """The tests of "A, B and/or C [antibodies]" when every item is one ("or" lists only)."""
    items = [i.strip() for i in re.split(r"\s*(?:,\s*and\s*/\s*or|and\s*/\s*or|,\s*or|,|/|\bor\b)\s*", listing)]
    found: list[str] = []
    for raw in items:
        item = re.sub(r"\s+(?:positive|tests?|results?)$", "", raw)
        bare = re.sub(r"\s+(?:antibod(?:y|ies)|related antibodies)$", "", item)
        if bare == "anca":
            found.extend(ANCA)
        elif item in _TEST_OF or bare in _TEST_OF:
            found.append(_TEST_OF.get(item) or _TEST_OF[bare])
        else:
            return None
    return sorted(set(found)) or None


_POSITIVE_FIRST = re.compile(
    r"^(?:at screening,? )?(?:a )?(?:tested |test )?positive (?:test (?:for|of) |results? (?:for|of) |for )?"
    r"(?P<list>.+?)(?: antibod(?:y|ies))?(?: at screening)?$"
)
_POSITIVE_LAST = re.compile(
    r"^(?:at screening,? )?(?P<list>.+?) (?:(?:should|must) be |is |are |test |tested )?positive(?: at screening)?$"
)


_DETECTED = re.compile(
    r"^(?:the )?(?P<list>.+?)(?: titer| titre| level| load)?(?: detection)? (?:is )?(?:higher|greater|more) than"
    r" (?:the )?(?:(?:upper|lower) limit of (?:detection|normal|quantification)"
    r"|normal reference (?:value|range))(?: of the research institution)?$"
)


def positive(text: str, kind: Kind) -> Rule | None:
    core = re.sub(r"\s*\bin peripheral blood\b|\bperipheral blood\s*", "", drop_brackets(PERSON.sub("", text)))
    for pattern in (_POSITIVE_FIRST, _POSITIVE_LAST, _DETECTED):
        m = pattern.match(core)
        if m is not None:
            tests = _tests(m.group("list"))
            if tests is not None:
                return {"positive": tests}
    return None


_WINDOW = re.compile(
    r"\s*within (?:the (?:past|last|previous|first) )?(?P<n>\d+) (?P<unit>days?|weeks?|months?|years?)"
    r"(?: (?:before|prior to|of|preceding) (?P<anchor>[a-z ]+?))?$"
)
_ANCHORS = re.compile(
    r"^(?:screening|the screening|enrol?lment|the enrol?lment|study entry|entry|the study|study enrol?lment"
    r"|registration|signing (?:the )?informed consent(?: form)?|informed consent)$"
)


def _window(text: str) -> tuple[str, dict[str, int]] | None:
    """("X", {"days": N} / {"months": N}) for "X within N weeks before screening"; None if the
    window counts back from something after screening (infusion, first dose ...)."""
    m = _WINDOW.search(text)
    if m is None:
        return None
    if m.group("anchor") is not None and not _ANCHORS.match(m.group("anchor")):
        return None
    n, unit = int(m.group("n")), m.group("unit").rstrip("s")
    span = {"day": {"days": n}, "week": {"days": 7 * n}, "month": {"months": n}, "year": {"months": 12 * n}}[unit]
    return text[: m.start()].strip(), span


_HISTORY = re.compile(
    r"^(?:(?:subjects?|patients?|those|who|that|have|has|had|previously|prior|priorly|ever|any|a|with|received"
    r"|receipt of|undergone|treated with|treatment with|history of|previous|known|screening patients)\s+)*"
)
_THERAPY = (
    r"(?: cells?)?(?: (?:therapy|therapies|treatment|treatments|infusion|products?))?(?: of any target)?(?: before)?"
)


def received(text: str, kind: Kind) -> Rule | None:
    """Prior CAR-T or cell therapy, transplants, and live vaccines or investigational treatment
    within a window."""
    windowed = _window(text)
    body = windowed[0] if windowed else text
    core = _HISTORY.sub("", drop_brackets(body)).strip()
    if windowed is not None:
        span = windowed[1]
        if re.fullmatch(
            r"(?:live (?:attenuated )?vaccines?|live vaccination|vaccination with (?:a )?live"
            r"(?: attenuated)? vaccines?)",
            core,
        ):
            window = {"within_days": span["days"]} if "days" in span else {"within_months": span["months"]}
            return {"received": ["live_vaccine"], **window}
        if re.fullmatch(
            r"(?:participated|participation|taken part|took part|enrolled) in (?:any |an |another |other )*"
            r"(?:interventional )?(?:clinical |drug )?(?:trials?|studies|study)"
            r"|(?:other |an? |any )*(?:clinical trial treatment|investigational (?:drugs?|products?|agents?|treatments?"
            r"|therap(?:y|ies)))",
            core,
        ):
            return {"investigational_within": span}
        return None
    source = re.match(r"^(autologous|allogeneic|allogenic) ", core)
    cell_source = (
        {"cell_source": "allogeneic" if source.group(1).startswith("allo") else "autologous"} if source else {}
    )
    rest = core[source.end() :] if source else core
    if re.fullmatch(
        rf"(?:chimeric antigen receptor t[- ]cells?|car[- ]?t|car t[- ]cells?|car-t cells?){_THERAPY}", rest
    ):
        return {"received": ["car_t"], **cell_source}
    if re.fullmatch(rf"(?:cell|cellular){_THERAPY}", rest):
        return {"received": ["car_t", "other_cell_therapy"], **cell_source}
    kinds = re.fullmatch(
        r"(?P<kinds>(?:major |solid )?organ|bone marrow|(?:hematopoietic |haematopoietic )?stem cell|solid organ"
        r"(?:(?: or | and |/)(?:solid organ|organ|bone marrow|(?:hematopoietic |haematopoietic )?stem cell))*)"
        r" transplant(?:ation|s)?",
        rest,
    )
    if kinds is not None:
        found = [
            "solid_organ_transplant" if "organ" in k else "hsct"
            for k in re.split(r" or | and |/", kinds.group("kinds"))
        ]
        if cell_source and "solid_organ_transplant" in found:
            return None
        return {"received": sorted(set(found)), **cell_source}
    return None


_MALIGNANCY = re.compile(
    r"^(?P<no>no )?(?:(?:subjects?|patients?|those) with )?(?:a )?"
    r"(?:(?:previous |past |prior )?history of |complicated with |prior |(?P<recent>active or recent ))?"
    r"(?P<other>other )?(?:types of )?(?P<what>malignant (?:tumou?rs?|diseases?|neoplasms?)|malignanc(?:y|ies)|cancers?"
    r"|tumou?rs?)(?: \(?(?:in|within) (?:the )?(?:past|last|previous) (?P<years>\d+) years?\)?)?$"
)


def malignancy(text: str, kind: Kind) -> Rule | None:
    m = _MALIGNANCY.match(text)
    if m is None or (m.group("what").startswith("tumo") and not m.group("other")):
        return None  # a "tumour" may be benign unless it is "other" than a cancer under study
    if m.group("recent") and not m.group("years"):
        return None  # "active or recent" needs its window
    rule: Rule = {"malignancy": True}
    if m.group("years"):
        rule["except"] = [{"disease_free_years_at_least": int(m.group("years"))}]
    if m.group("no"):
        return {"not": rule} if kind == "inclusion" else None
    return rule


_ACTIVE_SYSTEMIC = re.compile(
    r"^(?:within \d+ days before (?:enrol?lment|screening), (?:there (?:was|were) )?)?"
    r"(?:active|uncontrolled|uncontrollable)(?: or (?:active|uncontrolled|uncontrollable))? infections?"
    r" (?:that |which )?(?:require|requires|requiring|need|needing) systemic (?:treatment|therapy)"
    r"(?: within the first week of screening)?$"
)


def infection(text: str, kind: Kind) -> Rule | None:
    if _ACTIVE_SYSTEMIC.match(text):
        return {
            "any": [
                {"condition": "other_active_infection", "requires_systemic_treatment": True},
                {"fact": "infections.active_tb"},
            ]
        }
    return None


_UNCONTROLLED_PAIR = re.compile(
    r"^(?:subjects? with )?(?P<a>hypertension|diabetes)(?: or (?P<b>hypertension|diabetes))? (?:that|which) cannot be"
    r" controlled(?: by (?:medication|drugs|treatment))?$"
)
_HAEM = re.compile(
    r"^(?:combination of )?aplastic ana?emia,? (?:myelodysplastic syndromes?|mds),? (?:or )?(?:other )?"
    r"myeloproliferative (?:diseases?|disorders?|neoplasms?)$"
)


def conditions(text: str, kind: Kind) -> Rule | None:
    m = _UNCONTROLLED_PAIR.match(text)
    if m is not None:
        leaves = [{"condition": c, "uncontrolled": True} for c in dict.fromkeys(filter(None, (m["a"], m["b"])))]
        return leaves[0] if len(leaves) == 1 else {"any": leaves}
    if _HAEM.match(drop_brackets(text)):
        return {"condition": "haematological_disorder"}
    return None


_WOMEN = r"(?:women|females?|female subjects|female patients|subjects|participants) of child-?bearing (?:age|potential)"
_TEST = r"(?:serum |urine |blood )?(?:pregnancy test|hcg test)"
_NEGATIVE_TEST = re.compile(
    rf"^(?:(?:the )?{_TEST}(?: results?)? (?:of|for|in) {_WOMEN} (?:are|is|must be|should be) negative"
    rf"|negative {_TEST} (?:for|in) {_WOMEN}"
    rf"|{_WOMEN} (?:must )?(?:have|had) (?:a )?negative {_TEST})"
    r"(?P<contraception>,? and (?:they |must |should )?(?:agree|agrees|are willing|be willing) to (?:use|take) "
    r"(?:effective |adequate |highly effective |reliable |medically approved )?(?:contracepti\w+|birth control)"
    r"(?: methods?| measures?)?(?: (?:during|throughout|for|until|from|within|in|after|the)\b.*)?)?$"
)


def pregnancy_test(text: str, kind: Kind) -> Rule | None:
    """ "Women of childbearing potential must have a negative pregnancy test [and agree to use
    contraception]": met by men, by women who cannot bear children, or by the test (and the
    agreement)."""
    m = _NEGATIVE_TEST.match(text)
    if m is None or kind != "inclusion":
        return None
    needs: Rule = {"pregnancy_test": "negative"}
    if m.group("contraception"):
        needs = {"all": [needs, {"fact": "reproductive.agrees_to_contraception"}]}
    return {"any": [{"sex": "male"}, {"fact": "reproductive.childbearing_potential", "is": False}, needs]}


_MEN_CONTRACEPTION = re.compile(
    r"^(?:male|men)(?: patients| subjects| participants)? (?:must|should|agree to|must agree to|should agree to)"
    r" (?:use|take) (?:effective |adequate |highly effective |reliable |medically approved )?"
    r"(?:contracepti\w+|birth control)(?: methods?| measures?)?$"
)


def men_contraception(text: str, kind: Kind) -> Rule | None:
    """ "Male patients must use effective contraception": met by women, or by the agreement."""
    if kind != "inclusion" or _MEN_CONTRACEPTION.match(text) is None:
        return None
    return {"any": [{"sex": "female"}, {"fact": "reproductive.agrees_to_contraception"}]}


_EXPRESSES = re.compile(
    r"^(?:(?:flow cytometry|immunohistochemistry|it is) (?:confirms?|confirmed|shows?) (?:that )?)?"
    r"(?:the )?(?:original |tumou?r |malignant |target |b )?cells? (?:express|expresses|expressing|are positive for)"
    r" (?P<list>.+)$"
)


def expresses(text: str, kind: Kind) -> Rule | None:
    """ "The original cells express CD19": the target antigen is positive."""
    m = _EXPRESSES.match(text)
    tests = _tests(m.group("list")) if m is not None else None
    return {"positive": tests} if tests is not None and set(tests) <= {"cd19", "bcma"} else None


# "Sufficient hepatic function defined by ...": the words before "defined by" only name what the
# rest defines, so the rest is the criterion (never when they carry a number or a negation).
DEFINED_BY = re.compile(
    r"^(?P<lead>[a-z ,/()-]{3,80}?) (?:as )?(?:defined|indicated|evidenced|measured|demonstrated) (?:by|as) "
)


def defined_by(text: str) -> str:
    m = DEFINED_BY.match(text)
    if m is None or re.search(r"\b(?:no|not|non|without|except|unless|or)\b", m.group("lead")):
        return text
    return text[m.end() :]


_DIAGNOSED = re.compile(
    rf"^(?:(?:have been )?diagnosed|disease duration) (?:for )?>= (?P<n>{NUM}) (?P<u>years?|months?)$"
)


def diagnosed(text: str, kind: Kind) -> Rule | None:
    m = _DIAGNOSED.match(text)
    if m is None or kind != "inclusion":
        return None
    return {"diagnosed_for": {"years" if m.group("u").startswith("y") else "months": int(float(m.group("n")))}}


# Parts that say nothing a screen needs ("either sex").
EMPTY = re.compile(
    r"^(?:regardless of gender|either sex|male or female|both sexes|no gender limitation|and no gender limitation"
    r"|gender unlimited|unlimited gender"
    r"|any gender|all genders|at screening|during the screening period)$"
)
TOPIC = re.compile(
    r"^(?P<topic>[a-z ,/()-]{2,80}?(?:functions?|count|tests?|values?|requirements|conditions|criteria|routine|status"
    r"|coagulation|hematology|haematology|age|ages))\s*:\s*"
)
