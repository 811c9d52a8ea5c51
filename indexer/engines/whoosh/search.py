"""SearchRequest → SearchResult: the one search the CLI, the web page and the JSON API share.

A results page: the query compiled (``query``), its matches and facet filters (``matching``),
disjunctive facet counts (``facets``), the page of hits in relevance order (``ranking``, with a
bonus where words typed side by side stand together) or by date, and "did you mean". Exports
stream every hit in the same order.

Library code imports the index and article functions from here too, as it did before they had
modules of their own (``generation``, ``matching``, ``articles``).
"""
from __future__ import annotations

from typing import Iterator, Optional

import numpy as np
from whoosh import query as wq

from indexer import settings
from indexer.engines.whoosh import phrases, ranking
from indexer.engines.whoosh.articles import (complete, get_article, more_like_this, suggest,  # noqa: F401 (re-exported)
                                             words_of)
from indexer.engines.whoosh.docvalues import DocValues
from indexer.engines.whoosh.facets import facet_objects
from indexer.engines.whoosh.generation import Generation, Index, open_index  # noqa: F401 (re-exported)
from indexer.engines.whoosh.hits import to_hit
from indexer.engines.whoosh.matching import Deadline, filtered_matches, find, mask_of, matches  # noqa: F401 (re-exported)
from indexer.engines.whoosh.query import ParsedQuery, parse
from indexer.engines.whoosh.stories import StoryColumn, first_per_story
from indexer.grouping import is_grouped
from indexer.model import CopyRef, Hit, SearchRequest, SearchResult


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
    parsed = parse(req.q, values, vocab, present=gen.languages, req=req, reader=gen.held_terms(searcher.reader()))
    found = find(gen, searcher, parsed, req, deadline)
    matched, masks, final = found.matched, found.masks, found.final
    grouped = values.stories is not None and is_grouped(req, parsed.named)
    by_story = values.stories if grouped else None
    facet_results = {}
    for f in facet_objects(values):
        if not f.spec.sidebar:
            continue
        others = matched.copy()
        for name, m in masks.items():
            if m is not None and name != f.name:
                others &= m
        if deadline.elapsed() > settings.FACET_TIME_BUDGET or deadline.expired():
            facet_results[f.name] = f.partial(req, others, by_story)   # degrade, don't fail the page
        else:
            facet_results[f.name] = f.facet(req, others, req.facet_size, stories=by_story)
    articles = int(final.sum())
    stories = values.stories.distinct(final) if values.stories is not None else articles
    total = stories if grouped else articles
    start = (req.page - 1) * req.page_size
    hits = []
    by_date = req.sort == "relevance" and not parsed.empty and deadline.expired()
    if start < total:
        filtered = any(m is not None for m in masks.values())
        ranked = _ranked(gen, searcher, parsed, req, final, filtered, start, start + req.page_size,
                         found.counts, deadline, by_story)
        terms = {text for _, text in parsed.text_terms} if req.snippets and not deadline.expired() else set()
        hits = [to_hit(searcher.stored_fields(d), terms, score) for d, score in ranked]
        if grouped:
            for hit, (docnum, _) in zip(hits, ranked):
                _add_copies(searcher, by_story, final, hit, docnum)
    result = SearchResult(request=req, total=total, hits=hits, facets=facet_results,
                          messages=list(messages or []) + parsed.messages + found.messages,
                          articles=articles, stories=stories, grouped=grouped,
                          counted="stories" if grouped else "articles")
    if deadline.hit:
        result.partial = True
        result.messages.append("The search took too long and was cut short: these are the articles found "
                               "in time (there may be more)" + (", newest first." if by_date else "."))
    elif parsed.words and articles <= settings.SUGGEST_MAX_HITS:
        result.suggestion = suggest(words_of(gen, parsed.word_languages), parsed.text, parsed.words)
    result.took_ms = round(deadline.elapsed() * 1000, 1)
    return result


def _add_copies(searcher, stories: StoryColumn, final: np.ndarray, hit: Hit, docnum: int) -> None:
    """The other matching articles of a hit's story: how many, and the first ``COPIES_SHOWN``
    (oldest first, undated last)."""
    members = stories.members(int(stories.story[docnum]))
    others = members[final[members] & (members != docnum)]
    hit.copies_total = len(others)
    for d in others[:settings.COPIES_SHOWN].tolist():
        fields = searcher.stored_fields(d)
        hit.copies.append(CopyRef(id=fields["id"], title=fields.get("title") or "(untitled)",
                                  date=fields.get("date") or None,
                                  source=fields.get("url") or fields.get("source", ""), url=fields.get("url")))


