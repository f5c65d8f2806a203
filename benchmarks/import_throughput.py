"""Import throughput of the bundled trials (records/s) and the process's peak memory.

    python benchmarks/import_throughput.py                      # SQLite in a temporary file
    python benchmarks/import_throughput.py --database-url URL   # e.g. PostgreSQL (emptied first)

Prints one JSON line. The database is migrated first; only the import is timed.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from remission.services.trials import Registry, bundled_paths


def empty_database(url: str) -> None:
    """Drop everything in a PostgreSQL database's public schema (a benchmark database only)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL of a scratch database (emptied first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if not url.startswith("sqlite"):
            empty_database(url)
        registry = Registry.from_url(url)
        registry.upgrade()
        start = time.perf_counter()
        report = registry.import_paths(bundled_paths())
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = registry.import_paths(bundled_paths())
        reimport = time.perf_counter() - start
        engine = registry.engine.dialect.name
        registry.engine.dispose()
    print(
        json.dumps(
            {
                "benchmark": "import_throughput",
                "engine": engine,
                "records": report.records,
                "rejected": len(report.rejected),
                "seconds": round(seconds, 2),
                "records_per_s": round(report.records / seconds, 1),
                "reimport_seconds": round(reimport, 2),
                "reimport_unchanged": again.unchanged,
                # ru_maxrss is in KiB on Linux: the whole process, interpreter included.
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
