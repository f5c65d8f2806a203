"""``remission dose``: decision tables, MTD selection, the next action of a running trial, and
simulated operating characteristics (with a trace that ``dose next`` replays).

A face over the pure ``remission.dosefinding`` core. A design comes from ``--protocol`` (a
bundled trial id or a TOML file) or ``--design`` (a named starting point); every design option
given on the command line overrides the protocol's or the preset's value, by the same names the
protocol file and REST use (``--backfill-cap`` is ``backfill.cap``).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from remission.cli.output import JsonOpt, fail, out, print_json
from remission.dosefinding.boundaries import BoundaryRow, Decision, DoseFindingError
from remission.dosefinding.design import (
    DEFAULT_PRESET,
    OPTION_PATHS,
    PRESETS,
    BackfillAssign,
    BackfillRules,
    DesignError,
    DoseDesign,
    EarlyStopReading,
    field_problems,
    problems_text,
)
from remission.dosefinding.mtd import select_mtd
from remission.dosefinding.next_action import next_action
from remission.dosefinding.patients import Patient, parse_outcomes, patients_from_records
from remission.dosefinding.protocol import DoseProtocol
from remission.dosefinding.simulation import (
    AccrualModel,
    OperatingCharacteristics,
    ResponseTiming,
    SimulationCase,
    simulate,
)
from remission.dosefinding.summary import boundaries_summary, mtd_summary, next_summary, simulation_summary
from remission.dosefinding.trace import TraceWriter
from remission.services.dosing import load_dose_protocol, resolve_case, resolve_design
from remission.services.sweeps import sweep

dose_app = typer.Typer(help="Dose finding: BOIN decision tables, MTD selection, simulation.", no_args_is_help=True)


# Design options: None means "not given" (the protocol's or the preset's value stands).
Target = Annotated[float | None, typer.Option(help="Target DLT rate φ (default 0.30).")]
CohortSize = Annotated[int | None, typer.Option("--cohort-size", help="Patients per cohort (default 3).")]
Cohorts = Annotated[int | None, typer.Option("--cohorts", help="Escalation cohorts (default 10).")]
CutoffEli = Annotated[float | None, typer.Option("--cutoff-eli", help="Posterior cut-off for eliminating a dose.")]
Extrasafe = Annotated[bool | None, typer.Option("--extrasafe/--no-extrasafe", help="Stop on a too toxic dose 1.")]
Offset = Annotated[float | None, typer.Option(help="With --extrasafe: the stopping cut-off is cutoff-eli − offset.")]
EarlyStop = Annotated[int | None, typer.Option("--n-earlystop", help="Stop with this many at the current dose.")]
EarlyRule = Annotated[EarlyStopReading | None, typer.Option("--n-earlystop-rule", help="Only when staying, or always.")]
PSaf = Annotated[float | None, typer.Option("--p-saf", help="Highest rate deemed safe (default 0.6 φ).")]
PTox = Annotated[float | None, typer.Option("--p-tox", help="Lowest rate deemed toxic (default 1.4 φ).")]
BoundMtd = Annotated[bool | None, typer.Option("--bound-mtd/--no-bound-mtd", help="The MTD's estimate must be < λd.")]
StayOneThird = Annotated[bool | None, typer.Option("--stay-at-one-third/--no-stay-at-one-third",
                                                   help="1 DLT in 3: stay (Zhao 2024, Table 1).")]  # fmt: skip
DesignOpt = Annotated[str | None, typer.Option("--design", help=f"{' | '.join(PRESETS)} (default {DEFAULT_PRESET}).")]
ProtocolOpt = Annotated[str | None, typer.Option("--protocol", help="A bundled trial id or a protocol file (TOML).")]


def _numbers(text: str, option: str, kind: type[int] | type[float]) -> list[Any]:
    """``3,6,9`` as numbers, or an error naming the option and the piece that is not one."""
    values = []
    for piece in text.split(","):
        try:
            values.append(kind(piece.strip()))
        except ValueError:
            raise fail(f"{option}: {piece.strip()!r} is not {'an integer' if kind is int else 'a number'}", 2) from None
    return values


# A design field's option on this command line (``backfill.cap`` → ``--backfill-cap``).
_OPTIONS = {path: option for option, path in reversed(OPTION_PATHS.items())}


def _flag(field: str) -> str:
    return "--" + _OPTIONS.get(field, field).replace("_", "-").replace(".", "-")


def _problems_text(problems: list[tuple[str, str]]) -> str:
    return problems_text(problems, _flag)


def _design(
    protocol: str | None, preset: str | None, options: dict[str, Any]
) -> tuple[DoseProtocol | None, DoseDesign]:
    try:
        return resolve_design(protocol, preset, options, source="options")
    except DoseFindingError as exc:
        raise fail(_named(exc), 2) from None


def _named(exc: DoseFindingError) -> str:
    """An error with the option names a person typed (``backfill.cap`` → ``--backfill-cap``); an
    error in a protocol file keeps the file's field paths."""
    if isinstance(exc, DesignError) and exc.source in ("options", ""):
        return _problems_text(exc.problems)
    return str(exc)


