"""SearchRequest → SearchResult: the one search the CLI, the web page and the JSON API share.

Boolean trees of words and phrases are matched and ranked (BM25F, as Whoosh
scores them) with numpy over posting lists read in bulk (indexer.postings,
indexer.phrases, indexer.ranking); other queries (ranges, wildcards, boosts) go
to Whoosh. Facet filters, disjunctive counts and date sorting are numpy
operations over the generation's DocValues.
"""
from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Iterator, NamedTuple, Optional

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage

from indexer import settings

from indexer.engines.whoosh import phrases, ranking, store
from indexer.engines.whoosh.docvalues import DocValues
from indexer.engines.whoosh.facets import FACET_TYPES
from indexer.model import Hit, SearchRequest, SearchResult
from indexer.engines.whoosh.query import ParsedQuery, parse
from indexer.engines.whoosh.snippets import mark_all, snippet
from indexer.engines.whoosh.vocabulary import Vocabulary


# BM25F for relevance order (Whoosh's defaults are B=0.75, K1=1.2); see bench/relevance.py.
BM25_B = 0.75
BM25_K1 = 1.2


BM25_IDF = "rsj"          # "rsj": log(1 + (N - df + 0.5) / (df + 0.5)); "whoosh": log(N / (df + 1)) + 1


class NewsBM25F(scoring.BM25F):
    """BM25F with the Robertson–Spärck Jones idf (as Lucene's BM25 has it) instead of
    Whoosh's log(N/(df+1)) + 1, which leaves common words too much weight in OR queries:
    on the TIME collection it lifts MAP from .561 to the level of SQLite FTS5's bm25()."""

    def scorer(self, searcher, fieldname, text, qf=1):
        """Whoosh's BM25F scorer with the chosen idf, so Whoosh and the numpy ranking score alike."""
        scorer = super().scorer(searcher, fieldname, text, qf)
        if BM25_IDF == "rsj" and isinstance(scorer, scoring.BM25FScorer):
            scorer.idf = self._rsj_idf(searcher.get_parent(), fieldname, text)
        return scorer

    def params(self, searcher, fieldname: str, text) -> tuple[float, float, float, float]:
        """(idf, average field length, B, K1) of a scorable field's term, as ``scorer`` gives its
        BM25FScorer them, without the scorer's per-term setup (block quality statistics from
        the term's info in every segment), which the numpy ranking doesn't use."""
        parent = searcher.get_parent()
        idf = self._rsj_idf(parent, fieldname, text) if BM25_IDF == "rsj" else parent.idf(fieldname, text)
        return idf, parent.avg_field_length(fieldname) or 1, self._field_B.get(fieldname, self.B), self.K1

    @staticmethod
    def _rsj_idf(parent, fieldname, text) -> float:
        n, df = parent.doc_count_all(), parent.doc_frequency(fieldname, text)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def weighting() -> scoring.BM25F:
    """The one weighting every searcher uses, so scores are the same wherever they are computed."""
    return NewsBM25F(B=BM25_B, K1=BM25_K1)


class Generation:
    """One opened index generation: the Whoosh index and its per-document arrays.

    Shared by all threads (read-only); each request opens its own searcher from it.
    """

    MAX_IDLE_SEARCHERS = 16

    def __init__(self, path: Path):
        self.path = path
        # Without mmap: every searcher would map each segment file again, and the mapped pages
        # count in the server's RSS once per searcher (8 threads × the index size).
        self.ix = FileStorage(str(path), supports_mmap=False).open_index()
        self._idle: list = []
        self._pool_lock = threading.Lock()
        searcher = self.ix.searcher(weighting=weighting())
        self.values = DocValues.build(searcher.reader())
        self.doc_count = searcher.doc_count()
        self._idle.append(searcher)
        self.info = store.read_build_info(path)
        self.vocab = Vocabulary.load(path)
        self.cache = MatchCache()
        self.lengths: dict = {}       # field → per-document lengths as BM25 sees them (ranking.py)
        self.positions: dict = {}     # segment → its memory-mapped .pos file (indexer.positions)

    def searcher(self) -> "PooledSearcher":
        """A searcher for one thread at a time; ``close()`` (or leaving ``with``) returns it.

        Opening a Whoosh searcher reads each segment's term index and columns again
        (about 140 ms on Reuters-21578), so searchers are kept and lent out, not reopened.
        """
        with self._pool_lock:
            searcher = self._idle.pop() if self._idle else None
        return PooledSearcher(self, searcher if searcher is not None else self.ix.searcher(weighting=weighting()))

    def _give_back(self, searcher) -> None:
        with self._pool_lock:
            if len(self._idle) < self.MAX_IDLE_SEARCHERS:
                self._idle.append(searcher)
                return
        searcher.close()

    def close(self) -> None:
        """Closes the pooled searchers, position files and index, so an old generation frees its files."""
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()
        self.positions.clear()
        self.ix.close()

    def mask(self, searcher, q) -> np.ndarray:
        """Documents matching ``q`` as a boolean array, offered here so ``ranking`` needs no import of this module."""
        return _mask(self, searcher, q)


