"""A patient-facing listing (seed 001, NCT07246096): title twice, a badge block (status, age
range, sex, phase), "Overview", "Eligibility" with common and per-disease criteria, and a
"Study details" block with conditions, NCT id, sponsor and a date; then contact-form boiler-plate."""

from __future__ import annotations

import re
from typing import Any

from remission.domain.diseases import classify_condition
from remission.registry.eligibility import split_criteria
from remission.registry.pages.base import (
    NCT_IN_TEXT,
    PageResult,
    PageText,
    organization_class,
    parse_age_range,
    parse_page_date,
    parse_phases,
    parse_sex,
    parse_status,
)

_PLANNED = re.compile(
    r"(\d+)\s+(?:patients|participants|subjects)\s+(?:are|will be)\s+(?:planned|expected|enrolled)", re.IGNORECASE
)


class TrialxLayout:
    name = "trialx"

    def detect(self, page: PageText) -> bool:
        return (
            page.find("Overview") is not None
            and page.find("Eligibility") is not None
            and page.find("Study details") is not None
        )

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        lines = [line for line in page.nonblank() if line.lower() != "image"]
        f["brief_title"] = lines[0]
        if len(lines) > 1 and lines[1] != lines[0]:
            f["official_title"] = lines[1]
        badges = []
        for line in lines[1:12]:
            if line in ("Powered by AI", "Overview"):
                break
            badges.append(line)
        for badge in badges:
            if parse_status(badge):
                f["overall_status"] = parse_status(badge)
            elif parse_phases(badge):
                f["phases"] = parse_phases(badge)
            elif parse_sex(badge):
                f.setdefault("eligibility", {})["sex"] = parse_sex(badge)
            else:
                low, high = parse_age_range(badge)
                if low or high:
                    f.setdefault("eligibility", {}).update(minimum_age=low, maximum_age=high)
        overview = [line for line in page.section("Overview", ["Eligibility"]) if line]
        if overview:
            f["brief_summary"] = "\n".join(overview)
            m = _PLANNED.search(f["brief_summary"])
            if m:
                f["enrollment"] = {"count": int(m.group(1)), "type": "ESTIMATED"}
        criteria = page.section("Eligibility", ["Study details"])
        if criteria:
            text = "\n".join(criteria).strip()
            inclusion, exclusion = split_criteria(text)
            f.setdefault("eligibility", {}).update(criteria_text=text, inclusion=inclusion, exclusion=exclusion)
        details = [
            line
            for line in page.section("Study details", ["Step 1 Get in touch with the nearest study center"])
            if line
        ]
        nct_at = next((i for i, line in enumerate(details) if NCT_IN_TEXT.fullmatch(line)), None)
        if nct_at is not None:
            f["conditions"] = [{"text": c, "code": classify_condition(c)} for c in details[:nct_at]]
            f["nct_id"] = details[nct_at]
            rest = details[nct_at + 1 :]
            if rest:
                f["sponsor"] = {"name": rest[0], "agency_class": organization_class(rest[0])}
            if len(rest) > 1 and parse_page_date(rest[1]):
                # The listing shows one unlabelled date beside the sponsor: the study's start.
                f["start_date"] = {"value": parse_page_date(rest[1])}
        missing = [k for k in ("nct_id", "overall_status", "eligibility", "sponsor", "conditions") if not f.get(k)]
        missing.append("sites")  # the page shows a contact form, not the study's sites
        notes = ["the unlabelled date in 'Study details' was read as the start date"] if "start_date" in f else []
        return PageResult(self.name, {k: v for k, v in f.items() if v not in (None, [], {})}, missing, notes)
