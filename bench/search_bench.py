"""The search benchmark: the committed request mix (bench/queries.json) as full pages, in-process,
on our index and on SQLite FTS5 and tantivy built from the same articles, in the same run.

    python bench/search_bench.py --index bench/data/index-x5 --corpus bench/data/reuters-x5 [--rounds 3]
    python bench/search_bench.py --index bench/data/index-x5 --baseline REV --baseline-index DIR [--rounds 6]

``--baseline REV`` compares this checkout with git revision REV instead of the peers: each round
runs the whole mix once in a process of each code (REV's extracted to a temporary folder, first on
PYTHONPATH), alternating, the order swapping each round, each on the index its own code built
(``--baseline-index``; each built from ``--corpus`` by its code when missing); caches are emptied
before every request as below. Prints p50/p95 per round and the medians of the rounds, and checks
that both codes find the same totals.

Each request is what a results page needs: total count, top 10 (relevance or date order, page 1
or 5) with highlighted snippets, and the country, person and date facets with disjunctive
counts. The engines take turns request by request (ours, FTS5, tantivy), so machine load hits
them alike. Prints p50/p95/max per class and overall, and our time / peer time per class.
"""
from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from common import (DATA, QUERIES, REPO, baseline_tree, load_average, mb, percentile, rss_bytes, summary_ms, table,
                    tree_env, write_result)
import os
import peers


OURS_ONLY = {"hostile"}      # wildcards, pastes and operators the peers' query syntax would read otherwise


def classes_of(mix: dict) -> list[str]:
    return list(mix["classes"])


def _articles(page) -> int:
    """The articles a page found (a results page grouped by story totals its stories; code from before
    stories has only the total), so that codes and peers compare the same count."""
    articles = getattr(page, "articles", None)
    return page.total if articles is None else articles


def open_ours(index_dir: Path):
    from indexer.engines.whoosh.search import open_index
    started = time.perf_counter()
    gen = open_index(index_dir).generation()
    return gen, time.perf_counter() - started


def our_page(gen, r: dict, cold: bool = True):
    from indexer.engines.whoosh.search import search
    if cold:      # no help from earlier requests: posting and match caches emptied first
        gen.cache.clear()
    with gen.searcher() as s:
        return search(gen, peers.to_request(r), s)