def _decisions(row: BoundaryRow) -> str:
    """The decision for 0..n DLTs as runs: "E 0 · S 1 · D 2 · DU 3"."""
    runs: list[tuple[Decision, int, int]] = []
    for y in range(row.n + 1):
        d = row.decision(y)
        if runs and runs[-1][0] is d:
            runs[-1] = (d, runs[-1][1], y)
        else:
            runs.append((d, y, y))
    return " · ".join(f"{d.value} {a}" if a == b else f"{d.value} {a}-{b}" for d, a, b in runs)


@dose_app.command("boundaries")
def boundaries(
    protocol_name: ProtocolOpt = None,
    target: Target = None,
    cohort_size: CohortSize = None,
    cohorts: Cohorts = None,
    n_earlystop: EarlyStop = None,
    p_saf: PSaf = None,
    p_tox: PTox = None,
    cutoff_eli: CutoffEli = None,
    extrasafe: Extrasafe = None,
    offset: Offset = None,
    stay_at_one_third: StayOneThird = None,
    as_json: JsonOpt = False,
) -> None:
    """The BOIN decision table: for each number of patients n at a dose, the DLT counts that
    escalate (E), stay (S), de-escalate (D) or de-escalate and eliminate (DU)."""
    options = {"target": target, "cohort_size": cohort_size, "cohorts": cohorts, "n_earlystop": n_earlystop,
               "p_saf": p_saf, "p_tox": p_tox, "cutoff_eli": cutoff_eli, "extrasafe": extrasafe, "offset": offset,
               "stay_at_one_third": stay_at_one_third}  # fmt: skip
    _, design = _design(protocol_name, None, options)
    table = design.table()
    upto = design.table_rows()
    if as_json:
        print_json(boundaries_summary(design))
        return
    lambda_e, lambda_d = table.lambdas
    grid = Table(title=f"BOIN φ = {design.target:g}: λe = {lambda_e:.4f}, λd = {lambda_d:.4f}")
    safe = table.extrasafe_offset is not None
    for column in ("n", "E ≤", "D ≥", "DU ≥", *(["stop ≥"] if safe else [])):
        grid.add_column(column, justify="right")
    grid.add_column("decision by number of DLTs", no_wrap=True)
    for r in table.rows(upto):
        stop = [] if not safe else [str(table.stop_boundary(r.n) or "-")]
        eliminate = "-" if r.eliminate_if_dlt_ge is None else str(r.eliminate_if_dlt_ge)
        grid.add_row(str(r.n), str(r.escalate_if_dlt_le), str(r.deescalate_if_dlt_ge), eliminate, *stop, _decisions(r))
    out.print(grid)
    legend = ("with n patients at a dose: escalate (E) with at most the E ≤ DLTs, stay (S), de-escalate (D) with at "
              "least D ≥, de-escalate and eliminate the dose and those above (DU) with at least DU ≥")  # fmt: skip
    if safe:
        legend += "; stop the trial when dose 1 has at least stop ≥ (extra-safe)"
    out.print(legend, highlight=False)
    _print_assumed(design)


def _print_assumed(design: DoseDesign) -> None:
    if design.assumed:
        out.print(design.assumed_note(), highlight=False)