class MatchCache:
    """Per-generation LRU caches: posting lists (term → document numbers) and the match
    masks of recent queries. Bounded by entries and by total posting size."""

    MAX_MASKS = 64
    MAX_TERM_IDS = 8_000_000      # array entries (ids, weights, BM25 scores) kept across all cached terms (≤ 64 MB)

    def __init__(self):
        self._lock = threading.Lock()
        self._masks: OrderedDict = OrderedDict()
        self._terms: OrderedDict = OrderedDict()
        self._term_ids = 0

    def _lookup(self, table: OrderedDict, key):
        with self._lock:
            value = table.get(key)
            if value is not None:
                table.move_to_end(key)
            return value

    def get_mask(self, key):
        """A cached filter mask, so repeated facet filters skip recounting."""
        return self._lookup(self._masks, key)

    def put_mask(self, key, mask) -> None:
        """Caches a filter mask, evicting the oldest so memory stays bounded."""
        with self._lock:
            self._masks[key] = mask
            self._masks.move_to_end(key)
            while len(self._masks) > self.MAX_MASKS:
                self._masks.popitem(last=False)

    def get_term(self, key):
        """A cached term's document ids, so common words are not re-read each query."""
        return self._lookup(self._terms, key)

    def put_term(self, key, ids) -> None:
        """Caches a term's ids unless too large, keeping the cache's total ids bounded."""
        if len(ids) > self.MAX_TERM_IDS // 4:
            return
        with self._lock:
            if key in self._terms:
                return
            self._terms[key] = ids
            self._term_ids += len(ids)
            while self._term_ids > self.MAX_TERM_IDS and self._terms:
                _, old = self._terms.popitem(last=False)
                self._term_ids -= len(old)

    def clear(self) -> None:
        """Empties the cache, for benchmarks and tests that measure cold requests."""
        with self._lock:
            self._masks.clear()
            self._terms.clear()
            self._term_ids = 0


class PooledSearcher:
    """A Whoosh searcher lent by a Generation: behaves as the searcher; ``close()`` gives it back."""

    def __init__(self, gen: Generation, searcher):
        self._gen = gen
        self._searcher = searcher

    def __getattr__(self, name):
        if self._searcher is None:
            raise ValueError("this searcher was closed")
        return getattr(self._searcher, name)

    def close(self) -> None:
        """Returns the searcher to its generation's pool instead of closing it, so the next request reuses it."""
        searcher, self._searcher = self._searcher, None
        if searcher is not None:
            self._gen._give_back(searcher)

    def __enter__(self) -> "PooledSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
        """The generation `current` points to, reopened only when a rebuild moved it, so serving follows rebuilds."""
        path = store.require_generation(self.root)
        gen = self._generation
        if gen is not None and gen.path == path:
            return gen
        with self._lock:
            for attempt in range(3):
                if self._generation is not None and self._generation.path == path:
                    return self._generation
                try:
                    self._generation = Generation(path)
                    return self._generation
                except Exception:
                    # Replaced (and removed) by newer builds while it was being opened: open the
                    # one now served; a generation that fails to open while still served is an error.
                    newer = store.require_generation(self.root)
                    if newer == path or attempt == 2:
                        raise
                    path = newer

    def close(self) -> None:
        """Close the open generation (its searchers and files); the next ``generation()`` reopens one."""
        with self._lock:
            gen, self._generation = self._generation, None
        if gen is not None:
            gen.close()


