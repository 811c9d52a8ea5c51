"""The queries that used to tie up a server, over HTTP, each sent once to a freshly started server.

    python bench/slow_queries.py --index bench/data/index-x1 [--timeout 10] [--hostile]

``newsfacet serve`` is started on the index; each query goes to ``/api/search`` once (a new
server after a request that timed out, so a runaway search cannot slow the next one down).
``--hostile`` adds the hostile class of the committed mix (bench/queries.json). Prints each
query's time, total, whether the page came back partial, and the max; run it with another
checkout first on ``PYTHONPATH`` for a before/after comparison in the same run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from pathlib import Path

from common import QUERIES, load_average, table, write_result
from load import Server, request_path

SLOW = ["*", "**", "*" * 20, "co*", "*e*", "??*", "s*", "t*", "b* OR c*", "a*", "p* -price", "*tion",
        "title:*", "?"]


def base(q: str) -> dict:
    return {"class": "slow", "q": q, "countries": [], "people": [], "from": None, "to": None,
            "sort": "relevance", "page": 1}


def measure(index: Path, requests: list[dict], timeout: float) -> list[dict]:
    rows = []
    server = Server(index).__enter__()
    try:
        for r in requests:
            path = request_path(r)
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                ms = (time.perf_counter() - started) * 1000
                data = json.loads(body) if resp.status == 200 else {}
                rows.append({"q": r["q"], "page": r["page"], "class": r.get("class"), "status": resp.status,
                             "ms": round(ms, 1), "total": data.get("total"), "partial": data.get("partial"),
                             "messages": data.get("messages", [])})
            except (OSError, http.client.HTTPException):
                rows.append({"q": r["q"], "page": r["page"], "class": r.get("class"), "status": "timeout",
                             "ms": None, "total": None, "partial": None, "messages": []})
                server.__exit__()
                server = Server(index).__enter__()
            finally:
                conn.close()
    finally:
        server.__exit__()
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as timed out")
    ap.add_argument("--hostile", action="store_true", help="also the mix's hostile class")
    ap.add_argument("--label", default="")
    args = ap.parse_args(argv)
    requests = [base(q) for q in SLOW]
    if args.hostile:
        requests += [r for r in json.loads(QUERIES.read_text())["requests"] if r.get("class") == "hostile"]
    load_start = load_average()
    rows = measure(args.index, requests, args.timeout)
    shown = [[(r["q"][:40] + ("…" if len(r["q"]) > 40 else "")) + (f" (page {r['page']})" if r["page"] > 1 else ""),
              f">{args.timeout:g} s" if r["ms"] is None else r["ms"], r["status"], r["total"], r["partial"]]
             for r in rows]
    times = [r["ms"] for r in rows if r["ms"] is not None]
    print(table(["query", "ms", "status", "total", "partial"], shown,
                f"slow queries over HTTP, {args.index}, load {load_start} → {load_average()}"))
    over = sum(1 for r in rows if r["ms"] is None or r["ms"] > 1000)
    print(f"max {max(times) if times else 0:.1f} ms; {over} over 1,000 ms (timeouts count); {len(rows)} requests")
    print(f"→ {write_result('slow-queries' + (('-' + args.label) if args.label else ''), {'rows': rows})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
