"""Load on `argmap serve`: requests per second and 99th-percentile latency for judging a proposal.

Starts the real command on a free loopback port, then sends a bounded number
of ``POST /api/check`` requests (each example proposal in turn, some with a
component changed, as a person clicking would) from a few client threads, and
reports requests/s, latency percentiles as the clients saw them and as the
server measured them (its ``Server-Timing`` header: time waiting for the
worker thread, time judging), and the server's resident memory before and
after (and its peak).  Progress goes to stderr every ``--progress`` requests.
Every failed request is counted and the first few are shown; if the server
dies, its exit status and the end of its stderr are shown.  Exit status 0
when every request was answered 200, 1 otherwise.  Not a test: nothing is
asserted about speed.

    python bench/bench_serve.py [--requests 10000] [--clients 4] [--kb FILE]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
_TIMING = re.compile(r"(\w+);dur=([0-9.]+)")


def client() -> httpx.Client:
    """An HTTP client that sends each request at once (TCP_NODELAY, as browsers do)."""
    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    return httpx.Client(timeout=120, transport=httpx.HTTPTransport(socket_options=nodelay))


def memory_kib(pid: int) -> tuple[int, int]:
    """A process's resident memory now and at its peak, in KiB (Linux /proc; -1 when unknown)."""
    now = peak = -1
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        pass
    return now, peak


class Server:
    """`argmap serve --port 0` in a child process; its stderr is read to the end (kept: the last lines)."""

    def __init__(self, kb: list[str]) -> None:
        args = [sys.executable, "-c", "from argmap.cli import entry; entry()", "serve", "--port", "0"]
        args += ["--max-rate", "1000000", *kb]
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.tail: collections.deque[str] = collections.deque(maxlen=40)
        self._url: list[str] = []
        self._started = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._started.wait(300) or not self._url:
            self.stop()
            raise SystemExit("argmap serve did not start:\n" + "".join(self.tail))
        self.url = self._url[0]

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:  # read everything, so that the server never blocks on a full pipe
            self.tail.append(line)
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if found and not self._url:
                self._url.append(found.group(1))
                self._started.set()
        self._started.set()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int | None:
        if self.alive():
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def bodies_of(client: httpx.Client, url: str) -> list[dict[str, Any]]:
    """The request bodies: each proposal file the server lists, and a few one-component edits of each."""
    files = [p for p in client.get(url + "api/proposals").json() if "error" not in p]
    voc = client.get(url + "api/vocabulary").json()
    bodies = []
    for f in files:
        mapping = client.get(url + f"api/proposals/{f['name']}").json()["proposal"]
        bodies.append({"proposal": mapping})
        for comp in voc["components"][:3]:  # a few edits each, as a person clicking
            if comp["arity"] == "one" and comp["key"] not in mapping.get("open", []):
                bodies.append({"proposal": {**mapping, comp["key"]: comp["values"][0]["value"]}})
    if not bodies:
        raise SystemExit("the server lists no proposal file to send")
    return bodies


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"median {q[49]:.1f}, p90 {q[89]:.1f}, p99 {q[98]:.1f}, max {max(values):.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--progress", type=int, default=1000, help="report progress every N requests")
    parser.add_argument("--kb", action="append", default=[], help="passed to argmap serve --kb")
    options = parser.parse_args()
    kb = [x for path in options.kb for x in ("--kb", path)]

    t0 = time.perf_counter()
    server = Server(kb)
    url = server.url
    print(f"server up in {time.perf_counter() - t0:.1f} s at {url} (grounding included)", flush=True)
    latencies: list[float] = []
    waited: list[float] = []
    judged: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    done = [0]
    try:
        with client() as http:
            bodies = bodies_of(http, url)
            for body in bodies:  # warm up: every body judged once
                http.post(url + "api/check", json=body).raise_for_status()
        before, _ = memory_kib(server.proc.pid)

        counter = iter(range(options.requests))

        def worker() -> None:
            with client() as http:
                for i in counter:
                    if not server.alive():
                        with lock:
                            errors["the server exited"] += 1
                        continue
                    start = time.perf_counter()
                    try:
                        answer = http.post(url + "api/check", json=bodies[i % len(bodies)])
                    except httpx.HTTPError as exc:
                        took, problem, timing = time.perf_counter() - start, f"{type(exc).__name__}: {exc}", {}
                    else:
                        took = time.perf_counter() - start
                        problem = None if answer.status_code == 200 else f"{answer.status_code}: {answer.text[:200]}"
                        timing = dict(_TIMING.findall(answer.headers.get("server-timing", "")))
                    with lock:
                        latencies.append(took * 1000)
                        if "solve" in timing:
                            waited.append(float(timing["queue"]))
                            judged.append(float(timing["solve"]))
                        if problem is not None:
                            errors[problem] += 1
                        done[0] += 1
                        if options.progress and done[0] % options.progress == 0:
                            rss, _ = memory_kib(server.proc.pid)
                            print(
                                f"  ... {done[0]} requests, {time.perf_counter() - t1:.1f} s, "
                                f"server {rss / 1024:.1f} MiB, {sum(errors.values())} errors",
                                file=sys.stderr,
                                flush=True,
                            )

        threads = [threading.Thread(target=worker) for _ in range(options.clients)]
        t1 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t1
        after, peak = memory_kib(server.proc.pid)
    finally:
        status = server.stop()

    print(f"{len(latencies)} POST /api/check from {options.clients} clients over {len(bodies)} distinct proposals")
    print(f"  {len(latencies) / wall:.0f} requests/s over {wall:.1f} s")
    print(f"  latency ms (client): {percentiles(latencies)}")
    print(f"  on the server, ms: judging {percentiles(judged)}")
    print(f"                     waiting for the worker {percentiles(waited)}")
    mib = [before / 1024, after / 1024, (after - before) / 1024, peak / 1024]
    print("  server memory (RSS): {:.1f} MiB before, {:.1f} MiB after ({:+.1f} MiB), peak {:.1f} MiB".format(*mib))
    failed = sum(errors.values())
    print(f"  errors: {failed}")
    for problem, count in errors.most_common(5):
        print(f"    {count} x {problem}")
    if status not in (0, None):
        print(f"  the server exited with status {status}; the end of its stderr:\n" + "".join(server.tail))
    return 1 if failed or status not in (0, None) else 0


if __name__ == "__main__":
    sys.exit(main())
