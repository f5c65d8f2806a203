"""Request and response models of /api/v1/dose.

The design inside a request is the one ``DoseDesign`` shape (a protocol file's ``[design]``), or
a bundled protocol, or a preset name, with ``options`` overriding values by the command line's
option names. Ranges are bounded to what answers in seconds (measured on one core): a request's
work, trials × the design's most patients × doses (× 8 over calendar time), is at most
``WORK_LIMIT``; a trace repeats every patient on every line, so it is bounded by trials × most
patients² ≤ ``TRACE_LIMIT``."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from remission.dosefinding.simulation import OperatingCharacteristics, SimulationCase

__all__ = [
    "TRACE_LIMIT",
    "WORK_LIMIT",
    "AssumedValue",
    "BoundariesOut",
    "BoundaryRowOut",
    "DecisionRowOut",
    "MtdOut",
    "NextIn",
    "NextOut",
    "SelectMtdIn",
    "SimulateIn",
    "SimulateOut",
    "StopRowOut",
]

WORK_LIMIT = 50_000_000
TRACE_LIMIT = 400_000


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssumedValue(_Out):
    field: str
    value: Any
    note: str


class DecisionRowOut(_Out):
    n: int
    escalate_if_dlt_le: int
    deescalate_if_dlt_ge: int
    eliminate_if_dlt_ge: int | None


class BoundaryRowOut(DecisionRowOut):
    decisions: list[str]


class StopRowOut(_Out):
    n_at_lowest_dose: int
    stop_trial_if_dlt_ge: int | None


class BoundariesOut(_Out):
    lambda_e: float
    lambda_d: float
    table: list[BoundaryRowOut]
    stop_boundary: list[StopRowOut] | None = None
    assumed: list[AssumedValue] = []


class SelectMtdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: list[int] = Field(min_length=1, max_length=20)
    y: list[int] = Field(min_length=1, max_length=20)
    target: float | None = None
    bound_mtd: bool | None = None
    extrasafe: bool | None = None
    cutoff_eli: float | None = None
    offset: float | None = None
    p_tox: float | None = None


class MtdOut(_Out):
    mtd: int | None
    estimates: list[float | None]
    ci_lower: list[float | None]
    ci_upper: list[float | None]
    p_overdose: list[float | None]
    eliminated: list[int]
    admissible: list[int]


class NextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: str | None = Field(None, description="A bundled protocol, e.g. NCT07095075.")
    protocol_toml: str | None = Field(None, description="Or the text of a protocol file.", max_length=20_000)
    outcomes: str | None = Field(None, description='Patients so far in the notation, e.g. "1N 2N 3NNT".')
    patients: list[dict[str, Any]] | None = Field(None, description="Or patient records (dose, dlt, ...).",
                                                  max_length=1000)  # fmt: skip
    as_of: date | None = Field(None, description="Today, for the DLT windows of dated patients (default: today).")


class NextOut(_Out):
    trial: str
    action: str
    dose: int | None
    dose_label: str | None
    dose_unit: str
    patients: int
    phase: str
    reasons: list[str]
    n: list[int]
    y: list[int]
    pending: list[int]
    treated: list[int]
    eliminated: list[int]
    admissible: list[int]
    backfill_open: list[int]
    decision_table: DecisionRowOut | None
    mtd: MtdOut | None
    deviations: list[str]
    assumed: list[AssumedValue]


class SimulateIn(SimulationCase):
    trials: int = Field(10_000, ge=1, le=100_000)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    trace: bool = Field(False, description="Return every decision point (at most 100 trials).")


class SimulateOut(OperatingCharacteristics):
    trial: str | None
    design: dict[str, Any]
    assumed: list[AssumedValue]
    true_mtd: int | None = None
    relative_to_mtd: dict[str, float | None] | None = None
    trace: list[dict[str, Any]] | None = None
