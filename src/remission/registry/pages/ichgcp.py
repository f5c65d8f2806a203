"""A registry-mirror article page (seed 002, NCT07049081): a breadcrumb naming the NCT id, a
headline, and prose written about the trial, with the outcome lists as bullets. Facts are read
from the prose: the conditions list, the enrolment, the design words, the outcomes, and the
eligibility and exclusion sentences."""

from __future__ import annotations

import re
from typing import Any

from remission.domain.diseases import find_diseases
from remission.registry.pages.base import NCT_IN_TEXT, PageResult, PageText, conditions_from_text
from remission.registry.text import sentences

_APPROX = re.compile(
    r"(?:approximately|about|around|up to)\s+(\d+)\s+(adult\s+|pediatric\s+)?(?:participants|patients|"
    r"subjects)",
    re.IGNORECASE,
)
_CONDITIONS = re.compile(r"conditions?:\s*(.+?)\.(?:\s|$)", re.IGNORECASE)
_EXCLUSIONS = re.compile(r"exclusion criteria include\s+(.+?)\.(?:\s|$)", re.IGNORECASE)
_REQUIRES = re.compile(r"eligibility requires|must (?:have|show|be)|\bneed\b|\brequires?\b", re.IGNORECASE)
_OVER = re.compile(r"over\s+(\d+\s+(?:weeks|months|years))", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"follow-up[^.]*?(?:for\s+)?(\w+)[\s-]+years?", re.IGNORECASE)


class IchgcpLayout:
    name = "ichgcp"

    def detect(self, page: PageText) -> bool:
        head = page.nonblank()[:4]
        return any(line.lstrip("- ").startswith("ICH GCP") for line in head) and any(
            NCT_IN_TEXT.search(line) for line in head
        )

    def parse(self, page: PageText) -> PageResult:
        f: dict[str, Any] = {}
        lines = page.nonblank()
        crumbs = [line for line in lines if line.startswith("- ")]
        nct = next((m.group(0) for line in crumbs[:4] if (m := NCT_IN_TEXT.search(line))), None)
        f["nct_id"] = nct
        body = [line for line in lines if not (line.startswith("- ") and lines.index(line) < 4)]
        f["brief_title"] = body[0]
        prose = [line for line in body[1:] if not line.startswith("- ") and not line.endswith(":")]
        f["brief_summary"] = prose[0] if prose else None
        f["detailed_description"] = "\n".join(prose) or None
        text = "\n".join(body[1:])
        conditions = _CONDITIONS.search(text)
        f["conditions"] = conditions_from_text(conditions.group(1) if conditions else text)
        m = _APPROX.search(text)
        if m:
            f["enrollment"] = {"count": int(m.group(1)), "type": "ESTIMATED"}
            if m.group(2) and m.group(2).strip().lower() == "adult":
                # "adult participants" in prose means 18 and over, not ClinicalTrials.gov's 18-64 group.
                f.setdefault("eligibility", {})["std_ages"] = ["ADULT", "OLDER_ADULT"]
        design: dict[str, Any] = {}
        if re.search(r"open[\s-]label", text, re.IGNORECASE):
            design["open_label"] = True
            design["masking"] = "NONE"
        if re.search(r"single[\s-]arm", text, re.IGNORECASE):
            design["single_arm"] = True
            design["intervention_model"] = "SINGLE_GROUP"
        f["design"] = design or None
        f["primary_outcomes"], f["secondary_outcomes"] = self.outcomes(body)
        inclusion, exclusion = self.eligibility(prose)
        if inclusion or exclusion:
            f.setdefault("eligibility", {}).update(inclusion=inclusion, exclusion=exclusion)
        missing = [k for k in ("nct_id", "conditions", "enrollment", "eligibility") if not f.get(k)]
        missing += ["overall_status", "phases", "sponsor", "sites"]  # the article does not state them
        return PageResult(
            self.name,
            {k: v for k, v in f.items() if v not in (None, [], {})},
            missing,
            ["eligibility read from the article's prose, not from a criteria list"],
        )

    def outcomes(self, body: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        primary: list[dict[str, Any]] = []
        secondary: list[dict[str, Any]] = []
        target: list[dict[str, Any]] | None = None
        time_frame: str | None = None
        for line in body:
            if line.endswith(":"):
                low = line.lower()
                target = (
                    secondary if "secondary" in low else primary if ("primar" in low or "evaluate" in low) else None
                )
                over = _OVER.search(line)
                time_frame = over.group(1) if over else None
            elif line.startswith("- ") and target is not None:
                target.append({"measure": line[2:].strip(), "time_frame": time_frame})
            else:
                target = None
        return primary, secondary

    def eligibility(self, prose: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        inclusion: list[dict[str, Any]] = []
        exclusion: list[dict[str, Any]] = []
        for sentence in sentences(" ".join(prose)):
            m = _EXCLUSIONS.search(sentence + " ")
            if m:
                items = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=prior|pregnan)", m.group(1))
                exclusion.extend({"text": item.strip()} for item in items if item.strip())
                continue
            codes = find_diseases(sentence, abbreviations=True)
            if codes and _REQUIRES.search(sentence):
                # One sentence may speak for two cohorts ("Those with TAK or IgG4-RD must ...").
                inclusion.extend({"text": sentence, "cohort": code} for code in codes)
        return inclusion, exclusion
