"""ClinicalTrials.gov tables (CSV) → :class:`~remission.domain.trial.Trial`.

Two layouts of one study per row are read, told apart by their header:

* **API field names** (``NCTId``, ``BriefTitle``, ``OverallStatus``, ``Phase`` ...), as the
  bundled domain table ``data/domain/trials.csv`` and tools built on the API v2 write them;
  lists are joined with ``|``. A sites table beside it (``NCTId, Facility, City, State, Zip,
  Country, SiteStatus, Latitude, Longitude``, one row per site) adds each trial's sites.
* **The website's "Download" CSV** (``NCT Number``, ``Study Title``, ``Study URL``, ``Study
  Status`` ..., the column titles of clinicaltrials.gov's search results export), where
  interventions read ``"BIOLOGICAL: name"``, ages ``"18 Years to 70 Years (ADULT, OLDER_ADULT)"``
  or only the age groups, and locations ``"Facility, City, State, Zip, Country"``.

Both are registry data: the record is a registry source (it wins conflicts with aggregator
pages), current as of its last-update date. A row that cannot become a trial is one reject
naming the row and the column; the rows after it go on.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from remission.domain.diseases import classify_condition
from remission.domain.trial import (
    NCT_ID,
    Condition,
    Eligibility,
    Enrollment,
    GeoPoint,
    Intervention,
    Organization,
    Outcome,
    SecondaryId,
    Site,
    SourceInfo,
    Trial,
)
from remission.domain.vocab import (
    AgencyClass,
    EnrollmentType,
    InterventionType,
    OverallStatus,
    Phase,
    Sex,
    StdAge,
    StudyType,
)
from remission.registry.errors import Problem, RecordRejected
from remission.registry.parsed import Parsed, Rejected
from remission.registry.vocab_reader import VocabReader

KIND = "ctgov-csv"
#: A cell longer than this is not a registry field (the longest, a detailed description, is
#: capped at 32,000 characters by ClinicalTrials.gov); csv refuses it and the row is rejected.
MAX_CELL = 64_000

# canonical key -> (API field name(s), website column title)
_COLUMNS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "nct": (("NCTId",), "NCT Number"),
    "title": (("BriefTitle",), "Study Title"),
    "official_title": (("OfficialTitle",), None),
    "acronym": (("Acronym",), "Acronym"),
    "status": (("OverallStatus",), "Study Status"),
    "why_stopped": (("WhyStopped",), None),
    "summary": (("BriefSummary",), "Brief Summary"),
    "conditions": (("Conditions", "Condition"), "Conditions"),
    "keywords": (("Keywords", "Keyword"), None),
    "interventions": (("Interventions", "InterventionName"), "Interventions"),
    "primary_outcomes": (("PrimaryEndpoints", "PrimaryOutcomeMeasure"), "Primary Outcome Measures"),
    "secondary_outcomes": (("SecondaryOutcomeMeasure",), "Secondary Outcome Measures"),
    "sponsor": (("LeadSponsor", "LeadSponsorName"), "Sponsor"),
    "sponsor_class": (("LeadSponsorClass",), "Funder Type"),
    "collaborators": (("Collaborators", "CollaboratorName"), "Collaborators"),
    "sex": (("Sex",), "Sex"),
    "age": ((), "Age"),
    "min_age": (("MinAge", "MinimumAge"), None),
    "max_age": (("MaxAge", "MaximumAge"), None),
    "std_ages": (("StdAges", "StdAge"), None),
    "phases": (("Phase", "Phases"), "Phases"),
    "enrollment": (("EnrollmentCount",), "Enrollment"),
    "enrollment_type": (("EnrollmentType",), None),
    "study_type": (("StudyType",), "Study Type"),
    "other_ids": (("OrgStudyId",), "Other IDs"),
    "start": (("StartDate",), "Start Date"),
    "primary_completion": (("PrimaryCompletionDate",), "Primary Completion Date"),
    "completion": (("CompletionDate",), "Completion Date"),
    "first_posted": (("StudyFirstPostDate",), "First Posted"),
    "last_update": (("LastUpdatePostDate",), "Last Update Posted"),
    "countries": (("Countries", "LocationCountry"), None),
    "locations": ((), "Locations"),
}
_SITE_COLUMNS = {"NCTId", "Facility", "City", "Country", "Latitude", "Longitude"}


def layout(header: list[str]) -> str | None:
    """``"api"``, ``"website"``, ``"sites"`` or None for a table Remission does not read."""
    names = {h.strip() for h in header}
    if names >= _SITE_COLUMNS and "BriefSummary" not in names:
        return "sites"
    if {"NCTId", "BriefTitle"} <= names:
        return "api"
    if {"NCT Number", "Study Title"} <= names:
        return "website"
    return None


def _open(path: Path, gz: bool) -> IO[str]:
    if gz:
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def header_of(path: Path, gz: bool) -> list[str]:
    with _open(path, gz) as f:
        return next(csv.reader(f), [])


def is_sites_table(path: Path) -> bool:
    """True for a (plain) CSV file with the sites layout; False for anything unreadable."""
    try:
        return layout(header_of(path, gz=False)) == "sites"
    except (OSError, UnicodeDecodeError, csv.Error):
        return False


def _sibling_sites(path: Path) -> Path | None:
    """The sites table beside a trials table (any CSV in its folder with the sites layout)."""
    return next((other for other in sorted(path.parent.glob("*.csv")) if other != path and is_sites_table(other)), None)


def read_sites(path: Path, gz: bool = False) -> dict[str, list[Site]]:
    """Sites by NCT id; rows that cannot be read are skipped (a site is not a record)."""
    out: dict[str, list[Site]] = {}
    with _open(path, gz) as f:
        for row in csv.DictReader(f):
            nct = (row.get("NCTId") or "").strip()
            if not NCT_ID.match(nct):
                continue
            reader = VocabReader()
            try:
                geo = None
                lat, lon = (row.get("Latitude") or "").strip(), (row.get("Longitude") or "").strip()
                if lat and lon:
                    geo = GeoPoint(lat=float(lat), lon=float(lon))
                site = Site(
                    facility=_cell(row, "Facility"),
                    city=_cell(row, "City"),
                    state=_cell(row, "State"),
                    zip=_cell(row, "Zip"),
                    country=_cell(row, "Country"),
                    status=reader.enum(OverallStatus, _token(_cell(row, "SiteStatus")), "sites.status"),
                    geo=geo,
                )
            except (ValueError, ValidationError):
                continue
            out.setdefault(nct, []).append(site)
    return out


def _cell(row: Mapping[str, str | None], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _token(value: str | None) -> str | None:
    """``"Active, not recruiting"`` → ``ACTIVE_NOT_RECRUITING``: both layouts' enum spellings."""
    if not value:
        return None
    return re.sub(r"[^A-Z0-9]+", "_", value.upper()).strip("_")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


