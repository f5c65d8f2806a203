"""What every aggregator-page layout shares: a line view of the page, value parsers for the
words pages use ("Not yet recruiting", "Phase 0", "Jul 1, 2025", "18-70 years"), and the
result type that says what a parser found and what it could not."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, ClassVar, Protocol

from remission.domain.diseases import find_disease_mentions
from remission.domain.trial import NCT_ID, Condition, Criterion, SourceInfo, Trial
from remission.domain.values import Age, PartialDate
from remission.domain.vocab import AgencyClass, AgeUnit, OverallStatus, Phase, Sex
from remission.registry.text import clean_line

NCT_IN_TEXT = re.compile(r"\bNCT\d{8}\b")


class PageText:
    """A page as cleaned lines, with look-ups by label."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]

    def nonblank(self) -> list[str]:
        return [line for line in self.lines if line]

    def find(self, label: str, start: int = 0, *, prefix: bool = False) -> int | None:
        """Index of the first line equal to ``label`` (case-insensitive), or starting with it."""
        want = label.lower()
        for i in range(start, len(self.lines)):
            line = self.lines[i].lower()
            if line == want or (prefix and line.startswith(want)):
                return i
        return None

    def after(self, label: str, start: int = 0) -> str | None:
        """The first non-blank line after the line ``label``."""
        i = self.find(label, start)
        if i is None:
            return None
        for line in self.lines[i + 1 :]:
            if line:
                return line
        return None

    def inline(self, label: str) -> str | None:
        """The value of a "Label: value" line."""
        rx = re.compile(rf"^{re.escape(label)}\s*:\s*(.+)$", re.IGNORECASE)
        for line in self.lines:
            m = rx.match(line)
            if m:
                return m.group(1).strip()
        return None

    def section(self, start_label: str, end_labels: list[str], *, start: int = 0) -> list[str]:
        """Lines after ``start_label`` up to the first of ``end_labels`` (blank lines kept)."""
        i = self.find(start_label, start)
        if i is None:
            return []
        ends = {e.lower() for e in end_labels}
        out: list[str] = []
        for line in self.lines[i + 1 :]:
            if line.lower() in ends:
                break
            out.append(line)
        return out


@dataclass
class PageResult:
    """What a layout parser read: the trial, the fields it could not find, and notes."""

    layout: str
    fields: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Layout(Protocol):
    name: str

    def detect(self, page: PageText) -> bool: ...

    def parse(self, page: PageText) -> PageResult: ...


# -- value parsers ------------------------------------------------------------------------------


def parse_status(text: str | None) -> OverallStatus | None:
    if not text:
        return None
    key = re.sub(r"[^A-Z]+", "_", text.upper()).strip("_")
    key = {"ACTIVE_NOT_RECRUITING": "ACTIVE_NOT_RECRUITING", "NOT_RECRUITING": "ACTIVE_NOT_RECRUITING"}.get(key, key)
    try:
        return OverallStatus(key)
    except ValueError:
        return None


_PHASE_WORDS = re.compile(
    r"(early\s*phase\s*(?:1|i)\b|early_phase1|phase\s*[_ ]?(?:[0-4]|i{1,3}|iv)\b|\bn/?a\b)", re.IGNORECASE
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def parse_phases(text: str | None) -> list[Phase]:
    """ "Phase 0", "EARLY_PHASE1", "Phase 1/Phase 2", "Phase I/II" → phases."""
    if not text:
        return []
    out: list[Phase] = []
    compact = re.sub(
        r"phase\s*(i{1,3}|iv|[0-4])\s*/\s*(i{1,3}|iv|[0-4])\b", r"phase \1 / phase \2", text, flags=re.IGNORECASE
    )
    for m in _PHASE_WORDS.finditer(compact):
        word = m.group(1).lower().replace("_", " ")
        if word.startswith("early"):
            phase = Phase.EARLY_PHASE1
        elif word.replace("/", "") == "na":
            phase = Phase.NA
        else:
            digit = re.sub(r"phase\s*", "", word).strip()
            phase = Phase(f"PHASE{_ROMAN.get(digit, digit)}")
        if phase not in out:
            out.append(phase)
    return out


def parse_sex(text: str | None) -> Sex | None:
    if not text:
        return None
    key = text.strip().upper()
    aliases = {
        "BOTH": Sex.ALL,
        "ALL": Sex.ALL,
        "FEMALE": Sex.FEMALE,
        "MALE": Sex.MALE,
        "WOMEN": Sex.FEMALE,
        "MEN": Sex.MALE,
    }
    return aliases.get(key)


def parse_bool(text: str | None) -> bool | None:
    if text is None:
        return None
    key = text.strip().lower()
    if key in {"yes", "y", "true", "t", "accepts healthy volunteers"}:
        return True
    if key in {"no", "n", "false", "f"}:
        return False
    return None


_HUMAN_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%B %Y",
    "%b %Y",
    "%Y-%m",
    "%B %d %Y",
    "%b %d %Y",
)