def open_index(path=None) -> Index:
    """The index at a path (or the default), the entry point for the CLI, the web app and tests."""
    return Index(store.index_path(path))


class Deadline:
    """A search's time budget (``settings.SEARCH_TIME_BUDGET``): steps check ``expired()``
    between units of work and cut what is left short, so a page always comes back.
    Once expired it stays expired. ``clock`` is injectable (tests use a fake one)."""

    def __init__(self, seconds: Optional[float] = None, clock=time.perf_counter):
        self.clock = clock
        self.start = clock()
        self.seconds = settings.SEARCH_TIME_BUDGET if seconds is None else seconds
        self.hit = False

    def elapsed(self) -> float:
        """Seconds since the search began, for timings and the budget check."""
        return self.clock() - self.start

    def expired(self) -> bool:
        """Whether the budget is spent; once true it stays true, so every later step cuts short alike."""
        if not self.hit and self.elapsed() > self.seconds:
            self.hit = True
        return self.hit


def matches(gen: Generation, searcher, parsed: ParsedQuery, deadline: Optional[Deadline] = None) -> np.ndarray:
    """Boolean mask over document numbers: live documents the text query matches.

    Boolean trees of terms and phrases are evaluated with numpy over whole posting
    lists (read block by block, cached per generation; phrases in indexer.phrases);
    ranges and anything else go through Whoosh's matchers. Recent masks are kept, so paging and facet clicks
    on the same query don't search again.
    """
    values = gen.values
    if parsed.empty or isinstance(parsed.query, wq.Every):
        return values.live.copy()
    if parsed.query is wq.NullQuery:
        return np.zeros(values.ndocs, dtype=bool)
    key = repr(parsed.query)
    cached = gen.cache.get_mask(key)
    if cached is not None:
        return cached.copy()
    mask = _mask(gen, searcher, parsed.query, deadline)
    mask &= values.live
    if deadline is None or not deadline.hit:      # a mask that may have been cut short is not kept
        gen.cache.put_mask(key, mask)
    return mask.copy()


def _posting_ids(gen: Generation, searcher, fieldname: str, text) -> np.ndarray:
    """Document numbers of one term (all segments), from the cache or read block by block
    (with the term's weights, which relevance order needs: see indexer.ranking)."""
    ids = gen.cache.get_term((fieldname, text))
    if ids is not None:
        return ids
    return ranking.term_postings(gen, searcher, fieldname, text)[0]


def _one_word(q) -> bool:
    """Whether an OR is one word looked up in several fields (title, body): a unit the budget never
    splits, since cutting it would find the word in titles only."""
    subs = q.subqueries
    return all(type(s) is wq.Term for s in subs) and len({s.text for s in subs}) == 1


def _mask(gen: Generation, searcher, q, deadline: Optional[Deadline] = None) -> np.ndarray:
    """``deadline``: once it has expired, the remaining parts of an AND or OR are left out
    (a partial answer: an OR finds fewer articles, an AND requires fewer of its parts)."""
    ndocs = gen.values.ndocs
    kind = type(q)
    if kind is wq.Term:
        out = np.zeros(ndocs, dtype=bool)
        out[_posting_ids(gen, searcher, q.fieldname, q.text)] = True
        return out
    if kind is wq.And:
        out = np.ones(ndocs, dtype=bool)
        for i, sub in enumerate(q.subqueries):
            if i and deadline is not None and deadline.expired():
                break
            out &= _mask(gen, searcher, sub, deadline)
        return out
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        out = np.zeros(ndocs, dtype=bool)
        one_word = _one_word(q)
        for i, sub in enumerate(q.subqueries):
            if i and not one_word and deadline is not None and deadline.expired():
                break
            out |= _mask(gen, searcher, sub, deadline)
        return out
    if kind is wq.Not:
        return ~_mask(gen, searcher, q.query, deadline)
    if kind is wq.AndNot:
        return _mask(gen, searcher, q.a, deadline) & ~_mask(gen, searcher, q.b, deadline)
    if kind is wq.AndMaybe:
        return _mask(gen, searcher, q.a, deadline)
    if kind is wq.Every and not q.fieldname:
        return np.ones(ndocs, dtype=bool)
    if kind is wq.Phrase and phrases.supported(searcher, q):
        out = np.zeros(ndocs, dtype=bool)
        out[phrases.phrase_postings(gen, searcher, q).docs] = True
        return out
    if q is wq.NullQuery:
        return np.zeros(ndocs, dtype=bool)
    out = np.zeros(ndocs, dtype=bool)
    out[np.fromiter(q.docs(searcher), dtype=np.int64)] = True
    return out