@dose_app.command("select-mtd")
def select_mtd_command(
    n: Annotated[str, typer.Option("--n", help="Patients per dose, e.g. 3,6,9,3,0.")],
    y: Annotated[str, typer.Option("--y", help="DLTs per dose, e.g. 0,1,3,2,0.")],
    target: Target = None,
    cutoff_eli: CutoffEli = None,
    extrasafe: Extrasafe = None,
    offset: Offset = None,
    bound_mtd: BoundMtd = None,
    p_tox: PTox = None,
    as_json: JsonOpt = False,
) -> None:
    """The MTD at the end of a trial, with isotonic estimates, 95% credible intervals and
    Pr(overdose) per dose (BOIN's select.mtd)."""
    _, design = _design(None, None, {"target": target, "cutoff_eli": cutoff_eli, "extrasafe": extrasafe,
                                     "offset": offset, "bound_mtd": bound_mtd, "p_tox": p_tox})  # fmt: skip
    counts, dlts = _numbers(n, "--n", int), _numbers(y, "--y", int)
    try:
        chosen = select_mtd(design.table(), counts, dlts, bound_mtd=design.bound_mtd)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None
    if as_json:
        print_json(mtd_summary(chosen))
        return

    def fmt(v: float | None) -> str:
        return "----" if v is None else f"{v:.2f}"

    table = Table(title=f"MTD: {'none' if chosen.mtd is None else f'dose {chosen.mtd}'} (target {design.target:g})")
    for column in ("dose", "n", "DLT", "estimate", "95% CI", "Pr(overdose)", ""):
        table.add_column(column, justify="right")
    for j, (nj, yj) in enumerate(zip(counts, dlts, strict=True)):
        note = "MTD" if chosen.mtd == j + 1 else ("eliminated" if chosen.eliminated[j] else "")
        interval = f"({fmt(chosen.ci_lower[j])}, {fmt(chosen.ci_upper[j])})"
        table.add_row(str(j + 1), str(nj), str(yj), fmt(chosen.estimates[j]), interval, fmt(chosen.p_overdose[j]), note)
    out.print(table)


