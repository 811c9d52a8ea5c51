"""Kill `newsfacet rebuild` and `newsfacet update` with SIGKILL at random moments; check the served index.

    python bench/crash.py [--trials 10] [--corpus DIR] [--seed 1]

Each rebuild trial: start a rebuild of the corpus over a served index, SIGKILL its
process group after a random delay within the rebuild's measured duration, then
check that the served index still answers a fixed set of queries exactly as
before. After the trials one more rebuild must succeed and leave no temp dirs.
Update trials do the same with `update` after files were added and removed:
the index must be the old or the new state, and a rerun must converge.
Defaults to Reuters-21578 from ../shared (a generated corpus when it is absent).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer.engines.whoosh import store  # noqa: E402
from indexer.request import from_mapping  # noqa: E402
from indexer.engines.whoosh.search import open_index, search  # noqa: E402

CLI = [sys.executable, "-m", "indexer.cli"]
QUERIES = ["oil", "trade deficit", '"interest rates"', "grain -wheat", "", "cocoa", "yen tokyo"]


def answers(index: Path) -> list:
    gen = open_index(index).generation()
    out = []
    for q in QUERIES:
        req, _ = from_mapping({"q": q, "size": "100"})
        result = search(gen, req)
        # the whole id set when it fits a page (ties may order differently between builds)
        out.append((result.total, sorted(h.id for h in result.hits) if result.total <= 100 else None))
    return out


def kill_at(cmd: list[str], delay: float) -> int:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            cwd=REPO)
    try:
        proc.wait(timeout=delay)
        return proc.returncode          # finished before the kill
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return -9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "reuters21578"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="nf-crash-"))
    corpus = work / "corpus"
    source = Path(args.corpus)
    if source.exists():
        corpus.mkdir()
        for f in sorted(source.glob("reut2-*.sgm"))[:3]:
            shutil.copy(f, corpus)
    else:
        sys.path.insert(0, str(REPO / "tests"))
        from test_reliability import make_corpus
        make_corpus(corpus, 3000)
    index = work / "index"
    started = time.perf_counter()
    subprocess.run(CLI + ["rebuild", str(corpus), "--index", str(index), "--quiet"], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)
    duration = time.perf_counter() - started
    before = answers(index)
    survived = 0
    print(f"rebuild takes {duration:.1f} s; {args.trials} kill trials")
    for trial in range(args.trials):
        delay = rng.uniform(0.1, duration)
        rc = kill_at(CLI + ["rebuild", str(corpus), "--index", str(index), "--quiet"], delay)
        ok = answers(index) == before      # a rebuild of the same files answers the same, killed or not
        survived += ok
        print(f"  trial {trial + 1}: killed at {delay:5.1f} s ({'finished first' if rc == 0 else 'killed'}): "
              f"{'intact' if ok else 'CHANGED'}")
    final = subprocess.run(CLI + ["rebuild", str(corpus), "--index", str(index), "--quiet"], cwd=REPO,
                           stdout=subprocess.DEVNULL)
    leftovers = list(index.glob(store.TMP_PREFIX + "*"))
    # update trials: one file removed and two added; kill mid-update; the index must be old or new
    old_count = open_index(index).generation().doc_count
    files = sorted(corpus.glob("*"))
    files[0].unlink()
    extra = sorted(source.glob("reut2-*.sgm"))[3:5] if source.exists() else []
    for f in extra:
        shutil.copy(f, corpus)
    if not extra:
        from test_reliability import make_corpus
        make_corpus(corpus, 2000, seed=2, prefix="u")
    update_ok = update_trials = 0
    for trial in range(max(3, args.trials // 2)):
        update_trials += 1
        rc = kill_at(CLI + ["update", str(corpus), "--index", str(index), "--quiet"], rng.uniform(0.1, duration / 2))
        count = open_index(index).generation().doc_count
        update_ok += (count == old_count) if rc != 0 else (count != old_count)
        print(f"  update trial {trial + 1}: {'killed' if rc != 0 else 'finished first'}: {count} articles")
        if rc == 0:
            break
    subprocess.run(CLI + ["update", str(corpus), "--index", str(index), "--quiet"], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)
    rerun = json.loads(subprocess.run(CLI + ["update", str(corpus), "--index", str(index), "--json"],
                                      capture_output=True, text=True, check=True, cwd=REPO).stdout)
    converged = rerun["indexed"] == 0 and rerun["removed"] == 0
    print(f"rebuild kills survived: {survived}/{args.trials}; final rebuild exit {final.returncode}; "
          f"leftover temp dirs: {len(leftovers)}")
    print(f"update kills: index old-or-new {update_ok}/{update_trials}; rerun converged: {converged}")
    shutil.rmtree(work, ignore_errors=True)
    ok = survived == args.trials and final.returncode == 0 and not leftovers and converged \
        and update_ok == update_trials
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