def search(gen: Generation, req: SearchRequest, searcher=None, messages: Optional[list[str]] = None,
           deadline: Optional[Deadline] = None) -> SearchResult:
    """One results page for a request: the search the web pages, the API and the CLI all run.

    ``deadline`` (default: SEARCH_TIME_BUDGET from now): past it, what is left is cut short and
    the page comes back with what was found, marked partial."""
    values, vocab = gen.values, gen.vocab   # built once per generation, so outside any one search's budget
    deadline = deadline or Deadline()
    if searcher is None:
        with gen.searcher() as own:
            return search(gen, req, own, messages, deadline)
    parsed = parse(req.q, values, vocab)
    found = _filtered(gen, searcher, parsed, req, deadline)
    matched, masks, final = found.matched, found.masks, found.final
    facets = [F(values) for F in FACET_TYPES]
    facet_results = {}
    for f in facets:
        others = matched.copy()
        for name, m in masks.items():
            if m is not None and name != f.name:
                others &= m
        if deadline.elapsed() > settings.FACET_TIME_BUDGET or deadline.expired():
            facet_results[f.name] = f.partial(req, others)   # degrade, don't fail the page
        else:
            facet_results[f.name] = f.facet(req, others, req.facet_size)
    total = int(final.sum())
    start = (req.page - 1) * req.page_size
    hits = []
    by_date = req.sort == "relevance" and not parsed.empty and deadline.expired()
    if start < total:
        filtered = any(m is not None for m in masks.values())
        ranked = _ranked(gen, searcher, parsed, req, final, filtered, start, start + req.page_size,
                         found.counts, deadline)
        terms = {text for _, text in parsed.text_terms} if req.snippets and not deadline.expired() else set()
        hits = [_hit(searcher.stored_fields(d), terms, score) for d, score in ranked]
    result = SearchResult(request=req, total=total, hits=hits, facets=facet_results,
                          messages=list(messages or []) + parsed.messages + found.messages)
    if deadline.hit:
        result.partial = True
        result.messages.append("The search took too long and was cut short: these are the articles found "
                               "in time (there may be more)" + (", newest first." if by_date else "."))
    elif parsed.words and total <= settings.SUGGEST_MAX_HITS:
        result.suggestion = suggest(gen.vocab, parsed.text, parsed.words)
    result.took_ms = round(deadline.elapsed() * 1000, 1)
    return result


class Found(NamedTuple):
    """A search's matches before and after filters, kept together so facets count disjunctively."""
    matched: np.ndarray          # the text query's matches (live documents), before facet filters
    masks: dict                  # facet name → its filter mask, or None
    final: np.ndarray            # matched with every filter applied: the results
    counts: Optional[np.ndarray]  # forgiving matching: per document, how many of the words it has
    messages: list


def _filtered(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest,
              deadline: Optional[Deadline] = None) -> Found:
    """The results of a search: matches, facet filters, and when no article has all of a
    query's words, the articles with most of them (forgiving matching)."""
    matched = matches(gen, searcher, parsed, deadline)
    masks = {f.name: f(gen.values).mask(req) for f in FACET_TYPES}
    final = matched.copy()
    for m in masks.values():
        if m is not None:
            final &= m
    if final.any() or not parsed.clauses or (deadline is not None and deadline.expired()):
        return Found(matched, masks, final, None, [])
    counts, matched = _most_words(gen, searcher, parsed, masks, deadline)
    final = matched.copy()
    for m in masks.values():
        if m is not None:
            final &= m
    if not final.any():
        return Found(matched, masks, final, None, [])
    shown = " ".join(parsed.text.split())
    shown = shown if len(shown) <= 80 else shown[:80].rsplit(" ", 1)[0] + " …"
    return Found(matched, masks, final, counts,
                 [f"No article has all of “{shown}”; showing articles with most of them."])


