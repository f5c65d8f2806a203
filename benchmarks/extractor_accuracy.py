"""Coverage and precision of the free-text extractor on the hand-labelled sentences
(tests/fixtures/criteria_sentences.yaml); one JSON line.

    .venv/bin/python benchmarks/extractor_accuracy.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.criteria.extractor_score import score, translatable


def main() -> None:
    scores, possible = score(), translatable()
    print(
        json.dumps(
            {
                name: {
                    "sentences": s.total,
                    "translatable": possible.get(name, 0),
                    "translated": s.translated,
                    "right": s.correct,
                    "coverage": round(s.coverage, 3),
                    "precision": round(s.precision, 3),
                }
                for name, s in scores.items()
            }
        )
    )


if __name__ == "__main__":
    main()
