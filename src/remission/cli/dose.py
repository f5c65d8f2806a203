"""``remission dose``: BOIN decision tables, MTD selection and simulated operating characteristics.

A face over the pure ``remission.dosefinding`` core (stateless computations, called directly).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from remission.cli.output import JsonOpt, fail, out, print_json
from remission.dosefinding.boundaries import BoinDesign, Decision, DoseFindingError
from remission.dosefinding.live import Protocol, next_action
from remission.dosefinding.mtd import select_mtd
from remission.dosefinding.outcomes import Patient, parse_outcomes, patients_from_records
from remission.dosefinding.protocol import ProtocolFile
from remission.dosefinding.scenarios import ScenarioError, run_scenario, scenario
from remission.dosefinding.simulate_bf import simulate_protocol
from remission.dosefinding.summary import boundaries_summary, mtd_summary, next_summary
from remission.services.dosing import load_protocol
from remission.services.sweeps import sweep

dose_app = typer.Typer(help="Dose finding: BOIN decision tables, MTD selection, simulation.", no_args_is_help=True)

Target = Annotated[float, typer.Option(help="Target DLT rate φ.")]
CohortSize = Annotated[int, typer.Option("--cohort-size", help="Patients per cohort.")]
Cohorts = Annotated[int, typer.Option("--cohorts", help="Maximum number of cohorts.")]
CutoffEli = Annotated[float, typer.Option("--cutoff-eli", help="Posterior cut-off for eliminating a dose.")]
Extrasafe = Annotated[bool, typer.Option("--extrasafe", help="Stricter stopping rule at the lowest dose.")]
Offset = Annotated[float, typer.Option(help="With --extrasafe: the stopping cut-off is cutoff-eli − offset.")]
EarlyStop = Annotated[int, typer.Option("--n-earlystop", help="Stop once this many patients are at the current dose.")]
PSaf = Annotated[float | None, typer.Option("--p-saf", help="Highest rate deemed safe (default 0.6 φ).")]
PTox = Annotated[float | None, typer.Option("--p-tox", help="Lowest rate deemed toxic (default 1.4 φ).")]
BoundMtd = Annotated[bool, typer.Option("--bound-mtd", help="The MTD's estimate must be below λd.")]


def _numbers(text: str, option: str, kind: type[int] | type[float]) -> list[Any]:
    """``3,6,9`` as numbers, or an error naming the option and the piece that is not one."""
    values = []
    for piece in text.split(","):
        try:
            values.append(kind(piece.strip()))
        except ValueError:
            raise fail(f"{option}: {piece.strip()!r} is not {'an integer' if kind is int else 'a number'}", 2) from None
    return values


def _design(**kwargs: Any) -> BoinDesign:
    try:
        return BoinDesign(**kwargs)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None


@dose_app.command("boundaries")
def boundaries(
    target: Target = 0.30,
    cohort_size: CohortSize = 3,
    cohorts: Cohorts = 10,
    n_earlystop: EarlyStop = 100,
    p_saf: PSaf = None,
    p_tox: PTox = None,
    cutoff_eli: CutoffEli = 0.95,
    extrasafe: Extrasafe = False,
    offset: Offset = 0.05,
    stay_at_one_third: Annotated[bool, typer.Option("--stay-at-one-third", help="1 DLT in 3: stay.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The BOIN decision table: for each number of patients n at the current dose, the DLT
    counts that escalate (E), stay (S), de-escalate (D) or de-escalate and eliminate (DU)."""
    design = _design(target=target, cohort_size=cohort_size, n_cohorts=cohorts, n_earlystop=n_earlystop,
                     p_saf=p_saf, p_tox=p_tox, cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset,
                     stay_at_one_third=stay_at_one_third)  # fmt: skip
    lambda_e, lambda_d = design.lambdas
    if as_json:
        print_json(boundaries_summary(design))
        return
    table = Table(title=f"BOIN φ = {target}: λe = {lambda_e:.4f}, λd = {lambda_d:.4f}")
    for column in ("n", "E if DLT ≤", "D if DLT ≥", "DU if DLT ≥"):
        table.add_column(column, justify="right")
    table.add_column("decision for 0, 1, 2 … DLTs", no_wrap=True)
    for r in design.table:
        table.add_row(str(r.n), str(r.escalate_if_dlt_le), str(r.deescalate_if_dlt_ge),
                      "-" if r.eliminate_if_dlt_ge is None else str(r.eliminate_if_dlt_ge),
                      " ".join(r.decision(y).value for y in range(r.n + 1)))  # fmt: skip
    out.print(table)
    out.print(" ".join(f"{d.value} = {d.name.lower().replace('_', ' ')}" for d in Decision), highlight=False)


