"""A condition-portal page (seed 004, ZJU-CAR-T-SLE): "Key: value" badges (Status, Intervention
Type, Study Type, Study Phase), SUMMARY, "Participation Requirements" (Sex, Minimum Age,
Healthy Volunteers as t/f), bulleted criteria after "View:", then locations with contact
blocks, time frame, participants, treatments and sponsors."""

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
    parse_bool,
    parse_page_date,
    parse_phases,
    parse_sex,
    parse_status,
)

_EMAIL = re.compile(r"^\S+@\S+\.\S+$")
_PHONE = re.compile(r"^\+?[\d\s()-]{6,}$")
_ARM = re.compile(
    r"^(Experimental|Active Comparator|Placebo Comparator|Sham Comparator|No Intervention|Other):\s*(.+)$"
)
_SECTIONS = ["Locations", "Time Frame", "Participants", "Treatments", "Related Therapeutic Areas", "Sponsors"]


class MedifindLayout:
    name = "medifind"

    def detect(self, page: PageText) -> bool:
        return page.find("Participation Requirements") is not None and page.inline("Study Phase") is not None

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        lines = page.nonblank()
        f["brief_title"] = lines[0]
        f["nct_id"] = find_nct(page.text)
        f["overall_status"] = parse_status(page.inline("Status"))
        f["phases"] = parse_phases(page.inline("Study Phase"))
        study_type = (page.inline("Study Type") or "").upper()
        f["study_type"] = study_type if study_type in ("INTERVENTIONAL", "OBSERVATIONAL") else None
        f["brief_summary"] = "\n".join(x for x in page.section("SUMMARY", ["Eligibility"]) if x) or None
        criteria = list(page.section("View:", _SECTIONS))
        text = "\n".join(criteria).strip() or None
        inclusion, exclusion = split_criteria(text)
        minimum = page.inline("Minimum Age")
        maximum = page.inline("Maximum Age")
        low, high = ages_from_criteria(inclusion)
        eligibility = {
            "sex": parse_sex(page.inline("Sex")),
            "minimum_age": minimum or low,  # a bare number is years; the criteria confirm it
            "maximum_age": maximum or high,
            "healthy_volunteers": parse_bool(page.inline("Healthy Volunteers")),
            "criteria_text": text,
            "inclusion": inclusion,
            "exclusion": exclusion,
        }
        f["eligibility"] = {k: v for k, v in eligibility.items() if v not in (None, [])}
        f["conditions"] = conditions_from_text(f["brief_title"], f["brief_summary"])
        f["sites"] = self.sites([x for x in page.section("Locations", _SECTIONS[1:]) if x])
        f["countries"] = list(dict.fromkeys(s["country"] for s in f["sites"] if s.get("country")))
        start = parse_page_date(page.inline("Start Date"))
        if start:
            f["start_date"] = {"value": start}
        end = parse_page_date(page.inline("Estimated Completion Date"))
        if end:
            f["completion_date"] = {"value": end, "type": "ESTIMATED"}
        target = re.match(r"(\d+)", page.inline("Target number of participants") or "")
        if target:
            f["enrollment"] = {"count": int(target.group(1)), "type": "ESTIMATED"}
        treatments = [x for x in page.section("Treatments", _SECTIONS) if x]
        arms = []
        for i, line in enumerate(treatments):
            m = _ARM.match(line)
            if m:
                described = treatments[i + 1] if i + 1 < len(treatments) and not _ARM.match(treatments[i + 1]) else None
                arms.append(
                    {"label": m.group(2), "type": m.group(1).upper().replace(" ", "_"), "description": described}
                )
        f["arms"] = arms
        lead = page.inline("Leads")
        if lead:
            f["sponsor"] = {"name": lead, "agency_class": organization_class(lead)}
        missing = [
            k for k in ("overall_status", "phases", "eligibility", "sites", "sponsor", "enrollment") if not f.get(k)
        ]
        if not f["nct_id"]:
            missing.append("nct_id")
        notes = (
            ["the page says its content was sourced from ClinicalTrials.gov"]
            if "sourced from clinicaltrials.gov" in page.text.lower()
            else []
        )
        return PageResult(self.name, {k: v for k, v in f.items() if v not in (None, [], {})}, missing, notes)

    def sites(self, lines: list[str]) -> list[dict[str, Any]]:
        """ "[Other Locations] COUNTRY FACILITY STATUS CITY Contact Information (ROLE NAME EMAIL PHONE)*"."""
        sites: list[dict[str, Any]] = []
        i = 0
        rows = [x for x in lines if x not in ("Other Locations", "Location")]
        while i < len(rows):
            if i + 3 < len(rows) and parse_status(rows[i + 2]):
                site: dict[str, Any] = {
                    "country": rows[i],
                    "facility": rows[i + 1],
                    "status": parse_status(rows[i + 2]),
                    "city": rows[i + 3],
                    "contacts": [],
                }
                i += 4
                if i < len(rows) and rows[i] == "Contact Information":
                    i += 1
                while i < len(rows) and rows[i] in ("Primary", "Backup"):
                    contact: dict[str, Any] = {"role": rows[i].upper()}
                    i += 1
                    if i < len(rows):
                        contact["name"] = rows[i]
                        i += 1
                    while i < len(rows) and (_EMAIL.match(rows[i]) or _PHONE.match(rows[i])):
                        contact["email" if _EMAIL.match(rows[i]) else "phone"] = rows[i]
                        i += 1
                    site["contacts"].append(contact)
                sites.append(site)
            else:
                i += 1
        return sites