def facet_values(gen: Generation, req: SearchRequest, name: str, prefix: str = "",
                 limit: int = settings.MAX_FACET_SIZE, searcher=None):
    """One facet's values for the search ``req`` (disjunctive counts), optionally only those
    with a word starting with ``prefix``: the "more" list and the facet filter box."""
    if searcher is None:
        with gen.searcher() as own:
            return facet_values(gen, req, name, prefix, limit, own)
    facets = {f.name: f for f in facet_objects(gen.values) if f.spec.sidebar}
    if name not in facets:
        raise KeyError(name)
    parsed = parse(req.q, gen.values, gen.vocab, present=gen.languages, req=req, reader=gen.held_terms(searcher.reader()))
    found = find(gen, searcher, parsed, req, Deadline())
    others = found.matched
    for other_name, mask in found.masks.items():
        if mask is not None and other_name != name:
            others &= mask
    stories = gen.values.stories if is_grouped(req, parsed.named) else None
    return facets[name].facet(req, others, max(1, min(limit, settings.MAX_FACET_SIZE)), prefix=prefix,
                              stories=stories)


def _order(values: DocValues, ids: np.ndarray, newest: bool) -> np.ndarray:
    """Documents by date (unknown dates last), ties by document number."""
    day = values.day[ids].astype(np.int64)
    key = np.where(day > 0, -day if newest else day, np.iinfo(np.int64).max)
    return ids[np.lexsort((ids, key))]


def _ranked(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest, final: np.ndarray,
            filtered: bool, start: int, end: int, counts: Optional[np.ndarray] = None,
            deadline: Optional[Deadline] = None,
            stories: Optional[StoryColumn] = None) -> list[tuple[int, Optional[float]]]:
    """(docnum, score) for positions start..end of the result list in the requested order; with
    ``stories``, of the list of stories, each by its first document in that order (its best copy).
    Relevance: BM25F, plus a bonus where words typed side by side stand together
    (``_proximity``); with ``counts`` (forgiving matching), more of the words first.
    Past the deadline: newest first, which costs nothing more."""
    if end <= start:
        return []
    if stories is None:
        return _top(gen, searcher, parsed, req, final, filtered, start, end, counts, deadline)
    wanted = max(4 * end, 64)          # documents looked at for ``end`` stories; more when copies crowd them
    while True:
        top = _top(gen, searcher, parsed, req, final, filtered, 0, wanted, counts, deadline)
        docs = np.fromiter((d for d, _ in top), dtype=np.int64, count=len(top))
        firsts = first_per_story(docs, stories)
        if len(firsts) >= end or len(top) < wanted:
            return [top[i] for i in firsts[start:end].tolist()]
        wanted *= 4


def _top(gen: Generation, searcher, parsed: ParsedQuery, req: SearchRequest, final: np.ndarray,
         filtered: bool, start: int, end: int, counts: Optional[np.ndarray] = None,
         deadline: Optional[Deadline] = None) -> list[tuple[int, Optional[float]]]:
    """(docnum, score) for positions start..end of the list of matching articles in the requested order."""
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
            results = searcher.search(ranking.whoosh_query(gen, searcher, parsed.query), filter=docset, limit=end)
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


def iter_hits(gen: Generation, req: SearchRequest, searcher, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
    """Every hit of a search in its order, for exports: one match, then stored fields as they stream."""
    parsed = parse(req.q, gen.values, gen.vocab, present=gen.languages, req=req, reader=gen.held_terms(searcher.reader()))
    found = find(gen, searcher, parsed, req)     # no time budget: an export is whole or fails
    filtered = any(m is not None for m in found.masks.values())
    terms = {text for _, text in parsed.text_terms}
    for docnum, score in _ranked(gen, searcher, parsed, req, found.final, filtered, 0,
                                 min(limit, int(found.final.sum())), found.counts):
        yield to_hit(searcher.stored_fields(docnum), terms, score)