def _most_words(gen: Generation, searcher, parsed: ParsedQuery, masks: dict,
                deadline: Optional[Deadline]) -> tuple[np.ndarray, np.ndarray]:
    """(per-document count of the query's word clauses matched, the documents having at least
    MIN_SHOULD_MATCH of as many as the best (filtered) article has)."""
    values = gen.values
    base = values.live.copy()
    for q in parsed.required:
        base &= _mask(gen, searcher, q, deadline)
    counts = np.zeros(values.ndocs, dtype=np.int16)
    for i, clause in enumerate(parsed.clauses):
        if i and deadline is not None and deadline.expired():
            break
        counts += _mask(gen, searcher, clause, deadline)
    counts[~base] = 0
    allowed = base.copy()
    for m in masks.values():
        if m is not None:
            allowed &= m
    best = int(counts[allowed].max()) if allowed.any() else 0
    need = max(1, math.ceil(best * settings.MIN_SHOULD_MATCH))
    return counts, base & (counts >= need)


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
    found = _filtered(gen, searcher, parse(req.q, gen.values, gen.vocab), req, Deadline())
    others = found.matched
    for other_name, mask in found.masks.items():
        if mask is not None and other_name != name:
            others &= mask
    return facets[name].facet(req, others, max(1, min(limit, settings.MAX_FACET_SIZE)), prefix=prefix)


def complete(gen: Generation, searcher, prefix: str, limit: int = 8) -> list[dict]:
    """Autocomplete: people, countries, authors and index words starting with ``prefix`` (most frequent first).

    A name matches when ``prefix`` starts it or starts any of its words, several words at once
    included: ``kamala h`` finds Kamala Harris, ``jong i`` Kim Jong Il, ``north ko`` North Korea."""
    from indexer.textkeys import casefold_key
    key = " ".join(casefold_key(prefix).split())
    if len(key) < 2:
        return []
    out = []
    for kind, field in (("country", "country"), ("person", "person"), ("author", "author")):
        mv = gen.values.multi[field]
        found = [i for i, n in enumerate(mv.names) if _name_completes(casefold_key(n), key)]
        found.sort(key=lambda i: -int(mv.doc_freq[i]))
        out.extend({"kind": kind, "value": mv.names[i], "count": int(mv.doc_freq[i])} for i in found[:limit])
    last = key.split()[-1] if key.split() else key
    out.extend({"kind": "word", "value": w, "count": n} for w, n in gen.vocab.with_prefix(last, limit))
    return out[: limit * 2]


def _name_completes(name: str, key: str) -> bool:
    """Whether ``key`` (folded words) starts ``name`` (folded) or the part of it from one of its words on."""
    if name.startswith(key):
        return True
    return any(name[i + 1:].startswith(key) for i, c in enumerate(name) if c == " ")


def _order(values: DocValues, ids: np.ndarray, newest: bool) -> np.ndarray:
    """Documents by date (unknown dates last), ties by document number."""
    day = values.day[ids].astype(np.int64)
    key = np.where(day > 0, -day if newest else day, np.iinfo(np.int64).max)
    return ids[np.lexsort((ids, key))]


