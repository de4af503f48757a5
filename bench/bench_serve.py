"""Load on `argmap serve`: requests per second and 99th-percentile latency for judging a proposal.

Starts the real command on a free loopback port, then sends a bounded number
of ``POST /api/check`` requests (each example proposal in turn, some with a
component changed, as a person clicking would) from a few client threads, and
reports requests/s, latency percentiles and the server's resident memory
before and after.  Not a test: nothing is asserted about speed.

    python bench/bench_serve.py [--requests 10000] [--clients 4]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def rss_kib(pid: int) -> int:
    """The resident memory of a process, in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def start(kb: list[str]) -> tuple[subprocess.Popen[str], str]:
    args = [sys.executable, "-c", "from argmap.cli import entry; entry()", "serve", "--port", "0"]
    args += ["--max-rate", "1000000", *kb]
    proc = subprocess.Popen(
        args, cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return proc, found.group(1)
    raise SystemExit("argmap serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--kb", action="append", default=[], help="passed to argmap serve --kb")
    options = parser.parse_args()
    kb = [x for path in options.kb for x in ("--kb", path)]

    t0 = time.perf_counter()
    proc, url = start(kb)
    print(f"server up in {time.perf_counter() - t0:.1f} s at {url} (grounding included)")
    try:
        with httpx.Client(timeout=120) as client:
            files = [p for p in client.get(url + "api/proposals").json() if "error" not in p]
            bodies = []
            voc = client.get(url + "api/vocabulary").json()
            for f in files:
                mapping = client.get(url + f"api/proposals/{f['name']}").json()["proposal"]
                bodies.append({"proposal": mapping})
                for comp in voc["components"][:3]:  # a few edits each, as a person clicking
                    if comp["arity"] == "one" and f"{comp['key']}" not in mapping.get("open", []):
                        bodies.append({"proposal": {**mapping, comp["key"]: comp["values"][0]["value"]}})
            for body in bodies:  # warm up: every body judged once
                client.post(url + "api/check", json=body).raise_for_status()
        before = rss_kib(proc.pid)

        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        counter = iter(range(options.requests))

        def worker() -> None:
            with httpx.Client(timeout=120) as client:
                for i in counter:
                    body = bodies[i % len(bodies)]
                    start_t = time.perf_counter()
                    answer = client.post(url + "api/check", json=body)
                    took = time.perf_counter() - start_t
                    with lock:
                        latencies.append(took)
                        if answer.status_code != 200:
                            errors.append(f"{answer.status_code}: {answer.text[:200]}")

        threads = [threading.Thread(target=worker) for _ in range(options.clients)]
        t1 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t1
        after = rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)

    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(f"{len(latencies)} POST /api/check from {options.clients} clients over {len(bodies)} distinct proposals")
    print(f"  {len(latencies) / wall:.0f} requests/s over {wall:.1f} s")
    ms = [q[49] * 1000, q[89] * 1000, q[98] * 1000, latencies[-1] * 1000]
    print("  latency ms: median {:.1f}, p90 {:.1f}, p99 {:.1f}, max {:.1f}".format(*ms))
    mib = [before / 1024, after / 1024, (after - before) / 1024]
    print("  server memory (RSS): {:.1f} MiB before, {:.1f} MiB after ({:+.1f} MiB)".format(*mib))
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    main()
