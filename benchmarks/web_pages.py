"""Latency of the public pages under load: p50/p95 of the search page, the trial page and a
pre-screen at 16 concurrent clients on loopback, over the bundled registry (goal: p95 < 100 ms
on SQLite); and the time of ``related`` for one trial (goal: < 100 ms).

    python benchmarks/web_pages.py [--url sqlite:///remission.db] [--clients 16] [--requests 400]

Without ``--url`` a fresh SQLite registry is made and the bundled trials imported (about 40 s).
The server is ``remission serve`` in its own process (one uvicorn worker), so the clients and the
server do not share a core's interpreter lock. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from remission.services.trials import Registry, bundled_paths

PAGES = {
    "search": "/?q=lupus&near=Shanghai&within=1000",
    "trial": "/trials/NCT07095075",
    "prescreen": "/trials/NCT07095075/prescreen?disease=SLE",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=400, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="server processes (the machine has 2 cores)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
    registry = Registry.from_url(url)
    registry.upgrade()
    if args.url is None:
        registry.import_paths(bundled_paths())
    related = []
    for _ in range(5):
        start = time.perf_counter()
        registry.related("NCT07095075", 10)
        related.append(time.perf_counter() - start)
    port = _free_port()
    script = Path(sys.executable).parent / "remission"
    env = {**os.environ, "REMISSION_DATABASE_URL": url, "REMISSION_MAIL_DIR": folder}
    server = subprocess.Popen([str(script), "serve", "--port", str(port), "--workers", str(args.workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        out: dict[str, object] = {
            "benchmark": "web_pages",
            "database": url.split(":", 1)[0],
            "clients": args.clients,
            "workers": args.workers,
            "requests_per_page": args.requests,
        }
        with httpx.Client(base_url=base, timeout=30) as client:
            for name, path in PAGES.items():
                client.get(path)  # warm: templates compiled, caches filled

                def one(_: int, path: str = path) -> float:
                    start = time.perf_counter()
                    response = client.get(path)
                    response.raise_for_status()
                    return time.perf_counter() - start

                with ThreadPoolExecutor(args.clients) as pool:
                    times = list(pool.map(one, range(args.requests)))
                out[f"{name}_p50_ms"] = round(statistics.median(times) * 1000, 1)
                out[f"{name}_p95_ms"] = round(_percentile(times, 0.95) * 1000, 1)
        out["related_ms"] = round(statistics.median(related) * 1000, 1)
        print(json.dumps(out))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