_PHASE_ALIASES = {"EARLY_PHASE_1": Phase.EARLY_PHASE1, "NOT_APPLICABLE": Phase.NA, "N_A": Phase.NA}
_AGE_RANGE = re.compile(
    r"^\s*(?:(?P<low>\d+(?:\.\d+)?\s*[A-Za-z]+)\s*(?:to|-)\s*(?P<high>\d+(?:\.\d+)?\s*[A-Za-z]+)"
    r"|(?P<only_low>\d+(?:\.\d+)?\s*[A-Za-z]+)\s+and\s+older"
    r"|up\s+to\s+(?P<only_high>\d+(?:\.\d+)?\s*[A-Za-z]+))?\s*(?:\((?P<groups>[^)]*)\))?\s*(?P<bare>[A-Z_, ]*)$",
    re.IGNORECASE,
)


def read_table(path: Path, name: str, gz: bool) -> Iterator[Parsed | Rejected]:
    """Every row of a trials table, parsed or rejected."""
    try:
        kind = layout(header_of(path, gz))
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        yield Rejected([Problem(name, f"cannot read the table: {exc.__class__.__name__}")])
        return
    if kind is None:
        wanted = "NCTId and BriefTitle, or 'NCT Number' and 'Study Title'"
        yield Rejected([Problem(name, f"not a ClinicalTrials.gov table: no {wanted} columns")])
        return
    if kind == "sites":
        yield Rejected([Problem(name, "a sites table: import the folder that holds it with its trials table")])
        return
    sites_path = _sibling_sites(path) if kind == "api" else None
    sites = read_sites(sites_path) if sites_path else {}
    number = 1
    try:
        with _open(path, gz) as f:
            for number, row in enumerate(csv.DictReader(f), 2):
                record = f"row {number}"
                try:
                    trial = _row_trial(_canonical(row, kind), kind, sites, file=path.name, record=record)
                except RecordRejected as exc:
                    yield Rejected([Problem(name, p.reason, p.record, p.field) for p in exc.problems])
                    continue
                yield Parsed(trial, name, record)
    except csv.Error as exc:
        yield Rejected([Problem(name, f"malformed CSV after row {number}: {exc}; the rest of the file was not read")])
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        yield Rejected([Problem(name, f"cannot read after row {number}: {exc.__class__.__name__}")])


