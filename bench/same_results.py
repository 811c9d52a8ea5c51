"""Same search results from two revisions: each builds its own index of the same corpus with
`newsfacet rebuild`, then answers the same list of requests; every answer must be equal.

    python bench/same_results.py --baseline main [--reuters-files 2]

For a change to the index format that must not change what searches find (where positions are
kept, how postings are written): for each request the total, the hit ids in order, their
snippets, the facet counts, messages and suggestion, plus the article page's marked text and
similar articles of the top hit. The corpus: the repository's ``corpus/``, the first
``--reuters-files`` Reuters-21578 files and the French and Italian Wikinews (from ../shared,
skipped when absent). The requests: words, phrases, words typed side by side (the proximity
bonus), wildcards, NOT, fields, French and Italian words and phrases, facet filters, dates,
sorts, later pages, and ``story:`` queries for stories found by the first requests.
Each side runs in a process of its own (``--worker``), with no time budgets, so a loaded
machine cannot cut one side's answer short. Exit status 1 when any answer differs.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import CORPUS, REPO, REUTERS, baseline_tree, load_average, tree_env

QUERIES = [
    "oil", "oil prices", "north korea", "nuclear weapons program", "six-party talks", "president bush",
    '"north korea"', '"six-party talks"', '"oil price"', '"the united states"', '"in the"', '"of the"',
    '"said it"', '"crude oil prices"', '"bank of japan"', '"new york"', 'title:"north korea"',
    'body:"oil prices"', '"oil price" OR "bank rate"', '"north korea" -"south korea"', '"nuclear" talks',
    "oil*", "nucl*", "ba?k", "pri*e", "korea NOT north", "oil -coffee", "oil NOT price", "-oil grain",
    "wheat OR corn", "title:oil", "body:bank", "country:japan", "person:kelly", "trade country:japan",
    "élection", "gouvernement", "président de la république", '"premier ministre"', '"président français"',
    "ministre", "governo", '"presidente del consiglio"', "elezioni", "parigi", "paris",
    "the", "zzzunknownword", '"zzzunknown word"', "interest rates banks", "dollar yen",
]
REQUESTS = [{"q": q} for q in QUERIES] + [
    {"q": "oil", "page": 2},
    {"q": "oil prices", "page": 3, "page_size": 20},
    {"q": "oil", "sort": "newest"},
    {"q": '"oil price"', "sort": "oldest"},
    {"q": "bank", "filters": {"country": ["Japan"]}},
    {"q": '"north korea"', "filters": {"country": ["China"]}},
    {"q": "trade", "date_from": "1987-03-01", "date_to": "1987-03-31"},
    {"q": "", "filters": {"language": ["fr"]}},
    {"q": "", "sort": "newest"},
]


def corpus_paths(reuters_files: int) -> list[Path]:
    """``corpus/``, the first Reuters files and the French/Italian Wikinews, those present."""
    paths = [REPO / "corpus"]
    paths += sorted(REUTERS.glob("reut2-*.sgm"))[:reuters_files]
    paths += sorted((CORPUS / "wikinews_fr_it").glob("*.jsonl"))
    return paths


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, Path)):
        return str(value)
    return value


def answers(index_dir: Path) -> list:
    """Every request's answer from the index (this process's code), as plain data."""
    from indexer import settings
    from indexer.engines.whoosh.engine import WhooshEngine
    from indexer.model import SearchRequest
    settings.SEARCH_TIME_BUDGET = settings.FACET_TIME_BUDGET = 1e9
    out = []
    stories: list = []
    with WhooshEngine(index_dir).session() as session:
        def ask(spec):
            kw = dict(spec)
            for key in ("date_from", "date_to"):
                if key in kw:
                    kw[key] = dt.date.fromisoformat(kw[key])
            res = session.search(SearchRequest(**kw))
            got = _plain(res)
            got.pop("took_ms", None)
            got.pop("request", None)
            top = res.hits[0].id if res.hits else None
            page = session.article(top, spec["q"]) if top else None
            similar = [h.id for h in session.similar(top)] if top else []
            for hit in res.hits[:3]:
                stories.extend(v for v in hit.facets.get("story", []) if v not in stories)
            return {"request": spec, "result": got, "article_html": page and page.get("body_html"),
                    "similar": similar}
        for spec in REQUESTS:
            out.append(ask(spec))
        for story in stories[:5]:
            out.append(ask({"q": f"story:{story}"}))
            out.append(ask({"q": f"oil story:{story}"}))
    return out


def _side(tree: Path | None, index_dir: Path, out: Path) -> None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--index", str(index_dir),
           "--out", str(out)]
    proc = subprocess.run(cmd, env=tree_env(tree), capture_output=True, text=True, cwd=str(REPO))
    if proc.returncode != 0:
        raise SystemExit(f"search pass failed ({proc.returncode}): {proc.stderr[-2000:]}")


def _differences(a, b, path="") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r:.120} ≠ {b!r:.120}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += _differences(a.get(k), b.get(k), f"{path}.{k}") if k in a and k in b else [f"{path}.{k}: only one side"]
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items ≠ {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.120} ≠ {b!r:.120}"]


def main(argv=None) -> int:
    """Build with both revisions, ask both, compare; prints the differences (none: exit 0)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", default="main", help="git revision to compare with (default: main)")
    ap.add_argument("--reuters-files", type=int, default=2, help="Reuters-21578 .sgm files in the corpus")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        args.out.write_text(json.dumps(answers(args.index), ensure_ascii=False), encoding="utf-8")
        return 0
    import rebuild
    corpus = corpus_paths(args.reuters_files)
    print(f"corpus: {', '.join(p.name for p in corpus)}; load {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsfacet-same-") as tmp:
        tmp = Path(tmp)
        sides = {"baseline": baseline_tree(args.baseline, tmp), "current": None}
        got = {}
        for name, tree in sides.items():
            run = rebuild.rebuild(corpus, tmp / f"index-{name}", tree=tree)
            print(f"{name}: {run['indexed']} articles indexed, index {run['size_mb']} MB, "
                  f"CPU {run['cpu_s']} s, load {run['load_average']}", flush=True)
            _side(tree, tmp / f"index-{name}", tmp / f"{name}.json")
            got[name] = json.loads((tmp / f"{name}.json").read_text(encoding="utf-8"))
    diffs = _differences(got["baseline"], got["current"])
    hits = sum(len(a["result"]["hits"]) for a in got["current"])
    found = [a["request"]["q"] for a in got["current"] if a["result"]["total"]]
    print(f"{len(got['current'])} requests ({len(found)} finding articles, "
          f"{sum(q.startswith(('story:', 'oil story:')) for q in found)} of them story: queries), "
          f"{hits} hits compared (ids, order, snippets, facets, pages); load {load_average()}")
    for d in diffs[:40]:
        print("DIFFERENT", d)
    print("identical" if not diffs else f"{len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
