"""From a registry criterion sentence to a computable criterion, or to nothing.

Precision comes first: a sentence is translated only when every part of it is recognised, so a
sentence with one part the extractor does not know stays a review item with its text. The
steps:

1. normalise the text (case, symbols, units, number words; :func:`normalise`);
2. take off a disease the sentence is limited to ("For SLE patients, ...") as its cohort, a
   label that only names a topic ("Renal function:"), and words that only name what a
   "defined by" clause defines ("Sufficient hepatic function defined by ...");
3. read the whole sentence as one clause; failing that, split it at semicolons, then commas,
   then "or", then "and" (outside brackets) and read every part. Parts joined by "or" are any of
   them, by "and" all of them; parts listed with commas or semicolons are all required in an
   inclusion and any one applies in an exclusion. "and" in an exclusion is left untranslated
   ("mental illness and cognitive impairment" can mean either), except where one reading alone
   makes sense: the tests of one infection are all of them, and pregnancy, nursing and intending
   to conceive any of them. Limits that cannot both hold are never all of them: in an exclusion
   they are either ("age less than 3 and more than 16"), in an inclusion the sentence is not read;
4. a clause is a measure with its threshold (:mod:`remission.criteria.thresholds`), a phrase of
   :data:`~remission.criteria.phrases.PHRASES`, or one of the sentence shapes of
   :mod:`remission.criteria.shapes`.

The vocabulary and its readings are in :mod:`remission.criteria.phrases`; what the extractor
achieves on a hand-labelled sample of registry sentences is measured by
tests/criteria/test_extractor.py (figures in the README).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from remission.criteria.phrases import REPRODUCTIVE, SAME_INFECTION
from remission.criteria.shapes import (
    EMPTY,
    TOPIC,
    classification,
    collection,
    conditions,
    consent,
    defined_by,
    diagnosed,
    expresses,
    infection,
    malignancy,
    men_contraception,
    phrase,
    positive,
    pregnancy_test,
    received,
    relapsed,
)
from remission.criteria.thresholds import clash, read_measure
from remission.criteria.wording import BULLET, Kind, Rule, connector, normalise, split_outside
from remission.domain.diseases import cohort_prefix

__all__ = ["Extracted", "Kind", "extract"]


@dataclass(frozen=True)
class Extracted:
    """A translated sentence: its rule, and the disease it is limited to (a registry disease code)."""

    rule: Rule
    cohort: str | None = None


_CLAUSES: tuple[Callable[[str, Kind], Rule | None], ...] = (
    read_measure,
    phrase,
    consent,
    collection,
    positive,
    received,
    malignancy,
    infection,
    conditions,
    pregnancy_test,
    men_contraception,
    expresses,
    diagnosed,
)


def _clause(text: str, kind: Kind) -> Rule | None:
    text = BULLET.sub("", text.strip().strip(".;, ")).strip()
    text = BULLET.sub("", TOPIC.sub("", text, count=1).strip()).strip()
    for read in _CLAUSES:
        rule = read(text, kind)
        if rule is not None:
            return rule
    return None


_EMPTY_RULE: Rule = {}


def _read(text: str, kind: Kind, depth: int = 0) -> Rule | None:
    """``text`` as one clause, else cut at the first separator that makes every part readable."""
    text = text.strip().strip(".;, ").strip()
    if EMPTY.match(text):
        return _EMPTY_RULE
    whole = _clause(text, kind)
    if whole is not None or depth > 3:
        return whole
    both = len(split_outside(text, " or ")) > 1 and len(split_outside(text, " and ")) > 1
    for separator in ("; ", ";", ", ", ",", " or ", " and "):
        parts = split_outside(text, separator)
        if len(parts) < 2 or (both and separator == " or "):
            continue
        # "A or B positive and C": each side of the "and" must be one clause.
        whole_parts = both and separator == " and "
        word = separator.strip(" ;") or ","  # "or", "and", or a list separator
        rules: list[Rule] = []
        for piece in parts:
            lead = re.match(r"^(and|or)\s+", piece)
            if lead is not None and word == ",":
                word = lead.group(1)  # "A, B, or C"
            part = piece[lead.end() :] if lead is not None else piece
            rule = _clause(part, kind) if whole_parts else _read(part, kind, depth + 1)
            if rule is None:
                break
            if rule:
                rules.append(rule)
        else:
            if not rules:
                return None
            joined = connector(word, kind) or _exclusion_and(rules)
            if joined is None:
                return None
            combined = _combine(joined, rules)
            return None if joined == "all" and _impossible(combined) else combined
    return None


def _impossible(rule: Rule) -> bool:
    """Whether an "all" asks one measure for limits that cannot both hold ("age < 3 and > 16"):
    such a sentence meant something else, so it is not read."""
    by_measure: dict[tuple[str, str], list[Rule]] = {}
    for part in rule.get("all", []):
        if "measure" in part:
            by_measure.setdefault((part["measure"], part.get("scale", "value")), []).append(part)
    return any(clash(parts) for parts in by_measure.values())


def _exclusion_and(rules: list[Rule]) -> str | None:
    """How "A and B" in an exclusion is read when it can be at all: the tests of one infection
    are all of them ("HBsAg and HBV DNA positive"); pregnancy, breastfeeding and intending to
    conceive are any of them ("pregnant and nursing women": no one reads it as needing both)."""
    if all(set(r) == {"positive"} for r in rules):
        tests = {t for r in rules for t in r["positive"]}
        if any(tests <= family for family in SAME_INFECTION):
            return "all"
    if all(r in REPRODUCTIVE for r in rules):
        return "any"
    return None


def _combine(connector: str, rules: list[Rule]) -> Rule:
    """One all/any of ``rules``, flattening nested ones of the same connector and putting the
    tests of an ``any`` into one ``positive`` list."""
    flat: list[Rule] = []
    for rule in rules:
        flat.extend(rule[connector] if set(rule) == {connector} else [rule])
    if connector == "any":
        tests = [r for r in flat if set(r) == {"positive"}]
        if len(tests) > 1:
            merged = {"positive": sorted({t for r in tests for t in r["positive"]})}
            flat = [merged] + [r for r in flat if r not in tests]
    unique: list[Rule] = []
    for rule in flat:
        if rule not in unique:
            unique.append(rule)
    return unique[0] if len(unique) == 1 else {connector: unique}


_HEPATITIS_PAIR = re.compile(r"\bhepatitis b (or|and|/) c\b")


def extract(text: str, kind: Kind = "inclusion") -> Extracted | None:
    """The computable form of one criterion sentence, or None when any part of it is not
    understood (the sentence then stays a review item)."""
    cohort: str | None = None
    prefix = cohort_prefix(text.strip())
    body = text.strip()
    if prefix is not None:
        cohort = prefix[0].value
        body = re.sub(r"^\s*(?:patients|subjects|participants)?\s*[,:]?\s*", "", body[prefix[1] :], count=1)
    normal = defined_by(_HEPATITIS_PAIR.sub(lambda m: f"hepatitis b {m.group(1)} hepatitis c", normalise(body)))
    for shape in (classification, relapsed):
        found = shape(normal, kind, body)
        if found is not None:
            rule, named = found
            return Extracted(rule, named) if cohort in (None, named) else None
    read = _read(normal, kind)
    return Extracted(read, cohort) if read else None
