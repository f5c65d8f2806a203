"""Sweeps: every case gets a seed derived from the sweep's, so the figures are the same run in one
process, in a process pool, or on a Dask cluster (a LocalCluster here); a case is a REST body."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.simulation import SimulationCase
from remission.services.sweeps import case_seed, run_case, sweep

CASES = [
    SimulationCase(name="boin", design="boin", truth=(0.05, 0.12, 0.3, 0.46, 0.6)),
    SimulationCase(name="3+3", design="3+3", truth=(0.05, 0.12, 0.3, 0.46, 0.6)),
    SimulationCase(name="bf", design="bf-boin", options={"target": 0.25, "n_earlystop": 9},
                   truth=(0.04, 0.12, 0.25, 0.43, 0.63), response=(0.1, 0.2, 0.3, 0.45, 0.58)),
    SimulationCase(name="nct", protocol="NCT07095075", truth=(0.02, 0.05, 0.1, 0.25, 0.4)),
]


def expected() -> list[dict[str, object]]:
    return [run_case(c, 300, case_seed(7, i)) for i, c in enumerate(CASES)]


def test_same_figures_serial_and_in_processes() -> None:
    want = expected()
    assert sweep(CASES, 300, seed=7, workers=1) == want
    assert sweep(CASES, 300, seed=7, workers=2) == want
    assert len({r["seed"] for r in want}) == 4
    assert [r["design"] for r in want] == ["boin", "3+3", "bf-boin", "NCT07095075"]


def test_same_figures_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert sweep(CASES, 300, seed=7, scheduler=cluster.scheduler_address) == expected()


def test_unreachable_scheduler() -> None:
    with pytest.raises(DoseFindingError, match="cannot reach the Dask scheduler"):
        sweep(CASES[:1], 10, scheduler="tcp://127.0.0.1:1")


def test_a_bad_case_is_refused_before_anything_runs() -> None:
    bad = SimulationCase(design="boin", options={"backfill_cap": 3}, truth=(0.1,))
    with pytest.raises(DoseFindingError, match="sweep: scenario 2: backfill_cap: the design has no backfill"):
        sweep([CASES[0], bad], 10)


def test_cli_sweep(tmp_path: Path) -> None:
    path = tmp_path / "sweep.json"
    path.write_text('[{"name": "a", "truth": [0.1, 0.3, 0.5]}, {"name": "b", "design": "3+3", "truth": [0.1, 0.3, 0.5]}]')
    result = CliRunner().invoke(app, ["dose", "sweep", "--scenarios", str(path), "--trials", "200", "--workers", "1"])
    assert result.exit_code == 0 and " a " in result.stdout and "3+3" in result.stdout
    assert [line.split("│")[2].strip() for line in result.stdout.splitlines() if line.startswith("│")] == ["boin", "3+3"]
    path.write_text('[{"truth": [0.1], "design": "crm"}]')
    result = CliRunner().invoke(app, ["dose", "sweep", "--scenarios", str(path)])
    assert result.exit_code == 2 and "scenario 1: design: 'crm' is not one of" in result.stderr
    path.write_text('[{"truth": [0.1, 0.2]}, {"protocol": "NCT07095075", "truth": [0.1]}]')
    result = CliRunner().invoke(app, ["dose", "sweep", "--scenarios", str(path)])
    assert result.exit_code == 2 and "scenario 2: truth: 1 values; the protocol has 5 doses" in result.stderr
