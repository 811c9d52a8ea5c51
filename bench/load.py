"""A bounded HTTP load generator for ``newsfacet serve``: N clients for S seconds on loopback.

    python bench/load.py --url http://127.0.0.1:5000 [--clients 8] [--seconds 60] [--path /api/search]
    python bench/load.py --serve bench/data/index-x5 ...   # starts `newsfacet serve` itself, measures its RSS

Each client sends the committed request mix (bench/queries.json) in its own rotation, one
request at a time, until the time is up (and at most --max-requests in all). Reports
requests/s, p50/p95/p99/max latency, errors (non-200 or failures) and, when it started the
server, the server's peak RSS. Only 127.0.0.1/localhost URLs are accepted.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from common import QUERIES, REPO, RssSampler, load_average, mb, summary_ms, table, write_result

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def request_path(r: dict, path: str = "/api/search") -> str:
    params = [("q", r["q"])] + [("country", c) for c in r["countries"]] + [("person", p) for p in r["people"]]
    if r.get("from"):
        params.append(("from", r["from"]))
    if r.get("to"):
        params.append(("to", r["to"]))
    params += [("sort", r["sort"]), ("page", str(r["page"]))]
    return f"{path}?{urlencode(params)}"


class Client(threading.Thread):
    def __init__(self, host: str, port: int, paths: list[str], deadline: float, budget, offset: int):
        super().__init__(daemon=True)
        self.host, self.port, self.paths, self.deadline, self.budget = host, port, paths, deadline, budget
        self.offset = offset
        self.latencies: list[float] = []
        self.which: list[int] = []          # index into paths of each latency
        self.errors: list[str] = []

    def run(self):
        conn = None
        i = self.offset
        while time.perf_counter() < self.deadline and self.budget.take():
            k = i % len(self.paths)
            path = self.paths[k]
            i += 1
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    self.errors.append(f"{resp.status} {path}")
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc} {path}")
                if conn is not None:
                    conn.close()
                conn = None
                continue
            self.latencies.append(time.perf_counter() - started)
            self.which.append(k)
        if conn is not None:
            conn.close()


class Budget:
    def __init__(self, n: int):
        self.n, self.lock = n, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.n <= 0:
                return False
            self.n -= 1
            return True


def run_load(url: str, clients: int, seconds: float, path: str = "/api/search",
             max_requests: int = 1_000_000, queries: Path = QUERIES) -> dict:
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing {url}: the load generator only targets loopback (127.0.0.1)")
    mix = json.loads(queries.read_text())["requests"]
    paths = [request_path(r, path) for r in mix]
    deadline = time.perf_counter() + seconds
    budget = Budget(max_requests)
    started = time.perf_counter()
    workers = [Client(parts.hostname, parts.port or 80, paths, deadline, budget, k * len(paths) // clients)
               for k in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(seconds + 60)
    elapsed = time.perf_counter() - started
    lat = [x for w in workers for x in w.latencies]
    errors = [e for w in workers for e in w.errors]
    by_class: dict[str, list[float]] = {}
    for w in workers:
        for k, x in zip(w.which, w.latencies):
            by_class.setdefault(mix[k].get("class", "all"), []).append(x)
    return {"url": url, "path": path, "clients": clients, "seconds": round(elapsed, 1), "requests": len(lat),
            "requests_per_s": round(len(lat) / elapsed, 1) if elapsed else 0.0, "latency_ms": summary_ms(lat),
            "latency_ms_by_class": {c: summary_ms(v) for c, v in by_class.items()},
            "errors": len(errors), "error_samples": errors[:5]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`newsfacet serve` (or ``command(port)``, run with ``env``) on a free loopback port, for the
    duration of a with-block."""

    def __init__(self, index: Path, threads: int = 8, processes: int = 1, command=None, env=None):
        self.index, self.threads, self.processes = index, threads, processes
        self.command, self.env = command, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self) -> "Server":
        exe = Path(sys.executable).parent / "newsfacet"
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "indexer.cli"]
        cmd += ["serve", "--index", str(self.index), "--host", "127.0.0.1", "--port", str(self.port),
                "--threads", str(self.threads), "--processes", str(self.processes)]
        if self.command:
            cmd = self.command(self.port)
        self.proc = subprocess.Popen(cmd, cwd=str(REPO), env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"newsfacet serve exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                conn.request("GET", "/api/search?q=")   # first request opens the generation
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("newsfacet serve did not start in 120 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def report_by_class(res: dict, title: str) -> str:
    rows = [[c, s["n"], s["p50"], s["p95"], s["max"]] for c, s in res.get("latency_ms_by_class", {}).items()]
    return table(["class", "n", "p50 ms", "p95 ms", "max ms"], rows, title)


def report(res: dict, title: str) -> str:
    s = res["latency_ms"]
    rows = [[res["clients"], res["seconds"], res["requests"], res["requests_per_s"], s["p50"], s["p95"], s["p99"],
             s["max"], res["errors"], res.get("server_peak_rss_mb", ""),
             "→".join(str(v) for v in res.get("server_rss_first_last_mb", []))]]
    return table(["clients", "s", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
                  "server RSS MB", "RSS first→last fifth"], rows, title)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=None, help="a running server (loopback only)")
    ap.add_argument("--serve", type=Path, default=None, help="start `newsfacet serve` on this index")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--path", default="/api/search")
    ap.add_argument("--max-requests", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=8, help="server threads (with --serve)")
    ap.add_argument("--processes", type=int, default=1, help="server processes (with --serve)")
    ap.add_argument("--queries", type=Path, default=QUERIES, help="the request mix (default: the committed one)")
    ap.add_argument("--label", default="", help="added to the result file's name")
    args = ap.parse_args(argv)
    if not args.url and not args.serve:
        ap.error("give --url or --serve")
    load_start = load_average()
    if args.serve:
        with Server(args.serve, args.threads, args.processes) as server:
            with RssSampler(server.proc.pid) as rss:
                res = run_load(server.url, args.clients, args.seconds, args.path, args.max_requests, args.queries)
            res["server_peak_rss_mb"] = mb(rss.peak_tree)   # all server processes
            first, last = rss.first_last()
            res["server_rss_first_last_mb"] = [mb(first), mb(last)]
    else:
        res = run_load(args.url, args.clients, args.seconds, args.path, args.max_requests, args.queries)
    res["load_average"] = f"{load_start} → {load_average()}"
    print(report(res, f"HTTP load, {args.path}, loopback; load {res['load_average']}"))
    print(report_by_class(res, "by class (hostile: wildcards, long pastes, deep pages; its max is the one to watch)"))
    statuses = sorted({e.split()[0] for e in res["error_samples"]})
    if statuses:
        print(f"error samples: {statuses}")
    print(f"→ {write_result(f'load-{args.clients}c' + (f'-{args.label}' if args.label else ''), res)}")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
