"""Batch search and trends on Reuters-21578, on both engines: a 200-line list through the batch, and
5-query trends, timed whole.

    python bench/batch_trends.py [--rounds 3] [--engines whoosh,opensearch] [--url http://host:9200]

The list is built from the committed request mix (bench/queries.json: words, phrases, OR, facet
names as `person:`/`country:` fields, date ranges) plus wildcards, 10 malformed lines and 5 empty
ones: 200 lines, 195 queries. Each round runs the list through ``indexer.batch.run`` (the function
``/batch``, ``/api/batch`` and ``newsfacet batch`` call) and through ``/api/batch`` in the Flask test
client (the web layer too), and draws trends of 5 queries (``indexer.trends.run``, what ``/trends``
calls) by the interval the range gives and by month. The bars: 200 queries ≤ 5 s, a 5-query trend
≤ 300 ms. Without ``--url`` an OpenSearch development cluster is started here (one node, G1 and the
full JIT, as bench/engines.py does) and warmed by one untimed round; on both engines each timed
step runs once untimed first (the index opened, its arrays read).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from pathlib import Path

from common import DATA, QUERIES, REUTERS, load_average, machine, table, write_result
from engines import cluster

from indexer import batch, trends  # noqa: E402
from indexer.engines import open_engine  # noqa: E402
from indexer.model import SearchRequest  # noqa: E402

MALFORMED = ['"unclosed quote', "(bracket never closed", "AND OR", "title:", "date:[1987-01-01 TO",
             "oil )", "NOT", 'person:"', "wheat AND", "nosuchfield:grain"]
TREND_QUERIES = ["oil", "wheat OR corn", '"interest rates"', "country:Japan", "person:reagan"]


def batch_lines(seed: int = 7) -> str:
    """The 200-line list: 175 queries from the mix and its facet names, 10 wildcards, 10 malformed
    lines, 5 empty ones (195 queries run), shuffled with a fixed seed."""
    mix = json.loads(QUERIES.read_text())["requests"]
    words = [r["q"] for r in mix if r["class"] in ("low", "medium", "high", "phrase", "or") and r["q"]]
    names = sorted({f'person:"{p}"' for r in mix for p in r.get("people") or []}
                   | {f'country:"{c}"' for r in mix for c in r.get("countries") or []})
    rng = random.Random(seed)
    queries = rng.sample(words, min(120, len(words))) + rng.sample(names, min(65, len(names)))
    queries = queries[:175]
    stems = sorted({w.split()[0].strip('"')[:4] for w in words if len(w.split()[0].strip('"')) >= 5})
    wildcards = [s + "*" for s in rng.sample(stems, 10)]
    lines = queries + wildcards + MALFORMED + [""] * 5
    assert len(lines) == 200, len(lines)
    rng.shuffle(lines)
    return "\n".join(lines)


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def measure(engine, name: str, rounds: int, text: str, index_dir: Path | None = None) -> list[dict]:
    """The batch (library and web) and the trends, ``rounds`` times each, on one engine."""
    from webui import create_app
    lines = batch.read_queries(text)
    base = SearchRequest(sort="relevance")
    rows: list = []

    def run_batch():
        with engine.session() as session:
            rows[:] = list(batch.run(session, lines, base))

    app = create_app({"ENGINE": name, "INDEX": str(index_dir) if index_dir else None, "TESTING": True})
    if name == "opensearch":
        app.extensions["newsfacet_engine"] = engine
    client = app.test_client()

    def run_api():
        r = client.post("/api/batch", data={"queries": text})
        assert r.status_code == 200 and len(r.get_json()["rows"]) == len(lines)

    queries = [(q, q) for q in TREND_QUERIES]

    def trend(interval):
        def run():
            with engine.session() as session:
                trends.run(session, queries, base, interval)
        return run
    out = []
    for label, fn, bar in (("batch, 195 queries (indexer.batch.run)", run_batch, 5.0),
                           ("batch, 195 queries (POST /api/batch)", run_api, 5.0),
                           ("trend, 5 queries, interval from the range", trend(None), 0.3),
                           ("trend, 5 queries, by month", trend("month"), 0.3)):
        fn()                                                   # untimed: opens the index, fills caches
        load = load_average()
        seconds = timed(fn, rounds if "batch" in label else rounds * 5)
        out.append({"engine": name, "what": label, "median_s": round(statistics.median(seconds), 3),
                    "max_s": round(max(seconds), 3), "runs": len(seconds), "bar_s": bar,
                    "within_bar": statistics.median(seconds) <= bar, "load_average": f"{load} → {load_average()}"})
    out[0]["rows"] = len(rows)
    out[0]["rows_with_error"] = sum(1 for r in rows if r.error)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--engines", default="whoosh,opensearch")
    ap.add_argument("--url", default=None, help="an OpenSearch cluster to use (else one is started here)")
    args = ap.parse_args(argv)
    if not REUTERS.exists():
        print(f"Reuters-21578 not found at {REUTERS}: nothing to benchmark")
        return 0
    text = batch_lines()
    results: list[dict] = []
    names = args.engines.split(",")
    if "whoosh" in names:
        index = DATA / "batch-trends-whoosh"
        engine = open_engine("whoosh", index_dir=index)
        engine.rebuild([REUTERS])
        results += measure(engine, "whoosh", args.rounds, text, index)
    if "opensearch" in names:
        with cluster(args.url, nodes=1, heap="1g") as (url, _pid):
            engine = open_engine("opensearch", url=url, index="bench-batch-trends")
            engine.rebuild([REUTERS])
            measure(engine, "opensearch", 1, text)            # a round untimed: the JVM compiles its hot paths
            results += measure(engine, "opensearch", args.rounds, text)
            engine.drop()
    print(table(["engine", "what", "median s", "max s", "runs", "bar s", "within", "load"],
                [[r["engine"], r["what"], r["median_s"], r["max_s"], r["runs"], r["bar_s"], r["within_bar"],
                  r["load_average"]] for r in results], "Batch search and trends, Reuters-21578"))
    print(f"→ {write_result('batch-trends', {'machine': machine(), 'results': results})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
