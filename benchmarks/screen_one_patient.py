"""One patient screened against 10,000 trials, on one core.

The trials are what a registry holds: the criteria the extractor makes from each of the 1,237
bundled ClinicalTrials.gov records (as ``remission trials import`` stores them) plus the five
bundled protocol files, repeated until there are 10,000, each compiled beforehand as screening
compiles the stored criteria. The evaluator caches nothing from one trial to the next, so the
repetition does not flatter the figure. ``seconds`` is the median wall time of screening each
of the 30 reference vignettes (``slowest_seconds`` the slowest), ranking included.

``protocol_files_only_seconds`` is the worst case: 10,000 trials that are all hand-encoded
protocol files (17-40 computable criteria each, where most registry sentences are review items).

    python benchmarks/screen_one_patient.py [--trials 10000]

Prints one JSON line. Goal: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from remission.criteria.profile import Profile
from remission.criteria.protocol import Protocol
from remission.matching.registry_protocol import protocol_for_trial
from remission.registry.parsed import Parsed
from remission.registry.sources import read_path
from remission.services.screening import Screening, bundled_protocols
from remission.services.trials import bundled_paths

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "screening" / "vignettes.json"


def registry_protocols() -> list[Protocol]:
    records = bundled_paths()[0]
    return [protocol_for_trial(item.trial) for item in read_path(records) if isinstance(item, Parsed)]


def timed(profiles: list[Profile], protocols: list[Protocol], trials: int) -> list[float]:
    work = [(f"{p.id}#{i}", p) for i in range(trials // len(protocols) + 1) for p in protocols][:trials]
    times = []
    for profile in profiles:
        start = time.perf_counter()
        screened = Screening.screen_with(profile, work)
        times.append(time.perf_counter() - start)
        assert len(screened.results) == trials
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10_000)
    args = parser.parse_args()
    profiles = [Profile.parse(c["patient"]) for c in json.loads(VIGNETTES.read_text())["cases"]]
    registry = registry_protocols() + list(bundled_protocols())
    mixed = timed(profiles, registry, args.trials)
    files_only = timed(profiles[:5], list(bundled_protocols()), args.trials)
    seconds = statistics.median(mixed)
    print(json.dumps({"benchmark": "screen_one_patient", "trials": args.trials, "distinct_trials": len(registry),
                      "seconds": round(seconds, 3), "slowest_seconds": round(max(mixed), 3),
                      "trials_per_second": round(args.trials / seconds),
                      "protocol_files_only_seconds": round(statistics.median(files_only), 3),
                      "goal_seconds": 1.0}))  # fmt: skip


if __name__ == "__main__":
    main()
