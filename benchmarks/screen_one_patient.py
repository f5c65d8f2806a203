"""One patient screened against 10,000 trials, on one core.

The 10,000 trials are the five bundled protocol files (every criterion computable, 17-40
criteria each) repeated 2,000 times, compiled once beforehand as the registry's protocols are;
the figure is the median wall time of ``--repeats`` screenings of the first reference vignette,
ranking included.

    python benchmarks/screen_one_patient.py [--trials 10000] [--repeats 5]

Prints one JSON line. Goal: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from remission.criteria.profile import Profile
from remission.services.screening import Screening, bundled_protocols

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "screening" / "vignettes.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    protocols = list(bundled_protocols())
    work = [(f"{p.id}#{i}", p) for i in range(args.trials // len(protocols) + 1) for p in protocols][: args.trials]
    profile = Profile.parse(json.loads(VIGNETTES.read_text())["cases"][0]["patient"])
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        screened = Screening.screen_with(profile, work)
        times.append(time.perf_counter() - start)
    assert len(screened.results) == args.trials
    seconds = statistics.median(times)
    print(json.dumps({"benchmark": "screen_one_patient", "trials": args.trials, "seconds": round(seconds, 3),
                      "trials_per_second": round(args.trials / seconds), "goal_seconds": 1.0}))  # fmt: skip


if __name__ == "__main__":
    main()
