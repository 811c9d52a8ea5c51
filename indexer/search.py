"""SearchRequest → SearchResult: the one search the CLI, the web page and the JSON API share.

The text query goes to Whoosh for the set of matching documents (and, for
relevance order, BM25F scores); facet filters, disjunctive counts and date
sorting are numpy operations over the generation's DocValues.
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer import settings, store
from indexer.docvalues import DocValues
from indexer.facets import FACET_TYPES
from indexer.model import Hit, SearchRequest, SearchResult
from indexer.query import ParsedQuery, parse
from indexer.snippets import mark_all, snippet
from indexer.vocabulary import Vocabulary


class Generation:
    """One opened index generation: the Whoosh index and its per-document arrays.

    Shared by all threads (read-only); each request opens its own searcher from it.
    """

    def __init__(self, path: Path):
        self.path = path
        self.ix = whoosh_index.open_dir(str(path))
        with self.ix.searcher() as searcher:
            self.values = DocValues.build(searcher.reader())
            self.doc_count = searcher.doc_count()
        self.info = store.read_build_info(path)
        self.vocab = Vocabulary.load(path)

    def searcher(self):
        return self.ix.searcher()

    def close(self) -> None:
        self.ix.close()


class Index:
    """An index directory as served: follows ``current`` to the newest complete generation.

    ``generation()`` is cheap (one readlink); when a rebuild has swapped in a new
    generation, the next call opens it, so a server answers from the new index
    without a restart.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._generation: Optional[Generation] = None
        self._lock = threading.Lock()

    def generation(self) -> Generation:
        path = store.require_generation(self.root)
        gen = self._generation
        if gen is not None and gen.path == path:
            return gen
        with self._lock:
            if self._generation is None or self._generation.path != path:
                self._generation = Generation(path)
            return self._generation


def open_index(path=None) -> Index:
    return Index(store.index_path(path))


def matches(gen: Generation, searcher, parsed: ParsedQuery) -> np.ndarray:
    """Boolean mask over document numbers: live documents the text query matches."""
    values = gen.values
    if parsed.empty or isinstance(parsed.query, wq.Every):
        return values.live.copy()
    mask = np.zeros(values.ndocs, dtype=bool)
    if parsed.query is not wq.NullQuery:
        ids = np.fromiter(parsed.query.docs(searcher), dtype=np.int64)
        mask[ids] = True
        mask &= values.live
    return mask


def search(gen: Generation, req: SearchRequest, searcher=None, messages: Optional[list[str]] = None) -> SearchResult:
    started = time.perf_counter()
    if searcher is None:
        with gen.searcher() as own:
            return search(gen, req, own, messages)
    values = gen.values
    parsed = parse(req.q, values)
    matched = matches(gen, searcher, parsed)
    facets = [F(values) for F in FACET_TYPES]
    masks = {f.name: f.mask(req) for f in facets}
    final = matched.copy()
    for m in masks.values():
        if m is not None:
            final &= m
    facet_results = {}
    for f in facets:
        others = matched.copy()
        for name, m in masks.items():
            if m is not None and name != f.name:
                others &= m
        facet_results[f.name] = f.facet(req, others, req.facet_size)
    total = int(final.sum())
    start = (req.page - 1) * req.page_size
    terms = {text for _, text in parsed.text_terms} if req.snippets else set()
    hits = []
    if start < total:
        filtered = any(m is not None for m in masks.values())
        ranked = _ranked(gen, searcher, parsed, req, final, filtered, start, start + req.page_size)
        hits = [_hit(searcher.stored_fields(d), terms, score) for d, score in ranked]
    result = SearchResult(request=req, total=total, hits=hits, facets=facet_results,
                          messages=list(messages or []) + parsed.messages)
    if parsed.words and total <= settings.SUGGEST_MAX_HITS:
        result.suggestion = suggest(gen.vocab, parsed.text, parsed.words)
    result.took_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


def facet_values(gen: Generation, req: SearchRequest, name: str, prefix: str = "",
                 limit: int = settings.MAX_FACET_SIZE, searcher=None):
    """One facet's values for the search ``req`` (disjunctive counts), optionally only those
    with a word starting with ``prefix``: the "more" list and the facet filter box."""
    if searcher is None:
        with gen.searcher() as own:
            return facet_values(gen, req, name, prefix, limit, own)
    facets = {f.name: f(gen.values) for f in FACET_TYPES}
    if name not in facets:
        raise KeyError(name)
    others = matches(gen, searcher, parse(req.q, gen.values))
    for other_name, facet in facets.items():
        mask = facet.mask(req) if other_name != name else None
        if mask is not None:
            others &= mask
    return facets[name].facet(req, others, max(1, min(limit, settings.MAX_FACET_SIZE)), prefix=prefix)


