"""A patient-matching site's page (seed 003, LIANGZOU): "Launched by SPONSOR · date", "Current
as of", a status line, an AI-written summary, gender, bulleted criteria ("- • 1."), an
about-the-sponsor blurb, contacts, locations and a timeline. It shows no NCT id and no age
fields; the age limits are read from the criteria."""

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
    organization_class,
    parse_page_date,
    parse_sex,
    parse_status,
)

_LAUNCHED = re.compile(r"^Launched by\s+(.+?)\s*·\s*(.+)$")
_CURRENT = re.compile(r"^Current as of\s+(.+)$", re.IGNORECASE)
_PLACE = re.compile(r"^([^,]+),\s*(?:([^,]+),\s*)?([^,]+)$")


class ClinconnectLayout:
    name = "clinconnect"

    def detect(self, page: PageText) -> bool:
        return page.find("ClinConnect Summary") is not None or any(
            _LAUNCHED.match(line) for line in page.nonblank()[:3]
        )

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        lines = page.nonblank()
        f["brief_title"] = lines[0]
        f["nct_id"] = find_nct(page.text)
        for i, line in enumerate(lines[:12]):
            launched = _LAUNCHED.match(line)
            if launched:
                name = launched.group(1)
                f["sponsor"] = {"name": name, "agency_class": organization_class(name)}
                posted = parse_page_date(launched.group(2))
                if posted:
                    f["first_posted"] = {"value": posted}
            current = _CURRENT.match(line)
            if current:
                f["retrieved"] = parse_page_date(current.group(1))
                status = parse_status(lines[i + 1]) if i + 1 < len(lines) else None
                if status:
                    f["overall_status"] = status
        summary = [line for line in page.section("ClinConnect Summary", ["Gender", "Eligibility criteria"]) if line]
        f["brief_summary"] = "\n".join(summary) or None
        sex = parse_sex(page.after("Gender"))
        criteria_end = next((line for line in lines if line.startswith("About ")), "Contacts")
        criteria = list(page.section("Eligibility criteria", [criteria_end, "Contacts", "Locations"]))
        eligibility: dict[str, Any] = {"sex": sex}
        if criteria:
            text = "\n".join(criteria).strip()
            inclusion, exclusion = split_criteria(text)
            low, high = ages_from_criteria(inclusion)
            eligibility.update(
                criteria_text=text, inclusion=inclusion, exclusion=exclusion, minimum_age=low, maximum_age=high
            )
            diagnosed = next((c.text for c in inclusion if re.match(r"diagnosed as", c.text, re.IGNORECASE)), None)
            f["conditions"] = conditions_from_text(diagnosed or f["brief_summary"])
        f["eligibility"] = {k: v for k, v in eligibility.items() if v is not None}
        contacts = [line for line in page.section("Contacts", ["Locations", "Timeline"]) if line]
        if contacts:
            f["central_contacts"] = [{"name": contacts[0], "affiliation": contacts[1] if len(contacts) > 1 else None}]
        sites = []
        for line in (x for x in page.section("Locations", ["Patients applied", "Timeline"]) if x):
            place = _PLACE.match(line)
            if place:
                sites.append({"city": place.group(1), "state": place.group(2), "country": place.group(3)})
        f["sites"] = sites
        f["countries"] = list(dict.fromkeys(s["country"] for s in sites))
        timeline = [line for line in page.section("Timeline", []) if line]
        completion = (
            timeline[timeline.index("Estimated completion") + 1]
            if "Estimated completion" in timeline and timeline.index("Estimated completion") + 1 < len(timeline)
            else None
        )
        if completion and parse_page_date(completion):
            f["completion_date"] = {"value": parse_page_date(completion), "type": "ESTIMATED"}
        missing = [k for k in ("nct_id", "overall_status", "sponsor", "eligibility", "sites") if not f.get(k)]
        missing += ["phases", "enrollment"] + ([] if "completion_date" in f else ["completion_date"])
        return PageResult(
            self.name,
            {k: v for k, v in f.items() if v not in (None, [], {})},
            missing,
            ["age limits read from the inclusion criteria"] if eligibility.get("minimum_age") else [],
        )