@dose_app.command("select-mtd")
def select_mtd_command(
    n: Annotated[str, typer.Option("--n", help="Patients per dose, e.g. 3,6,9,3,0.")],
    y: Annotated[str, typer.Option("--y", help="DLTs per dose, e.g. 0,1,3,2,0.")],
    target: Target = 0.30,
    cutoff_eli: CutoffEli = 0.95,
    extrasafe: Extrasafe = False,
    offset: Offset = 0.05,
    bound_mtd: BoundMtd = False,
    p_tox: PTox = None,
    as_json: JsonOpt = False,
) -> None:
    """The MTD at the end of a trial, with isotonic estimates, 95% credible intervals and
    Pr(overdose) per dose (BOIN's select.mtd)."""
    design = _design(target=target, cutoff_eli=cutoff_eli, extrasafe=extrasafe, offset=offset, p_tox=p_tox)
    try:
        chosen = select_mtd(design, _numbers(n, "--n", int), _numbers(y, "--y", int), bound_mtd=bound_mtd)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None
    if as_json:
        print_json(mtd_summary(chosen))
        return

    def fmt(v: float | None) -> str:
        return "----" if v is None else f"{v:.2f}"

    table = Table(title=f"MTD: {'none' if chosen.mtd is None else f'dose {chosen.mtd}'} (target {target})")
    for column in ("dose", "n", "DLT", "estimate", "95% CI", "Pr(overdose)", ""):
        table.add_column(column, justify="right")
    for j, (nj, yj) in enumerate(zip(_numbers(n, "--n", int), _numbers(y, "--y", int), strict=True)):
        note = "MTD" if chosen.mtd == j + 1 else ("eliminated" if chosen.eliminated[j] else "")
        interval = f"({fmt(chosen.ci_lower[j])}, {fmt(chosen.ci_upper[j])})"
        table.add_row(str(j + 1), str(nj), str(yj), fmt(chosen.estimates[j]), interval, fmt(chosen.p_overdose[j]), note)
    out.print(table)


class Accrual(StrEnum):
    UNIFORM = "uniform"
    POISSON = "poisson"


class Assign(StrEnum):
    HIGHEST = "highest"
    LOWEST = "lowest"
    RANDOM = "random"


class Rules(StrEnum):
    PAPER = "paper"
    BFBOIN = "bfboin"


class DesignName(StrEnum):
    BOIN = "boin"
    BF_BOIN = "bf-boin"
    ATD_BF_BOIN = "atd-bf-boin"
    THREE_PLUS_THREE = "3+3"


Numbers = Annotated[str | None, typer.Option(help="One value per dose, comma-separated.")]