def _ranked(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest, final: np.ndarray,
            filtered: bool, start: int, end: int, counts: Optional[np.ndarray] = None,
            deadline: Optional[Deadline] = None) -> list[tuple[int, Optional[float]]]:
    """(docnum, score) for positions start..end of the result list in the requested order.
    Relevance: BM25F, plus a bonus where words typed side by side stand together
    (``_proximity``); with ``counts`` (forgiving matching), more of the words first.
    Past the deadline: newest first, which costs nothing more."""
    if end <= start:
        return []
    late = deadline is not None and deadline.expired()
    if req.sort == "relevance" and not parsed.empty and not late:
        query = parsed.query if counts is None else wq.Or(parsed.clauses + [
            q for q in parsed.required if not isinstance(q, wq.Not)])
        rescore = (lambda docs: _proximity(gen, searcher, parsed, deadline, docs)) if parsed.pairs else None
        fast = ranking.ranked(gen, searcher, query, final, start, end, rescore=rescore, primary=counts)
        if fast is not None:
            return fast
        if counts is None:
            docset = set(np.nonzero(final)[0].tolist()) if filtered else None
            results = searcher.search(parsed.query, filter=docset, limit=end)
            return [(hit.docnum, hit.score) for hit in results[start:end]]
    ordered = _order(gen.values, np.nonzero(final)[0], newest=(req.sort != "oldest"))
    return [(int(d), None) for d in ordered[start:end]]


def _proximity(gen: Generation, searcher, parsed: ParsedQuery, deadline: Optional[Deadline],
               docs: np.ndarray) -> Optional[np.ndarray]:
    """For ``docs`` (sorted), PROXIMITY_WEIGHT × the score of each pair of words typed side by
    side (``six-party talks``: six party, party talks) where they stand together in the body."""
    if not parsed.pairs or not settings.PROXIMITY_WEIGHT or not len(docs):
        return None
    extra = np.zeros(len(docs), dtype=np.float64)
    for a, b in parsed.pairs:
        if deadline is not None and deadline.expired():
            break
        phrase = wq.Phrase("body", [a, b])       # the body only: a title's words are few and near anyway
        if phrases.supported(searcher, phrase):
            extra += ranking.phrase_scores(gen, searcher, phrase, docs)[docs]
    return extra * settings.PROXIMITY_WEIGHT


def _hit(fields: dict, terms: set, score: Optional[float]) -> Hit:
    return Hit(
        id=fields["id"], title=fields.get("title") or "(untitled)", date=fields.get("date") or None,
        source=fields.get("url") or fields.get("source", ""), url=fields.get("url"),
        snippet=snippet(fields.get("body") or fields.get("title") or "", terms),
        people=list(fields.get("person") or []), countries=list(fields.get("country") or []),
        authors=list(fields.get("author") or []),
        score=round(score, 4) if score is not None else None,
        countries_mentioned=list(fields.get("mentioned") or []),
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
        terms = {text for _, text in parse(q, gen.values, gen.vocab).text_terms}
    body = fields.get("body") or ""
    return {
        "id": fields["id"], "title": fields.get("title") or "(untitled)", "date": fields.get("date") or None,
        "source": fields.get("source"), "url": fields.get("url"), "dateline": fields.get("dateline"),
        "people": list(fields.get("person") or []), "countries": list(fields.get("country") or []),
        "authors": list(fields.get("author") or []),
        "countries_mentioned": list(fields.get("mentioned") or []),
        "body": body, "body_html": mark_all(body, terms), "docnum": docnum,
    }


def more_like_this(gen: Generation, searcher, docnum: int, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
    """Articles similar to one by its body's key terms, for the article page."""
    results = searcher.more_like(docnum, "body", top=top)
    return [_hit(hit.fields(), set(), hit.score) for hit in results]


def filtered_matches(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest) -> tuple[np.ndarray, bool]:
    """The results of a search (facet filters applied, forgiving matching as on the page),
    and whether any filter was."""
    found = _filtered(gen, searcher, parsed, req)
    return found.final, any(m is not None for m in found.masks.values())


def iter_hits(gen: Generation, req: SearchRequest, searcher, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
    """Every hit of a search in its order, for exports: one match, then stored fields as they stream."""
    parsed = parse(req.q, gen.values, gen.vocab)
    found = _filtered(gen, searcher, parsed, req)     # no time budget: an export is whole or fails
    filtered = any(m is not None for m in found.masks.values())
    terms = {text for _, text in parsed.text_terms}
    for docnum, score in _ranked(gen, searcher, parsed, req, found.final, filtered, 0,
                                 min(limit, int(found.final.sum())), found.counts):
        yield _hit(searcher.stored_fields(docnum), terms, score)
