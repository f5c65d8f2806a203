"""1,000 patients screened against the five seed trials, on one core: each profile read from
JSON, validated against the contract's schema, its facts derived and all five protocol files
applied (the 30 reference vignettes, cycled). The figure is the median of ``--repeats`` runs.

    python benchmarks/screen_batch.py [--patients 1000] [--repeats 3]

Prints one JSON line. Goal: under 2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from remission.services.screening import Screening, bundled_protocols, read_profiles

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "screening" / "vignettes.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cases = json.loads(VIGNETTES.read_text())["cases"]
    lines = [json.dumps({**cases[i % len(cases)]["patient"], "id": f"p{i}"}) for i in range(args.patients)]
    work = [(p.id, p) for p in bundled_protocols()]
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        verdicts = 0
        for item in read_profiles(lines, source="bench"):
            assert item.profile is not None
            verdicts += len(Screening.screen_with(item.profile, work).results)
        times.append(time.perf_counter() - start)
    assert verdicts == args.patients * len(work)
    seconds = statistics.median(times)
    print(json.dumps({"benchmark": "screen_batch", "patients": args.patients, "trials": len(work),
                      "seconds": round(seconds, 3), "goal_seconds": 2.0}))  # fmt: skip


if __name__ == "__main__":
    main()
