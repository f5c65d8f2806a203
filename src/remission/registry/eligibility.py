"""Split free eligibility text into inclusion and exclusion items, and into disease cohorts.

Registry criteria are loosely structured markdown: "Inclusion Criteria:" / "Exclusion
Criteria:" headings, numbered or bulleted items, nested lists whose numbering restarts, and
in basket trials per-disease blocks ("SLE:", "Relapsed/Refractory Systemic Sclerosis") or
per-disease items ("For SLE patients, SLEDAI ≥ 8 points"). This module reads those shapes;
it does not interpret what a criterion means (that is the criteria language's job).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from remission.domain.diseases import cohort_prefix, find_diseases
from remission.domain.trial import Criterion
from remission.domain.vocab import DiseaseCode
from remission.registry.text import BULLETS, clean_text, strip_bullets

_SECTION = re.compile(
    r"^(?:(?P<scope>common|general|specific|disease[\s-]*specific|key)\s+)?"
    r"(?P<kind>inclusion|exclusion)\s*criteria\b[^:]*:?\s*$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?P<num>\d{1,2})\s*[.)、]\s*(?P<rest>.*)$")
_LETTERED = re.compile(r"^(?:[a-h]|i{1,3}|iv|v|vi{0,3})\s?[.)]\s*\S", re.IGNORECASE)
_HEADING_PREFIX = re.compile(r"^(?:relapsed\s*/\s*refractory|refractory|active|for)\s+", re.IGNORECASE)
_TRAILING_HEADING = re.compile(r"^(?P<item>.*[.;])\s+(?P<head>[A-Za-z][A-Za-z0-9-]{1,9}):\s*$")
# "...LVEF ≥50%; 3. Female subjects ..." : a numbered item run into the previous one's line.
_INLINE_ITEM = re.compile(r"(?<=;)[ \t]+(?=\d{1,2}\.[ \t]+[A-Z])")


@dataclass
class _Builder:
    inclusion: list[Criterion] = field(default_factory=list)
    exclusion: list[Criterion] = field(default_factory=list)
    section: str | None = None
    cohort: DiseaseCode | None = None
    heading: str | None = None
    numbers: list[int] = field(default_factory=list)  # the numbering stack of nested lists
    current: list[str] | None = None
    current_number: str | None = None
    current_cohort: DiseaseCode | None = None
    preamble: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if self.current is None:
            return
        text = " ".join(self.current).strip()
        if text:
            item = Criterion(
                text=text,
                cohort=self.current_cohort,
                cohort_heading=self.heading if self.current_cohort is self.cohort else None,
                number=self.current_number,
            )
            (self.exclusion if self.section == "exclusion" else self.inclusion).append(item)
        self.current = None

    def start(self, text: str, number: str | None) -> None:
        self.flush()
        self.current = [text]
        self.current_number = number
        self.current_cohort = _item_cohort(text) or self.cohort


def heading_disease(line: str) -> DiseaseCode | None:
    """The disease of a cohort heading line ("SLE:", "Relapsed/Refractory Systemic Sclerosis"), else None."""
    text = line.strip().rstrip(":").strip()
    if not text or len(text) > 110 or text.endswith((".", ";", ",")) or len(text.split()) > 12:
        return None
    if _NUMBERED.match(text):
        return None
    core = _HEADING_PREFIX.sub("", text)
    codes = find_diseases(core, abbreviations=True)
    if len(codes) != 1:
        return None
    # A heading is the disease's name, not a sentence about it.
    if re.search(r"\b(?:meets?|must|should|have|has|with|score|positive|criteria)\b", core, re.IGNORECASE):
        return None
    return codes[0]


def _item_cohort(text: str) -> DiseaseCode | None:
    found = cohort_prefix(text)
    return None if found is None else found[0]


def _number_label(b: _Builder, n: int, previous_text: str) -> str:
    """Place item number ``n`` in the nested numbering and return its label ("3.2")."""
    if not b.numbers:
        b.numbers = [n]
    elif n == 1 and b.numbers[-1] >= 1 and previous_text.rstrip().endswith(":"):
        b.numbers.append(1)  # a sub-list under an item that ends with a colon
    else:
        for depth in range(len(b.numbers) - 1, -1, -1):
            if n == b.numbers[depth] + 1:
                b.numbers = [*b.numbers[:depth], n]
                break
        else:
            b.numbers[-1] = n  # restarted or skipped numbering: stay at this depth
    return ".".join(str(x) for x in b.numbers)


def split_criteria(text: str | None) -> tuple[list[Criterion], list[Criterion]]:
    """Inclusion and exclusion items of a criteria text, each with its cohort when it has one.

    Text before any "Inclusion/Exclusion Criteria" heading counts as inclusion.
    """
    if not text or not text.strip():
        return [], []
    b = _Builder(section="inclusion")
    blank_before = True
    for raw in _INLINE_ITEM.sub("\n", clean_text(text)).split("\n"):
        line = strip_bullets(raw).strip()
        bulleted = raw.lstrip()[:1] in BULLETS
        if not line:
            blank_before = True
            continue
        section = _SECTION.match(line)
        if section:
            b.flush()
            b.section = section.group("kind").lower()
            b.cohort, b.heading, b.numbers = None, None, []
            blank_before = True
            continue
        trailing = _TRAILING_HEADING.match(line)
        if trailing and heading_disease(trailing.group("head")):
            _add_line(b, trailing.group("item"), blank_before, bulleted)
            line = trailing.group("head") + ":"
        disease = heading_disease(line)
        if disease is not None:
            b.flush()
            b.cohort, b.heading, b.numbers = disease, line.rstrip(":").strip(), []
            blank_before = True
            continue
        _add_line(b, line, blank_before, bulleted)
        blank_before = False
    b.flush()
    return b.inclusion, b.exclusion


def _add_line(b: _Builder, line: str, blank_before: bool, bulleted: bool) -> None:
    numbered = _NUMBERED.match(line)
    if numbered and numbered.group("rest"):
        previous = " ".join(b.current) if b.current else ""
        label = _number_label(b, int(numbered.group("num")), previous)
        b.start(numbered.group("rest"), label)
    elif bulleted:
        b.start(line, None)
    elif _LETTERED.match(line) and b.current is not None:
        b.current.append(line)  # "a) ... b) ..." sub-items read as part of their parent item
    elif b.current is not None and not blank_before:
        b.current.append(line)
    elif b.current is not None and b.current_number is not None and not line[:1].isupper():
        b.current.append(line)  # a wrapped numbered item continuing after a blank line
    else:
        b.start(line, None)
