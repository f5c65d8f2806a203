"""Simulated BOIN trials per second on one core, next to R BOIN's get.oc on the same work.

The work is the first call of ../shared/reference/boin/get_oc_timing.json: target 0.3, true
DLT rates (0.05, 0.12, 0.30, 0.46, 0.60), 10 cohorts of 3, 10,000 trials. The figure is the
median of ``--repeats`` runs; R's rate is 10,000 trials over its median wall time. NumPy is
limited to one thread so that the comparison is one core against one core.

    python benchmarks/boin_simulation.py [--trials 10000] [--repeats 5]

Prints one JSON line. Goal: at least 100 times R's rate.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import statistics
import time
from pathlib import Path

from remission.dosefinding.design import DoseDesign
from remission.dosefinding.simulation import PatientModel, simulate

TIMING = Path(__file__).resolve().parents[2] / "shared" / "reference" / "boin" / "get_oc_timing.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    design = DoseDesign(target=0.3, cohort_size=3, cohorts=10)
    model = PatientModel(truth=[0.05, 0.12, 0.30, 0.46, 0.60])
    simulate(design, model, 100, seed=0)  # warm the boundary tables' imports
    seconds = []
    for seed in range(args.repeats):
        start = time.perf_counter()
        simulate(design, model, args.trials, seed=seed)
        seconds.append(time.perf_counter() - start)
    rate = args.trials / statistics.median(seconds)
    r_seconds = json.loads(TIMING.read_text())["runs"][0]["median_wall_seconds"]
    r_rate = 10_000 / r_seconds
    median = statistics.median(seconds)
    print(json.dumps({"benchmark": "boin_simulation", "trials": args.trials, "median_seconds": round(median, 4),
                      "trials_per_second": round(rate), "r_boin_trials_per_second": round(r_rate),
                      "ratio_to_r": round(rate / r_rate, 1), "goal_ratio": 100}))  # fmt: skip


if __name__ == "__main__":
    main()
