"""Plain JSON-ready summaries of the dose-finding results, shared by the CLI and the REST API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from remission.dosefinding.boundaries import BoinDesign
from remission.dosefinding.live import NextAction, Protocol
from remission.dosefinding.mtd import MtdSelection


def boundaries_summary(design: BoinDesign) -> dict[str, Any]:
    """λe, λd and, for every n, the boundaries and the decision for each DLT count."""
    lambda_e, lambda_d = design.lambdas
    rows = [{**asdict(r), "decisions": [r.decision(y).value for y in range(r.n + 1)]} for r in design.table]
    result: dict[str, Any] = {"lambda_e": lambda_e, "lambda_d": lambda_d, "table": rows}
    if design.extrasafe:
        result["stop_boundary"] = [{"n_at_lowest_dose": r.n, "stop_trial_if_dlt_ge": design.stop_boundary(r.n)}
                                   for r in design.table]  # fmt: skip
    return result


def mtd_summary(chosen: MtdSelection) -> dict[str, Any]:
    return {
        "mtd": chosen.mtd,
        "estimates": chosen.estimates,
        "ci_lower": chosen.ci_lower,
        "ci_upper": chosen.ci_upper,
        "p_overdose": chosen.p_overdose,
        "eliminated": [j + 1 for j, e in enumerate(chosen.eliminated) if e],
        "admissible": chosen.admissible,
    }


def next_summary(protocol: Protocol, result: NextAction) -> dict[str, Any]:
    label = None if result.dose is None else protocol.doses[result.dose - 1]
    return {
        "action": result.action, "dose": result.dose, "dose_label": label, "patients": result.patients,
        "phase": result.phase, "reasons": result.reasons, "n": result.n, "y": result.y, "pending": result.pending,
        "eliminated": result.eliminated,
        "admissible": [j for j in range(1, len(protocol.doses) + 1) if j not in result.eliminated],
        "backfill_open": result.backfill_open,
        "decision_table": None if result.decision_row is None else asdict(result.decision_row),
        "mtd": None if result.mtd is None else mtd_summary(result.mtd),
    }  # fmt: skip
