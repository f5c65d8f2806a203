"""Units of the patient-profile contract's labs, and their conversion to the canonical units
that criteria compare in.

The factors are the contract's (../shared/contracts/README.md, "Units"): counts in 10^9/L
(cells/µL ÷ 1000; 10^3/µL is the same number), haemoglobin in g/L (g/dL × 10), CRP in mg/L
(mg/dL × 10), bilirubin 1 mg/dL = 17.1 µmol/L, creatinine 1 mg/dL = 88.4 µmol/L, and IgG, C3
and C4 in g/L (mg/dL ÷ 100).
"""

from __future__ import annotations

from remission.instruments.kidney import UMOL_PER_MG_DL

BILIRUBIN_UMOL_PER_MG_DL = 17.1
XULN = "xULN"

_COUNT = {"10^9/L": 1.0, "10^3/uL": 1.0, "cells/uL": 0.001}
_IMMUNOGLOBULIN = {"g/L": 1.0, "mg/dL": 0.01}

# lab -> {unit: factor that turns a value in that unit into the canonical (first) unit}
FACTORS: dict[str, dict[str, float]] = {
    "neutrophils": _COUNT,
    "lymphocytes": _COUNT,
    "platelets": _COUNT,
    "haemoglobin": {"g/L": 1.0, "g/dL": 10.0},
    "total_bilirubin": {"umol/L": 1.0, "mg/dL": BILIRUBIN_UMOL_PER_MG_DL},
    "creatinine": {"umol/L": 1.0, "mg/dL": UMOL_PER_MG_DL},
    "crp": {"mg/L": 1.0, "mg/dL": 10.0},
    "esr": {"mm/h": 1.0},
    "igg": _IMMUNOGLOBULIN,
    "c3": _IMMUNOGLOBULIN,
    "c4": _IMMUNOGLOBULIN,
    "spo2": {"%": 1.0},
    "egfr": {"mL/min/1.73m2": 1.0},
    "alt": {"U/L": 1.0},
    "ast": {"U/L": 1.0},
    "inr": {"ratio": 1.0},
    "pt": {"s": 1.0},
}
CANONICAL: dict[str, str] = {lab: next(iter(units)) for lab, units in FACTORS.items()}


class UnitError(ValueError):
    """A unit a lab does not accept (named with the lab and the accepted units)."""


def convert(lab: str, value: float, unit: str, to: str) -> float:
    """``value`` of ``lab`` from ``unit`` into ``to``; both must be units of that lab."""
    units = FACTORS[lab]
    for name in (unit, to):
        if name not in units:
            raise UnitError(f"{lab}: unit {name!r} is not one of {', '.join(units)}")
    return value * units[unit] / units[to]


def canonical(lab: str, value: float, unit: str) -> float:
    """``value`` of ``lab`` in its canonical unit (:data:`CANONICAL`)."""
    return convert(lab, value, unit, CANONICAL[lab])
