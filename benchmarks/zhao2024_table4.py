"""The BF-BOIN article's Table 4 (and its BOIN rows in Supplementary Tables A2 and A16) reproduced
by Remission's default rules, side by side with the published figures.

Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673-679; the transcription and its
tolerances are ../shared/reference/bf_boin_paper/zhao2024.json. Each row runs 10,000 trials of the
article's settings through `simulate` (the same call `remission dose simulate` makes).

    python benchmarks/zhao2024_table4.py [--trials 10000] [--seed 2024] [--markdown]

Prints one JSON line per row (``--markdown``: the README's table instead).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from remission.dosefinding.design import DoseDesign
from remission.dosefinding.simulation import PatientModel, simulate
from remission.dosefinding.summary import relative_to_mtd

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bf_boin_paper" / "zhao2024.json"
METRICS = ("correct_selection_percent", "over_selection_percent", "patients_below", "patients_at", "patients_over",
           "patients_total", "duration_months")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    ref = json.loads(REFERENCE.read_text())
    scenarios = {s["scenario"]: s for s in ref["scenarios"]}
    tolerance = {k: v for k, v in ref["tolerance"].items() if k != "note"}
    rows = [("BF-BOIN", "Table 4", r, True, True, 3) for r in ref["bf_boin_published"]]
    rows += [("BOIN", r["table"], r, r["stay_on_1_of_3"], False, r["accrual_per_month"]) for r in ref["boin_published"]]
    lines = []
    for method, table, published, stay, backfill, accrual in rows:
        s = scenarios[published["scenario"]]
        design = DoseDesign(target=0.25, cohorts=10, n_earlystop=9, stay_at_one_third=stay, dlt_window_days=30,
                            backfill={"cap": 12} if backfill else None)  # fmt: skip
        response = s["p_response"] if backfill else None
        model = PatientModel(truth=s["p_dlt"], response=response, accrual_per_month=accrual)
        oc = simulate(design, model, args.trials, seed=args.seed, calendar=True)
        ours = relative_to_mtd(oc, s["mtd_dose"])
        within = all(published.get(k) is None or abs((ours[k] or 0) - published[k]) <= t for k, t in tolerance.items())
        lines.append({"benchmark": "zhao2024_table4", "method": method, "table": table, "scenario": s["scenario"],
                      "ours": {k: None if v is None else round(v, 2) for k, v in ours.items()},
                      "published": {k: published.get(k) for k in METRICS}, "within_tolerance": within})  # fmt: skip
    if not args.markdown:
        for line in lines:
            print(json.dumps(line))
        return
    print("| method | table | scenario | correct % | over % | below | at | over | total | months |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for line in lines:
        cells = []
        for k in METRICS:
            mine, theirs = line["ours"][k], line["published"][k]
            cells.append("–" if theirs is None else f"{mine:.1f} / {theirs}")
        print(f"| {line['method']} | {line['table']} | {line['scenario']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
