"""Fuzz the search call, the HTTP routes and the file readers; print cases and errors (must be 0).

    python bench/fuzz.py [--queries 10000] [--files 2000] [--seconds 900] [--seed 1]

Query cases: random and adversarial query strings and URL parameters, run through
``indexer.search.search`` and through the web app's routes (Flask test client).
An error is an exception, a 5xx, or a traceback in a response.
File cases: a hostile corpus (bench/hostile_corpus.py) rebuilt in a subprocess. An error
is a bad file missing from the skip report, a good article not searchable, or a failed build.
Both loops stop at their count or when the time budget runs out, whichever is first.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import hostile_corpus  # noqa: E402
from indexer.build import index_articles  # noqa: E402
from indexer.request import from_mapping  # noqa: E402
from indexer.engines.whoosh.search import open_index, search  # noqa: E402

PIECES = ['"', "(", ")", "[", "]", "{", "}", ":", "-", "+", "*", "?", "~", "^", "!", "\\", "/", " ", "AND", "OR",
          "NOT", "TO", "date:", "person:", "country:", "title:", "body:", "foo:", "2004", "-02", "-30", "oil",
          "prices", "<script>", "</mark>", "&amp;", "\x00", "\u202e", "é", "東京", "🙂", "\ud7ff", "%", "'", ";",
          "date:[", " TO ", "]", "1987-13-45", "*:*", "person:\"", "country:\"North Korea\""]
PARAMS = ["q", "country", "person", "from", "to", "sort", "page", "size", "more", "prefix", "limit", "format", "x"]
ROUTES = ["/", "/api/search", "/search.csv", "/search.json", "/search.atom", "/api/facets/person",
          "/api/facets/country", "/api/facets/date", "/api/suggest", "/article/{id}", "/api/article/{id}"]


def random_text(rng: random.Random) -> str:
    mode = rng.random()
    if mode < 0.4:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 25)))
    if mode < 0.7:
        return " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 25)))
    if mode < 0.95:
        return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FFF), rng.randint(0xE000, 0x10FFFF)]))
                       for _ in range(rng.randint(0, 60)))
    return "x" * rng.randint(1000, 5000)


def random_param(rng: random.Random) -> str:
    return rng.choice([random_text(rng), str(rng.randint(-10**15, 10**15)), "", "0", "-1", "NaN", "1e9",
                       "2004-02-30", "2004", "newest", "oldest", "relevance", "person", "country"])


def fuzz_queries(n: int, deadline: float, seed: int) -> dict:
    from webui import create_app
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="nf-fuzz-"))
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_article
    arts = [make_article(i, f"Story {i} <b>{w}</b>", f"Oil prices and {w} talks in Tokyo. <script>x</script>",
                         f"200{i % 10}-0{1 + i % 9}-1{i % 10}", countries=["Japan", "China"][: 1 + i % 2],
                         people=["James Kelly"] if i % 3 else [])
            for i, w in enumerate(["grain", "wheat", "yen", "trade", "bank"] * 8)]
    index_articles(arts, tmp / "index")
    gen = open_index(tmp / "index").generation()
    client = create_app({"INDEX": str(tmp / "index"), "TESTING": False}).test_client()
    cases = errors = 0
    examples = []
    while cases < n and time.time() < deadline:
        cases += 1
        try:
            if cases % 2:
                params = {"q": random_text(rng)}
                for _ in range(rng.randint(0, 4)):
                    params.setdefault(rng.choice(PARAMS), [])
                    if not isinstance(params[list(params)[-1]], list):
                        continue
                    params[list(params)[-1]].append(random_param(rng))
                req, messages = from_mapping(params)
                search(gen, req, messages=messages)
            else:
                some_id = urllib.parse.quote(random_text(rng)[:50] or "x", safe="")
                route = rng.choice(ROUTES).replace("{id}", rng.choice(["art0001", some_id]))
                query = [(rng.choice(PARAMS), random_param(rng)) for _ in range(rng.randint(0, 6))]
                resp = client.get(route, query_string=query)
                body = resp.get_data()
                if resp.status_code >= 500 or b"Traceback" in body:
                    raise RuntimeError(f"{route} {query!r} -> {resp.status_code}")
        except Exception as exc:   # every exception is a finding
            errors += 1
            if len(examples) < 5:
                examples.append(repr(exc)[:300])
    return {"cases": cases, "errors": errors, "examples": examples}


def fuzz_files(n: int, seed: int, timeout: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="nf-fuzz-files-"))
    manifest = hostile_corpus.generate(tmp / "corpus", files=n, seed=seed, big_mb=50)
    probe = ("import json, sys; from indexer import build; r = build.rebuild([sys.argv[1]], sys.argv[2], "
             "workers=2); print(json.dumps([[s.source, s.reason] for s in r.skipped]))")
    started = time.time()
    run = subprocess.run([sys.executable, "-c", probe, str(tmp / "corpus"), str(tmp / "index")], cwd=REPO,
                         capture_output=True, text=True, timeout=timeout)
    out = {"cases": len(manifest.good) + len(manifest.bad) + len(manifest.odd), "seconds": round(time.time() - started, 1)}
    if run.returncode != 0:
        return {**out, "errors": out["cases"], "examples": [run.stderr[-500:]]}
    skipped = json.loads(run.stdout.strip().splitlines()[-1])
    root = (tmp / "corpus").resolve()
    reported = {str(Path(src.split("#")[0]).relative_to(root)) for src, _ in skipped}
    gen = open_index(tmp / "index").generation()
    with gen.searcher() as s:
        indexed = {str(Path(f["path"]).relative_to(root)) for f in s.all_stored_fields()}
    problems = [f"bad file not reported: {name}" for name in manifest.bad if name not in reported]
    problems += [f"odd file lost: {name}" for name in manifest.odd if name not in reported | indexed]
    for name, token in manifest.good.items():
        req, _ = from_mapping({"q": token})
        if search(gen, req).total != 1:
            problems.append(f"good article not found: {name}")
    return {**out, "errors": len(problems), "examples": problems[:5], "reported": len(reported),
            "indexed_files": len(indexed)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=2_000)
    ap.add_argument("--seconds", type=float, default=900, help="time budget for the query cases")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    queries = fuzz_queries(args.queries, time.time() + args.seconds, args.seed)
    files = fuzz_files(args.files, args.seed, timeout=max(600, args.seconds))
    result = {"queries": queries, "files": files}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'kind':8} {'cases':>7} {'errors':>7}")
    print(f"{'queries':8} {queries['cases']:>7} {queries['errors']:>7}")
    print(f"{'files':8} {files['cases']:>7} {files['errors']:>7}   ({files.get('seconds')} s rebuild)")
    for ex in queries["examples"] + files["examples"]:
        print("  e.g.", ex)
    sys.exit(1 if queries["errors"] or files["errors"] else 0)


if __name__ == "__main__":
    main()
