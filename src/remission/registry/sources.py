"""Read import inputs: ClinicalTrials.gov v2 JSON in every shape the API and its exports give
(one study, a list, a ``{"studies": [...]}`` page, JSON lines, gzip of any of these) and
aggregator pages (text or HTML), from files or directories.

Reading yields one :class:`Parsed` or :class:`Rejected` per record, lazily, so a file of
thousands of records is never held as trials all at once and one bad record never stops the
rest.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remission.domain.trial import Trial
from remission.registry.ctgov import looks_like_study, parse_study
from remission.registry.errors import Problem, RecordRejected
from remission.registry.pages import parse_page
from remission.registry.products import enrich

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json", *JSON_LINES_SUFFIXES}
PAGE_SUFFIXES = {".txt", ".html", ".htm", ".md", ".text"}


@dataclass
class Parsed:
    trial: Trial
    file: str
    record: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Rejected:
    problems: list[Problem]


ParseOutcome = Parsed | Rejected


def _suffixes(path: Path) -> tuple[str, bool]:
    """The meaningful suffix and whether the file is gzipped ("x.jsonl.gz" → (".jsonl", True))."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    core = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes and not gz else "")
    return core, gz


def expand(paths: list[Path]) -> Iterator[Path | Problem]:
    """Files to read: each file given, and the importable files of each directory (sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                core, _ = _suffixes(child)
                if core in JSON_SUFFIXES | PAGE_SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), "no such file or directory")


def read_path(path: Path, *, accept_fallback: bool = False) -> Iterator[ParseOutcome]:
    """Every record of one file, parsed or rejected."""
    name = str(path)
    core, gz = _suffixes(path)
    if core in JSON_LINES_SUFFIXES:
        yield from _stream_json_lines(path, name, gz)
        return
    try:
        raw = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Rejected([Problem(name, f"cannot read: {exc}")])
        return
    except UnicodeDecodeError as exc:
        yield Rejected([Problem(name, f"not UTF-8 text (byte {exc.start})")])
        return
    if not text.strip():
        yield Rejected([Problem(name, "empty file")])
        return
    stripped = text.lstrip()
    if core in JSON_SUFFIXES or (core not in PAGE_SUFFIXES and stripped[:1] in "{["):
        yield from read_json_text(text, name)
    else:
        try:
            trial, result = parse_page(text, file=name, accept_fallback=accept_fallback)
        except RecordRejected as exc:
            yield Rejected(exc.problems)
            return
        notes = [*result.notes]
        if result.missing:
            notes.append(f"not on the page: {', '.join(result.missing)}")
        yield Parsed(enrich(trial), name, trial.id, notes)


def read_json_text(text: str, name: str) -> Iterator[ParseOutcome]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) > 1 and lines[0][1].lstrip().startswith("{"):
            yield from _read_json_lines(lines, name)
            return
        yield Rejected([Problem(name, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")])
        return
    yield from _read_document(document, name)


def _stream_json_lines(path: Path, name: str, gz: bool) -> Iterator[ParseOutcome]:
    """A JSON-lines file a line at a time: memory stays that of one record, whatever the file's size."""
    seen = False
    number = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8-sig") if gz else path.open(encoding="utf-8-sig") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    seen = True
                    yield _json_line(line, name, number)
    except (OSError, EOFError) as exc:
        yield Rejected([Problem(name, f"cannot read after line {number}: {exc}")])
        return
    except UnicodeDecodeError as exc:
        yield Rejected([Problem(name, f"not UTF-8 text (line {number + 1}, byte {exc.start})")])
        return
    if not seen:
        yield Rejected([Problem(name, "empty file")])


def _json_line(line: str, name: str, number: int) -> ParseOutcome:
    record = f"line {number}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected([Problem(name, f"invalid JSON: {exc.msg} at column {exc.colno}", record)])
    return _study(obj, name, record)


def _read_json_lines(lines: list[tuple[int, str]], name: str) -> Iterator[ParseOutcome]:
    for number, line in lines:
        yield _json_line(line, name, number)


def _read_document(document: Any, name: str) -> Iterator[ParseOutcome]:
    if isinstance(document, dict) and isinstance(document.get("studies"), list):
        items: list[Any] = document["studies"]
    elif isinstance(document, list):
        items = document
    else:
        items = [document]
    if not items:
        yield Rejected([Problem(name, "no studies in the file")])
    for index, obj in enumerate(items, 1):
        yield _study(obj, name, f"item {index}" if len(items) > 1 else "1")


def _study(obj: Any, name: str, record: str) -> ParseOutcome:
    if not looks_like_study(obj):
        what = "object without protocolSection" if isinstance(obj, dict) else type(obj).__name__
        return Rejected([Problem(name, f"not a ClinicalTrials.gov API v2 study ({what})", record, "protocolSection")])
    try:
        trial = parse_study(obj, file=name, record=record)
    except RecordRejected as exc:
        return Rejected(exc.problems)
    notes = [
        f"values outside the vocabulary kept as written: {field}={values}" for field, values in trial.unmapped.items()
    ]
    return Parsed(enrich(trial), name, record, notes)