def parse_page_date(text: str | None) -> PartialDate | None:
    """ISO ("2025-11" stays a month), "1 February 2026", "Jul 1, 2025", "July 22, 2025"."""
    if not text:
        return None
    text = text.strip().rstrip(".")
    try:
        return PartialDate.model_validate(text)
    except ValueError:
        pass
    for fmt in _HUMAN_DATE_FORMATS:
        try:
            d = datetime.strptime(text, fmt)
        except ValueError:
            continue
        day = d.day if "%d" in fmt else None
        return PartialDate(year=d.year, month=d.month, day=day)
    return None


_AGE_RANGE = re.compile(r"^(\d+)\s*(?:-|–|to)\s*(\d+)\s*(years?|months?)?$", re.IGNORECASE)
_AGE_IN_CRITERIA = re.compile(
    r"\bage[sd]?\s*:?\s*(?:(?:≥|>=|of\s+at\s+least|at\s+least)\s*(\d+)|(\d+)\s*(?:-|–|to)\s*(\d+))\s*"
    r"(years?|months?)?",
    re.IGNORECASE,
)


def parse_age_range(text: str | None) -> tuple[Age | None, Age | None]:
    """ "18-70 years" → (18 years, 70 years); "≥ 18 years" → (18 years, None)."""
    if not text:
        return None, None
    m = _AGE_RANGE.match(text.strip())
    if m:
        unit = AgeUnit.MONTHS if (m.group(3) or "").lower().startswith("month") else AgeUnit.YEARS
        return Age(value=float(m.group(1)), unit=unit), Age(value=float(m.group(2)), unit=unit)
    return ages_from_text(text)


def ages_from_text(text: str) -> tuple[Age | None, Age | None]:
    """Age limits as a criterion writes them ("Age ≥18 years", "Aged 18 to 70 years")."""
    m = _AGE_IN_CRITERIA.search(text)
    if not m:
        return None, None
    unit = AgeUnit.MONTHS if (m.group(4) or "").lower().startswith("month") else AgeUnit.YEARS
    if m.group(1):
        return Age(value=float(m.group(1)), unit=unit), None
    return Age(value=float(m.group(2)), unit=unit), Age(value=float(m.group(3)), unit=unit)


def ages_from_criteria(inclusion: list[Criterion]) -> tuple[Age | None, Age | None]:
    for item in inclusion:
        low, high = ages_from_text(item.text)
        if low or high:
            return low, high
    return None, None


def conditions_from_text(*texts: str | None) -> list[Condition]:
    """Conditions named in prose, as written, each with its code."""
    out: list[Condition] = []
    seen: set[str] = set()
    for text in texts:
        if not text:
            continue
        for code, words in find_disease_mentions(text):
            if code.value not in seen:
                seen.add(code.value)
                out.append(Condition(text=words, code=code))
    return out


def organization_class(name: str, stated: str | None = None) -> AgencyClass | None:
    if stated:
        try:
            return AgencyClass(stated.strip().upper())
        except ValueError:
            return None
    if re.search(r"hospital", name, re.IGNORECASE):
        return AgencyClass.HOSPITAL
    return None


def local_id(title: str, sponsor: str | None) -> str:
    """A stable id for a trial no registry numbers: from its title and sponsor, normalised."""
    norm = re.sub(r"[^a-z0-9]+", " ", f"{title}|{sponsor or ''}".lower()).strip()
    return "LOCAL-" + hashlib.sha1(norm.encode()).hexdigest()[:10].upper()


def find_nct(text: str) -> str | None:
    m = NCT_IN_TEXT.search(text)
    return m.group(0) if m else None


def build_trial(result: PageResult, *, file: str) -> Trial:
    """The single-source Trial of a parsed page; its id is the NCT id or a stable local id."""
    fields = dict(result.fields)
    title = fields.get("brief_title")
    if not title:
        raise ValueError("no title")
    nct = fields.get("nct_id")
    if nct is not None and not NCT_ID.match(nct):
        raise ValueError(f"not an NCT id: {nct!r}")
    sponsor = fields.get("sponsor") or {}
    trial_id = nct or local_id(title, sponsor.get("name"))
    kind = f"page:{result.layout}"
    source = SourceInfo(
        id=f"{kind}:{trial_id}", kind=kind, location=file, record=trial_id, retrieved=fields.pop("retrieved", None)
    )
    return Trial.model_validate({**fields, "id": trial_id, "sources": [source]})


class _TextExtractor(HTMLParser):
    _BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "ul",
        "ol",
        "table",
        "dt",
        "dd",
        "header",
        "footer",
    }

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "noscript"}:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "noscript"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or bool(re.search(r"<(body|div|p)\b", head))
