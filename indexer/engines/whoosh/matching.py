"""Which documents a query matches: boolean masks over document numbers, within a time budget.

Boolean trees of terms and phrases are evaluated with numpy over whole posting lists (read in
bulk by ``ranking``/``postings``, phrases by ``phrases``); anything else goes through Whoosh's
matchers. Facet filters apply on top, and when no article has all of a query's words, forgiving
matching keeps the articles with most of them.
"""
from __future__ import annotations

import math
import time
from typing import NamedTuple, Optional

import numpy as np
from whoosh import query as wq

from indexer import settings
from indexer.engines.whoosh import phrases, postings
from indexer.engines.whoosh.facets import facet_objects
from indexer.engines.whoosh.generation import Generation
from indexer.engines.whoosh.query import ParsedQuery
from indexer.engines.whoosh.schema import term_language
from indexer.model import SearchRequest


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
    mask = mask_of(gen, searcher, parsed.query, deadline)
    mask &= values.live
    if deadline is None or not deadline.hit:      # a mask that may have been cut short is not kept
        gen.cache.put_mask(key, mask)
    return mask.copy()


def posting_ids(gen: Generation, searcher, fieldname: str, text) -> np.ndarray:
    """Document numbers of one term (all segments), from the cache or read block by block
    (with the term's weights, which relevance order needs: see indexer.ranking)."""
    ids = gen.cache.get_term((fieldname, text))
    if ids is not None:
        return ids
    return postings.term_postings(gen, searcher, fieldname, text)[0]


def _one_word(q) -> bool:
    """Whether an OR is one word looked up in several fields (title, body) and languages: a unit the
    budget never splits, since cutting it would find the word in titles only. One word has one term
    per language (``es\x1feleccion``, untagged for English), two words two in some language."""
    subs = q.subqueries
    if not all(type(s) is wq.Term for s in subs):
        return False
    texts = {s.text for s in subs}
    return len(texts) == len({term_language(t) for t in texts})


def mask_of(gen: Generation, searcher, q, deadline: Optional[Deadline] = None) -> np.ndarray:
    """``deadline``: once it has expired, the remaining parts of an AND or OR are left out
    (a partial answer: an OR finds fewer articles, an AND requires fewer of its parts)."""
    ndocs = gen.values.ndocs
    kind = type(q)
    if kind is wq.Term:
        out = np.zeros(ndocs, dtype=bool)
        out[posting_ids(gen, searcher, q.fieldname, q.text)] = True
        return out
    if kind is wq.And:
        out = np.ones(ndocs, dtype=bool)
        for i, sub in enumerate(q.subqueries):
            if i and deadline is not None and deadline.expired():
                break
            out &= mask_of(gen, searcher, sub, deadline)
        return out
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        out = np.zeros(ndocs, dtype=bool)
        one_word = _one_word(q)
        for i, sub in enumerate(q.subqueries):
            if i and not one_word and deadline is not None and deadline.expired():
                break
            out |= mask_of(gen, searcher, sub, deadline)
        return out
    if kind is wq.Not:
        return ~mask_of(gen, searcher, q.query, deadline)
    if kind is wq.AndNot:
        return mask_of(gen, searcher, q.a, deadline) & ~mask_of(gen, searcher, q.b, deadline)
    if kind is wq.AndMaybe:
        return mask_of(gen, searcher, q.a, deadline)
    if kind is wq.Every and not q.fieldname:
        return np.ones(ndocs, dtype=bool)
    if kind is wq.Phrase and phrases.supported(searcher, q):
        out = np.zeros(ndocs, dtype=bool)
        out[phrases.phrase_postings(gen, searcher, q).docs] = True
        return out
    if q is wq.NullQuery:
        return np.zeros(ndocs, dtype=bool)
    out = np.zeros(ndocs, dtype=bool)
    q = phrases.for_whoosh(searcher, q, lambda p: (phrases.phrase_postings(gen, searcher, p).docs, None))
    out[np.fromiter(q.docs(searcher), dtype=np.int64)] = True
    return out



class Found(NamedTuple):
    """A search's matches before and after filters, kept together so facets count disjunctively."""
    matched: np.ndarray          # the text query's matches (live documents), before facet filters
    masks: dict                  # facet name → its filter mask, or None
    final: np.ndarray            # matched with every filter applied: the results
    counts: Optional[np.ndarray]  # forgiving matching: per document, how many of the words it has
    messages: list


def find(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest,
              deadline: Optional[Deadline] = None) -> Found:
    """The results of a search: matches, facet filters, and when no article has all of a
    query's words, the articles with most of them (forgiving matching)."""
    matched = matches(gen, searcher, parsed, deadline)
    masks = {f.name: f.mask(req) for f in facet_objects(gen.values)}
    final = matched.copy()
    for m in masks.values():
        if m is not None:
            final &= m
    if final.any() or not parsed.clauses or (deadline is not None and deadline.expired()):
        return Found(matched, masks, final, None, [])
    counts, matched = most_words(gen, searcher, parsed, masks, deadline)
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


def most_words(gen: Generation, searcher, parsed: ParsedQuery, masks: dict,
                deadline: Optional[Deadline]) -> tuple[np.ndarray, np.ndarray]:
    """(per-document count of the query's word clauses matched, the documents having at least
    MIN_SHOULD_MATCH of as many as the best (filtered) article has)."""
    values = gen.values
    base = values.live.copy()
    for q in parsed.required:
        base &= mask_of(gen, searcher, q, deadline)
    counts = np.zeros(values.ndocs, dtype=np.int16)
    for i, clause in enumerate(parsed.clauses):
        if i and deadline is not None and deadline.expired():
            break
        counts += mask_of(gen, searcher, clause, deadline)
    counts[~base] = 0
    allowed = base.copy()
    for m in masks.values():
        if m is not None:
            allowed &= m
    best = int(counts[allowed].max()) if allowed.any() else 0
    need = max(1, math.ceil(best * settings.MIN_SHOULD_MATCH))
    return counts, base & (counts >= need)



def filtered_matches(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest) -> tuple[np.ndarray, bool]:
    """The results of a search (facet filters applied, forgiving matching as on the page),
    and whether any filter was."""
    found = find(gen, searcher, parsed, req)
    return found.final, any(m is not None for m in found.masks.values())

