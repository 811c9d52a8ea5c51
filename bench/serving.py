"""Multi-process servers compared under the same HTTP load, alternating in one run.

    python bench/serving.py --index bench/data/index-reuters [--baseline REV] [--rounds 5] [--seconds 20]

Each round starts every server afresh in turn (the order rotates between rounds), warms it and
sends it ``bench/load.py``'s load (N clients, the committed request mix, ``/api/search``):

- ``serve``: ``newsfacet serve --processes P --threads T`` as it is in this checkout;
- ``baseline``: the same command from the tree at git revision ``--baseline`` (extracted to a
  temporary folder and put first on PYTHONPATH), to compare a serving change with what it replaces;
- ``gunicorn-sync``: gunicorn's plain pre-fork workers (one request at a time each, P of them)
  over the same app, without overload shedding (a sync worker cannot know how long a request
  waited in the kernel's queue);
- ``gunicorn-gthread-bounded``: gunicorn's threaded workers (P × T) that accept a connection only
  while a thread is free and serve one request per connection, also without shedding.

Prints each run and the median per server of requests/s and latency percentiles, with the load
average, so the noise of a shared machine is visible.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import RssSampler, baseline_tree, load_average, mb, table, write_result
from load import Server, run_load


def servers(index: Path, processes: int, threads: int, base: Path | None) -> dict:
    """name → (command(port) or None for `newsfacet serve`, environment)."""
    py = sys.executable
    serve = lambda port: [py, "-P", "-m", "indexer.cli", "serve", "--index", str(index), "--host", "127.0.0.1",  # noqa: E731
                          "--port", str(port), "--threads", str(threads), "--processes", str(processes)]
    out = {"serve": (serve, None)}
    if base is not None:
        out["baseline"] = (serve, {**os.environ, "PYTHONPATH": str(base)})
    gunicorn = lambda *opts: (lambda port: [  # noqa: E731
        py, "-m", "gunicorn", "--workers", str(processes), *opts, "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", f"webui.serving:warmed_app({str(index)!r})"], None)
    out["gunicorn-sync"] = gunicorn("--worker-class", "sync")
    # threads, but a worker accepts only while a thread is free and closes each connection after one
    # request, so waiting requests stay in the kernel's queue for whichever process frees up first
    out["gunicorn-gthread-bounded"] = gunicorn("--worker-class", "gthread", "--threads", str(threads),
                                               "--worker-connections", str(threads), "--keep-alive", "0")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--baseline", default=None, help="git revision whose `serve` runs beside this one")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--only", nargs="*", default=None, help="server names to run (default: all)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsfacet-serving-") as tmp:
        base = baseline_tree(args.baseline, Path(tmp)) if args.baseline else None
        configs = servers(args.index.resolve(), args.processes, args.threads, base)
        names = [n for n in configs if not args.only or n in args.only]
        runs: list[dict] = []
        for r in range(args.rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                command, env = configs[name]
                load_before = load_average()
                with Server(args.index, command=command, env=env) as server:
                    run_load(server.url, 2, 2)                    # warm every worker
                    with RssSampler(server.proc.pid) as rss:
                        res = run_load(server.url, args.clients, args.seconds)
                res.update(server=name, round=r + 1, load_average=f"{load_before} → {load_average()}",
                           server_peak_rss_mb=mb(rss.peak_tree))
                runs.append(res)
                s = res["latency_ms"]
                print(f"round {r + 1} {name:14} {res['requests_per_s']:7.1f} req/s  p50 {s['p50']:6.1f}  "
                      f"p95 {s['p95']:6.1f}  p99 {s['p99']:6.1f}  max {s['max']:7.1f} ms  errors {res['errors']}  "
                      f"RSS {res['server_peak_rss_mb']} MB  load {res['load_average']}", flush=True)
                time.sleep(1)
    rows = []
    for name in names:
        mine = [x for x in runs if x["server"] == name]
        med = lambda f: round(statistics.median(f(x) for x in mine), 1)  # noqa: E731
        rows.append([name, len(mine), med(lambda x: x["requests_per_s"]), med(lambda x: x["latency_ms"]["p50"]),
                     med(lambda x: x["latency_ms"]["p95"]), med(lambda x: x["latency_ms"]["p99"]),
                     med(lambda x: x["latency_ms"]["max"]), sum(x["errors"] for x in mine),
                     med(lambda x: x["server_peak_rss_mb"]),
                     f"{min(x['requests_per_s'] for x in mine)}–{max(x['requests_per_s'] for x in mine)}"])
    print(table(["server", "runs", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "RSS MB",
                 "req/s range"], rows,
                f"{args.clients} clients × {args.seconds:g} s, {args.processes} processes × {args.threads} threads, "
                f"medians of {args.rounds} alternating rounds, {args.index.name}"))
    print(f"→ {write_result('serving', {'runs': runs, 'args': vars(args) | {'index': str(args.index)}})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
