"""Screening cost against the size of the profile: one reference patient (the first vignette)
screened against the bundled registry's trials and protocol files, with her diagnosis listed
1, 10 and 50 times (50: the cap, ``MAX_ITEMS``) and her treatments repeated up to 500 (their
cap). Each copy of a diagnosis gets its own label, so nothing is deduplicated on the way.

Before the caps and the bound on diagnoses judged per cohort, 5,000 diagnoses cost 24 s of CPU
and 10,000 over 90 s (quadratic); what is left must grow no faster than the profile.
``ms_per_added_diagnosis_*`` is the slope between 1 and 10 and between 10 and 50 diagnoses,
``ms_per_added_treatment``
between 1 and 500 treatments: a slope that grew with the size would be superlinear.

    python benchmarks/screen_profile_size.py

Prints one JSON line.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

from remission.criteria.profile import MAX_ITEMS
from remission.services.screening import Screening, bundled_protocols, profile_from

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_one_patient import VIGNETTES, registry_protocols


def _sized(base: dict[str, Any], diagnoses: int, treatments: int) -> dict[str, Any]:
    patient = copy.deepcopy(base)
    first = patient["diagnoses"][0]
    patient["diagnoses"] = [{**first, "label": f"listed {i}"} for i in range(diagnoses)]
    given = patient.get("treatments") or [{"agent": "rituximab", "start": "2023-01-01"}]
    patient["treatments"] = (given * treatments)[:treatments]
    return patient


def main() -> None:
    base = json.loads(VIGNETTES.read_text())["cases"][0]["patient"]
    protocols = [(p.id, p) for p in (*registry_protocols(), *bundled_protocols())]
    out: dict[str, object] = {"benchmark": "screen_profile_size", "trials": len(protocols)}
    most = MAX_ITEMS["diagnoses"]
    ms: dict[tuple[int, int], float] = {}
    for diagnoses, treatments in ((1, 1), (10, 1), (most, 1), (most, MAX_ITEMS["treatments"])):
        profile = profile_from(_sized(base, diagnoses, treatments), source="benchmark")
        ms[diagnoses, treatments] = min(_timed(profile, protocols) for _ in range(3)) * 1000
        out[f"ms_{diagnoses}_diagnoses_{treatments}_treatments"] = round(ms[diagnoses, treatments], 1)
    out["ms_per_added_diagnosis_1_to_10"] = round((ms[10, 1] - ms[1, 1]) / 9, 2)
    out[f"ms_per_added_diagnosis_10_to_{most}"] = round((ms[most, 1] - ms[10, 1]) / (most - 10), 2)
    treatments = MAX_ITEMS["treatments"]
    out["ms_per_added_treatment"] = round((ms[most, treatments] - ms[most, 1]) / (treatments - 1), 3)
    print(json.dumps(out))


def _timed(profile: Any, protocols: Any) -> float:
    start = time.perf_counter()
    Screening.screen_with(profile, protocols)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
