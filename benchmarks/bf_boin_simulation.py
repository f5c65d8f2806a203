"""Simulated BF-BOIN trials per second on one core, next to bfboin's get.oc.bf on the same work.

The work is ../shared/reference/boin/get_oc_bf_bf03.json (Zhao 2024 scenario 3: target 0.25,
10 cohorts of 3, n.earlystop 9, backfill cap 12, 3 patients a month, 1-month window), 10,000
trials, bfboin's rules. bfboin's rate comes from the ``elapsed`` seconds recorded in that file.

    python benchmarks/bf_boin_simulation.py [--trials 10000] [--repeats 3]

Prints one JSON line.
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

from remission.dosefinding.design import DAYS_PER_MONTH, DoseDesign
from remission.dosefinding.simulation import PatientModel, simulate

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "boin" / "get_oc_bf_bf03.json"


def elapsed_seconds(ref: dict[str, object]) -> float | None:
    """bfboin's wall time for the file's run, wherever the file records it."""
    for key in ("elapsed_seconds_this_run", "elapsed", "elapsed_seconds", "wall_seconds"):
        for where in (ref, ref.get("result"), ref.get("provenance")):
            if isinstance(where, dict) and isinstance(where.get(key), int | float):
                return float(where[key])
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ref = json.loads(REFERENCE.read_text())
    a = ref["args"]
    design = DoseDesign(target=a["target"], cohorts=a["ncohort"], cohort_size=a["cohortsize"],
                        n_earlystop=a["n.earlystop"], dlt_window_days=round(a["dlt.window"] * DAYS_PER_MONTH),
                        backfill={"cap": a["n.cap"], "rules": "bfboin", "assign": a["backfill.assign"]})  # fmt: skip
    model = PatientModel(truth=a["p.true"], response=a["p.response.true"], accrual_per_month=a["n.per.month"],
                         accrual=a["accrual"])  # fmt: skip
    simulate(design, model, 100, seed=0)
    seconds = []
    for seed in range(args.repeats):
        start = time.perf_counter()
        simulate(design, model, args.trials, seed=seed)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    r_seconds = elapsed_seconds(ref)
    line = {"benchmark": "bf_boin_simulation", "trials": args.trials, "median_seconds": round(median, 3),
            "trials_per_second": round(args.trials / median)}  # fmt: skip
    if r_seconds:
        line |= {"bfboin_trials_per_second": round(a["ntrial"] / r_seconds, 1),
                 "ratio_to_bfboin": round((args.trials / median) / (a["ntrial"] / r_seconds), 1)}  # fmt: skip
    print(json.dumps(line))


if __name__ == "__main__":
    main()