def _canonical(row: Mapping[str, str | None], kind: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, (api, website) in _COLUMNS.items():
        names = api if kind == "api" else ((website,) if website else ())
        out[key] = next((_cell(row, n) for n in names if _cell(row, n) is not None), None)
    return out


def _column(key: str, kind: str) -> str:
    """The column a canonical key is read from in this layout, to name it in a reject."""
    api, website = _COLUMNS[key]
    return (api[0] if kind == "api" else website) or key


def _row_trial(
    c: dict[str, str | None], kind: str, sites: Mapping[str, list[Site]], *, file: str, record: str
) -> Trial:
    nct = (c["nct"] or "").upper()
    if not NCT_ID.match(nct):
        reason = "no NCT id" if not nct else "not an NCT id (NCT and 8 digits)"
        raise RecordRejected([Problem(file, reason, record, _column("nct", kind))])
    if not c["title"]:
        raise RecordRejected([Problem(file, "no title", nct, _column("title", kind))])
    v = VocabReader()
    try:
        return _build(c, nct, v, sites.get(nct, []), file=file)
    except ValidationError as exc:
        problems = [Problem(file, err["msg"], nct, ".".join(str(p) for p in err["loc"])) for err in exc.errors()]
        raise RecordRejected(problems) from None
    except ValueError as exc:
        raise RecordRejected([Problem(file, str(exc), nct)]) from None


def _build(c: dict[str, str | None], nct: str, v: VocabReader, sites: list[Site], *, file: str) -> Trial:
    low, high, groups = c["min_age"], c["max_age"], _split((c["std_ages"] or "").replace(",", "|"))
    if c["age"]:
        low, high, groups = _website_age(c["age"], v)
    enrollment = None
    if c["enrollment"]:
        try:
            count = int(float(c["enrollment"]))
        except ValueError:
            v.keep("enrollment.count", c["enrollment"][:40])
        else:
            enrollment = Enrollment(
                count=count, type=v.enum(EnrollmentType, _token(c["enrollment_type"]), "enrollment.type")
            )
    interventions = []
    for item in _split(c["interventions"]):
        kind, _, name = item.partition(":") if re.match(r"^[A-Z_ ]+:\s", item) else ("", "", item)
        interventions.append(
            Intervention(name=name.strip(), type=v.enum(InterventionType, _token(kind), "interventions.type"))
        )
    other_ids = _split(c["other_ids"])
    if not sites and c["locations"]:
        sites = [_website_site(loc) for loc in _split(c["locations"])]
    countries = _split(c["countries"]) or list(dict.fromkeys(s.country for s in sites if s.country))
    last_update = v.date_text(c["last_update"], "last_update")
    source = SourceInfo(
        id=f"{KIND}:{nct}",
        kind=KIND,
        location=file,
        record=nct,
        retrieved=last_update.value if last_update else None,
        registry=True,
    )
    return Trial(
        id=nct,
        nct_id=nct,
        org_study_id=other_ids[0] if other_ids else None,
        secondary_ids=[SecondaryId(id=i, type="org_study_id" if n == 0 else None) for n, i in enumerate(other_ids)],
        brief_title=c["title"] or nct,
        official_title=c["official_title"],
        acronym=c["acronym"],
        sponsor=Organization(
            name=c["sponsor"], agency_class=v.enum(AgencyClass, _token(c["sponsor_class"]), "sponsor.class")
        )
        if c["sponsor"]
        else None,
        collaborators=[Organization(name=n) for n in _split(c["collaborators"])],
        overall_status=v.enum(OverallStatus, _token(c["status"]), "overall_status"),
        why_stopped=c["why_stopped"],
        start_date=v.date_text(c["start"], "start_date"),
        primary_completion_date=v.date_text(c["primary_completion"], "primary_completion_date"),
        completion_date=v.date_text(c["completion"], "completion_date"),
        first_posted=v.date_text(c["first_posted"], "first_posted"),
        last_update=last_update,
        phases=[p for p in (v.enum(Phase, _token(x), "phases", _PHASE_ALIASES) for x in _split(c["phases"])) if p],
        study_type=v.enum(StudyType, _token(c["study_type"]), "study_type"),
        enrollment=enrollment,
        interventions=interventions,
        conditions=[Condition(text=t, code=classify_condition(t)) for t in _split(c["conditions"])],
        keywords=_split(c["keywords"]),
        eligibility=Eligibility(
            minimum_age=v.age(low, "eligibility.minimum_age"),
            maximum_age=v.age(high, "eligibility.maximum_age"),
            sex=v.enum(Sex, _token(c["sex"]), "eligibility.sex"),
            std_ages=v.enums(StdAge, [t for t in (_token(g) for g in groups) if t], "eligibility.std_ages"),
        ),
        primary_outcomes=[Outcome(measure=m) for m in _split(c["primary_outcomes"])],
        secondary_outcomes=[Outcome(measure=m) for m in _split(c["secondary_outcomes"])],
        sites=sites,
        countries=countries,
        brief_summary=c["summary"],
        sources=[source],
        unmapped=v.unmapped,
    )


def _website_age(text: str, v: VocabReader) -> tuple[str | None, str | None, list[str]]:
    """``"18 Years to 70 Years (ADULT, OLDER_ADULT)"``, ``"18 Years and older (Adult)"`` or
    ``"ADULT, OLDER_ADULT"`` → minimum, maximum, age groups."""
    m = _AGE_RANGE.match(text)
    if not m:
        v.keep("eligibility.age", text[:80])
        return None, None, []
    groups = (m.group("groups") or m.group("bare") or "").split(",")
    return (
        m.group("low") or m.group("only_low"),
        m.group("high") or m.group("only_high"),
        [g.strip() for g in groups if g.strip()],
    )


def _website_site(text: str) -> Site:
    """``"Facility, City, State, Zip, Country"``: the country is last, a part with a digit before it
    the postcode, the first part the facility and the second the city; a state when five are left."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = parts.pop() if len(parts) > 1 else None
    zip_code = parts.pop() if len(parts) > 2 and any(ch.isdigit() for ch in parts[-1]) else None
    facility = parts[0] if parts else None
    city = parts[1] if len(parts) > 1 else None
    state = parts[2] if len(parts) > 2 else None
    if len(parts) > 3:  # a facility name with commas in it
        facility, city, state = ", ".join(parts[:-2]), parts[-2], parts[-1]
    return Site(facility=facility, city=city, state=state, zip=zip_code, country=country)
