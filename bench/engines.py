"""Engines side by side: the request mix on Whoosh (ours), OpenSearch, SQLite FTS5 and tantivy in
one run, and rebuild articles/s into Whoosh and into OpenSearch (parallel bulk requests).

    python bench/engines.py [--quick] [--rounds 3] [--corpora reuters,reuters-x5]
                            [--url http://host:9200] [--nodes 1] [--heap 1g]

The OpenSearch side is the engine itself (``open_engine("opensearch")``: a full faceted page per
request, over HTTP to the cluster, as the web app would ask it). Without ``--url`` (or
``NEWSFACET_OPENSEARCH_URL``) the script starts its own development cluster (tests/opensearch_cluster.py,
``--nodes`` nodes in one JVM, G1 and the full JIT unless ``OPENSEARCH_DEV_JAVA_OPTS`` says
otherwise; the index has as many shards as nodes and no replica unless ``--replicas``) and stops it
at the end. Before every request the engines' caches are emptied (ours: posting and match caches; OpenSearch: its query and request caches), as search_bench.py does;
before timing, the whole mix runs three times through OpenSearch untimed (``--warm-passes``), since
a served cluster's JVM has compiled its hot paths: measured on Reuters-21578 at load 5–6, the
mix's p50 went 54, 34, 18, 14 ms over its first four passes (a force-merge to one segment then
changed nothing: 15 ms).
Rebuilds run end to end through each engine's ``rebuild`` (read, clean, extract, index, publish),
Whoosh first, then OpenSearch, in this process.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from common import DATA, QUERIES, REPO, REUTERS, load_average, machine, table, write_result
import peers
import scale_corpus
import search_bench

sys.path.insert(0, str(REPO / "tests"))
import opensearch_cluster  # noqa: E402  (tests/opensearch_cluster.py: stdlib only)
from indexer import settings  # noqa: E402
from indexer.engines import open_engine  # noqa: E402


@contextlib.contextmanager
def cluster(url: str | None, nodes: int, heap: str):
    """(URL, JVM pid or None): the given cluster, else a development cluster started (and stopped) here."""
    if url:
        yield url, None
        return
    # the full JIT and G1, not the development default (C1 only, serial GC: quick to start, slow to serve)
    opensearch_cluster.JAVA_OPTS = os.environ.get("OPENSEARCH_DEV_JAVA_OPTS", "-XX:+UseG1GC")
    with opensearch_cluster.running(DATA / "opensearch", nodes=nodes, heap=heap) as running:
        yield ",".join(running.urls), running.pid


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) of this process and its finished children, or of process ``pid``
    (the cluster's JVM): on a machine shared with other jobs, CPU per article says more than wall time."""
    if pid is None:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def engine_rebuild(engine, paths: list[Path], jvm: int | None = None) -> dict:
    """One engine's ``rebuild`` (read, clean, extract, index, publish), in this process, timed whole,
    with the CPU it took here and (``jvm``: the cluster's pid, when started here) in the cluster."""
    load_start = load_average()
    cpu, cpu_jvm = cpu_seconds(), cpu_seconds(jvm) if jvm else 0.0
    started = time.perf_counter()
    report = engine.rebuild(paths)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu + ((cpu_seconds(jvm) - cpu_jvm) if jvm else 0.0)
    return {"indexed": report.indexed, "wall_s": round(wall, 1), "articles_per_s": round(report.indexed / wall, 1),
            "cpu_ms_per_article": round(cpu * 1000 / max(report.indexed, 1), 2),
            "size_mb": round(report.size_bytes / 1024 / 1024, 1) if report.size_bytes else None,
            "load_average": f"{load_start} → {load_average()}"}


def opensearch_runner(url: str, alias: str):
    """(request → SearchResult) through the OpenSearch engine, (request → None) emptying its query
    and request caches (untimed, before each request), and the engine."""
    engine = open_engine("opensearch", url=url, index=alias)
    client = engine.cluster.client

    def page(r: dict):
        with engine.session() as session:
            return session.search(peers.to_request(r))

    def cold(r: dict) -> None:
        client.indices.clear_cache(index=alias, query=True, request=True)
    return page, cold, engine


def report_rebuilds(rows: list[dict]) -> str:
    body = [[r["engine"], r["label"], r.get("round", 1), r["indexed"], r["wall_s"], r["articles_per_s"],
             r.get("cpu_ms_per_article"), r.get("size_mb"), r["load_average"]] for r in rows]
    return table(["engine", "corpus", "round", "articles", "wall s", "articles/s", "CPU ms/article", "index MB",
                  "load"], body,
                 "Rebuild, end to end (read, clean, extract, index, publish; engine.rebuild in this process)")


