"""Rebuild benchmark: `newsfacet rebuild` end to end (read, clean, extract, index) on a corpus.

    python bench/rebuild.py CORPUS --index DIR [--label reuters-x5]
    python bench/rebuild.py [CORPUS] [--copies 5] --baseline REV [--rounds 3] [--workers 2]

Each run is one `newsfacet rebuild` process, timed from outside: wall time; the CPU time of the
whole process tree (the command, its extraction pool and its segment-writer processes: ``wait4``'s
resource usage of the child, which the kernel sums over every descendant it waited for); CPU and
wall milliseconds per article indexed; the ratio of wall time to CPU/W on W workers (1.0 when
the W cores are kept busy the whole run); peak RSS of the largest single process (``wait4``) and of
the whole tree (sampled every 0.2 s; shared pages count once per process), and the tree's median RSS
over the first and the last fifth of the run (apart when memory grows with the archive); the load
average.

``--baseline REV`` runs the same command from the tree at git revision REV (``git archive``d into a
temporary folder and put first on PYTHONPATH, the same venv), alternating with this checkout in
every round (ABBA order: baseline first in odd rounds), on the same corpus, and prints the median
of each side and the ratio current/baseline. ``--copies N`` builds Reuters-21578 ×N with
``scale_corpus.py`` (under bench/data/) when no CORPUS is given. Indexes of a compared run are
written to a temporary folder and removed after each run, unless ``--index`` is given.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scale_corpus
from common import DATA, REPO, REUTERS, RssSampler, baseline_tree, git_commit, load_average, mb, table, write_result

CURRENT, BASELINE = "current", "baseline"


def rebuild(corpus: list[Path], index: Path, fresh: bool = True, tree: Path | None = None,
            workers: int | None = None) -> dict:
    """One `newsfacet rebuild` of ``corpus`` into ``index`` from the code in ``tree`` (None: this
    checkout), measured from outside; returns the figures (see the module docstring)."""
    if fresh and index.exists():
        shutil.rmtree(index)
    cmd = [sys.executable, "-P", "-m", "indexer.cli", "rebuild", *map(str, corpus), "--index", str(index),
           "--quiet", "--json"] + (["--workers", str(workers)] if workers else [])
    env = {**os.environ, "PYTHONPATH": str(tree or REPO)}
    load_start = load_average()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=str(REPO), stdout=out, stderr=err, text=True, env=env)
        with RssSampler(proc.pid) as rss:
            _, status, usage = os.wait4(proc.pid, 0)     # the child's usage, its waited descendants included
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"rebuild failed ({proc.returncode}): {stderr[-800:]}")
    report = json.loads(stdout)
    n = max(1, report["indexed"])
    cpu = usage.ru_utime + usage.ru_stime
    w = workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return {"corpus": [str(c) for c in corpus], "index": str(index), "wall_s": round(wall, 1),
            "indexed": report["indexed"], "skipped": report["skipped"],
            "articles_per_s": round(report["indexed"] / wall, 1), "size_mb": mb(report["size_bytes"]),
            "cpu_s": round(cpu, 1), "cpu_user_s": round(usage.ru_utime, 1), "cpu_sys_s": round(usage.ru_stime, 1),
            "cpu_ms_per_article": round(cpu * 1000 / n, 3), "wall_ms_per_article": round(wall * 1000 / n, 3),
            "workers": w, "wall_over_cpu_share": round(wall / (cpu / w), 2) if cpu else None,
            "peak_rss_largest_process_mb": mb(usage.ru_maxrss * 1024), "peak_rss_tree_mb": mb(rss.peak_tree),
            "rss_tree_first_last_fifth_mb": [mb(x) for x in rss.first_last()],
            "load_average": f"{load_start} → {load_average()}", "report": report}


def report(results: list[dict]) -> str:
    """The table of single rebuilds (`make bench`'s form)."""
    rows = [[r["label"], r["indexed"], r["wall_s"], r["articles_per_s"], r["size_mb"],
             r["peak_rss_largest_process_mb"], r["peak_rss_tree_mb"], r["load_average"]] for r in results]
    return table(["corpus", "articles", "wall s", "articles/s", "index MB", "peak RSS MB (largest process)",
                  "peak RSS MB (all)", "load"], rows, "Rebuild, end to end (`newsfacet rebuild`)")


_RUN_HEADERS = ["side", "round", "articles", "wall s", "CPU s", "CPU ms/art", "wall ms/art",
                "wall/(CPU/W)", "RSS MB (largest)", "RSS MB (tree)", "load"]


def _run_row(r: dict) -> list:
    return [r["side"], r["round"], r["indexed"], r["wall_s"], r["cpu_s"], r["cpu_ms_per_article"],
            r["wall_ms_per_article"], r["wall_over_cpu_share"], r["peak_rss_largest_process_mb"],
            r["peak_rss_tree_mb"], r["load_average"]]


_MEDIANS = [("wall_s", "wall s"), ("cpu_s", "CPU s"), ("cpu_ms_per_article", "CPU ms/art"),
            ("wall_ms_per_article", "wall ms/art"), ("wall_over_cpu_share", "wall/(CPU/W)"),
            ("peak_rss_largest_process_mb", "RSS MB (largest)"), ("peak_rss_tree_mb", "RSS MB (tree)")]


def compare(runs: list[dict], label: str) -> tuple[str, dict]:
    """Per-run table, medians per side, and the ratio current/baseline of each median."""
    sides = [s for s in (BASELINE, CURRENT) if any(r["side"] == s for r in runs)]
    medians = {s: {k: round(statistics.median(r[k] for r in runs if r["side"] == s), 3) for k, _ in _MEDIANS}
               for s in sides}
    rows = [[s, sum(r["side"] == s for r in runs), *(medians[s][k] for k, _ in _MEDIANS)] for s in sides]
    if len(sides) == 2:
        rows.append(["current/baseline", "", *(round(medians[CURRENT][k] / medians[BASELINE][k], 3)
                                                if medians[BASELINE][k] else None for k, _ in _MEDIANS)])
    text = (table(_RUN_HEADERS, [_run_row(r) for r in runs], f"Rebuild runs, {label}") + "\n\n"
            + table(["side", "runs", *(h for _, h in _MEDIANS)], rows, f"Medians, {label}"))
    return text, medians


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="*", help="files or folders (default: Reuters-21578, ×--copies)")
    ap.add_argument("--index", type=Path, default=None, help="index folder (kept; default: a temporary one)")
    ap.add_argument("--label", default=None)
    ap.add_argument("--copies", type=int, default=1, help="Reuters-21578 ×N (bench/scale_corpus.py) as the corpus")
    ap.add_argument("--baseline", default=None, help="git revision whose rebuild alternates with this checkout's")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="passed to `newsfacet rebuild --workers`")
    args = ap.parse_args(argv)
    corpus = [c.resolve() for c in args.corpus] or [REUTERS if args.copies <= 1 else
                             scale_corpus.write_copies(DATA / f"reuters-x{args.copies}", args.copies)]
    label = args.label or ("reuters" if args.copies <= 1 else f"reuters-x{args.copies}")
    if args.baseline is None and args.rounds == 1 and args.index is not None:      # the plain single run
        res = rebuild(corpus, args.index, workers=args.workers)
        res["label"] = label
        print(report([res]))
        print(f"→ {write_result(f'rebuild-{label}', res)}")
        return 0
    runs: list[dict] = []
    current = git_commit()          # the checkout measured (before anything is committed meanwhile)
    with tempfile.TemporaryDirectory(prefix="newsfacet-rebuild-") as tmp:
        base = baseline_tree(args.baseline, Path(tmp)) if args.baseline else None
        sides = [(BASELINE, base), (CURRENT, None)] if base else [(CURRENT, None)]
        for r in range(1, args.rounds + 1):
            for side, tree in (sides if r % 2 else sides[::-1]):
                index = args.index or Path(tmp) / "index"
                res = rebuild(corpus, index, tree=tree, workers=args.workers)
                if args.index is None:
                    shutil.rmtree(index, ignore_errors=True)
                res.update(side=side, round=r, label=label)
                runs.append(res)
                print(table(_RUN_HEADERS, [_run_row(res)]).splitlines()[-1], flush=True)
    text, medians = compare(runs, f"{label}, {args.rounds} round(s), current {current}"
                                  + (f" vs baseline {args.baseline}" if args.baseline else ""))
    print(text)
    name = f"rebuild-{label}" + (f"-vs-{args.baseline}" if args.baseline else "")
    print(f"→ {write_result(name, {'runs': runs, 'medians': medians, 'current': current, 'baseline': args.baseline, 'args': vars(args) | {'corpus': [str(c) for c in corpus], 'index': str(args.index)}})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