@dose_app.command("simulate")
def simulate_command(
    truth: Annotated[str, typer.Option("--truth", help="True DLT probability per dose, e.g. 0.05,0.12,0.3,0.46,0.6.")],
    design_name: DesignOpt = None,
    protocol_name: ProtocolOpt = None,
    target: Target = None,
    cohort_size: CohortSize = None,
    cohorts: Cohorts = None,
    trials: Annotated[int, typer.Option("--trials", help="Number of simulated trials.")] = 10_000,
    seed: Annotated[int, typer.Option(min=0, help="Random seed (the same seed gives the same figures).")] = 1,
    n_earlystop: EarlyStop = None,
    n_earlystop_rule: EarlyRule = None,
    start_dose: Annotated[int | None, typer.Option("--start-dose", help="1-based starting dose.")] = None,
    titration: Annotated[bool | None, typer.Option("--titration/--no-titration", help="R BOIN's titration.")] = None,
    p_saf: PSaf = None,
    p_tox: PTox = None,
    cutoff_eli: CutoffEli = None,
    extrasafe: Extrasafe = None,
    offset: Offset = None,
    bound_mtd: BoundMtd = None,
    stay_at_one_third: StayOneThird = None,
    backfill_cap: Annotated[int | None, typer.Option("--backfill-cap", help="Patients per dose, all told.")] = None,
    accrual_per_month: Annotated[float | None, typer.Option("--accrual-per-month", help="Patients a month.")] = None,
    dlt_window_months: Annotated[float | None, typer.Option("--dlt-window-months", help="DLT window.")] = None,
    dlt_window_days: Annotated[int | None, typer.Option("--dlt-window-days", help="DLT window in days.")] = None,
    accrual: Annotated[AccrualModel | None, typer.Option(help="uniform (the app) or poisson.")] = None,
    backfill_assign: Annotated[BackfillAssign | None, typer.Option("--backfill-assign", help="Which first.")] = None,
    response: Annotated[str | None, typer.Option(help="True response probability per dose (default 1).")] = None,
    response_timing: Annotated[ResponseTiming | None, typer.Option("--response-timing", help="Seen when.")] = None,
    backfill_rules: Annotated[BackfillRules | None, typer.Option("--backfill-rules", help="BF-BOIN rules.")] = None,
    titration_levels: Annotated[int | None, typer.Option("--titration-levels", help="Titrated doses.")] = None,
    grade2: Annotated[str | None, typer.Option(help="P(grade ≥ 2 toxicity) per dose (titration trigger).")] = None,
    max_n: Annotated[int | None, typer.Option("--max-n", help="Total patients, backfill included.")] = None,
    trace: Annotated[Path | None, typer.Option("--trace", help="Write every decision point as JSON lines.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Operating characteristics: % selected as MTD per dose (and % with no MTD), patients,
    backfill patients and DLTs per dose, % stopped early, mean sample size and, over calendar
    time, the mean duration. The options follow R BOIN's get.oc and bfboin's get.oc.bf."""
    if protocol_name is not None and design_name is not None:
        raise fail("give --protocol or --design, not both", 2)
    options = {
        "target": target, "cohort_size": cohort_size, "cohorts": cohorts, "n_earlystop": n_earlystop,
        "n_earlystop_rule": n_earlystop_rule, "start_dose": start_dose,
        "titration": titration, "p_saf": p_saf, "p_tox": p_tox, "cutoff_eli": cutoff_eli, "extrasafe": extrasafe,
        "offset": offset, "bound_mtd": bound_mtd, "stay_at_one_third": stay_at_one_third,
        "backfill_cap": backfill_cap, "backfill_assign": backfill_assign,
        "backfill_rules": backfill_rules, "titration_levels": titration_levels,
        "max_n": max_n, "dlt_window_months": dlt_window_months, "dlt_window_days": dlt_window_days,
    }  # fmt: skip
    timed = accrual_per_month is not None or accrual is not None
    case: dict[str, Any] = {
        "protocol": protocol_name, "design": design_name,
        "options": {k: v for k, v in options.items() if v is not None},
        "truth": _numbers(truth, "--truth", float),
        "response": None if response is None else _numbers(response, "--response", float),
        "grade2": None if grade2 is None else _numbers(grade2, "--grade2", float),
        "accrual_per_month": 3.0 if accrual_per_month is None else accrual_per_month,
        "accrual": accrual or "uniform",
        "response_timing": response_timing,
        "calendar": True if timed else None,
    }  # fmt: skip
    try:
        chosen = SimulationCase.model_validate(case)
        protocol, design, model = resolve_case(chosen, source="options")
        if trace is None:
            oc = simulate(design, model, trials, seed, chosen.calendar)
        else:
            with trace.open("w", encoding="utf-8") as sink:
                oc = simulate(design, model, trials, seed, chosen.calendar, TraceWriter(sink))
    except OSError as exc:
        raise fail(f"{trace}: {exc.strerror}", 1) from None
    except DoseFindingError as exc:
        raise fail(_named(exc), 2) from None
    except ValueError as exc:  # the case's own fields (truth, response, ...)
        raise fail(_case_error(exc), 2) from None
    if as_json:
        print_json(simulation_summary(oc, model.truth, design, protocol))
        return
    label = f"{protocol.trial.id} (protocol)" if protocol is not None else (design_name or DEFAULT_PRESET)
    _print_oc(f"{label}: {trials} trials, seed {seed}", model.truth, model.response if design.backfill else None, oc)
    _print_assumed(design)


def _case_error(exc: ValueError) -> str:
    """A refused simulation case (truth, response, accrual ...) with its options named."""
    return _problems_text(field_problems(exc)) if isinstance(exc, ValidationError) else str(exc)


def _print_oc(title: str, truth: tuple[float, ...], response: tuple[float, ...] | None,
              oc: OperatingCharacteristics) -> None:  # fmt: skip
    rows: list[tuple[str, list[str]]] = [("true DLT rate", [f"{p:g}" for p in truth])]
    if response is not None:
        rows.append(("true response rate", [f"{p:g}" for p in response]))
    rows += [("% selected as MTD", [f"{v:.1f}" for v in oc.selection_percent]),
             ("patients", [f"{v:.1f}" for v in oc.patients_per_dose])]  # fmt: skip
    if oc.backfill_per_dose is not None:
        rows.append(("  of them backfilled", [f"{v:.1f}" for v in oc.backfill_per_dose]))
    rows.append(("DLTs", [f"{v:.1f}" for v in oc.dlt_per_dose]))
    table = Table(title=title)
    doses = len(oc.selection_percent)
    if doses <= 6:  # one column a dose fits 80 columns
        table.add_column("")
        for j in range(doses):
            table.add_column(f"dose {j + 1}", justify="right")
        for name, cells in rows:
            table.add_row(name, *cells)
    else:  # one row a dose
        table.add_column("dose", justify="right")
        for name, _ in rows:
            table.add_column(name.strip(), justify="right")
        for j in range(doses):
            table.add_row(str(j + 1), *(cells[j] for _, cells in rows))
    out.print(table)
    duration = "" if oc.duration_months is None else f", mean duration {oc.duration_months:.1f} months"
    out.print(f"no MTD {oc.no_mtd_percent:.1f}% (stopped for safety {oc.safety_stop_percent:.1f}%), "
              f"mean sample size {oc.mean_sample_size:.1f}, mean DLTs {oc.mean_dlts:.1f}{duration}",
              highlight=False)  # fmt: skip


def _load_protocol(name: str) -> DoseProtocol:
    try:
        return load_dose_protocol(name)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None


def load_patients(path: Path, labels: tuple[str, ...]) -> list[Patient]:
    """Patients from JSON (a list of records, or {"patients": [...]}), CSV with a header row, or
    a text file in the outcome notation ("1N 2N 3NNT")."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror}", 2) from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
            records = data.get("patients") if isinstance(data, dict) else data
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise DoseFindingError(f'{path}: expected a list of patient records or {{"patients": [...]}}')
            return patients_from_records(records, labels, str(path))
        if path.suffix.lower() == ".csv":
            return patients_from_records(list(csv.DictReader(io.StringIO(text))), labels, str(path))
        return parse_outcomes(text, len(labels))
    except json.JSONDecodeError as exc:
        raise fail(f"{path}: invalid JSON: {exc.msg} at line {exc.lineno}", 2) from None
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None


@dose_app.command("next")
def next_command(
    protocol_name: Annotated[str, typer.Option("--protocol", help="A protocol file (TOML) or a bundled trial id.")],
    data: Annotated[Path | None, typer.Option("--data", help="Patients so far: .json, .csv or notation.")] = None,
    outcomes: Annotated[str | None, typer.Option("--outcomes", help='Patients so far, e.g. "1N 2N 3NNT".')] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Today for the DLT windows (default: today).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The next action for a running trial (treat, backfill, wait or stop), the dose, and why;
    the decision table row of the current dose; at the end the MTD. Values the trial has not
    published are shown as assumptions."""
    protocol = _load_protocol(protocol_name)
    if data is not None and outcomes is not None:
        raise fail("give --data or --outcomes, not both", 2)
    if data is not None:
        patients = load_patients(data, protocol.trial.doses)
    else:
        try:
            patients = parse_outcomes(outcomes or "", len(protocol.trial.doses))
        except DoseFindingError as exc:
            raise fail(str(exc), 2) from None
    try:
        today = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise fail(f"--as-of {as_of!r}: expected a date, YYYY-MM-DD", 2) from None
    try:
        result = next_action(protocol, patients, today)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None
    if as_json:
        print_json(next_summary(protocol, result))
        return
    trial = protocol.trial
    unit = f" {trial.dose_unit}" if trial.dose_unit else ""
    where = "" if result.dose is None else f" dose {result.dose} ({trial.doses[result.dose - 1]}{unit})"
    count = f" × {result.patients}" if result.patients else ""
    out.print(f"[bold]{trial.id}: {result.action}{where}{count}[/]  ({result.phase})")
    for reason in result.reasons:
        out.print(f"  - {reason}", highlight=False)
    for deviation in result.deviations:
        out.print(f"  ! {deviation}", highlight=False)
    table = Table(show_header=True)
    for column in ("dose", "treated", "known", "DLT", "pending", ""):
        table.add_column(column, justify="right")
    for j, label in enumerate(trial.doses):
        notes = [w for w, on in (("eliminated", j + 1 in result.eliminated),
                                 ("backfill open", j + 1 in result.backfill_open)) if on]  # fmt: skip
        table.add_row(f"{j + 1} ({label})", str(result.treated[j]), str(result.n[j]), str(result.y[j]),
                      str(result.pending[j]), ", ".join(notes))  # fmt: skip
    out.print(table)
    if result.decision_row is not None:
        r = result.decision_row
        eliminate = "-" if r.eliminate_if_dlt_ge is None else r.eliminate_if_dlt_ge
        out.print(f"decision table at n = {r.n}: escalate if DLT ≤ {r.escalate_if_dlt_le}, de-escalate if ≥ "
                  f"{r.deescalate_if_dlt_ge}, eliminate if ≥ {eliminate}", highlight=False)  # fmt: skip


@dose_app.command("sweep")
def sweep_command(
    scenarios_path: Annotated[Path, typer.Option("--scenarios", help="JSON list of simulations (REST's bodies).")],
    trials: Annotated[int, typer.Option("--trials", help="Simulated trials per scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the sweep; each scenario derives its own.")] = 1,
    workers: Annotated[int | None, typer.Option(help="Processes on this machine (default: one per core).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="A Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate many designs and scenarios in parallel: on this machine, or on a Dask cluster.
    Each scenario is the JSON of a POST /api/v1/dose/simulate body (protocol or design, options,
    truth, response ...)."""
    try:
        data = json.loads(scenarios_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"{scenarios_path}: {exc.strerror}", 2) from None
    except json.JSONDecodeError as exc:
        raise fail(f"{scenarios_path}: invalid JSON: {exc.msg} at line {exc.lineno}", 2) from None
    if not isinstance(data, list) or not data:
        raise fail(f"{scenarios_path}: expected a non-empty list of scenarios", 2)
    cases = []
    for i, item in enumerate(data, start=1):
        try:
            cases.append(SimulationCase.model_validate(item))
        except ValidationError as exc:
            raise fail(f"{scenarios_path}: scenario {i}: {problems_text(field_problems(exc))}", 2) from None
    try:
        results = sweep(cases, trials, seed=seed, workers=workers, scheduler=scheduler, source=str(scenarios_path))
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None
    if as_json:
        print_json(results)
        return
    table = Table(title=f"{len(results)} scenarios, {trials} trials each")
    for column in ("scenario", "design", "% selected per dose", "% no MTD", "mean N"):
        table.add_column(column)
    for i, r in enumerate(results, start=1):
        table.add_row(r["name"] or str(i), r["design"], " ".join(f"{v:.1f}" for v in r["selection_percent"]),
                      f"{r['no_mtd_percent']:.1f}", f"{r['mean_sample_size']:.1f}")  # fmt: skip
    out.print(table)


@dose_app.command("report")
def report_command(
    protocol_name: Annotated[str, typer.Option("--protocol", help="A protocol file (TOML) or a bundled trial id.")],
    out_path: Annotated[Path, typer.Option("--out", help="The HTML file to write; plots go beside it.")],
    truths: Annotated[list[str] | None, typer.Option("--truth", help="Scenario DLT rates; repeatable.")] = None,
    response: Annotated[str | None, typer.Option(help="True response probability per dose.")] = None,
    grade2: Annotated[str | None, typer.Option(help="P(grade ≥ 2 toxicity) per dose.")] = None,
    accrual_per_month: Annotated[float, typer.Option("--accrual-per-month")] = 3.0,
    trials: Annotated[int, typer.Option("--trials", help="Simulated trials per scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """The design, its decision table and simulated operating characteristics (plots as PNG and
    SVG) as one HTML file to attach to a protocol; values the trial has not published are
    marked as assumptions."""
    # Imported here: matplotlib takes a noticeable time to import and only this command draws.
    from remission.dosefinding.report import SimulatedScenario, render  # noqa: PLC0415

    protocol = _load_protocol(protocol_name)
    scenarios = []
    for i, text in enumerate(truths or [], start=1):
        case = {"protocol": protocol_name, "truth": _numbers(text, "--truth", float),
                "response": None if response is None else _numbers(response, "--response", float),
                "grade2": None if grade2 is None else _numbers(grade2, "--grade2", float),
                "accrual_per_month": accrual_per_month}  # fmt: skip
        try:
            chosen = SimulationCase.model_validate(case)
            _, design, model = resolve_case(chosen, source=f"--truth {text}")
            oc = simulate(design, model, trials, seed, chosen.calendar)
        except DoseFindingError as exc:
            raise fail(str(exc), 2) from None
        except ValueError as exc:
            raise fail(f"--truth {text}: {_case_error(exc)}", 2) from None
        scenarios.append(SimulatedScenario(f"Scenario {i}", list(model.truth), oc, seed))
    html, plots = render(protocol, scenarios, date.today().isoformat())
    try:
        out_path.write_text(html, encoding="utf-8")
        for plot in plots:
            out_path.with_name(f"{out_path.stem}.{plot.name}.svg").write_text(plot.svg, encoding="utf-8")
            out_path.with_name(f"{out_path.stem}.{plot.name}.png").write_bytes(plot.png)
    except OSError as exc:
        raise fail(f"{out_path}: {exc.strerror}", 1) from None
    out.print(f"wrote {out_path} ({len(scenarios)} scenario(s), {2 * len(plots)} plot files beside it)")
