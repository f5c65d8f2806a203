"""The ``remission`` command line (Typer + Rich). A thin face: parse, call a service, render.

Every command takes ``--json`` and then prints JSON only on standard output; errors go to
standard error as one clear line and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.markup import escape
from rich.table import Table

from remission.cli.dose import dose_app
from remission.cli.mail import alerts_app, outbox_app
from remission.cli.output import JsonOpt, err, out
from remission.cli.output import fail as _fail
from remission.cli.output import print_json as _print_json
from remission.cli.screen import screen_command

if TYPE_CHECKING:
    from remission.domain.trial import Trial, TrialSummary
    from remission.services.trials import Registry

# The modules each command needs are imported in the command: every command would otherwise pay
# for all of them at start-up (the registry, the instrument catalogue and settings take about a
# quarter of a second, which a `dose` command has no use for).

app = typer.Typer(
    help="Remission: CAR cell-therapy trials in autoimmune disease.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
trials_app = typer.Typer(help="The trial registry.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(trials_app, name="trials")
app.add_typer(dose_app, name="dose")
app.add_typer(alerts_app, name="alerts")
app.add_typer(outbox_app, name="outbox")
app.command("screen")(screen_command)


def _registry() -> Registry:
    # Imported on first use, as below: SQLAlchemy and the registry take about half a second to
    # import, which every `dose` and `score` command would otherwise pay.
    from remission.services.trials import Registry  # noqa: PLC0415
    from remission.settings import get_settings  # noqa: PLC0415

    return Registry.from_url(get_settings().url())


@contextmanager
def _errors() -> Iterator[None]:
    from remission.services.trials import DatabaseNotReady, TrialNotFound  # noqa: PLC0415

    try:
        yield
    except TrialNotFound as exc:
        raise _fail(str(exc), 2) from None
    except DatabaseNotReady as exc:
        raise _fail(str(exc), 3) from None
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    except Exception as exc:
        raise _fail(f"{exc.__class__.__name__}: {str(exc)[:300]}", 1) from None


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOpt = False) -> None:
    """Create the database named by REMISSION_DATABASE_URL / REMISSION_DB, or migrate it to the latest schema."""
    with _errors():
        registry = _registry()
        revision = registry.upgrade()
    url = registry.engine.url.render_as_string(hide_password=True)
    if as_json:
        _print_json({"database": url, "revision": revision})
    else:
        out.print(f"database {url} at revision {revision}")


@trials_app.command("import")
def trials_import(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories: v2 JSON, JSON lines, pages.")
    ] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Import the trials shipped with Remission.")] = False,
    accept_fallback: Annotated[
        bool,
        typer.Option("--accept-fallback", help="Import pages of unknown layout with what the generic reader finds."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import trial records; importing the same input again changes nothing. Exits 1 when any record is rejected."""
    from remission.services.trials import bundled_paths  # noqa: PLC0415

    targets = [*(paths or []), *(bundled_paths() if bundled else [])]
    if not targets:
        raise _fail("give PATH... or --bundled", 2)
    with _errors():
        registry = _registry()
        registry.check_ready()
        if out.is_terminal and not as_json:
            from rich.progress import (  # noqa: PLC0415
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            with Progress(
                TextColumn("importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("", total=None)
                report = registry.import_paths(
                    targets,
                    accept_fallback=accept_fallback,
                    progress=lambda f: bar.update(task, advance=1, description=Path(f).name),
                )
        else:
            report = registry.import_paths(targets, accept_fallback=accept_fallback)
    if as_json:
        _print_json(report.as_dict())
    else:
        out.print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.stale} older than stored, {len(report.rejected)} rejected"
        )
        for problem in report.rejected:
            err.print(f"[red]rejected[/] {escape(str(problem))}", highlight=False, markup=True)
    if report.rejected:
        raise typer.Exit(1)


def _summary_table(items: list[TrialSummary], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for name in ("id", "title", "status", "phase", "diseases", "product", "where"):
        table.add_column(name, overflow="fold")
    for s in items:
        table.add_row(
            s.id,
            s.brief_title[:90],
            s.overall_status.value if s.overall_status else "",
            ", ".join(p.value for p in s.phases),
            ", ".join(d.value for d in s.diseases),
            ", ".join(filter(None, [*s.products, *(c.value for c in s.cell_types), *s.targets])),
            ", ".join(s.cities[:3] or s.countries[:3]),
        )
    return table


@trials_app.command("list")
def trials_list(
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100_000,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Every trial in the registry, by id."""
    with _errors():
        registry = _registry()
        registry.check_ready()
        from remission.services.trials import Filters  # noqa: PLC0415

        result = registry.search(None, Filters(), limit=limit, offset=offset)
    if as_json:
        _print_json([s.model_dump(mode="json") for s in result.items])
    else:
        out.print(_summary_table(result.items, f"{result.total} trials"))


@trials_app.command("show")
def trials_show(
    trial_id: Annotated[str, typer.Argument(help="NCT id, local id, sponsor id or alias.")], as_json: JsonOpt = False
) -> None:
    """One trial, whole, with the source of every field."""
    with _errors():
        registry = _registry()
        registry.check_ready()
        trial = registry.get(trial_id)
    if as_json:
        _print_json(trial.model_dump(mode="json"))
    else:
        _render_trial(trial)


def _render_trial(t: Trial) -> None:
    out.rule(f"[bold]{escape(t.id)}[/]  {escape(t.brief_title)}")
    rows: list[tuple[str, str]] = [
        ("status", t.overall_status.value if t.overall_status else "-"),
        ("phase", ", ".join(p.value for p in t.phases) or "-"),
        ("sponsor", t.sponsor.name if t.sponsor else "-"),
        (
            "enrollment",
            f"{t.enrollment.count} ({t.enrollment.type.value if t.enrollment.type else '?'})" if t.enrollment else "-",
        ),
        ("start", str(t.start_date.value) if t.start_date else "-"),
        ("diseases", ", ".join(d.value for d in t.diseases) or "-"),
        (
            "products",
            "; ".join(f"{p.name} {p.cell_type or ''} {'/'.join(p.targets)} {p.cell_source or ''}" for p in t.products)
            or "-",
        ),
        (
            "doses",
            ", ".join(f"{d.value:g}" for d in t.dose_levels)
            + (f" {t.dose_levels[0].unit.value}" if t.dose_levels else "-"),
        ),
        ("design", ", ".join(m.value for m in t.escalation.methods) if t.escalation else "-"),
        ("conditioning", (t.conditioning.regimen or t.conditioning.description or "-") if t.conditioning else "-"),
    ]
    if t.eligibility:
        e = t.eligibility
        rows.append(("ages", f"{e.minimum_age or '-'} to {e.maximum_age or '-'}, sex {e.sex or '-'}"))
        rows.append(
            (
                "criteria",
                f"{len(e.inclusion)} inclusion, {len(e.exclusion)} exclusion; cohorts "
                f"{', '.join(c.value for c in e.cohorts) or '-'}",
            )
        )
    table = Table(show_header=False, box=None)
    for k, v in rows:
        table.add_row(f"[bold]{k}[/]", escape(v))
    out.print(table)
    if t.sites:
        sites = Table(title="sites")
        for name in ("facility", "city", "country", "status", "contacts"):
            sites.add_column(name, overflow="fold")
        for s in t.sites:
            sites.add_row(
                s.facility or "",
                s.city or "",
                s.country or "",
                s.status.value if s.status else "",
                "; ".join(filter(None, (c.name for c in s.contacts))),
            )
        out.print(sites)
    out.print("sources: " + ", ".join(s.id for s in t.sources))
    for c in t.conflicts:
        out.print(
            f"[yellow]conflict[/] {c.field}: kept {c.kept_value!r} ({c.kept_source}), "
            f"other {c.other_value!r} ({c.other_source})",
            highlight=False,
        )


@trials_app.command("search")
def trials_search(
    query: Annotated[str | None, typer.Argument(help="Words to find (all must match).")] = None,
    disease: Annotated[
        list[str] | None, typer.Option(help="SLE, SSC, AAV, GPA, IIM, DM, SJS, RA, TAK, IGG4RD ...")
    ] = None,
    status: Annotated[list[str] | None, typer.Option(help="RECRUITING, NOT_YET_RECRUITING ...")] = None,
    cell_type: Annotated[list[str] | None, typer.Option("--cell-type", help="CAR-T, CAR-NK ...")] = None,
    target: Annotated[list[str] | None, typer.Option(help="CD19, BCMA ...")] = None,
    phase: Annotated[list[str] | None, typer.Option(help="EARLY_PHASE1 (also finds PHASE0), PHASE1 ...")] = None,
    country: Annotated[list[str] | None, typer.Option()] = None,
    city: Annotated[list[str] | None, typer.Option()] = None,
    age: Annotated[str | None, typer.Option(help="The patient's age: '34' (years) or '18 months'.")] = None,
    sex: Annotated[str | None, typer.Option(help="The patient's sex: female or male.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search with filters, best match first."""
    from remission.services.trials import make_filters  # noqa: PLC0415

    with _errors():
        filters = make_filters(
            diseases=disease or [],
            statuses=status or [],
            cell_types=cell_type or [],
            targets=target or [],
            phases=phase or [],
            countries=country or [],
            cities=city or [],
            age=age,
            sex=sex,
        )
        registry = _registry()
        registry.check_ready()
        result = registry.search(query, filters, limit=limit, offset=offset)
    if as_json:
        _print_json([s.model_dump(mode="json") for s in result.items])
    else:
        out.print(_summary_table(result.items, f"{result.total} trials match"))


@trials_app.command("related")
def trials_related(
    trial_id: str, limit: Annotated[int, typer.Option(min=1, max=100)] = 10, as_json: JsonOpt = False
) -> None:
    """The trials most like this one: same diseases, targets, cell type, words."""
    with _errors():
        registry = _registry()
        registry.check_ready()
        items = registry.related(trial_id, limit)
    if as_json:
        _print_json([s.model_dump(mode="json") for s in items])
    else:
        table = _summary_table(items, f"related to {trial_id}")
        table.add_column("why")
        out.print(table)
        for s in items:
            out.print(f"{s.id}: {s.score:.3f}  " + "; ".join(s.why))


def _score_list(as_json: bool) -> None:
    from remission.instruments.catalogue import CATALOGUE  # noqa: PLC0415

    rows = [{"name": i.name, "title": i.title, "reference": i.reference} for i in CATALOGUE.values()]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} instruments")
    table.add_column("name", no_wrap=True)
    for column in ("title", "reference"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["name"], row["title"], row["reference"])
    out.print(table)


@app.command("score")
def score_command(
    name: Annotated[str, typer.Argument(help="An instrument (`remission score list` shows them), or `list`.")],
    input_path: Annotated[
        str | None, typer.Option("--input", help="A JSON file of the items, or - for standard input.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score a clinical instrument from a JSON object of its items; `score list` lists them.
    Exits 2 when the input is refused (with --json: {"instrument": NAME, "error": "..."})."""
    if name == "list":
        _score_list(as_json)
        return
    from remission.instruments.base import InstrumentError  # noqa: PLC0415
    from remission.instruments.catalogue import UnknownInstrument  # noqa: PLC0415
    from remission.instruments.catalogue import score as score_instrument  # noqa: PLC0415

    try:
        if input_path is None:
            raise ValueError("give --input FILE.json (or --input - for standard input)")
        text = sys.stdin.read() if input_path == "-" else Path(input_path).read_text(encoding="utf-8")
        result = score_instrument(name, json.loads(text))
    except json.JSONDecodeError as exc:
        _score_refused(name, f"{input_path}: invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", as_json)
    except InstrumentError as exc:
        _score_refused(name, exc.message, as_json)
    except (UnknownInstrument, OSError, ValueError) as exc:
        _score_refused(name, str(exc), as_json)
    if as_json:
        _print_json(result)
        return
    details = result.pop("details", {})
    table = Table(title=name, show_header=False)
    for key, value in result.items():
        if key != "instrument":
            table.add_row(f"[bold]{key}[/]", "-" if value is None else str(value))
    out.print(table)
    if details:
        out.print("details: " + json.dumps(details, ensure_ascii=False), highlight=False)


def _score_refused(name: str, message: str, as_json: bool) -> NoReturn:
    if as_json:
        _print_json({"instrument": name, "error": message})
        raise typer.Exit(2)
    raise _fail(message, 2)


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core).")] = 1,
) -> None:
    """Serve the web app and REST API (http://127.0.0.1:8000 by default; OpenAPI at /docs)."""
    import uvicorn  # noqa: PLC0415

    from remission.settings import get_settings  # noqa: PLC0415
    from remission.web.app import create_app  # noqa: PLC0415

    settings = get_settings()
    # Links in mails point at this server unless REMISSION_PUBLIC_URL says where people reach it.
    os.environ.setdefault("REMISSION_PUBLIC_URL", f"http://{host or settings.host}:{port or settings.port}")
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from any loopback client,
    # which lets one computer pose as many and slip past the per-client rate limits.
    where = {"host": host or settings.host, "port": port or settings.port, "proxy_headers": False}
    if workers > 1:  # each process builds its own app from the factory
        uvicorn.run("remission.web.app:create_app", factory=True, workers=workers, **where)  # type: ignore[arg-type]
    else:
        uvicorn.run(create_app(), **where)  # type: ignore[arg-type]


if __name__ == "__main__":
    app()