@dose_app.command("simulate")
def simulate(
    truth: Annotated[str, typer.Option("--truth", help="True DLT probability per dose, e.g. 0.05,0.12,0.3,0.46,0.6.")],
    design_name: Annotated[DesignName, typer.Option("--design", help="The design to simulate.")] = DesignName.BOIN,
    protocol_name: Annotated[str | None, typer.Option("--protocol", help="Take the design from a protocol.")] = None,
    target: Target = 0.30,
    cohort_size: CohortSize = 3,
    cohorts: Cohorts = 10,
    trials: Annotated[int, typer.Option("--trials", help="Number of simulated trials.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same figures).")] = 1,
    n_earlystop: EarlyStop = 100,
    start_dose: Annotated[int, typer.Option("--start-dose", help="1-based starting dose.")] = 1,
    titration: Annotated[bool, typer.Option("--titration", help="R BOIN's all-doses titration.")] = False,
    p_saf: PSaf = None,
    p_tox: PTox = None,
    cutoff_eli: CutoffEli = 0.95,
    extrasafe: Extrasafe = False,
    offset: Offset = 0.05,
    bound_mtd: BoundMtd = False,
    stay_at_one_third: Annotated[bool, typer.Option("--stay-at-one-third", help="1 DLT in 3: stay.")] = False,
    backfill_cap: Annotated[int, typer.Option("--backfill-cap", help="Patients per dose, backfill included.")] = 12,
    accrual_per_month: Annotated[float, typer.Option("--accrual-per-month")] = 3.0,
    dlt_window_months: Annotated[float, typer.Option("--dlt-window-months")] = 1.0,
    accrual: Annotated[Accrual, typer.Option(help="uniform (the app) or poisson (the paper).")] = Accrual.UNIFORM,
    backfill_assign: Annotated[Assign, typer.Option("--backfill-assign", help="Open dose first.")] = Assign.HIGHEST,
    response: Annotated[str | None, typer.Option(help="True response probability per dose (default 1).")] = None,
    backfill_rules: Annotated[Rules, typer.Option("--backfill-rules", help="BF-BOIN rules.")] = Rules.PAPER,
    titration_levels: Annotated[int, typer.Option("--titration-levels", help="atd-bf-boin: titrated doses.")] = 2,
    grade2: Annotated[str | None, typer.Option(help="atd-bf-boin: P(grade ≥ 2 toxicity) per dose.")] = None,
    max_n: Annotated[int | None, typer.Option("--max-n", help="Total patients, backfill included.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Operating characteristics: % selected as MTD per dose (and % with no MTD), patients and
    DLTs per dose, % stopped early, mean sample size, and for the backfill designs the mean
    trial duration in months. The options follow R BOIN's get.oc and bfboin's get.oc.bf."""
    try:
        if protocol_name is not None:
            _, protocol = _load_protocol(protocol_name)
            label = f"protocol {protocol_name}"
            resp = None if response is None else _numbers(response, "--response", float)
            g2 = None if grade2 is None else _numbers(grade2, "--grade2", float)
            oc = simulate_protocol(protocol, _numbers(truth, "--truth", float), resp, g2, accrual_per_month,
                                   "poisson" if accrual is Accrual.POISSON else "uniform", trials, seed)  # fmt: skip
        else:
            label = design_name.value
            options = {
                "design": design_name.value, "truth": _numbers(truth, "--truth", float), "target": target,
                "cohort_size": cohort_size, "cohorts": cohorts, "n_earlystop": n_earlystop, "start_dose": start_dose,
                "titration": titration, "p_saf": p_saf, "p_tox": p_tox, "cutoff_eli": cutoff_eli,
                "extrasafe": extrasafe, "offset": offset, "bound_mtd": bound_mtd, "backfill_cap": backfill_cap,
                "stay_at_one_third": stay_at_one_third,
                "accrual_per_month": accrual_per_month, "dlt_window_months": dlt_window_months,
                "accrual": accrual.value, "backfill_assign": backfill_assign.value,
                "backfill_rules": backfill_rules.value,
                "response": None if response is None else _numbers(response, "--response", float),
                "titration_levels": titration_levels, "max_n": max_n,
                "grade2": None if grade2 is None else _numbers(grade2, "--grade2", float),
            }  # fmt: skip
            oc = run_scenario(scenario(options, "options"), trials, seed)
    except ScenarioError as exc:
        raise fail("; ".join(f"--{field.replace('_', '-')}: {msg}" for field, msg in exc.problems), 2) from None
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None
    result = asdict(oc)
    if oc.duration_months is None:
        del result["duration_months"]
    if as_json:
        print_json(result)
        return
    table = Table(title=f"{label}: {trials} trials, seed {seed}")
    table.add_column("")
    for j in range(len(oc.selection_percent)):
        table.add_column(f"dose {j + 1}", justify="right")
    table.add_row("true DLT rate", *truth.split(","))
    table.add_row("% selected as MTD", *(f"{v:.1f}" for v in oc.selection_percent))
    table.add_row("patients", *(f"{v:.2f}" for v in oc.patients_per_dose))
    table.add_row("DLTs", *(f"{v:.2f}" for v in oc.dlt_per_dose))
    out.print(table)
    duration = "" if oc.duration_months is None else f", mean duration {oc.duration_months:.1f} months"
    summary = (f"no MTD {oc.no_mtd_percent:.1f}% (stopped for safety {oc.safety_stop_percent:.1f}%), "
               f"mean sample size {oc.mean_sample_size:.1f}, mean DLTs {oc.mean_dlts:.1f}{duration}")  # fmt: skip
    out.print(summary, highlight=False)


def _load_protocol(name: str) -> tuple[ProtocolFile, Protocol]:
    try:
        return load_protocol(name)
    except DoseFindingError as exc:
        raise fail(str(exc), 2) from None


def load_patients(path: Path, labels: list[str]) -> list[Patient]:
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
    the decision table row of the current dose; at the end the MTD."""
    spec, protocol = _load_protocol(protocol_name)
    if data is not None and outcomes is not None:
        raise fail("give --data or --outcomes, not both", 2)
    if data is not None:
        patients = load_patients(data, protocol.doses)
    else:
        try:
            patients = parse_outcomes(outcomes or "", len(protocol.doses))
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
        print_json({"trial": spec.trial.id, **next_summary(protocol, result)})
        return
    unit = f" {spec.trial.dose_unit}" if spec.trial.dose_unit else ""
    where = "" if result.dose is None else f" dose {result.dose} ({protocol.doses[result.dose - 1]}{unit})"
    count = f" × {result.patients}" if result.patients else ""
    out.print(f"[bold]{spec.trial.id}: {result.action}{where}{count}[/]  ({result.phase})")
    for reason in result.reasons:
        out.print(f"  - {reason}", highlight=False)
    table = Table(show_header=True)
    for column in ("dose", "n", "DLT", "pending", ""):
        table.add_column(column, justify="right")
    for j, label in enumerate(protocol.doses):
        notes = [w for w, on in (("eliminated", j + 1 in result.eliminated),
                                 ("backfill open", j + 1 in result.backfill_open)) if on]  # fmt: skip
        row = (f"{j + 1} ({label})", str(result.n[j]), str(result.y[j]), str(result.pending[j]), ", ".join(notes))
        table.add_row(*row)
    out.print(table)
    if result.decision_row is not None:
        r = result.decision_row
        eliminate = "-" if r.eliminate_if_dlt_ge is None else r.eliminate_if_dlt_ge
        out.print(f"decision table at n = {r.n}: escalate if DLT ≤ {r.escalate_if_dlt_le}, de-escalate if ≥ "
                  f"{r.deescalate_if_dlt_ge}, eliminate if ≥ {eliminate}", highlight=False)  # fmt: skip
    if result.mtd is not None:
        out.print("MTD: " + ("none" if result.mtd.mtd is None else f"dose {result.mtd.mtd}"))


@dose_app.command("sweep")
def sweep_command(
    scenarios_path: Annotated[Path, typer.Option("--scenarios", help="JSON list of scenarios (simulate's options).")],
    trials: Annotated[int, typer.Option("--trials", help="Simulated trials per scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the sweep; each scenario derives its own.")] = 1,
    workers: Annotated[int | None, typer.Option(help="Processes on this machine (default: one per core).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="A Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate many scenarios and designs in parallel: on this machine, or on a Dask cluster."""
    try:
        data = json.loads(scenarios_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"{scenarios_path}: {exc.strerror}", 2) from None
    except json.JSONDecodeError as exc:
        raise fail(f"{scenarios_path}: invalid JSON: {exc.msg} at line {exc.lineno}", 2) from None
    if not isinstance(data, list) or not data:
        raise fail(f"{scenarios_path}: expected a non-empty list of scenarios", 2)
    try:
        items = [scenario(d, f"{scenarios_path}: scenario {i}") for i, d in enumerate(data, start=1)]
        results = sweep(items, trials, seed=seed, workers=workers, scheduler=scheduler)
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
    response: Numbers = None,
    grade2: Numbers = None,
    accrual_per_month: Annotated[float, typer.Option("--accrual-per-month")] = 3.0,
    trials: Annotated[int, typer.Option("--trials", help="Simulated trials per scenario.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """The design, its decision table and simulated operating characteristics (plots as PNG and
    SVG) as one HTML file to attach to a protocol."""
    # Imported here: matplotlib takes a noticeable time to import and only this command draws.
    from remission.dosefinding.report import SimulatedScenario, render  # noqa: PLC0415

    spec, protocol = _load_protocol(protocol_name)
    resp = None if response is None else _numbers(response, "--response", float)
    g2 = None if grade2 is None else _numbers(grade2, "--grade2", float)
    scenarios = []
    for i, text in enumerate(truths or [], start=1):
        truth = _numbers(text, "--truth", float)
        try:
            oc = simulate_protocol(protocol, truth, resp, g2, accrual_per_month, "uniform", trials, seed)
        except DoseFindingError as exc:
            raise fail(f"--truth {text}: {exc}", 2) from None
        scenarios.append(SimulatedScenario(f"Scenario {i}", truth, oc, seed))
    html, plots = render(spec, protocol, scenarios, date.today().isoformat())
    try:
        out_path.write_text(html, encoding="utf-8")
        for plot in plots:
            out_path.with_name(f"{out_path.stem}.{plot.name}.svg").write_text(plot.svg, encoding="utf-8")
            out_path.with_name(f"{out_path.stem}.{plot.name}.png").write_bytes(plot.png)
    except OSError as exc:
        raise fail(f"{out_path}: {exc.strerror}", 1) from None
    out.print(f"wrote {out_path} ({len(scenarios)} scenario(s), {2 * len(plots)} plot files beside it)")