def index_size_mb(client, alias: str) -> float:
    stats = client.indices.stats(index=alias, metric="store")
    return round(stats["_all"]["primaries"]["store"]["size_in_bytes"] / 1024 / 1024, 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="Reuters ×1 only, 40 requests, one round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpora", default="reuters,reuters-x5")
    ap.add_argument("--url", default=os.environ.get("NEWSFACET_OPENSEARCH_URL"))
    ap.add_argument("--nodes", type=int, default=1, help="nodes of the cluster started here")
    ap.add_argument("--shards", type=int, default=0, help="primary shards (default: one per node)")
    ap.add_argument("--replicas", type=int, default=0)
    ap.add_argument("--heap", default="1g", help="heap of the cluster started here (all its nodes)")
    ap.add_argument("--engines", default="ours,fts5,tantivy", help="in-process engines beside OpenSearch")
    ap.add_argument("--rebuild-rounds", type=int, default=2, help="rebuilds of each engine per corpus (alternating)")
    ap.add_argument("--warm-passes", type=int, default=3,
                    help="untimed passes of the whole mix through OpenSearch before timing (JIT warm-up)")
    args = ap.parse_args(argv)
    if not REUTERS.exists():
        print(f"Reuters-21578 not found at {REUTERS}: nothing to benchmark")
        return 0
    if opensearch_cluster.missing_tools() and not args.url:
        print(f"no OpenSearch: {opensearch_cluster.missing_tools()} and no --url")
        return 0
    started = time.perf_counter()
    print(f"machine: {machine()}; load {load_average()}\n", flush=True)
    mix = json.loads(QUERIES.read_text())
    labels = ["reuters"] if args.quick else args.corpora.split(",")
    if args.quick:
        mix["requests"] = mix["requests"][:40]
    rounds = 1 if args.quick else args.rounds
    shards = args.shards or args.nodes
    summary: dict = {"rebuild": [], "search": [], "cluster": {"nodes": args.nodes, "shards": shards,
                                                              "replicas": args.replicas, "heap": args.heap,
                                                              "url_given": bool(args.url)}}
    with cluster(args.url, args.nodes, args.heap) as (url, jvm):
        print(f"OpenSearch at {url} ({args.nodes if not args.url else '?'} node(s), {shards} shard(s), "
              f"{args.replicas} replica(s))\n", flush=True)
        for label in labels:
            paths = [REUTERS] if label == "reuters" else [scale_corpus.write_copies(DATA / label, int(label[-1]))]
            index, alias = DATA / f"index-{label}", f"bench-{label}"
            if index.exists():
                shutil.rmtree(index)
            settings.OPENSEARCH_SHARDS, settings.OPENSEARCH_REPLICAS = shards, args.replicas
            rows = []
            for rnd in range(args.rebuild_rounds if label == "reuters" else 1):   # alternating: load hits both
                for name in ("whoosh", "opensearch") if rnd % 2 == 0 else ("opensearch", "whoosh"):
                    engine = open_engine(name, index_dir=index, url=url, index=alias)
                    res = engine_rebuild(engine, paths, jvm if name == "opensearch" else None)
                    engine.close()
                    res.update(engine=name, label=label, round=rnd + 1)
                    rows.append(res)
            page, cold, os_engine = opensearch_runner(url, alias)
            for row in rows:
                if row["engine"] == "opensearch":
                    row["size_mb"] = index_size_mb(os_engine.cluster.client, alias)
            summary["rebuild"] += rows
            print(report_rebuilds(rows) + "\n", flush=True)
            for _ in range(args.warm_passes):    # the JVM compiles its hot paths: a served cluster is warm
                for r in mix["requests"]:
                    page(r)
            sres = search_bench.run(index, paths, mix, rounds, args.engines.split(","), label,
                                    cache=DATA / f"articles-{label}.pkl", extra={"opensearch": page},
                                    before={"opensearch": cold})
            os_engine.close()
            write_result(f"engines-search-{label}", sres)
            summary["search"].append({k: v for k, v in sres.items() if k != "totals"})
            print(search_bench.report(sres) + "\n", flush=True)
    summary["total_s"] = round(time.perf_counter() - started, 1)
    path = write_result("engines" + ("-quick" if args.quick else ""), summary)
    print(f"all done in {summary['total_s']} s → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
