"""Search latency, p50 and p95, over at least 10,000 trials: a one-word query with two filters.

The bundled ClinicalTrials.gov records are replicated under new NCT ids (NCT9kNNNNNN, copy k)
until there are ``--trials`` of them, imported through the ordinary import, and each query is
run through ``Registry.search`` (match, rank, page of 20 summaries) as the CLI and the REST
API run it.

    python benchmarks/search_latency.py                       # SQLite in a temporary file
    python benchmarks/search_latency.py --database-url URL    # e.g. PostgreSQL (emptied first)
    python benchmarks/search_latency.py --keep bench.db       # build once, reuse the SQLite file

Prints one JSON line. Goal: p95 under 50 ms on SQLite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from import_throughput import empty_database

from remission.domain.vocab import Sex
from remission.services.trials import Filters, Registry, bundled_paths

QUERIES: list[tuple[str, Filters]] = [
    ("sclerosis", Filters(diseases=["MS"], statuses=["RECRUITING"])),
    ("CD19", Filters(cell_types=["CAR-T"], countries=["China"])),
    ("lupus", Filters(statuses=["RECRUITING"], age_days=34 * 365.25, sex=Sex.FEMALE)),
    ("lymphoma", Filters(statuses=["RECRUITING"], phases=["PHASE2"])),
    ("cancer", Filters(countries=["United States"], statuses=["RECRUITING"])),
    ("antibody", Filters(phases=["PHASE1"], age_days=34 * 365.25)),
    ("scleroderma", Filters(diseases=["SSC"], countries=["United States"])),
    ("cells", Filters(cell_types=["CAR-T"], statuses=["RECRUITING"])),
]


def replicated(trials: int, out: Path) -> Path:
    """A JSON-lines file of ``trials`` records: the bundled ones, then copies under new ids."""
    source = bundled_paths()[0]
    with gzip.open(source, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    with out.open("w", encoding="utf-8") as f:
        for n in range(trials):
            copy, index = divmod(n, len(records))
            record = records[index]
            if copy:
                record = json.loads(json.dumps(record))
                record["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{copy}{index:06d}"
            f.write(json.dumps(record) + "\n")
    return out


def build(registry: Registry, trials: int, tmp: Path) -> float:
    start = time.perf_counter()
    report = registry.import_paths([replicated(trials, tmp / "replicated.jsonl")])
    if report.rejected:
        raise SystemExit(f"{len(report.rejected)} records rejected: {report.rejected[0]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30, help="runs of each query")
    parser.add_argument("--database-url", help="SQLAlchemy URL of a scratch database (emptied first)")
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        if args.database_url:
            url = args.database_url
            empty_database(url)
        else:
            url = f"sqlite:///{(args.keep or tmp / 'bench.db').resolve()}"
        registry = Registry.from_url(url)
        registry.upgrade()
        build_seconds = build(registry, args.trials, tmp) if registry.count() < args.trials else None
        timings: list[float] = []
        matches: dict[str, int] = {}
        for query, filters in QUERIES:
            matches[query] = registry.search(query, filters).total  # warm the caches
            for _ in range(args.repeat):
                start = time.perf_counter()
                registry.search(query, filters)
                timings.append((time.perf_counter() - start) * 1000)
        count, engine = registry.count(), registry.engine.dialect.name
        registry.engine.dispose()
    cuts = statistics.quantiles(timings, n=100)
    print(
        json.dumps(
            {
                "benchmark": "search_latency",
                "engine": engine,
                "trials": count,
                "queries": len(QUERIES),
                "runs": len(timings),
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(cuts[94], 2),
                "max_ms": round(max(timings), 2),
                "goal_p95_ms": 50,
                "matches": matches,
                "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
            }
        )
    )


if __name__ == "__main__":
    main()
