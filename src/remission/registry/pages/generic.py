"""The fallback for a page of unknown layout: read what any trial page tends to carry (an NCT
id, a title, "Status:", a phase, an enrolment, age and sex labels, "Inclusion/Exclusion
Criteria" blocks, disease names) and list everything else as not found."""

from __future__ import annotations

import re
from typing import Any

from remission.registry.eligibility import split_criteria
from remission.registry.pages.base import (
    PageResult,
    PageText,
    ages_from_criteria,
    conditions_from_text,
    find_nct,
    parse_age_range,
    parse_phases,
    parse_sex,
    parse_status,
)

_LABELLED = {
    "overall_status": ("status", "recruitment status", "overall status", "trial status"),
    "phases": ("phase", "study phase", "clinical phase", "trial phase"),
    "sex": ("sex", "gender", "eligible sex"),
    "minimum_age": ("minimum age", "min age", "minimum eligible age"),
    "maximum_age": ("maximum age", "max age", "maximum eligible age"),
    "age": ("age", "ages", "age range"),
    "enrollment": ("enrollment", "total enrollment", "target number of participants", "participants"),
}
_CRITERIA = re.compile(r"^(?:[-•*\s]*)(inclusion criteria|eligibility criteria|eligibility)\s*:?\s*$", re.IGNORECASE)
_STOP = re.compile(r"^(?:locations?|contacts?|sponsors?|study details|outcome|about\b|timeline)", re.IGNORECASE)
_ENROLL = re.compile(r"(\d+)\s+(?:participants|patients|subjects)", re.IGNORECASE)
_SKIP_TITLE = re.compile(r"^(?:image|home|menu|skip to|- )", re.IGNORECASE)


class GenericLayout:
    name = "generic"

    def detect(self, page: PageText) -> bool:
        return True

    def value(self, page: PageText, key: str) -> str | None:
        for label in _LABELLED[key]:
            found = page.inline(label) or page.after(label)
            if found:
                return found
        return None

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        lines = page.nonblank()
        f["nct_id"] = find_nct(page.text)
        f["brief_title"] = next((line for line in lines if not _SKIP_TITLE.match(line) and len(line) > 15), None)
        f["overall_status"] = parse_status(self.value(page, "overall_status"))
        f["phases"] = parse_phases(self.value(page, "phases"))
        enrollment = _ENROLL.search(self.value(page, "enrollment") or "")
        if enrollment:
            f["enrollment"] = {"count": int(enrollment.group(1))}
        eligibility: dict[str, Any] = {"sex": parse_sex(self.value(page, "sex"))}
        start = next((i for i, line in enumerate(page.lines) if _CRITERIA.match(line)), None)
        if start is not None:
            block: list[str] = []
            for line in page.lines[start:]:
                if block and _STOP.match(line):
                    break
                block.append(line)
            text = "\n".join(block).strip()
            inclusion, exclusion = split_criteria(text)
            if inclusion or exclusion:
                eligibility.update(criteria_text=text, inclusion=inclusion, exclusion=exclusion)
                low, high = ages_from_criteria(inclusion)
                eligibility.update(minimum_age=low, maximum_age=high)
        low, high = parse_age_range(self.value(page, "age"))
        minimum, maximum = self.value(page, "minimum_age"), self.value(page, "maximum_age")
        eligibility["minimum_age"] = minimum or low or eligibility.get("minimum_age")
        eligibility["maximum_age"] = maximum or high or eligibility.get("maximum_age")
        f["eligibility"] = {k: v for k, v in eligibility.items() if v not in (None, [])}
        f["conditions"] = conditions_from_text(f["brief_title"], page.text[:3000])
        fields = {k: v for k, v in f.items() if v not in (None, [], {})}
        wanted = ("nct_id", "brief_title", "overall_status", "phases", "enrollment", "eligibility", "conditions")
        missing = [k for k in wanted if k not in fields]
        missing += ["sponsor", "sites", "dates"]
        return PageResult(self.name, fields, missing, ["unknown layout: read by the generic fallback"])
