"""Relevance on the TIME collection (423 Time magazine articles, 83 queries, TIME.REL judgments):
MAP and nDCG@10 for our ranking and for SQLite FTS5's bm25() on the same query words, same run.

    python bench/relevance.py

TIME.REL numbers documents by their position in TIME.ALL (1…423), not by the *TEXT id
(see the collection's SOURCE.md). Queries are the query words minus TIME.STP, joined by OR.
Our side indexes the documents as Articles through ``index_articles`` and ranks them with
``iter_hits`` (the same query path as ``search``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path

from common import TIME_DIR, table, write_result

_WORD = re.compile(r"[A-Za-z]+")


def read_docs(path: Path) -> list[tuple[str, dt.date | None, str]]:
    """(TEXT id, date, text) in file order: position i+1 is TREC.REL's document number."""
    docs, current = [], None
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("*TEXT") or line.startswith("*STOP"):
            if current:
                docs.append((current[0], current[1], "\n".join(current[2]).strip()))
            current = None
            if line.startswith("*TEXT"):
                parts = line.split()
                date = None
                m = re.search(r"(\d\d)/(\d\d)[/ ](\d\d)", line)
                if m:
                    try:
                        date = dt.date(1900 + int(m.group(3)), int(m.group(1)), int(m.group(2)))
                    except ValueError:
                        date = None
                current = (parts[1] if len(parts) > 1 else "", date, [])
            continue
        if current is not None and line.strip():
            current[2].append(line.strip())
    if current:
        docs.append((current[0], current[1], "\n".join(current[2]).strip()))
    return docs


def read_queries(path: Path) -> dict[int, str]:
    queries, qid, lines = {}, None, []
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("*FIND") or line.startswith("*STOP"):
            if qid is not None:
                queries[qid] = " ".join(lines)
            qid, lines = (int(line.split()[1]), []) if line.startswith("*FIND") else (None, [])
        elif qid is not None and line.strip():
            lines.append(line.strip())
    if qid is not None:
        queries[qid] = " ".join(lines)
    return queries


def read_judgments(path: Path) -> dict[int, set[int]]:
    rel: dict[int, set[int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        nums = [int(x) for x in line.split() if x.isdigit()]
        if len(nums) > 1:
            rel.setdefault(nums[0], set()).update(nums[1:])
    return rel


def query_words(text: str, stop: set[str]) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text) if w.upper() not in stop))


def average_precision(ranked: list[int], relevant: set[int]) -> float:
    hits, total = 0, 0.0
    for k, doc in enumerate(ranked, 1):
        if doc in relevant:
            hits += 1
            total += hits / k
    return total / len(relevant) if relevant else 0.0


def ndcg(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def ours(docs, queries: dict[int, list[str]], workdir: Path, detect: bool = False) -> dict[int, list[int]]:
    from indexer import facets
    from indexer.build import index_articles
    from indexer.ingest.languages import article_language
    from indexer.model import Article, SearchRequest
    from indexer.engines.whoosh.search import iter_hits, open_index
    articles = [Article(id=f"time-{i}", source=f"TIME.ALL#{text_id}", title="", body=body, date=date,
                        content_hash=f"time-{i}", path="TIME.ALL")
                for i, (text_id, date, body) in enumerate(docs, 1)]
    if detect:      # each document's language told as a rebuild tells it (analysed in it)
        for a in articles:
            code = article_language(a.title, a.body)
            if code and facets.LANGUAGE is not None:
                a.facets[facets.LANGUAGE.name] = [code]
        told = Counter((a.facets.get(facets.LANGUAGE.name) or [""])[0] for a in articles)
        print("languages detected:", dict(told.most_common()))
    index_articles(articles, workdir / "index")
    gen = open_index(workdir / "index").generation()
    out = {}
    with gen.searcher() as s:
        for qid, words in queries.items():
            req = SearchRequest(q=" OR ".join(words), snippets=False)
            out[qid] = [int(h.id.split("-")[1]) for h in iter_hits(gen, req, s, limit=1000)]
    return out


def fts5(docs, queries: dict[int, list[str]]) -> dict[int, list[int]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", [(i, d[2]) for i, d in enumerate(docs, 1)])
    out = {}
    for qid, words in queries.items():
        match = " OR ".join(f'"{w}"' for w in words)
        out[qid] = [row[0] for row in db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 1000", (match,))]
    return out


def evaluate(runs: dict[str, dict[int, list[int]]], rel: dict[int, set[int]]) -> dict:
    res = {}
    for name, ranked in runs.items():
        qids = [q for q in rel if q in ranked]
        res[name] = {"MAP": round(sum(average_precision(ranked[q], rel[q]) for q in qids) / len(qids), 4),
                     "nDCG@10": round(sum(ndcg(ranked[q], rel[q]) for q in qids) / len(qids), 4),
                     "queries": len(qids)}
    return res


def run(time_dir: Path = TIME_DIR, detect: bool = False) -> dict:
    docs = read_docs(time_dir / "TIME.ALL")
    stop = {w.strip().upper() for w in (time_dir / "TIME.STP").read_text(encoding="latin-1").split() if w.strip()}
    queries = {q: query_words(t, stop) for q, t in read_queries(time_dir / "TIME.QUE").items()}
    rel = read_judgments(time_dir / "TIME.REL")
    workdir = Path(tempfile.mkdtemp(prefix="newsfacet-time-"))
    try:
        runs = {"ours": ours(docs, queries, workdir, detect), "fts5": fts5(docs, queries)}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"documents": len(docs), "queries": len(queries), "judged": len(rel), **evaluate(runs, rel)}


def report(res: dict) -> str:
    rows = [[name, res[name]["MAP"], res[name]["nDCG@10"], res[name]["queries"]] for name in ("ours", "fts5")]
    return table(["ranking", "MAP", "nDCG@10", "queries"], rows,
                 f"Relevance, TIME collection ({res['documents']} docs, TIME.REL, query words minus TIME.STP "
                 f"joined by OR)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=Path, default=TIME_DIR)
    ap.add_argument("--detect", action="store_true",
                    help="tell each document's language as a rebuild does (default: none told, analysed as English)")
    args = ap.parse_args(argv)
    if not (args.time / "TIME.ALL").exists():
        print(f"TIME collection not found at {args.time}; skipped")
        return 0
    res = run(args.time, args.detect)
    print(report(res))
    print(f"→ {write_result('relevance-detected' if args.detect else 'relevance', res)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
