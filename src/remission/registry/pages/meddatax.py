"""A registry-mirror page (seed 000, NCT07095075): labelled sections, each opened by a heading
and one line of boiler-plate, values on the line after their label, registry enumerations
verbatim (RECRUITING, EARLY_PHASE1, SEQUENTIAL)."""

from __future__ import annotations

import re
from typing import Any

from remission.domain.diseases import classify_condition
from remission.domain.trial import Contact, Site
from remission.domain.vocab import ContactRole, OfficialRole
from remission.registry.eligibility import split_criteria
from remission.registry.pages.base import (
    PageResult,
    PageText,
    organization_class,
    parse_bool,
    parse_page_date,
    parse_phases,
    parse_sex,
    parse_status,
)

HEADINGS = [
    "Study Results", "Basic Information", "Brief Summary", "Detailed Description", "Conditions",
    "Study Design", "Study Groups", "Interventions", "Eligibility Criteria", "Sponsors", "Responsible Party",
    "Principal Investigators", "Locations", "Countries", "Central Contacts", "Facility Contacts",
    "Other Identifiers", "More Related Trials",
]  # fmt: skip
_ARM_TYPES = {
    "experimental": "EXPERIMENTAL", "active comparator": "ACTIVE_COMPARATOR", "placebo comparator":
    "PLACEBO_COMPARATOR", "sham comparator": "SHAM_COMPARATOR", "no intervention": "NO_INTERVENTION",
    "other": "OTHER",
}  # fmt: skip
_ROLE = re.compile(r"^Role:\s*(\S+)$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s()-]{6,}$")
_EMAIL = re.compile(r"^\S+@\S+\.\S+$")
_CITY_LINE = re.compile(r"^([^,]+),\s*(?:([^,]+),\s*)?([^,]+)$")


