"""``emulation-rules serve`` on one worker: requests per second and latency of a brief and
an explained evaluation of the shipped typical-commune, against the direct library call.

A real uvicorn server (one worker, the app of ``emulation_rules.web.create_app``) runs in
this process on a free port; the client is a keep-alive ``http.client`` connection. The
contenders run interleaved in rounds (``benchlib.interleave``); the baseline is the direct
library call that answers the same thing (``to_json(rs.evaluate(u), form="brief")``), so
the × column is what HTTP, the framework and the thread hop add. Then p50/p99 latency per
request over ``--latency`` requests of each kind, one at a time.

Units alternate the shipped examples commune-all-met and commune-fails-18-19.
Run: ``python benchmarks/bench_serve.py [--requests N] [--rounds R] [--latency N]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import uvicorn

import emulation_rules as er
from benchlib import Contender, interleave, table
from emulation_rules.web import create_app

ROOT = Path(__file__).resolve().parents[1]
ON = date(2024, 12, 31)
URL = "/v1/rulesets/typical-commune/evaluate?on=2024-12-31"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server() -> tuple[uvicorn.Server, int]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=1
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def poster(port: int, query: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port)  # keep-alive

    def run(bodies: Sequence[bytes]) -> None:
        for body in bodies:
            conn.request("POST", URL + query, body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                raise RuntimeError(data[:300])

    return run


def latencies(run: Any, bodies: Sequence[bytes]) -> list[float]:
    out = []
    for body in bodies:
        t0 = time.perf_counter()
        run([body])
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=int, default=1000)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    units = [
        json.loads((ROOT / "examples" / f"{n}.json").read_text(encoding="utf-8"))
        for n in ("commune-all-met", "commune-fails-18-19")
    ]
    evidence = [units[i % 2] for i in range(args.requests)]
    bodies = [json.dumps(u, ensure_ascii=False).encode() for u in evidence]
    lib = er.Library()
    rs = lib.load("typical-commune", on=ON)
    server, port = start_server()
    brief, explained = poster(port, "&form=brief"), poster(port, "&explain=true")
    brief(bodies[:20])  # warm: compile, first explanations
    explained(bodies[:20])
    contenders = [
        Contender(
            "library: evaluate + to_json brief (baseline)",
            evidence,
            lambda us: [lib.to_json(rs.evaluate(u), form="brief") for u in us],
        ),
        Contender(
            "library: evaluate explained + to_json",
            evidence,
            lambda us: [lib.to_json(rs.evaluate(u, explain=True)) for u in us],
        ),
        Contender("HTTP: POST evaluate, brief", bodies, brief),
        Contender("HTTP: POST evaluate, explained", bodies, explained),
    ]
    times = interleave(contenders, args.rounds)
    print(table(contenders, times, unit="µs per request", ratio="× library brief"))
    print()
    print("| | requests/s (best round) | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    lat_bodies = [bodies[i % len(bodies)] for i in range(args.latency)]
    for name, run in (("brief", brief), ("explained", explained)):
        best = min(times[f"HTTP: POST evaluate, {name}"])
        lat = sorted(latencies(run, lat_bodies))
        p50 = statistics.median(lat) * 1e3
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3
        print(f"| {name} | {1 / best:,.0f} | {p50:.2f} | {p99:.2f} |")
    server.should_exit = True
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
