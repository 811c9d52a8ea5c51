"""Rebuild benchmark: `newsfacet rebuild` end to end (read, clean, extract, index) on a corpus.

    python bench/rebuild.py CORPUS --index DIR [--label reuters-x5]

Reports wall time, articles/s, index size, and peak RSS (the largest single process and the
whole process tree: parent, extraction workers and segment writers), sampled every 0.2 s.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, RssSampler, load_average, mb, table, write_result


def rebuild(corpus: list[Path], index: Path, fresh: bool = True) -> dict:
    if fresh and index.exists():
        shutil.rmtree(index)
    exe = Path(sys.executable).parent / "newsfacet"
    cmd = ([str(exe)] if exe.exists() else [sys.executable, "-m", "indexer.cli"]) + \
        ["rebuild", *map(str, corpus), "--index", str(index), "--quiet", "--json"]
    load_start = load_average()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with RssSampler(proc.pid) as rss:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"rebuild failed ({proc.returncode}): {err[-800:]}")
    report = json.loads(out)
    return {"corpus": [str(c) for c in corpus], "index": str(index), "wall_s": round(wall, 1),
            "indexed": report["indexed"], "skipped": report["skipped"],
            "articles_per_s": round(report["indexed"] / wall, 1), "size_mb": mb(report["size_bytes"]),
            "peak_rss_largest_process_mb": mb(rss.peak_own), "peak_rss_tree_mb": mb(rss.peak_tree),
            "load_average": f"{load_start} → {load_average()}", "report": report}


def report(results: list[dict]) -> str:
    rows = [[r["label"], r["indexed"], r["wall_s"], r["articles_per_s"], r["size_mb"],
             r["peak_rss_largest_process_mb"], r["peak_rss_tree_mb"], r["load_average"]] for r in results]
    return table(["corpus", "articles", "wall s", "articles/s", "index MB", "peak RSS MB (parent)",
                  "peak RSS MB (all)", "load"], rows, "Rebuild, end to end (`newsfacet rebuild`)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="+")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--label", default="corpus")
    args = ap.parse_args(argv)
    res = rebuild(args.corpus, args.index)
    res["label"] = args.label
    print(report([res]))
    print(f"→ {write_result(f'rebuild-{args.label}', res)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
