"""Many simulation scenarios at once: in parallel processes on this machine, or on a Dask
distributed cluster (``scheduler``, the ``remission[distributed]`` extra).

Each scenario gets its own seed, derived from the sweep's seed and the scenario's position
(NumPy ``SeedSequence``), so a sweep is reproducible wherever it runs and however it is split.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from typing import Any

import numpy as np

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.scenarios import Scenario, run_scenario


def scenario_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def _run(args: tuple[Scenario, int, int]) -> dict[str, Any]:
    s, n_trials, seed = args
    return {"name": s.name, "design": s.design, "seed": seed, **asdict(run_scenario(s, n_trials, seed))}


def sweep(
    scenarios: Sequence[Scenario],
    n_trials: int,
    seed: int = 1,
    workers: int | None = None,
    scheduler: str | None = None,
) -> list[dict[str, Any]]:
    """The operating characteristics of every scenario, in order."""
    jobs = [(s, n_trials, scenario_seed(seed, i)) for i, s in enumerate(scenarios)]
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
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_run, jobs))