class MeddataxLayout:
    name = "meddatax"

    def detect(self, page: PageText) -> bool:
        return (
            all(page.find(h) is not None for h in ("Basic Information", "Recruitment Status"))
            and page.inline("NCT ID") is not None
        )

    def body(self, page: PageText, heading: str) -> list[str]:
        """A section's lines without its boiler-plate first line."""
        lines = [line for line in page.section(heading, HEADINGS) if line]
        return lines[1:]

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        missing: list[str] = []
        notes: list[str] = []
        f["brief_title"] = page.nonblank()[0]
        f["nct_id"] = page.inline("NCT ID")
        updated = parse_page_date(page.inline("Last Updated"))
        if updated:
            f["last_update"] = {"value": updated.iso()}
            f["retrieved"] = updated
        f["overall_status"] = parse_status(page.after("Recruitment Status"))
        f["phases"] = parse_phases(page.after("Clinical Phase"))
        enrollment = re.match(r"(\d+)", page.after("Total Enrollment") or "")
        if enrollment:
            f["enrollment"] = {"count": int(enrollment.group(1))}
        f["study_type"] = page.after("Study Classification")
        for label, key in (
            ("Study Start Date", "start_date"),
            ("Primary Completion Date", "primary_completion_date"),
            ("Study Completion Date", "completion_date"),
        ):
            d = parse_page_date(page.after(label))
            if d:
                f[key] = {"value": d.iso()}
        f["brief_summary"] = "\n".join(self.body(page, "Brief Summary")) or None
        f["detailed_description"] = "\n".join(self.body(page, "Detailed Description")) or None
        f["conditions"] = [{"text": c, "code": classify_condition(c)} for c in self.body(page, "Conditions")]
        f["design"] = self.design(page)
        f["arms"], f["interventions"] = self.groups(page)
        f["eligibility"] = self.eligibility(page)
        f.update(self.sponsors(page))
        f["investigators"] = self.investigators(page)
        f["sites"] = self.sites(page)
        f["countries"] = self.body(page, "Countries")
        f["central_contacts"] = [c.model_dump() for c in self.contacts(self.body(page, "Central Contacts"))]
        facility_contacts = self.contacts(self.body(page, "Facility Contacts"))
        notes.extend(self.attach_contacts(f["sites"], facility_contacts, f))
        ids = self.body(page, "Other Identifiers")
        if ids:
            source = next((x.split(":", 1)[1].strip() for x in ids if x.lower().startswith("identifier source")), None)
            if source == "org_study_id":
                f["org_study_id"] = ids[0]
            f["secondary_ids"] = [{"id": ids[0], "type": source}]
        for key in ("nct_id", "overall_status", "phases", "enrollment", "eligibility", "sites", "sponsor"):
            if not f.get(key):
                missing.append(key)
        return PageResult(self.name, {k: v for k, v in f.items() if v not in (None, [], {})}, missing, notes)

    def design(self, page: PageText) -> dict[str, Any] | None:
        lines = self.body(page, "Study Design")
        if not lines:
            return None
        d: dict[str, Any] = {}
        labels = {
            "Allocation Method": "allocation",
            "Intervention Model": "intervention_model",
            "Primary Study Purpose": "primary_purpose",
            "Blinding Strategy": "masking",
        }
        i = 0
        while i < len(lines):
            key = labels.get(lines[i])
            if key and i + 1 < len(lines):
                d[key] = lines[i + 1]
                i += 2
                if key == "intervention_model":
                    described = []
                    while i < len(lines) and lines[i] not in labels:
                        described.append(lines[i])
                        i += 1
                    d["intervention_model_description"] = " ".join(described) or None
                continue
            i += 1
        if d.get("masking"):
            d["open_label"] = d["masking"] == "NONE"
        return d

    def groups(self, page: PageText) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        arms: list[dict[str, Any]] = []
        lead: list[str] = []
        lines = self.body(page, "Study Groups")
        i = 0
        while i < len(lines):
            line = lines[i]
            m = re.match(r"^([A-Za-z ]+?):\s*(.+)$", line)
            if m and m.group(1).lower() in _ARM_TYPES:
                label, _, rest = m.group(2).partition(". ")
                arm: dict[str, Any] = {
                    "label": label.strip().rstrip("."),
                    "type": _ARM_TYPES[m.group(1).lower()],
                    "description": " ".join([*lead, rest.strip()]).strip() or None,
                    "intervention_names": [],
                }
                lead = []
                i += 1
                while i < len(lines) and not re.match(r"^[A-Za-z ]+?:\s", lines[i]):
                    gt = re.match(r"^Group Type\s+(\S+)$", lines[i])
                    if gt:
                        arm["type"] = gt.group(1)
                    elif (
                        not lines[i].startswith("Intervention Type")
                        and i + 1 < len(lines)
                        and lines[i + 1].startswith("Intervention Type")
                    ):
                        arm["intervention_names"].append(lines[i])
                    i += 1
                arms.append(arm)
                continue
            lead.append(line)
            i += 1
        interventions: list[dict[str, Any]] = []
        lines = self.body(page, "Interventions")
        current: dict[str, Any] | None = None
        for line in lines:
            it = re.match(r"^Intervention Type\s+(\S+)$", line)
            if it and current is not None:
                current["type"] = it.group(1)
                interventions.append(current)
                current = None
            elif current is None:
                current = {
                    "name": line,
                    "description": None,
                    "arm_labels": [a["label"] for a in arms if line in a["intervention_names"]],
                }
            else:
                current["description"] = " ".join(filter(None, [current["description"], line]))
        return arms, interventions

    def eligibility(self, page: PageText) -> dict[str, Any] | None:
        lines = page.section(
            "Inclusion Criteria",
            ["Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers", *HEADINGS],
        )
        text = "Inclusion Criteria:\n" + "\n".join(lines) if lines else None
        inclusion, exclusion = split_criteria(text)
        e: dict[str, Any] = {
            "minimum_age": page.after("Minimum Eligible Age"),
            "maximum_age": page.after("Maximum Eligible Age"),
            "sex": parse_sex(page.after("Eligible Sex")),
            "healthy_volunteers": parse_bool(page.after("Accepts Healthy Volunteers")),
            "criteria_text": text,
            "inclusion": inclusion,
            "exclusion": exclusion,
        }
        return {k: v for k, v in e.items() if v is not None}

    def sponsors(self, page: PageText) -> dict[str, Any]:
        lines = self.body(page, "Sponsors")
        out: dict[str, Any] = {"collaborators": []}
        for i, line in enumerate(lines):
            m = re.match(r"^Sponsor Role\s+(\w+)$", line, re.IGNORECASE)
            if not m or i < 1:
                continue
            cls, name = (lines[i - 1], lines[i - 2]) if i >= 2 else (None, lines[i - 1])
            org = {"name": name, "agency_class": organization_class(name, cls)}
            if m.group(1).lower() == "lead":
                out["sponsor"] = org
            else:
                out["collaborators"].append(org)
        rp = next(
            (line for line in self.body(page, "Responsible Party") if line.startswith("Responsibility Role")), None
        )
        if rp:
            out["responsible_party"] = {"type": rp.split()[-1]}
        return out

    def investigators(self, page: PageText) -> list[dict[str, Any]]:
        lines = self.body(page, "Principal Investigators")
        out = []
        for i, line in enumerate(lines):
            m = _ROLE.match(line)
            if m and i >= 1:
                name = re.sub(r"\s+(Principal Investigator|Study Director|Study Chair)$", "", lines[i - 1])
                role = m.group(1).upper()
                affiliation = lines[i + 1] if i + 1 < len(lines) and not _ROLE.match(lines[i + 1]) else None
                out.append(
                    {
                        "name": name,
                        "role": role if role in OfficialRole.__members__ else None,
                        "affiliation": affiliation,
                    }
                )
        return out

    def sites(self, page: PageText) -> list[dict[str, Any]]:
        lines = self.body(page, "Locations")
        sites: list[dict[str, Any]] = []
        for i, line in enumerate(lines):
            m = re.match(r"^Site Status\s+(\S+)$", line)
            if not m or i < 2:
                continue
            place = _CITY_LINE.match(lines[i - 1])
            site = Site(facility=lines[i - 2], status=parse_status(m.group(1)))
            if place:
                site.city, site.state, site.country = place.group(1), place.group(2), place.group(3)
            sites.append(site.model_dump())
        return sites

    def contacts(self, lines: list[str]) -> list[Contact]:
        out: list[Contact] = []
        for i, line in enumerate(lines):
            m = _ROLE.match(line)
            if not m or i < 1:
                continue
            role = m.group(1).upper()
            contact = Contact(name=lines[i - 1], role=ContactRole(role) if role in ContactRole.__members__ else None)
            for value in lines[i + 1 : i + 3]:
                if _ROLE.match(value) or (value and not (_PHONE.match(value) or _EMAIL.match(value))):
                    break
                if _PHONE.match(value):
                    contact.phone = value
                elif _EMAIL.match(value):
                    contact.email = value
            out.append(contact)
        return out

    def attach_contacts(self, sites: list[dict[str, Any]], contacts: list[Contact], f: dict[str, Any]) -> list[str]:
        """The page lists facility contacts apart from the sites, in site order: each primary
        contact opens the next site and a backup joins the site before it. Attach them only when
        the primaries and the sites are equal in number; otherwise keep them as central contacts."""
        primaries = [c for c in contacts if c.role == ContactRole.PRIMARY]
        if contacts and len(primaries) == len(sites):
            index = -1
            for c in contacts:
                if c.role == ContactRole.PRIMARY or index < 0:
                    index += 1
                sites[index]["contacts"].append(c.model_dump())
            return ["facility contacts attached to sites in page order"]
        if contacts:
            f["central_contacts"] = [*f.get("central_contacts", []), *(c.model_dump() for c in contacts)]
            return ["facility contacts do not pair with sites; kept as trial contacts"]
        return []
