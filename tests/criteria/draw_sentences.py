"""Draw a fresh sample of criteria sentences for the extractor's labelled set
(tests/fixtures/criteria_sentences.yaml), skipping every sentence labelled already.

    .venv/bin/python -m tests.criteria.draw_sentences --seed 20261124 --cell 40 --autoimmune 30 --other 30

Strata: items of records with a CAR (or other engineered cell) product; items of the other
records coded with a disease; items of every other record. Repeated sentences count once
(case-insensitive); the sample's own ids (``--prefix``) are not counted as labelled, so the
same arguments draw the same sample again. Prints one line per sentence (id, stratum, source, text), for labelling by
hand before the extractor is run on them.
"""

from __future__ import annotations

import argparse
import json
import random

from remission.registry.parsed import Parsed
from remission.registry.sources import read_path
from remission.services.trials import bundled_paths
from tests.criteria.extractor_score import sentences

STRATA = ("CAR-T trial", "autoimmune trial", "other trial")


def pools(prefix: str) -> dict[str, list[tuple[str, str, int, str]]]:
    # A sample's own ids (``prefix``) do not count as labelled, so a draw can be repeated.
    labelled = {s["text"].strip().lower() for s in sentences() if not s["id"].startswith(prefix)}
    found: dict[str, list[tuple[str, str, int, str]]] = {name: [] for name in STRATA}
    seen: set[str] = set()
    for outcome in read_path(bundled_paths()[0]):
        if not isinstance(outcome, Parsed) or outcome.trial.eligibility is None:
            continue
        trial = outcome.trial
        stratum = STRATA[0] if trial.cell_types else STRATA[1] if trial.diseases else STRATA[2]
        e = trial.eligibility
        for kind, items in (("inclusion", e.inclusion), ("exclusion", e.exclusion)):
            for number, item in enumerate(items, 1):
                key = item.text.strip().lower()
                if key in seen:
                    continue
                seen.add(key)
                if key not in labelled:
                    found[stratum].append((trial.id, kind, number, item.text.strip()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--cell", type=int, default=40)
    parser.add_argument("--autoimmune", type=int, default=30)
    parser.add_argument("--other", type=int, default=30)
    parser.add_argument("--prefix", default="G")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    found = pools(args.prefix)
    number = 0
    for stratum, n in zip(STRATA, (args.cell, args.autoimmune, args.other), strict=True):
        for trial, kind, item, text in rng.sample(found[stratum], n):
            number += 1
            print(json.dumps({"id": f"{args.prefix}{number:03d}", "stratum": stratum,
                              "source": f"{trial} {kind} {item}", "text": text}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