def run(index_dir: Path, corpus: list[Path], mix: dict, rounds: int, engines: list[str], label: str,
        cache: Path | None = None, warm: bool = False, extra: dict | None = None,
        before: dict | None = None) -> dict:
    """``extra``: more engines, name → (request → page with ``total``), that read the whole query
    language as ours does (the hostile class included), e.g. the OpenSearch engine (bench/engines.py);
    ``before``: name → (request → None) run untimed before each of its requests (emptying caches)."""
    out: dict = {"label": label, "index": str(index_dir), "rounds": rounds, "requests": len(mix["requests"]),
                 "our_caches": "kept between requests" if warm else "emptied before every request"}
    rss_before = rss_bytes(os.getpid())
    gen, open_s = open_ours(index_dir)
    out["ours"] = {"open_generation_s": round(open_s, 3), "docs": gen.doc_count,
                   "rss_after_open_mb": mb(rss_bytes(os.getpid())), "rss_before_open_mb": mb(rss_before)}
    runners = {"ours": lambda r: our_page(gen, r, cold=not warm)}
    if "fts5" in engines or "tantivy" in engines:
        articles = peers.load_articles(corpus, cache=cache)
        out["articles"] = len(articles)
        peer_builds = [("fts5", lambda: peers.Fts5.build(articles, DATA / f"fts5-{label}.db"))]
        if peers.tantivy_available():
            peer_builds.append(("tantivy", lambda: peers.Tantivy.build(articles, DATA / f"tantivy-{label}")))
        for name, build_peer in peer_builds:
            if name not in engines:
                continue
            started = time.perf_counter()
            peer = build_peer()
            secs = time.perf_counter() - started
            out[name] = {"build_s": round(secs, 1), "articles_per_s": round(len(articles) / secs, 1),
                         "size_mb": mb(peer.size_bytes())}
            runners[name] = peer.page
        del articles
        gc.collect()
    runners.update(extra or {})
    whole_language = {"ours", *(extra or {})}
    times: dict = {name: defaultdict(list) for name in runners}
    totals: dict = {name: {} for name in runners}
    requests = mix["requests"]
    for name, fn in runners.items():         # warm-up: one untimed pass (caches, lazy loads)
        for r in requests[: max(10, len(requests) // 10)]:
            if name in whole_language or r["class"] not in OURS_ONLY:
                fn(r)
    out["extra_engines"] = list(extra or {})
    out["load_average_start"] = load_average()
    for rnd in range(rounds):
        for i, r in enumerate(requests):
            for name, fn in runners.items():
                if name not in whole_language and r["class"] in OURS_ONLY:
                    continue
                if before and name in before:
                    before[name](r)
                started = time.perf_counter()
                page = fn(r)
                times[name][r["class"]].append(time.perf_counter() - started)
                if rnd == 0:
                    totals[name][i] = _articles(page) if hasattr(page, "total") else page["total"]
    out["load_average_end"] = load_average()
    for name in runners:
        per_class = {c: summary_ms(times[name][c]) for c in classes_of(mix)}
        per_class["all"] = summary_ms([t for c in times[name].values() for t in c])
        if name in whole_language and any(c in OURS_ONLY for c in times[name]):
            per_class["all but hostile"] = summary_ms([t for c, v in times[name].items() if c not in OURS_ONLY
                                                       for t in v])
        out.setdefault(name, {})["latency_ms"] = per_class
    # sanity: totals agree (tokenisers differ a little: porter vs Whoosh's porter vs en_stem)
    if "fts5" in totals:
        agree = sum(1 for i in totals["ours"] if totals["ours"][i] == totals["fts5"].get(i))
        out["totals_equal_to_fts5"] = f"{agree}/{len(totals['ours'])}"
    for name in extra or {}:
        agree = sum(1 for i in totals["ours"] if totals["ours"][i] == totals[name].get(i))
        out[f"totals_equal_to_ours_{name}"] = f"{agree}/{len(totals['ours'])}"
    out["totals"] = {name: [totals[name][i] for i in sorted(totals[name])] for name in totals}
    return out


def report(res: dict) -> str:
    engines = [e for e in ("ours", "fts5", "tantivy", *res.get("extra_engines", ())) if e in res and "latency_ms" in res[e]]
    classes = list(res["ours"]["latency_ms"])
    rows = []
    for c in classes:
        row = [c, res["ours"]["latency_ms"][c]["n"]]
        for e in engines:
            s = res[e]["latency_ms"].get(c, {"n": 0})
            row += [s["p50"], s["p95"], s["max"]] if s["n"] else ["", "", ""]
        for e in engines[1:]:
            for k in ("p50", "p95"):
                s = res[e]["latency_ms"].get(c, {"n": 0})
                row.append(f'{res["ours"]["latency_ms"][c][k] / max(s[k], 1e-3):.1f}×' if s["n"] else "")
        rows.append(row)
    headers = ["class", "n"] + [f"{e} {k}" for e in engines for k in ("p50", "p95", "max")] + \
              [f"ours/{e} {k}" for e in engines[1:] for k in ("p50", "p95")]
    title = (f"Search, full faceted page, in-process, ms — {res['label']} ({res['ours']['docs']:,} docs), "
             f"{res['rounds']} rounds × {res['requests']} requests; load {res['load_average_start']} → "
             f"{res['load_average_end']}")
    lines = [table(headers, rows, title)]
    lines.append(f"our posting/match caches: {res['our_caches']}")
    lines.append(f"generation open (DocValues etc.): {res['ours']['open_generation_s']} s; "
                 f"process RSS after open {res['ours']['rss_after_open_mb']} MB")
    for e in [e for e in engines[1:] if "build_s" in res[e]]:
        lines.append(f"{e}: built in {res[e]['build_s']} s ({res[e]['articles_per_s']} articles/s), "
                     f"{res[e]['size_mb']} MB")
    for e in res.get("extra_engines", ()):
        if f"totals_equal_to_ours_{e}" in res:
            lines.append(f"requests whose {e} total equals ours: {res[f'totals_equal_to_ours_{e}']}")
    if "totals_equal_to_fts5" in res:
        lines.append(f"requests whose total equals FTS5's: {res['totals_equal_to_fts5']} "
                     "(stemmers and tokenisers differ slightly)")
    return "\n".join(lines)


def worker(index_dir: Path, mix: dict) -> dict:
    """One pass of the mix on ``index_dir`` with the code this process imports (a --baseline round):
    a warm-up tenth untimed, then every request timed with caches emptied; its time and total."""
    import gc as gc_mod
    gen, open_s = open_ours(index_dir)
    requests = mix["requests"]
    for r in requests[: max(10, len(requests) // 10)]:
        our_page(gen, r)
    times, totals = [], []
    gc_mod.collect()
    for r in requests:
        started = time.perf_counter()
        page = our_page(gen, r)
        times.append(time.perf_counter() - started)
        totals.append(_articles(page))
    return {"open_s": round(open_s, 3), "times": times, "totals": totals}


def _pass(tree: Path | None, index_dir: Path, queries: Path, limit: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--index", str(index_dir), "--queries",
           str(queries), "--limit", str(limit)]
    proc = subprocess.run(cmd, env=tree_env(tree), capture_output=True, text=True, cwd=str(REPO))
    if proc.returncode != 0:
        raise SystemExit(f"search pass failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def _stats(times: list[float], classes: list[str], keep=lambda c: True) -> dict:
    return summary_ms([t for t, c in zip(times, classes) if keep(c)])


def compare(args, mix: dict) -> dict:
    """This checkout against ``args.baseline``, round by round, each in processes of its own."""
    import statistics
    classes = [r["class"] for r in mix["requests"]]
    out: dict = {"label": args.label, "baseline": args.baseline, "rounds": args.rounds,
                 "requests": len(classes), "load_average_start": load_average(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="newsfacet-search-") as tmp:
        base = baseline_tree(args.baseline, Path(tmp))
        base_index = args.baseline_index or args.index.with_name(args.index.name + "-baseline")
        variants = {"baseline": (base, base_index), "this": (None, args.index)}
        for name, (tree, index_dir) in variants.items():      # each code reads the index it built
            if not (index_dir / "current").exists():
                import rebuild
                if not args.corpus:
                    raise SystemExit(f"no index at {index_dir}: give --corpus to build it")
                print(f"building {index_dir} with the {name} code …", flush=True)
                rebuild.rebuild(args.corpus, index_dir, tree=tree)
        totals: dict = {}
        for r in range(args.rounds):
            for name in (["baseline", "this"] if r % 2 == 0 else ["this", "baseline"]):
                tree, index_dir = variants[name]
                load = load_average()
                got = _pass(tree, index_dir, args.queries, args.limit)
                totals.setdefault(name, got["totals"])
                run = {"variant": name, "round": r + 1, "load_average": f"{load} → {load_average()}",
                       "all": _stats(got["times"], classes),
                       "all but hostile": _stats(got["times"], classes, lambda c: c not in OURS_ONLY)}
                out["runs"].append(run)
                print(f"round {r + 1} {name:8} p50 {run['all']['p50']:6.2f}  p95 {run['all']['p95']:6.2f} ms  "
                      f"(without hostile {run['all but hostile']['p50']:6.2f} / {run['all but hostile']['p95']:6.2f})"
                      f"  load {run['load_average']}", flush=True)
    out["load_average_end"] = load_average()
    out["totals_equal"] = f"{sum(a == b for a, b in zip(totals['baseline'], totals['this']))}/{len(classes)}"
    out["medians"] = {}
    for name in ("baseline", "this"):
        mine = [x for x in out["runs"] if x["variant"] == name]
        out["medians"][name] = {part: {k: round(statistics.median(x[part][k] for x in mine), 2) for k in ("p50", "p95")}
                                for part in ("all", "all but hostile")}
    return out


def compare_report(res: dict) -> str:
    rows = []
    for part in ("all", "all but hostile"):
        b, t = res["medians"]["baseline"][part], res["medians"]["this"][part]
        rows.append([part, b["p50"], t["p50"], f"{t['p50'] / b['p50']:.3f}", b["p95"], t["p95"],
                     f"{t['p95'] / b['p95']:.3f}"])
    return table(["requests", "baseline p50", "this p50", "ratio", "baseline p95", "this p95", "ratio"], rows,
                 f"Search, full faceted page, in-process, ms — {res['label']}, this checkout vs {res['baseline']}: "
                 f"medians of {res['rounds']} alternating rounds × {res['requests']} requests; load "
                 f"{res['load_average_start']} → {res['load_average_end']}; equal totals {res['totals_equal']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, nargs="+", default=None)
    ap.add_argument("--baseline", default=None, help="git revision to compare this checkout with (not the peers)")
    ap.add_argument("--baseline-index", type=Path, default=None, help="the index the baseline revision built")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--label", default="reuters-x5")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N requests (smoke runs)")
    ap.add_argument("--engines", default="ours,fts5,tantivy")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the extracted articles (reused)")
    ap.add_argument("--warm", action="store_true", help="keep our posting and match caches between requests")
    ap.add_argument("--whoosh-ranking", action="store_true",
                    help="relevance order from Whoosh's scorer only (no numpy ranking): the before figures")
    args = ap.parse_args(argv)
    if args.worker:
        mix = json.loads(args.queries.read_text())
        if args.limit:
            mix["requests"] = mix["requests"][: args.limit]
        print(json.dumps(worker(args.index, mix)))
        return 0
    if args.baseline:
        mix = json.loads(args.queries.read_text())
        if args.limit:
            mix["requests"] = mix["requests"][: args.limit]
        res = compare(args, mix)
        print(compare_report(res))
        print(f"→ {write_result(f'search-{args.label}-vs-{args.baseline}', res)}")
        return 0
    if not args.corpus:
        ap.error("--corpus is required (the peers are built from it)")
    if args.whoosh_ranking:
        from indexer.engines.whoosh import ranking
        ranking.ranked = lambda *a, **k: None
        args.label += "-whoosh-ranking"
    mix = json.loads(args.queries.read_text())
    if args.limit:
        mix["requests"] = mix["requests"][: args.limit]
    res = run(args.index, args.corpus, mix, args.rounds, args.engines.split(","), args.label, args.cache,
              args.warm)
    print(report(res))
    path = write_result(f"search-{args.label}{'-warm' if args.warm else ''}", res)
    print(f"→ {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
