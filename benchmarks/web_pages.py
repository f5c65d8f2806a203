"""Latency of the public pages under load: p50/p95 of the search page, the trial page and a
pre-screen at 16 concurrent clients on loopback, over the bundled registry (goal: p95 < 100 ms
on SQLite); and the time of ``related`` for one trial (goal: < 100 ms).

    python benchmarks/web_pages.py [--url sqlite:///remission.db] [--clients 16] [--requests 400]

Without ``--url`` a fresh SQLite registry is made and the bundled trials imported (about 40 s).
The server is ``remission serve`` in its own processes (``--workers``, 2 by default: the
machine's cores). Each client is a thread holding one keep-alive connection (``http.client``,
as a load generator such as wrk does: a heavier client steals the server's cores).

Each page is measured twice: the same address again and again (``*_p95_ms``: after the first
request the page is served from the page cache, as a popular search or trial page is), and
``search_distinct_*``: every request a different search (a word of the registry's conditions,
a page number), none of them kept before, which is the cost of a search nobody asked yet.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

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


def _distinct_searches(n: int) -> list[str]:
    """``n`` different finder addresses: words of a disease vocabulary the registry's trials
    use, each with a place or without, on result pages 1 to 3."""
    words = ["lupus", "nephritis", "sclerosis", "myositis", "vasculitis", "myasthenia", "sjogren", "arthritis",
             "neuromyelitis", "cd19", "bcma", "allogeneic", "autologous", "nk", "refractory", "relapsed",
             "kidney", "skin", "antibody", "dermatomyositis", "pemphigus", "glomerulonephritis", "uveitis",
             "car-t", "cytopenia", "immune", "thrombocytopenia", "anemia", "children", "phase"]  # fmt: skip
    places = ["", "Shanghai", "Beijing", "Erlangen", "Boston", "Paris", "Hangzhou", "Guangzhou"]
    addresses = []
    for word, place, page in itertools.product(words, places, (1, 2, 3)):
        address = f"/?q={quote(word)}&page={page}"
        addresses.append(address + (f"&near={place}&within=2000" if place else ""))
    return addresses[:n]


class _Clients:
    """One keep-alive connection per client thread."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def get(self, path: str) -> float:
        connection = getattr(self.local, "connection", None)
        if connection is None or time.monotonic() - self.local.used > 2:
            # uvicorn closes a connection idle for 5 s: a client idle that long opens a new one.
            if connection is not None:
                connection.close()
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        self.local.used = time.monotonic()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return elapsed


def _measure(clients: _Clients, paths: list[str], threads: int) -> tuple[float, float]:
    with ThreadPoolExecutor(threads) as pool:
        times = list(pool.map(clients.get, paths))
    return round(statistics.median(times) * 1000, 1), round(_percentile(times, 0.95) * 1000, 1)


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
        clients = _Clients(port)
        for name, path in PAGES.items():
            clients.get(path)  # warm: templates compiled, the page kept
            out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = _measure(clients, [path] * args.requests, args.clients)
        distinct = _distinct_searches(args.requests)
        out["search_distinct_p50_ms"], out["search_distinct_p95_ms"] = _measure(clients, distinct, args.clients)
        out["related_ms"] = round(statistics.median(related) * 1000, 1)
        print(json.dumps(out))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
