"""Rebuild benchmark: `newsfacet rebuild` end to end (read, clean, extract, index) on a corpus.

    python bench/rebuild.py CORPUS --index DIR [--label reuters-x5]
    python bench/rebuild.py CORPUS --index DIR --baseline REV [--rounds 3]

Reports wall time, articles/s, CPU time (the command and every process it started: extraction
workers and segment writers) per article, index size, and peak RSS (the largest single process
and the whole process tree), sampled every 0.2 s.

``--baseline REV`` also rebuilds with the code of git revision REV (extracted to a temporary folder
and put first on PYTHONPATH), into ``DIR-baseline``, alternating with this checkout's rebuild for
``--rounds`` rounds (the order swapping each round), so that the load of a shared machine falls on
both alike; it prints each run and the medians, CPU per article above all.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from common import REPO, RssSampler, baseline_tree, children_cpu, load_average, mb, table, tree_env, write_result


def rebuild(corpus: list[Path], index: Path, fresh: bool = True, tree: Optional[Path] = None) -> dict:
    """One `newsfacet rebuild` of ``corpus`` into ``index`` with ``tree``'s code (None: this checkout's)."""
    if fresh and index.exists():
        shutil.rmtree(index)
    cmd = [sys.executable, "-P", "-m", "indexer.cli", "rebuild", *map(str, corpus), "--index", str(index),
           "--quiet", "--json"]
    load_start = load_average()
    cpu_before = children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=tree_env(tree))
    with RssSampler(proc.pid) as rss:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    if proc.returncode != 0:
        raise SystemExit(f"rebuild failed ({proc.returncode}): {err[-800:]}")
    report = json.loads(out)
    return {"corpus": [str(c) for c in corpus], "index": str(index), "wall_s": round(wall, 1),
            "indexed": report["indexed"], "skipped": report["skipped"],
            "articles_per_s": round(report["indexed"] / wall, 1), "size_mb": mb(report["size_bytes"]),
            "cpu_s": round(cpu, 1), "cpu_ms_per_article": round(cpu * 1000 / max(1, report["indexed"]), 3),
            "peak_rss_largest_process_mb": mb(rss.peak_own), "peak_rss_tree_mb": mb(rss.peak_tree),
            "load_average": f"{load_start} → {load_average()}", "report": report}


def report(results: list[dict]) -> str:
    rows = [[r["label"], r["indexed"], r["wall_s"], r["articles_per_s"], r["cpu_s"], r["cpu_ms_per_article"],
             r["size_mb"], r["peak_rss_largest_process_mb"], r["peak_rss_tree_mb"], r["load_average"]]
            for r in results]
    return table(["corpus", "articles", "wall s", "articles/s", "CPU s", "CPU ms/article", "index MB",
                  "peak RSS MB (parent)", "peak RSS MB (all)", "load"], rows,
                 "Rebuild, end to end (`newsfacet rebuild`)")


def compare(corpus: list[Path], index: Path, rev: str, rounds: int, label: str) -> dict:
    """Rebuilds with REV's code and this checkout's, alternating; each run and the medians."""
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="newsfacet-rebuild-") as tmp:
        base = baseline_tree(rev, Path(tmp))
        variants = {"baseline": (base, index.with_name(index.name + "-baseline")), "this": (None, index)}
        for r in range(rounds):
            order = ["baseline", "this"] if r % 2 == 0 else ["this", "baseline"]
            for name in order:
                tree, where = variants[name]
                res = rebuild(corpus, where, tree=tree)
                res.update(label=f"{label} {name} (round {r + 1})", variant=name, round=r + 1)
                runs.append(res)
                print(f"round {r + 1} {name:8} {res['wall_s']:7.1f} s  {res['articles_per_s']:7.1f} articles/s  "
                      f"CPU {res['cpu_s']:7.1f} s = {res['cpu_ms_per_article']:.3f} ms/article  "
                      f"load {res['load_average']}", flush=True)
    medians = {}
    for name in ("baseline", "this"):
        mine = [x for x in runs if x["variant"] == name]
        medians[name] = {key: round(statistics.median(x[key] for x in mine), 3)
                         for key in ("wall_s", "articles_per_s", "cpu_s", "cpu_ms_per_article", "size_mb")}
    ratio = medians["this"]["cpu_ms_per_article"] / medians["baseline"]["cpu_ms_per_article"]
    return {"label": label, "baseline": rev, "rounds": rounds, "runs": runs, "medians": medians,
            "cpu_per_article_ratio": round(ratio, 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="+")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--label", default="corpus")
    ap.add_argument("--baseline", default=None, help="git revision whose rebuild runs beside this one's")
    ap.add_argument("--rounds", type=int, default=3, help="with --baseline: rebuilds of each, alternating")
    args = ap.parse_args(argv)
    if args.baseline:
        res = compare(args.corpus, args.index, args.baseline, args.rounds, args.label)
        print(report(res["runs"]))
        rows = [[name, *(res["medians"][name][k] for k in ("wall_s", "articles_per_s", "cpu_s", "cpu_ms_per_article",
                                                            "size_mb"))] for name in ("baseline", "this")]
        print(table(["code", "wall s", "articles/s", "CPU s", "CPU ms/article", "index MB"], rows,
                    f"Medians of {args.rounds} alternating rounds; this / {args.baseline} CPU per article: "
                    f"{res['cpu_per_article_ratio']:.3f}"))
        print(f"→ {write_result(f'rebuild-{args.label}-vs-{args.baseline}', res)}")
        return 0
    res = rebuild(args.corpus, args.index)
    res["label"] = args.label
    print(report([res]))
    print(f"→ {write_result(f'rebuild-{args.label}', res)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
