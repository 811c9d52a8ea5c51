"""Web-page reading benchmark: Newsfacet's HTML reader against trafilatura, same pages, same run.

Usage: python bench/webpages.py [--baseline GITREV] [--rounds N] [--json] [--show-worst N]

Pages and gold: ``shared/corpus/webpages_readability`` (see its SOURCE.md): 94 real saved pages
with the expected article text, title and (for some) publication day.

Figures per system:
- body precision / recall / F1 over the bag of lower-cased whitespace tokens of extracted vs gold
  text, computed per page and averaged over pages (a page the system skips scores 0);
- title exact (after whitespace normalisation) and loose (lower-cased, punctuation dropped, one
  contains the other);
- date accuracy (right day / pages with a gold day), coverage (any day given / pages with a gold
  day) and wrong (a day given that isn't the gold one);
- seconds per page (best of ``--rounds`` full passes, reading from memory).

``--baseline GITREV`` also measures the HTML reader (``indexer/ingest/readers/html/``) as it was at that revision, loaded
beside today's, so before and after come from the same run.
Shared data absent -> message, exit 0.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CORPUS, REPO, table, write_result  # noqa: E402
from indexer.model import SkipFile  # noqa: E402

PAGES = CORPUS / "webpages_readability"
_PUNCT = re.compile(r"[^\w\s]+")


def tokens(text: str) -> Counter:
    return Counter(text.lower().split())


def prf(got: str, gold: str) -> tuple[float, float, float]:
    g, e = tokens(got), tokens(gold)
    if not g and not e:
        return 1.0, 1.0, 1.0
    common = sum((g & e).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(e.values()) if e else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def loose(s: str) -> str:
    return " ".join(_PUNCT.sub(" ", s.lower()).split())


def title_scores(got: str, gold: str) -> tuple[bool, bool]:
    exact = " ".join(got.split()) == " ".join(gold.split())
    a, b = loose(got), loose(gold)
    return exact, bool(a and b and (a in b or b in a))


def load_pages(limit: int = 0) -> list[tuple[str, bytes, dict]]:
    gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    names = sorted(k for k in gold if not k.startswith("_"))
    if limit:
        names = names[:limit]
    return [(n, (PAGES / "html" / f"{n}.html").read_bytes(), gold[n]) for n in names]


# --------------------------------------------------------------------------- systems

def newsfacet_reader(module):
    def read(name: str, data: bytes) -> dict:
        try:
            a = module.parse_html(data, f"{name}.html")
        except SkipFile:
            return {"body": "", "title": "", "date": None}
        return {"body": a.body, "title": a.title, "date": a.date.isoformat() if a.date else None}
    return read


def baseline_module(rev: str):
    """The HTML reader at git revision ``rev``, imported under another name: the package
    ``indexer/ingest/readers/html/`` (copied whole, its modules importing each other relatively), or
    the single module ``indexer/ingest/readers/html.py`` it was before, or ``indexer/readers/html.py``
    from before ``indexer/ingest/`` (importing the old module names)."""
    package = "indexer/ingest/readers/html/"
    listed = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:{package}"], cwd=REPO,
                            capture_output=True, text=True)
    files = [name for name in listed.stdout.split() if name.endswith(".py")] if listed.returncode == 0 else []
    if "__init__.py" in files:
        where = Path(tempfile.mkdtemp()) / "html_baseline"
        where.mkdir()
        for name in files:
            shown = subprocess.run(["git", "show", f"{rev}:{package}{name}"], cwd=REPO, capture_output=True,
                                   text=True, check=True)
            (where / name).write_text(shown.stdout, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("html_baseline", where / "__init__.py",
                                                      submodule_search_locations=[str(where)])
        module = importlib.util.module_from_spec(spec)
        sys.modules["html_baseline"] = module          # for the package's relative imports
        spec.loader.exec_module(module)
        return module
    for where in ("indexer/ingest/readers/html.py", "indexer/readers/html.py"):
        shown = subprocess.run(["git", "show", f"{rev}:{where}"], cwd=REPO, capture_output=True, text=True)
        if shown.returncode == 0:
            break
    else:
        raise SystemExit(f"no HTML reader at {rev}: {shown.stderr.strip()}")
    src = re.sub(r"\bindexer\.(readers|clean)\b", r"indexer.ingest.\1", shown.stdout)
    path = Path(tempfile.mkdtemp()) / "html_baseline.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("html_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def trafilatura_reader():
    try:
        import trafilatura
    except ImportError:
        return None

    def read(name: str, data: bytes) -> dict:
        doc = trafilatura.bare_extraction(data, with_metadata=True)
        if doc is None:
            return {"body": "", "title": "", "date": None}
        return {"body": doc.text or "", "title": doc.title or "", "date": (doc.date or None)}
    return read


# --------------------------------------------------------------------------- scoring

def run(read, pages, rounds: int) -> tuple[dict, dict]:
    best = None
    outputs = {}
    for _ in range(rounds):
        t0 = time.perf_counter()
        outputs = {name: read(name, data) for name, data, _ in pages}
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    per_page = {}
    sums = Counter()
    dated = 0
    for name, _, gold in pages:
        out = outputs[name]
        p, r, f = prf(out["body"], gold.get("body", ""))
        exact, near = title_scores(out["title"], gold.get("title", ""))
        sums.update(p=p, r=r, f=f, exact=exact, loose=near)
        gd = gold.get("date")
        date_ok = None
        if gd and gd != "None":
            dated += 1
            got = (out["date"] or "")[:10]
            date_ok = got == gd
            sums.update(date_ok=date_ok, date_given=bool(got), date_wrong=bool(got) and not date_ok)
        per_page[name] = {"f1": round(f, 3), "p": round(p, 3), "r": round(r, 3), "title": out["title"],
                          "gold_title": gold.get("title", ""), "date": out["date"],
                          "gold_date": gd, "date_ok": date_ok}
    n = len(pages)
    figures = {"pages": n, "precision": sums["p"] / n, "recall": sums["r"] / n, "f1": sums["f"] / n,
               "title_exact": sums["exact"] / n, "title_loose": sums["loose"] / n,
               "dated_pages": dated,
               "date_accuracy": sums["date_ok"] / dated if dated else 0.0,
               "date_coverage": sums["date_given"] / dated if dated else 0.0,
               "date_wrong": sums["date_wrong"] / dated if dated else 0.0,
               "seconds_per_page": best / n if n else 0.0}
    return figures, per_page


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="also measure the HTML reader as of this git revision")
    ap.add_argument("--rounds", type=int, default=2, help="timed passes per system (best counts)")
    ap.add_argument("--limit", type=int, default=0, help="first N pages only")
    ap.add_argument("--show-worst", type=int, default=0, help="list the N lowest-F1 pages per system")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (PAGES / "gold.json").exists():
        print(f"no web page corpus at {PAGES}; skipped")
        return 0
    pages = load_pages(args.limit)

    from indexer.ingest.readers import html as current
    systems = []
    if args.baseline:
        systems.append((f"newsfacet@{args.baseline}", newsfacet_reader(baseline_module(args.baseline))))
    systems.append(("newsfacet", newsfacet_reader(current)))
    traf = trafilatura_reader()
    if traf is not None:
        systems.append(("trafilatura", traf))
    else:
        print("trafilatura not installed (pip install -e '.[bench]'): peer left out", file=sys.stderr)

    results, details = {}, {}
    for label, read in systems:
        results[label], details[label] = run(read, pages, args.rounds)

    if args.json:
        print(json.dumps({"results": results, "pages": details}, indent=1))
    else:
        rows = [[label, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                 f"{r['title_exact']:.2f}", f"{r['title_loose']:.2f}",
                 f"{r['date_accuracy']:.3f}", f"{r['date_coverage']:.2f}", f"{r['date_wrong']:.2f}",
                 f"{r['seconds_per_page']:.4f}"] for label, r in results.items()]
        print(table(["system", "body P", "body R", "body F1", "title =", "title ~", "date acc",
                     "date cov", "date wrong", "s/page"], rows,
                    title=f"{len(pages)} pages, {results[systems[0][0]]['dated_pages']} with a gold day"))
        for label in results if args.show_worst else ():
            worst = sorted(details[label].items(), key=lambda kv: kv[1]["f1"])[:args.show_worst]
            print(f"\nlowest body F1, {label}:")
            for name, d in worst:
                print(f"  {name:40s} F1 {d['f1']:.3f}  P {d['p']:.3f}  R {d['r']:.3f}")
    write_result("webpages", {"results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
