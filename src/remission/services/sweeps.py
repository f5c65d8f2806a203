"""Many simulation cases at once: in parallel processes on this machine, or on a Dask
distributed cluster (``scheduler``, the ``remission[distributed]`` extra).

Each case gets its own seed, derived from the sweep's seed and the case's position (NumPy
``SeedSequence``), so a sweep is reproducible wherever it runs and however it is split. A case is
the same JSON as a ``POST /api/v1/dose/simulate`` body (``SimulationCase``) without ``trials``,
``seed`` and ``trace``, which the sweep gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DEFAULT_PRESET, DoseDesign
from remission.dosefinding.simulation import PatientModel, SimulationCase, simulate
from remission.dosefinding.summary import oc_summary
from remission.services.dosing import resolve_case

__all__ = ["case_seed", "run_case", "sweep"]


def case_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


@dataclass(frozen=True)
class _Job:
    """A case resolved (its design and patient model), ready to run wherever the sweep sends it."""

    name: str
    label: str
    design: DoseDesign
    model: PatientModel
    calendar: bool | None
    trials: int
    seed: int
    source: str


def _job(case: SimulationCase, n_trials: int, seed: int, source: str) -> _Job:
    _, design, model = resolve_case(case, source=source)
    # What the scenario named: a protocol, a preset, or (a whole design object) "custom".
    label = case.protocol or (case.design if isinstance(case.design, str) else DEFAULT_PRESET
                              if case.design is None else "custom")  # fmt: skip
    return _Job(case.name, label, design, model, case.calendar, n_trials, seed, source)


def _run(job: _Job) -> dict[str, Any]:
    try:
        oc = simulate(job.design, job.model, job.trials, job.seed, job.calendar)
    except DoseFindingError as exc:
        raise DoseFindingError(f"{job.source}: {exc}") from None
    return {"name": job.name, "design": job.label, "seed": job.seed,
            **oc_summary(oc, job.model.truth, job.design.target)}  # fmt: skip


def run_case(case: SimulationCase, n_trials: int, seed: int, source: str = "scenario") -> dict[str, Any]:
    """One case's operating characteristics, with its name, seed and the design that ran."""
    return _run(_job(case, n_trials, seed, source))


def sweep(
    cases: Sequence[SimulationCase],
    n_trials: int,
    seed: int = 1,
    workers: int | None = None,
    scheduler: str | None = None,
    source: str = "sweep",
) -> list[dict[str, Any]]:
    """The operating characteristics of every case, in order. Every case is resolved first (once:
    the workers get the resolved design), so a bad one is refused, named by its position, before
    anything runs."""
    jobs = [_job(c, n_trials, case_seed(seed, i), f"{source}: scenario {i + 1}") for i, c in enumerate(cases)]
    if scheduler is not None:
        try:
            # Imported here: distributed is an optional extra, needed only with a scheduler.
            from distributed import Client  # noqa: PLC0415
        except ImportError:
            raise DoseFindingError("a scheduler needs the extra: pip install 'remission[distributed]'") from None
        try:
            client = Client(scheduler, timeout="5s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise DoseFindingError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            futures = client.map(_run, jobs, pure=False)
            return list(client.gather(futures))  # type: ignore[no-untyped-call]
    if workers == 1 or len(jobs) <= 1:
        return [_run(job) for job in jobs]
    # Imported here: process pools are only needed for parallel sweeps.
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_run, jobs))
