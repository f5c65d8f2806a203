"""Plain JSON-ready summaries of the dose-finding results, shared by the CLI's ``--json`` and the
REST API (whose response models in ``web/schemas/dose.py`` check them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from remission.dosefinding.design import DoseDesign
from remission.dosefinding.mtd import MtdSelection
from remission.dosefinding.next_action import NextAction
from remission.dosefinding.protocol import DoseProtocol
from remission.dosefinding.simulation import OperatingCharacteristics

__all__ = [
    "assumed_summary",
    "boundaries_summary",
    "mtd_summary",
    "next_summary",
    "oc_summary",
    "relative_to_mtd",
    "simulation_summary",
]


def boundaries_summary(design: DoseDesign) -> dict[str, Any]:
    """λe, λd and, for every n a trial of ``design`` can reach (``table_rows``), the boundaries
    and the decision for each DLT count; the extra-safe stop; the assumed values."""
    table = design.table()
    lambda_e, lambda_d = table.lambdas
    rows = [{**asdict(r), "decisions": [r.decision(y).value for y in range(r.n + 1)]}
            for r in table.rows(design.table_rows())]  # fmt: skip
    result: dict[str, Any] = {"lambda_e": lambda_e, "lambda_d": lambda_d, "table": rows}
    if table.extrasafe_offset is not None:
        result["stop_boundary"] = [{"n_at_lowest_dose": r["n"], "stop_trial_if_dlt_ge": table.stop_boundary(r["n"])}
                                   for r in rows]  # fmt: skip
    result["assumed"] = assumed_summary(design)
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


def assumed_summary(design: DoseDesign) -> list[dict[str, Any]]:
    """The design's values the trial has not published, each with its value."""
    return [{"field": path, "value": value, "note": "assumed: not published by the trial"}
            for path, value in design.assumed_values()]  # fmt: skip


def next_summary(protocol: DoseProtocol, result: NextAction) -> dict[str, Any]:
    doses = protocol.trial.doses
    label = None if result.dose is None else doses[result.dose - 1]
    return {
        "trial": protocol.trial.id,
        "action": result.action, "dose": result.dose, "dose_label": label, "dose_unit": protocol.trial.dose_unit,
        "patients": result.patients, "phase": result.phase, "reasons": result.reasons,
        "n": result.n, "y": result.y, "pending": result.pending, "treated": result.treated,
        "eliminated": result.eliminated,
        "admissible": [j for j in range(1, len(doses) + 1) if j not in result.eliminated],
        "backfill_open": result.backfill_open,
        "decision_table": None if result.decision_row is None else asdict(result.decision_row),
        "mtd": None if result.mtd is None else mtd_summary(result.mtd),
        "deviations": result.deviations,
        "assumed": assumed_summary(protocol.design),
    }  # fmt: skip


def relative_to_mtd(oc: OperatingCharacteristics, mtd: int) -> dict[str, float | None]:
    """The figures around the true MTD (1-based), in the layout of the BF-BOIN article's Table 4
    (Zhao 2024): % selecting it, % selecting a dose above it, mean patients below, at and above
    it, in total, and the mean duration; None where there is no dose below or above."""
    sel, pts = oc.selection_percent, oc.patients_per_dose
    top = len(sel)
    return {
        "correct_selection_percent": sel[mtd - 1],
        "over_selection_percent": sum(sel[mtd:]) if mtd < top else None,
        "patients_below": sum(pts[: mtd - 1]) if mtd > 1 else None,
        "patients_at": pts[mtd - 1],
        "patients_over": sum(pts[mtd:]) if mtd < top else None,
        "patients_total": oc.mean_sample_size,
        "duration_months": oc.duration_months,
    }


def oc_summary(
    oc: OperatingCharacteristics, truth: tuple[float, ...] = (), target: float | None = None
) -> dict[str, Any]:
    """The operating characteristics as JSON; with the truth and the target, and one dose whose
    true rate is the target, also the figures around that MTD (``relative_to_mtd``)."""
    result = oc.model_dump()
    for key in ("duration_months", "backfill_per_dose", "overdose60_percent", "overdose80_percent"):
        if result[key] is None:
            del result[key]
    at_target = [j + 1 for j, p in enumerate(truth) if target is not None and abs(p - target) < 1e-12]
    if len(at_target) == 1:
        result["true_mtd"] = at_target[0]
        result["relative_to_mtd"] = relative_to_mtd(oc, at_target[0])
    return result


def simulation_summary(
    oc: OperatingCharacteristics, truth: tuple[float, ...], design: DoseDesign, protocol: DoseProtocol | None
) -> dict[str, Any]:
    """A simulation's answer, as ``dose simulate --json`` and the REST API give it: the operating
    characteristics, the trial (when a protocol ran), the design that ran and its assumed values."""
    return {**oc_summary(oc, truth, design.target), "trial": None if protocol is None else protocol.trial.id,
            "design": design.model_dump(mode="json"), "assumed": assumed_summary(design)}  # fmt: skip
