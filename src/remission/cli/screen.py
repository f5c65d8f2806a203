"""``remission screen``: one patient (or a JSON-lines batch) against the trials.

Exit codes: 0 whatever the verdicts; 2 for an invalid profile (the error names the field, never
a value) or, in a batch, when any line was rejected; 1 for other problems (unknown trial id,
unreadable file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.table import Table

from remission.cli.output import JsonOpt, out
from remission.cli.output import fail as _fail
from remission.cli.output import print_json as _print_json

if TYPE_CHECKING:
    from remission.criteria.protocol import Protocol, TrialResult
    from remission.services.screening import Screening

_COLOURS = {"eligible": "green", "unknown": "yellow", "ineligible": "red"}


def _refused(message: str, as_json: bool) -> NoReturn:
    if as_json:
        _print_json({"error": message})
        raise typer.Exit(2)
    raise _fail(message, 2)


def _read(path: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{path}: {exc.strerror or exc}", 1) from None


def _screening(trial_ids: list[str], filters: dict[str, Any]) -> tuple[Screening, list[tuple[str, Protocol]]]:
    from remission.cli import _registry  # noqa: PLC0415
    from remission.services.screening import Screening, bundled_protocol  # noqa: PLC0415
    from remission.services.trials import DatabaseNotReady, TrialNotFound, make_filters  # noqa: PLC0415

    try:
        if trial_ids and all(bundled_protocol(t) is not None for t in trial_ids):
            screening = Screening(None)  # every trial asked for has a protocol file: no database needed
        else:
            registry = _registry()
            registry.check_ready()
            screening = Screening(registry)
        return screening, screening.protocols(trial_ids, make_filters(**filters) if not trial_ids else None)
    except TrialNotFound as exc:
        raise _fail(str(exc), 1) from None
    except DatabaseNotReady as exc:
        raise _fail(str(exc), 3) from None
    except ValueError as exc:
        raise _fail(str(exc), 1) from None


def screen_command(
    patient: Annotated[
        str | None, typer.Argument(help="A patient profile (JSON, the contract's schema), or - for standard input.")
    ] = None,
    trial: Annotated[
        list[str] | None,
        typer.Option("--trial", help="Screen against this trial only (repeatable); default every trial."),
    ] = None,
    batch: Annotated[
        str | None, typer.Option("--batch", help="A JSON-lines file of profiles, one per line (- for standard input).")
    ] = None,
    items: Annotated[
        str | None,
        typer.Option(
            "--items",
            help='Raw items by instrument (JSON: {"sledai_2k": {...}}), scored into the totals the profile lacks.',
        ),
    ] = None,
    next_facts: Annotated[
        bool, typer.Option("--what-next", help="Print the missing facts that would decide the most trials.")
    ] = False,
    disease: Annotated[
        list[str] | None, typer.Option(help="Only trials for these diseases (SLE, SSC, AAV ...).")
    ] = None,
    status: Annotated[list[str] | None, typer.Option(help="Only trials with this status (RECRUITING ...).")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only trials with a site in this country.")] = None,
    city: Annotated[list[str] | None, typer.Option(help="Only trials with a site in this city.")] = None,
    cell_type: Annotated[list[str] | None, typer.Option("--cell-type", help="CAR-T, CAR-NK ...")] = None,
    target: Annotated[list[str] | None, typer.Option(help="CD19, BCMA ...")] = None,
    phase: Annotated[list[str] | None, typer.Option(help="EARLY_PHASE1, PHASE1 ...")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen a patient against every trial (or --trial ID ...): each criterion met / not met /
    unknown / review with its reason; trials ranked eligible, unknown (fewest missing), ineligible.
    With --json: a JSON list, one object per trial. Exit 0 whatever the verdicts, 2 on an invalid profile."""
    from remission.services.screening import ProfileError, read_profile  # noqa: PLC0415

    if (patient is None) == (batch is None):
        raise _fail("give one patient profile (PATIENT.json) or --batch PATIENTS.jsonl", 1)
    filters = {
        "diseases": disease or [],
        "statuses": status or [],
        "countries": country or [],
        "cities": city or [],
        "cell_types": cell_type or [],
        "targets": target or [],
        "phases": phase or [],
    }
    if batch is not None:
        if items is not None:
            raise _fail('--items is for one patient; in a batch each line is {"profile": ..., "items": ...}', 1)
        _batch(batch, trial or [], filters, as_json)
        return
    assert patient is not None
    try:
        raw_items = _read(items) if items is not None else None
        profile = read_profile(_read(patient), source=patient, items=raw_items, items_source=items or "items")
    except ProfileError as exc:
        _refused(str(exc), as_json)
    screening, protocols = _screening(trial or [], filters)
    screened = screening.screen_with(profile, protocols)
    if next_facts:
        facts = screened.next_facts()
        if as_json:
            _print_json([f.as_dict() for f in facts])
        else:
            _print_next(facts)
        return
    if as_json:
        _print_json([r.as_dict() for r in screened.results])
        return
    _print_results(screened.results, detail=len(screened.results) <= 5)
    _print_next(screened.next_facts(5))


