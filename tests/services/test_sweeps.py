"""Sweeps: every scenario gets a seed derived from the sweep's, so the figures are the same run
in one process, in a process pool, or on a Dask cluster (a LocalCluster here)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.scenarios import run_scenario, scenario
from remission.services.sweeps import scenario_seed, sweep

SCENARIOS = [
    scenario({"name": "boin", "design": "boin", "truth": [0.05, 0.12, 0.3, 0.46, 0.6]}),
    scenario({"name": "3+3", "design": "3+3", "truth": [0.05, 0.12, 0.3, 0.46, 0.6]}),
    scenario({"name": "bf", "design": "bf-boin", "target": 0.25, "truth": [0.04, 0.12, 0.25, 0.43, 0.63],
              "response": [0.1, 0.2, 0.3, 0.45, 0.58], "n_earlystop": 9}),
]


def expected() -> list[dict[str, object]]:
    return [{"name": s.name, "design": s.design, "seed": scenario_seed(7, i),
             **asdict(run_scenario(s, 300, scenario_seed(7, i)))} for i, s in enumerate(SCENARIOS)]  # fmt: skip


def test_same_figures_serial_and_in_processes() -> None:
    want = expected()
    assert sweep(SCENARIOS, 300, seed=7, workers=1) == want
    assert sweep(SCENARIOS, 300, seed=7, workers=2) == want
    assert len({r["seed"] for r in want}) == 3


def test_same_figures_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert sweep(SCENARIOS, 300, seed=7, scheduler=cluster.scheduler_address) == expected()


def test_unreachable_scheduler() -> None:
    with pytest.raises(DoseFindingError, match="cannot reach the Dask scheduler"):
        sweep(SCENARIOS[:1], 10, scheduler="tcp://127.0.0.1:1")


def test_cli_sweep(tmp_path: Path) -> None:
    path = tmp_path / "sweep.json"
    path.write_text('[{"name": "a", "truth": [0.1, 0.3, 0.5]}, {"name": "b", "design": "3+3", "truth": [0.1, 0.3, 0.5]}]')
    result = CliRunner().invoke(app, ["dose", "sweep", "--scenarios", str(path), "--trials", "200", "--workers", "1"])
    assert result.exit_code == 0 and " a " in result.stdout and "3+3" in result.stdout
    path.write_text('[{"truth": [0.1], "design": "crm"}]')
    result = CliRunner().invoke(app, ["dose", "sweep", "--scenarios", str(path)])
    assert result.exit_code == 2 and "scenario 1: design" in result.stderr
