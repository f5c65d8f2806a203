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
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from remission.registry.ctgov import looks_like_study, parse_study
from remission.registry.ctgov_csv import is_sites_table, read_table
from remission.registry.errors import Problem, RecordRejected
from remission.registry.pages import parse_page
from remission.registry.parsed import Parsed, ParseOutcome, Rejected
from remission.registry.products import enrich

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json", *JSON_LINES_SUFFIXES}
PAGE_SUFFIXES = {".txt", ".html", ".htm", ".md", ".text"}
TABLE_SUFFIXES = {".csv"}
#: Caps on what one file or record may expand to. A real study's JSON is at most a few MB and
#: an API page of 1,000 studies about 60 MB; a file that inflates past these (a gzip bomb) is
#: refused while it is read, before it is held in memory.
MAX_DOCUMENT_BYTES = 100 * 2**20
MAX_RECORD_BYTES = 16 * 2**20
_CHUNK = 2**20


class TooLarge(ValueError):
    pass


def _suffixes(path: Path) -> tuple[str, bool]:
    """The meaningful suffix and whether the file is gzipped ("x.jsonl.gz" → (".jsonl", True))."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    core = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes and not gz else "")
    return core, gz


def expand(paths: list[Path]) -> Iterator[Path | Problem]:
    """Files to read: each file given, and the importable files of each directory (sorted); a
    sites table in a folder is read with the trials table beside it, not on its own."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                core, gz = _suffixes(child)
                if core in TABLE_SUFFIXES and not gz and is_sites_table(child):
                    continue
                if core in JSON_SUFFIXES | PAGE_SUFFIXES | TABLE_SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), "no such file or directory")


def _read_capped(path: Path, gz: bool, cap: int) -> bytes:
    """The file's bytes (inflated when gzipped), refusing past ``cap`` as it reads."""
    out = bytearray()
    with gzip.open(path, "rb") if gz else path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            out += chunk
            if len(out) > cap:
                raise TooLarge(f"expands past {cap // 2**20} MiB; split it (JSON lines read one record at a time)")
    return bytes(out)


def _public(outcome: ParseOutcome) -> ParseOutcome:
    """A parsed record names its file without the folder it lay in: where a file sat on the
    importing machine is nobody's business on a public page."""
    if isinstance(outcome, Parsed) and outcome.trial.sources:
        source = outcome.trial.sources[0]
        name = Path(source.location).name if "://" not in source.location else source.location
        if name != source.location:
            sources = [source.model_copy(update={"location": name}), *outcome.trial.sources[1:]]
            outcome.trial = outcome.trial.model_copy(update={"sources": sources})
    return outcome


def read_path(path: Path, *, accept_fallback: bool = False) -> Iterator[ParseOutcome]:
    """Every record of one file, parsed or rejected."""
    for outcome in _read_path(path, accept_fallback=accept_fallback):
        yield _public(outcome)


def _read_path(path: Path, *, accept_fallback: bool) -> Iterator[ParseOutcome]:
    name = str(path)
    core, gz = _suffixes(path)
    if core in JSON_LINES_SUFFIXES:
        yield from _stream_json_lines(path, name, gz)
        return
    if core in TABLE_SUFFIXES:
        for outcome in read_table(path, name, gz):
            if isinstance(outcome, Parsed):
                outcome.trial = enrich(outcome.trial)
            yield outcome
        return
    try:
        text = _read_capped(path, gz, MAX_DOCUMENT_BYTES).decode("utf-8-sig")
    except TooLarge as exc:
        yield Rejected([Problem(name, str(exc))])
        return
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Rejected([Problem(name, f"cannot read: {exc.__class__.__name__}: {exc}")])
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
    except (RecursionError, ValueError) as exc:
        yield Rejected([Problem(name, f"unreadable JSON: {_why(exc)}")])
        return
    yield from _read_document(document, name)


def _why(exc: Exception) -> str:
    """What was wrong with a JSON text, without echoing any of it."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number too long to read" if "digits" in str(exc) else exc.__class__.__name__


def _stream_json_lines(path: Path, name: str, gz: bool) -> Iterator[ParseOutcome]:
    """A JSON-lines file a line at a time: memory stays that of one record, whatever the file's
    size; a line longer than :data:`MAX_RECORD_BYTES` is one reject, skipped without holding it."""
    seen = False
    number = 0
    try:
        with gzip.open(path, "rb") if gz else path.open("rb") as f:
            while True:
                raw = f.readline(MAX_RECORD_BYTES + 1)
                if not raw:
                    break
                number += 1
                if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                    while (rest := f.readline(_CHUNK)) and not rest.endswith(b"\n"):
                        pass
                    seen = True
                    yield Rejected(
                        [Problem(name, f"one record longer than {MAX_RECORD_BYTES // 2**20} MiB", f"line {number}")]
                    )
                    continue
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                if line.strip():
                    seen = True
                    yield _json_line(line, name, number)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejected([Problem(name, f"cannot read after line {number}: {exc.__class__.__name__}: {exc}")])
        return
    except UnicodeDecodeError as exc:
        yield Rejected([Problem(name, f"not UTF-8 text (line {number}, byte {exc.start})")])
        return
    if not seen:
        yield Rejected([Problem(name, "empty file")])


def _json_line(line: str, name: str, number: int) -> ParseOutcome:
    record = f"line {number}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected([Problem(name, f"invalid JSON: {exc.msg} at column {exc.colno}", record)])
    except (RecursionError, ValueError) as exc:
        return Rejected([Problem(name, f"unreadable JSON: {_why(exc)}", record)])
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
    except RecursionError:
        return Rejected([Problem(name, "nested too deeply", record)])
    notes = [
        f"values outside the vocabulary kept as written: {field}={values}" for field, values in trial.unmapped.items()
    ]
    return Parsed(enrich(trial), name, record, notes)