def _batch(path: str, trial_ids: list[str], filters: dict[str, Any], as_json: bool) -> None:
    from remission.services.screening import read_profiles  # noqa: PLC0415

    lines = _read(path).splitlines()
    screening, protocols = _screening(trial_ids, filters)
    rejected = 0
    for item in read_profiles(lines, source=path):
        if item.profile is None:
            rejected += 1
            row: dict[str, Any] = {"line": item.line, "error": str(item.error)}
        else:
            results = screening.screen_with(item.profile, protocols).results
            row = {"line": item.line, "patient": item.profile.id, "trials": [r.as_dict() for r in results]}
        if as_json:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif "error" in row:
            out.print(f"[red]line {row['line']}[/]: {row['error']}", highlight=False)
        else:
            counts = {v: sum(1 for t in row["trials"] if t["verdict"] == v) for v in _COLOURS}
            out.print(
                f"line {row['line']} {row['patient']}: " + ", ".join(f"{n} {v}" for v, n in counts.items()),
                highlight=False,
            )
    if rejected:
        raise _fail(f"{rejected} profile(s) rejected in {path}", 2)


def _why(r: TrialResult) -> str:
    if r.verdict == "ineligible":
        return "; ".join(f"{c.id}: {c.reason}" for c in r.failures)
    if r.verdict == "unknown":
        return "missing: " + ", ".join(r.missing)
    reviews = sum(1 for c in r.criteria if c.result == "review")
    return f"{reviews} item(s) for the investigator" if reviews else ""


def _print_results(results: list[TrialResult], *, detail: bool) -> None:
    table = Table(title=f"{len(results)} trials screened")
    for name in ("trial", "verdict", "cohort", "why"):
        table.add_column(name, overflow="fold")
    for r in results:
        colour = _COLOURS[r.verdict]
        table.add_row(r.trial, f"[{colour}]{r.verdict}[/]", r.cohort or "", _why(r))
    out.print(table)
    if not detail:
        return
    for r in results:
        crit = Table(title=f"{r.trial}: {r.title or ''}", show_lines=False)
        for name in ("id", "kind", "result", "reason", "criterion"):
            crit.add_column(name, overflow="fold")
        for c in r.criteria:
            shown = {"met": "green", "not_met": "red", "unknown": "yellow", "review": "blue"}[c.result]
            crit.add_row(c.id, c.kind, f"[{shown}]{c.result}[/]", c.reason, c.text[:160])
        out.print(crit)


def _print_next(facts: list[Any]) -> None:
    if not facts:
        return
    out.print("[bold]What to check next[/] (the missing facts that would decide the most trials):")
    for f in facts:
        alone = f" (alone decides {len(f.decides_alone)})" if f.decides_alone else ""
        out.print(f"  {f.fact}: {len(f.trials)} trial(s){alone}", highlight=False)
