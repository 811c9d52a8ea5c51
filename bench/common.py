"""Shared helpers for the benchmark scripts: paths, percentiles, tables, JSON results, RSS, load."""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from typing import Iterable, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("NEWSFACET_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"
REUTERS = CORPUS / "reuters21578"
TIME_DIR = CORPUS / "time"
DATA = HERE / "data"             # generated corpora and indexes (git-ignored)
RESULTS = HERE / "results"       # JSON results (git-ignored)
QUERIES = HERE / "queries.json"  # the committed request mix
# The tree whose `indexer` a benchmark imports: this checkout, or (in a process a `--baseline` run
# starts, with ``tree_env``) an earlier revision extracted by ``baseline_tree``.
TREE = Path(os.environ.get("NEWSFACET_BENCH_TREE") or REPO)

if str(TREE) not in sys.path:
    sys.path.insert(0, str(TREE))


def tree_env(tree: Optional[Path]) -> dict:
    """The environment of a process that runs ``tree``'s code (None: this checkout's): its folder
    first on PYTHONPATH (start it with ``python -P -m …`` so the working folder does not come
    first), and NEWSFACET_BENCH_TREE for the bench scripts it runs."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
        env["NEWSFACET_BENCH_TREE"] = str(tree)
    else:
        env.pop("NEWSFACET_BENCH_TREE", None)
    return env


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished, waited-for children and theirs."""
    import resource
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary_ms(seconds: Sequence[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2),
            "p99": round(percentile(ms, 99), 2), "max": round(max(ms), 2) if ms else 0.0,
            "mean": round(sum(ms) / len(ms), 2) if ms else 0.0}


def table(headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> str:
    rows = [[_cell(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w) for i, (h, w) in enumerate(zip(headers, widths)))
    out = [title] if title else []
    out += [line, "-" * len(line)]
    for r in rows:
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def load_average() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def machine() -> dict:
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024 // 1024} GB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "memory": mem, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "sqlite": __import__("sqlite3").sqlite_version}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "load_average": load_average(),
            "machine": machine(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in open(f"/proc/{pid}/task/{tid}/children").read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree_rss(pid: int) -> tuple[int, int]:
    """(RSS of ``pid`` itself, RSS of it and all its descendants), in bytes."""
    own = rss_bytes(pid)
    total, todo = own, _children(pid)
    while todo:
        child = todo.pop()
        total += rss_bytes(child)
        todo += _children(child)
    return own, total


class RssSampler:
    """Samples a process's RSS (and its process tree's) in a thread; keeps the peaks."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every = pid, every
        self.peak_own = self.peak_tree = 0
        self.samples: list[int] = []     # RSS of the process tree over time, to see whether it grows
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            own, tree = tree_rss(self.pid)
            self.peak_own, self.peak_tree = max(self.peak_own, own), max(self.peak_tree, tree)
            self.samples.append(tree)
            self._stop.wait(self.every)

    def first_last(self) -> tuple[int, int]:
        """Median RSS over the first and the last fifth of the samples: steady when they are close."""
        n = max(1, len(self.samples) // 5)
        first, last = sorted(self.samples[:n]), sorted(self.samples[-n:])
        return (first[len(first) // 2], last[len(last) // 2]) if self.samples else (0, 0)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def mb(n: int) -> float:
    return round(n / 1024 / 1024, 1)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def baseline_tree(rev: str, into: Path) -> Path:
    """The repository's files at ``rev``, extracted into ``into`` (no work tree of git's): put it
    first on PYTHONPATH (with ``python -P``) to run the code as it was at ``rev`` beside this one."""
    archive = into / "tree.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    archive.unlink()
    return into / "tree"
