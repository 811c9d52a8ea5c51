"""Identical outputs: extraction and search on an index built by this checkout, against a revision.

    python bench/identical.py --baseline REV [CORPUS ...]

A change made for speed or memory must leave every output as it was. This script runs the same
work with the code at ``REV`` (``git archive``d, first on PYTHONPATH, the same venv) and with this
checkout, each in a process of its own, and compares what they produce:

- extraction: ``extract_files`` (what ``newsfacet extract --json --full-body`` prints) of every
  article of the corpus, in order;
- a rebuild of the corpus with 2 workers (so the pool and the segment-writer processes are used
  when it holds more than ``WRITER_BATCH`` articles), then ``update`` with one more folder: the
  reports' counts, the index's stored documents, every indexed term's document count and
  frequency per field, the vocabulary files, ``stats``, and the JSON of every request of
  ``bench/queries.json`` (hits, scores, totals, facet counts; ``took_ms`` left out) after each.

Exits 1 and names the first differences when anything differs. The default corpus is three
Reuters-21578 files (about 3,000 articles), the repository's ``corpus/`` folder (web pages, JSON,
several languages) and Wikinews in French and Italian, when present.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import CORPUS, QUERIES, REPO, REUTERS, baseline_tree, tree_env

DEFAULT_CORPUS = [REUTERS / "reut2-000.sgm", REUTERS / "reut2-001.sgm", REUTERS / "reut2-002.sgm",
                  REPO / "corpus"]
DEFAULT_UPDATE = [CORPUS / "wikinews_fr_it"]


def _digest(value) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _request(r: dict):
    from indexer import request
    params = {"q": r["q"], "from": r.get("from") or "", "to": r.get("to") or "", "sort": r.get("sort") or "",
              "page": str(r.get("page") or 1), "country": list(r.get("countries") or ()),
              "person": list(r.get("people") or ())}
    return request.from_mapping(params)


def _searches(index: Path, requests: list[dict]) -> list[dict]:
    from indexer import settings
    from indexer.engines import open_engine
    from indexer.model import result_to_json
    # No time budget: a search cut short by a busy machine is not a difference in the index.
    settings.SEARCH_TIME_BUDGET = settings.FACET_TIME_BUDGET = 1e9
    out = []
    with open_engine(None, index_dir=str(index)).session() as session:
        for r in requests:
            req, messages = _request(r)
            result = result_to_json(session.search(req, messages=messages))
            result.pop("took_ms", None)
            out.append(result)
        stats = session.stats()
    for volatile in ("generation", "index_dir", "last_build", "last_build_seconds", "size_bytes"):
        stats.pop(volatile, None)        # when and where it was built, and build.json's length
    return out + [{"stats": stats}]


def _index_content(index: Path) -> dict:
    """Stored documents (by id), each field's terms with document count and frequency, vocabulary files."""
    from whoosh import index as whoosh_index
    from indexer.engines.whoosh import store
    gen = store.require_generation(index)
    ix = whoosh_index.open_dir(str(gen))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs = sorted((fields for _, fields in reader.iter_docs()), key=lambda f: f["id"])
        terms: dict[str, list] = {}
        for field, term in reader.all_terms():
            terms.setdefault(field, []).append((repr(term), reader.doc_frequency(field, term),
                                                reader.frequency(field, term)))
        count = searcher.doc_count()
    ix.close()
    vocab = {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(gen.glob("words*.tsv"))}
    return {"doc_count": count, "documents": [_digest(d) for d in docs], "document_ids": [d["id"] for d in docs],
            "terms": {field: _digest(rows) for field, rows in sorted(terms.items())},
            "term_counts": {field: len(rows) for field, rows in sorted(terms.items())}, "vocabulary": vocab}


def dump(corpus: list[Path], more: list[Path], queries: Path, index: Path) -> dict:
    """What the code this process imports makes of ``corpus`` (then ``more`` added by ``update``)."""
    from indexer import build, settings
    from indexer.ingest.pipeline import extract_files
    settings.FILE_TIME_LIMIT = 0     # no wall-clock limit per file: a busy machine must not skip a file
    requests = json.loads(queries.read_text())["requests"]
    keep = ("indexed", "total", "removed", "unchanged_files", "dates_unknown", "skipped", "stories", "copies",
            "exact_copies", "relabelled", "files", "names_changed")
    out: dict = {"extraction": [_digest(a) for a in extract_files(corpus + more, body_chars=None)]}
    report = build.rebuild(corpus, index, workers=2)
    out["rebuild"] = {k: v for k, v in report.to_json().items() if k in keep}
    out["rebuild_index"] = _index_content(index)
    out["rebuild_searches"] = _searches(index, requests)
    if more:
        report = build.update(corpus + more, index, workers=2)
        out["update"] = {k: v for k, v in report.to_json().items() if k in keep}
        out["update_index"] = _index_content(index)
        out["update_searches"] = _searches(index, requests)
    return out


def _side(tree: Path | None, corpus: list[Path], more: list[Path], queries: Path, work: Path) -> dict:
    out = work / ("baseline.json" if tree else "current.json")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--dump", str(out), "--index",
           str(work / ("index-baseline" if tree else "index-current")), "--queries", str(queries),
           *(str(c) for c in corpus), *(f"--update={m}" for m in more)]
    proc = subprocess.run(cmd, env=tree_env(tree), capture_output=True, text=True, cwd=str(REPO))
    if proc.returncode != 0:
        raise SystemExit(f"{'baseline' if tree else 'current'} side failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(out.read_text())


def differences(base: dict, current: dict, path: str = "", limit: int = 20) -> list[str]:
    """Where two dumps differ, as readable paths (at most ``limit``)."""
    found: list[str] = []

    def walk(a, b, where):
        if len(found) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b), key=str):
                walk(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{where}.{k}")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                found.append(f"{where}: {len(a)} items vs {len(b)}")
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            found.append(f"{where}: {a!r} vs {b!r}")
    walk(base, current, path or "dump")
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="*")
    ap.add_argument("--baseline", default=None, help="git revision to compare with (required unless --dump)")
    ap.add_argument("--update", type=Path, action="append", default=None, help="added by `update` after the rebuild")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--dump", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    corpus = [c.resolve() for c in args.corpus] or [c for c in DEFAULT_CORPUS if c.exists()]
    more = [m.resolve() for m in args.update] if args.update is not None else [m for m in DEFAULT_UPDATE if m.exists()]
    if args.dump:
        args.dump.write_text(json.dumps(dump(corpus, more, args.queries, args.index)))
        return 0
    if not args.baseline:
        ap.error("--baseline REV is required")
    if not corpus:
        raise SystemExit("no corpus found (give files or folders, or set NEWSFACET_SHARED)")
    with tempfile.TemporaryDirectory(prefix="newsfacet-identical-") as tmp:
        work = Path(tmp)
        base = _side(baseline_tree(args.baseline, work), corpus, more, args.queries, work)
        current = _side(None, corpus, more, args.queries, work)
    found = differences(base, current)
    sizes = f"{len(current['extraction'])} articles extracted, {current['rebuild']['indexed']} indexed"
    if more and "update" in current:
        sizes += f", {current['update']['indexed']} added by update"
    sizes += f", {len(current['rebuild_searches'])} searches per index"
    if found:
        print(f"DIFFERENT from {args.baseline} ({sizes}):")
        print("\n".join(f"  {d}" for d in found))
        return 1
    print(f"identical to {args.baseline}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
