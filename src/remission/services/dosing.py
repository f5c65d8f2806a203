"""Dose-finding protocols: the bundled ones (src/remission/data/dose/) and files given by path."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DEFAULT_PRESET, PRESETS, DesignError, DoseDesign, design_from
from remission.dosefinding.protocol import DoseProtocol, read_protocol
from remission.dosefinding.simulation import PatientModel, SimulationCase, simulate
from remission.dosefinding.summary import simulation_summary
from remission.dosefinding.trace import TraceLines

__all__ = [
    "BUNDLED",
    "bundled_dose_protocols",
    "load_dose_protocol",
    "resolve_case",
    "resolve_design",
    "simulate_bounded",
]

BUNDLED = files("remission") / "data" / "dose"


def bundled_dose_protocols() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in BUNDLED.iterdir() if p.name.endswith(".toml"))


def load_dose_protocol(name: str, allow_paths: bool = True) -> DoseProtocol:
    """A bundled protocol by trial id (e.g. NCT07095075) or, when ``allow_paths``, a TOML file."""
    bundled = BUNDLED / f"{name}.toml"
    if name in bundled_dose_protocols() and bundled.is_file():
        return read_protocol(bundled.read_text(encoding="utf-8"), f"{name} (bundled)")
    path = Path(name)
    if allow_paths and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DoseFindingError(f"{path}: {exc.strerror}") from None
        return read_protocol(text, str(path))
    where = "no such protocol file, and no" if allow_paths else "no"
    raise DoseFindingError(f"{name}: {where} bundled protocol of that name ({', '.join(bundled_dose_protocols())})")


def resolve_design(
    protocol: str | None,
    design: str | Mapping[str, Any] | None,
    options: Mapping[str, Any],
    allow_paths: bool = True,
    source: str = "design",
) -> tuple[DoseProtocol | None, DoseDesign]:
    """The design a request names: a protocol's (bundled, or a file when ``allow_paths``), a
    preset by name, or a design object; then ``options`` (by option name) override its values.
    A protocol and a design together are refused."""
    if protocol is not None and design is not None:
        raise DesignError([("design", "give a protocol or a design, not both")], source)
    if protocol is not None:
        chosen = load_dose_protocol(protocol, allow_paths=allow_paths).with_design(options, source)
        return chosen, chosen.design
    if isinstance(design, str) or design is None:
        name = design or DEFAULT_PRESET
        if name not in PRESETS:
            raise DesignError([("design", f"{name!r} is not one of {', '.join(PRESETS)}")], source)
        return None, design_from(PRESETS[name], options, source)
    return None, design_from(design, options, source)


def resolve_case(case: SimulationCase, allow_paths: bool = True, source: str = "scenario") -> tuple[
        DoseProtocol | None, DoseDesign, PatientModel]:  # fmt: skip
    """The protocol (if any), design and patient model of a simulation case."""
    protocol, design = resolve_design(case.protocol, case.design, case.options, allow_paths, source)
    model = case.patients()
    if protocol is not None and len(model.truth) != len(protocol.trial.doses):
        raise DesignError([("truth", f"{len(model.truth)} values; the protocol has {len(protocol.trial.doses)} "
                                     "doses")], source)  # fmt: skip
    design.check_doses(len(model.truth))
    return protocol, design, model


def simulate_bounded(
    case: SimulationCase, trials: int, seed: int, trace: bool, work_limit: int, trace_limit: int
) -> dict[str, Any]:
    """A simulation for a request (REST or the dose explorer page): refused with the reason when
    trials × the design's most patients × doses (× 8 over calendar time) exceeds ``work_limit``,
    or a trace would exceed ``trace_limit``; otherwise its summary, with the trace when asked."""
    protocol, design, model = resolve_case(case, allow_paths=False, source="body")
    doses, most = len(model.truth), design.capacity(len(model.truth))
    calendar = design.backfill is not None if case.calendar is None else case.calendar
    work = trials * most * doses * (8 if calendar else 1)
    if work > work_limit:
        raise DoseFindingError(f"trials × the design's most patients × doses{' × 8' if calendar else ''} = "
                               f"{work:,} is over {work_limit:,} for one request: fewer trials, or "
                               "`remission dose simulate` / `dose sweep`")  # fmt: skip
    if trace and (trials > 100 or trials * most**2 > trace_limit):
        raise DoseFindingError(f"trace: at most 100 trials and trials × the design's most patients² ≤ "
                               f"{trace_limit:,} (here {trials * most**2:,})")  # fmt: skip
    lines = TraceLines() if trace else None
    oc = simulate(design, model, trials, seed, case.calendar, lines)
    return {**simulation_summary(oc, model.truth, design, protocol), "trace": None if lines is None else lines.lines}
