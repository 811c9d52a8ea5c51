"""The whole benchmark (`make bench`): scale corpus, rebuilds, search vs FTS5/tantivy, HTTP, load,
relevance. Prints every table and writes JSON under bench/results/.

    python bench/run_all.py            # Reuters-21578 and Reuters ×5 (≈108k articles), < 30 min on 2 cores
    python bench/run_all.py --quick    # smoke run: Reuters ×1 only, 40 requests, short load

Corpora and indexes go to bench/data/ (git-ignored).
"""
from __future__ import annotations

import argparse
import sys
import time

from common import DATA, REUTERS, TIME_DIR, load_average, machine, write_result
import engines
import load
import rebuild
import relevance
import scale_corpus
import search_bench


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=60, help="load test duration")
    ap.add_argument("--no-opensearch", action="store_true",
                    help="skip bench/engines.py (OpenSearch beside Whoosh, FTS5 and tantivy; starts its own cluster)")
    ap.add_argument("--processes", type=int, default=2,
                    help="`newsfacet serve --processes` for the HTTP load (one per core here)")
    args = ap.parse_args(argv)
    if not REUTERS.exists():
        print(f"Reuters-21578 not found at {REUTERS}: nothing to benchmark")
        return 0
    started = time.perf_counter()
    print(f"machine: {machine()}; load {load_average()}\n")
    import json
    from common import QUERIES
    mix = json.loads(QUERIES.read_text())
    corpora = [("reuters", [REUTERS])]
    if not args.quick:
        x5 = scale_corpus.write_copies(DATA / "reuters-x5", 5)
        corpora.append(("reuters-x5", [x5]))
    if args.quick:
        mix["requests"] = mix["requests"][:40]
    rounds = 1 if args.quick else args.rounds
    summary: dict = {"rebuild": [], "search": [], "load": []}
    for label, paths in corpora:
        index = DATA / f"index-{label}"
        res = rebuild.rebuild(paths, index)
        res["label"] = label
        summary["rebuild"].append(res)
        print(rebuild.report([res]) + "\n", flush=True)
        sres = search_bench.run(index, paths, mix, rounds, ["ours", "fts5", "tantivy"], label,
                                cache=DATA / f"articles-{label}.pkl")
        write_result(f"search-{label}", sres)
        summary["search"].append({k: v for k, v in sres.items() if k != "totals"})
        print(search_bench.report(sres) + "\n", flush=True)
    label, paths = corpora[-1]
    index = DATA / f"index-{label}"
    for clients in (1, 8):     # a fresh server for each run: the 8-client run starts with cold caches
        with load.Server(index, processes=args.processes) as server:
            with load.RssSampler(server.proc.pid) as rss:
                lres = load.run_load(server.url, clients, 10 if args.quick else args.seconds)
            lres["server_peak_rss_mb"] = load.mb(rss.peak_tree)    # all server processes
            first, last = rss.first_last()
            lres["server_rss_first_last_mb"] = [load.mb(first), load.mb(last)]
            lres["server_processes"] = args.processes
            lres["corpus"] = label
            summary["load"].append(lres)
            print(load.report(lres, f"HTTP /api/search on {label}, {clients} client(s), "
                                    f"{args.processes} server process(es), loopback, "
                                    f"load {load_average()}") + "\n", flush=True)
            if clients == 1:
                print(load.report_by_class(lres, f"HTTP /api/search on {label} by class, one client "
                                                 "(a full page over loopback, JSON)") + "\n", flush=True)
    if (TIME_DIR / "TIME.ALL").exists():
        rres = relevance.run()
        summary["relevance"] = rres
        print(relevance.report(rres) + "\n")
    if not args.no_opensearch:
        engines.main(["--quick"] if args.quick else ["--rounds", str(rounds)])
    summary["total_s"] = round(time.perf_counter() - started, 1)
    path = write_result("summary" + ("-quick" if args.quick else ""), summary)
    print(f"all done in {summary['total_s']} s → {path}")
    return 1 if any(l["errors"] for l in summary["load"]) else 0


if __name__ == "__main__":
    sys.exit(main())