def complete(gen: Generation, searcher, prefix: str, limit: int = 8) -> list[dict]:
    """Autocomplete: people, countries and index words starting with ``prefix`` (most frequent first)."""
    from indexer.docvalues import fold
    key = fold(prefix)
    if len(key) < 2:
        return []
    out = []
    for kind, field in (("country", "country"), ("person", "person")):
        mv = gen.values.multi[field]
        found = [i for i, n in enumerate(mv.names)
                 if fold(n).startswith(key) or any(w.startswith(key) for w in fold(n).split())]
        found.sort(key=lambda i: -int(mv.doc_freq[i]))
        out.extend({"kind": kind, "value": mv.names[i], "count": int(mv.doc_freq[i])} for i in found[:limit])
    last = key.split()[-1] if key.split() else key
    out.extend({"kind": "word", "value": w, "count": n} for w, n in gen.vocab.with_prefix(last, limit))
    return out[: limit * 2]


def _order(values: DocValues, ids: np.ndarray, newest: bool) -> np.ndarray:
    """Documents by date (unknown dates last), ties by document number."""
    day = values.day[ids].astype(np.int64)
    key = np.where(day > 0, -day if newest else day, np.iinfo(np.int64).max)
    return ids[np.lexsort((ids, key))]


def _ranked(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest, final: np.ndarray,
            filtered: bool, start: int, end: int) -> list[tuple[int, Optional[float]]]:
    """(docnum, score) for positions start..end of the result list in the requested order."""
    if req.sort == "relevance" and not parsed.empty:
        docset = set(np.nonzero(final)[0].tolist()) if filtered else None
        results = searcher.search(parsed.query, filter=docset, limit=end)
        return [(hit.docnum, hit.score) for hit in results[start:end]]
    ordered = _order(gen.values, np.nonzero(final)[0], newest=(req.sort != "oldest"))
    return [(int(d), None) for d in ordered[start:end]]


def _hit(fields: dict, terms: set, score: Optional[float]) -> Hit:
    return Hit(
        id=fields["id"], title=fields.get("title") or "(untitled)", date=fields.get("date") or None,
        source=fields.get("url") or fields.get("source", ""), url=fields.get("url"),
        snippet=snippet(fields.get("body") or fields.get("title") or "", terms),
        people=list(fields.get("person") or []), countries=list(fields.get("country") or []),
        score=round(score, 4) if score is not None else None,
    )


# ---------------------------------------------------------------- did you mean

def suggest(vocab: Vocabulary, q: str, words: list[str]) -> Optional[str]:
    """The query with rare or unknown words replaced by close, common ones; None when nothing changes."""
    corrected = q
    for word in dict.fromkeys(words):
        better = vocab.correction(word)
        if better:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected, flags=re.IGNORECASE)
    return corrected if corrected != q else None


# ---------------------------------------------------------------- articles

def get_article(gen: Generation, searcher, article_id: str, q: str = "") -> Optional[dict]:
    """One article's stored fields, with its text marked for the query it was reached from."""
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    fields = dict(searcher.stored_fields(docnum))
    terms: set = set()
    if q:
        terms = {text for _, text in parse(q, gen.values).text_terms}
    body = fields.get("body") or ""
    return {
        "id": fields["id"], "title": fields.get("title") or "(untitled)", "date": fields.get("date") or None,
        "source": fields.get("source"), "url": fields.get("url"), "dateline": fields.get("dateline"),
        "people": list(fields.get("person") or []), "countries": list(fields.get("country") or []),
        "countries_mentioned": list(fields.get("mentioned") or []),
        "body": body, "body_html": mark_all(body, terms), "docnum": docnum,
    }


def more_like_this(gen: Generation, searcher, docnum: int, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
    results = searcher.more_like(docnum, "body", top=top)
    return [_hit(hit.fields(), set(), hit.score) for hit in results]


def iter_hits(gen: Generation, req: SearchRequest, searcher, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
    """Every hit of a search in its order, for exports: one match, then stored fields as they stream."""
    parsed = parse(req.q, gen.values)
    final = matches(gen, searcher, parsed)
    filtered = False
    for facet in FACET_TYPES:
        mask = facet(gen.values).mask(req)
        if mask is not None:
            final &= mask
            filtered = True
    terms = {text for _, text in parsed.text_terms}
    for docnum, score in _ranked(gen, searcher, parsed, req, final, filtered, 0, min(limit, int(final.sum()))):
        yield _hit(searcher.stored_fields(docnum), terms, score)
