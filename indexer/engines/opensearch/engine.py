"""The OpenSearch engine: an alias on a cluster, behind the engine interface.

``OpenSearchEngine`` holds one client (thread-safe, shared by a server's threads). A session
resolves the alias to the concrete index once, when it opens, and reads that index for all its
calls: a rebuild that swaps the alias meanwhile is seen by the next session, never half-way
through a page (the previous index is kept until the next publish; should it be gone, the
session moves to the one served now). A search is one request: the translated query, facet
filters as ``post_filter``, one aggregation per facet filtered by the others (disjunctive
counts), the date histogram, highlights and exact totals. Grouped (the default): results collapsed
on the story field, each story's other matching copies as ``inner_hits``, stories counted with
``cardinality`` (the total, and under every facet bucket and histogram bar).
"""
from __future__ import annotations

import dataclasses
import os
import time
from typing import Callable, Iterator, Optional, Sequence

import opensearchpy

from indexer import languages, querylang, settings
from indexer.engines.analysis import ordered, search_languages, typed_languages, word_languages
from indexer.engines.base import IndexUnavailable, NoIndex
from indexer.engines.builds import BuildsThroughWriter
from indexer.engines.opensearch import facets, highlight, mapping, overview, suggest, translate, writer
from indexer.engines.opensearch.client import PARTIAL_MESSAGE, Cluster, NodeLost, refusal as _refusal
from indexer import facets as registry
from indexer.engines.base import check_format
from indexer.grouping import is_grouped, story_of
from indexer.model import CopyRef, DayCounts, Facet, Hit, SearchRequest, SearchResult, Summary

EXPORT_PAGE = 500            # hits per request when an export pages with search_after
SOURCE_FIELDS = mapping.source_fields()
COPY_FIELDS = ["id", "title", "source", "date", "url"]
COPIES = "copies"            # the collapse's inner hits: a story's matching articles, oldest first
STORIES_TOTAL = "stories_total"


def _collapse() -> dict:
    """Results collapsed on the story: each story's best hit, its matching articles as inner hits
    (oldest first, as many as are named plus the hit itself)."""
    return {"field": mapping.group_field(),
            "inner_hits": {"name": COPIES, "size": settings.COPIES_SHOWN + 1, "_source": COPY_FIELDS,
                           "sort": [{"date": {"order": "asc", "missing": "_last"}}, {"seq": "asc"}]}}


def _with_copies(hit: Hit, raw: dict) -> Hit:
    """A collapsed hit with its story's other matching articles (the inner hits less itself)."""
    inner = raw.get("inner_hits", {}).get(COPIES, {}).get("hits", {})
    others = [h["_source"] for h in inner.get("hits", []) if h["_source"].get("id") != hit.id]
    hit.copies_total = max(0, int(inner.get("total", {}).get("value", 1)) - 1)
    hit.copies = [CopyRef(id=c["id"], title=c.get("title") or "(untitled)", date=c.get("date") or None,
                          source=c.get("url") or c.get("source") or "", url=c.get("url"))
                  for c in others[:settings.COPIES_SHOWN]]
    return hit


def _sort(req: SearchRequest, query: querylang.Query) -> list:
    """The sort clause: relevance (score, then build order), or by date with unknown dates last."""
    if req.sort == "relevance" and not query.empty:
        return [{"_score": "desc"}, {"seq": "asc"}]
    order = "asc" if req.sort == "oldest" else "desc"
    return [{"date": {"order": order, "missing": "_last"}}, {"seq": "asc"}]


def _hit(raw: dict, snippet: str, scored: bool) -> Hit:
    """The one ``_source`` → Hit mapping: results, exports, similar articles and the article page."""
    src = raw.get("_source", {})
    score = raw.get("_score")
    values, mentioned = mapping.facet_values(src)
    title, _ = mapping.texts(src)
    return Hit(id=src["id"], title=title or "(untitled)", date=src.get("date") or None,
               source=src.get("url") or src.get("source") or "", url=src.get("url"), snippet=snippet,
               score=round(score, 4) if scored and score is not None else None, facets=values, mentioned=mentioned)


class OpenSearchSession:
    """One request's index (the alias resolved when the session opened); also the ``ctx``
    (``.client``, ``.index``, ``.languages``) the query side uses for its lookups."""

    def __init__(self, engine: "OpenSearchEngine"):
        self.engine = engine
        self.cluster = engine.cluster
        self.raw = self.client = engine.cluster.client   # the query side sends through _call too
        self.index = engine.resolve()
        self.filter: Optional[dict] = None
        self.present = engine.present_languages(self.index)   # the index's analysis languages
        self.text_languages = self.present                        # those the current search's words are analysed in
        self.word_languages = self.present                   # those its suggestions' words come from

    # ------------------------------------------------------------ requests

    def _call(self, fn: Callable, **kwargs):
        """A request (``fn`` a client method) to this session's index, with the cluster's failure
        handling (``Cluster.call``); when a later rebuild has removed the index, to the one served now.
        The query side sends its lookups through it too (DESIGN.md beside this module)."""
        try:
            return self.cluster.call(fn, index=self.index, **kwargs)
        except NodeLost:
            raise
        except IndexUnavailable:
            served = self.engine.resolve()
            if served == self.index:
                raise
            self.index = served
            return self.cluster.call(fn, index=self.index, **kwargs)

    def _parse(self, text: str) -> querylang.Query:
        return querylang.parse(text)

    def _translate(self, query: querylang.Query, flt: Optional[dict] = None,
                   req: Optional[SearchRequest] = None) -> tuple[dict, list[str]]:
        """The query clause; ``flt`` (the facet filters) is ``ctx.filter`` for the query side, which
        decides forgiving matching on the articles that pass them; the words are analysed in the
        languages the query narrows the search to (``self.text_languages``, kept for the highlights of the
        same search; ``self.word_languages``: those ``req`` and the query narrow it to, for its
        suggestions)."""
        self.text_languages = search_languages(self.present, query.tree)
        self.word_languages = word_languages(self.present, req, query.tree)
        self.filter = facets.all_of(flt.values()) if flt and any(flt.values()) else None
        try:
            return translate.to_dsl(query, self)
        finally:
            self.filter = None

    def _snippet(self, source: dict, marks: dict) -> str:
        return highlight.snippet(source, marks)

    # ------------------------------------------------------------ the interface

    def search(self, req: SearchRequest, messages: Optional[list[str]] = None) -> SearchResult:
        """One results page: hits in order, disjunctive facets, the histogram, exact total; partial
        with a message when part of the cluster did not answer."""
        began = time.perf_counter()
        query = self._parse(req.q)
        flt = facets.filters(req)
        result = SearchResult(request=req, total=0, hits=[], facets={},
                              messages=list(messages or []) + list(query.messages))
        grouped = registry.GROUP is not None and is_grouped(req, querylang.named_facets(query.tree))
        try:
            dsl, notes = self._translate(query, flt, req)
            result.messages.extend(notes)
            aggs = facets.aggregations(req, flt, grouped=grouped)
            if registry.GROUP is not None:
                aggs[STORIES_TOTAL] = {"filter": facets.all_of(flt.values()), "aggs": {"n": facets.stories_agg()}}
            body = {"query": dsl, "post_filter": facets.all_of(flt.values()),
                    "aggs": aggs, "from": (req.page - 1) * req.page_size,
                    "size": req.page_size, "sort": _sort(req, query), "track_total_hits": True,
                    "_source": SOURCE_FIELDS}
            if grouped:
                body["collapse"] = _collapse()
            marks = highlight.spec(query, langs=self.text_languages) if req.snippets else {}
            if marks:
                body["highlight"] = marks
            answer = self._call(self.raw.search, body=body)
        except NodeLost:
            return self._unanswered(req, result, began, PARTIAL_MESSAGE)
        except opensearchpy.RequestError as error:    # a query the cluster refuses: a message, not a 500
            return self._unanswered(req, result, began, f"This search could not be run ({_refusal(error)}); "
                                                         "try fewer or simpler words.")
        scored = req.sort == "relevance" and not query.empty
        aggregations = answer.get("aggregations", {})
        result.articles = int(answer["hits"]["total"]["value"])
        result.stories = int(aggregations[STORIES_TOTAL]["n"]["value"]) if STORIES_TOTAL in aggregations \
            else result.articles
        result.grouped = grouped
        result.counted = "stories" if grouped else "articles"
        result.total = result.stories if grouped else result.articles
        result.hits = [_hit(h, self._snippet(h["_source"], h.get("highlight", {})) if req.snippets else "", scored)
                       for h in answer["hits"]["hits"]]
        if grouped:
            result.hits = [_with_copies(hit, raw) for hit, raw in zip(result.hits, answer["hits"]["hits"])]
        result.facets = facets.shape(req, aggregations, grouped=grouped)
        if answer.get("_shards", {}).get("failed") or answer.get("timed_out"):
            result.partial = True
            result.messages.append(PARTIAL_MESSAGE)
        elif query.words and result.articles <= settings.SUGGEST_MAX_HITS:
            try:
                result.suggestion = suggest.did_you_mean(self, query)
            except NodeLost:
                pass                                     # no suggestion this time; the results stand
        result.took_ms = round((time.perf_counter() - began) * 1000, 1)
        return result

    def _unanswered(self, req: SearchRequest, result: SearchResult, began: float, message: str) -> SearchResult:
        """A page without hits, marked partial with ``message``: what a search the cluster could not
        answer shows (the selected facet values stay listed)."""
        result.partial = True
        result.messages.append(message)
        result.facets = {name: dataclasses.replace(f, partial=True)
                         for name, f in facets.shape(req, _empty_aggs(req)).items()}
        result.took_ms = round((time.perf_counter() - began) * 1000, 1)
        return result

    def facet_values(self, req: SearchRequest, name: str, prefix: str = "",
                     limit: int = settings.MAX_FACET_SIZE) -> Facet:
        """One facet's values (counted with every other facet's filter), those with a word starting with ``prefix``."""
        if name not in {s.name for s in registry.SIDEBAR_FACETS} and name != "date":
            raise KeyError(name)
        query = self._parse(req.q)
        flt = facets.filters(req)
        dsl, _ = self._translate(query, flt, req)
        size = max(1, min(limit, settings.MAX_FACET_SIZE))
        grouped = registry.GROUP is not None and is_grouped(req, querylang.named_facets(query.tree))
        body = {"query": dsl, "size": 0, "track_total_hits": False,
                "aggs": facets.aggregations(req, flt, names={name}, size=size, prefix=prefix, grouped=grouped)}
        answer = self._call(self.raw.search, body=body)
        return facets.shape(req, answer["aggregations"], size=size, prefix=prefix, grouped=grouped)[name]

    def article(self, article_id: str, q: str = "") -> Optional[dict]:
        """One article's fields, its body marked for ``q``; None when there is no such id."""
        if not article_id or len(article_id) > settings.MAX_ID_CHARS:
            return None
        body = {"query": {"ids": {"values": [article_id]}}, "size": 1}
        query = self._parse(q) if q else None
        marks = highlight.spec(query, whole_body=True, langs=self.present)
        if marks:   # the request finds the article by id: the marks are for the query it was reached from
            body["highlight"] = dict(marks, highlight_query=self._translate(query)[0])
        found = self._call(self.raw.search, body=body)["hits"]["hits"]
        if not found:
            return None
        src = found[0]["_source"]
        hit = _hit(found[0], "", False)
        return {
            "id": hit.id, "title": hit.title, "date": hit.date, "source": src.get("source"), "url": hit.url,
            "dateline": src.get("dateline"), "facets": hit.facets, "mentioned": hit.mentioned,
            "body": mapping.texts(src)[1],
            "body_html": highlight.mark_body(src, found[0].get("highlight", {})),
        }

    def similar(self, article_id: str, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
        """Articles like this one (more-like-this over its body), best first."""
        if not article_id or len(article_id) > settings.MAX_ID_CHARS:
            return []
        found = self._call(self.raw.search, body={"query": {"ids": {"values": [article_id]}}, "size": 1,
                                                     "_source": SOURCE_FIELDS})["hits"]["hits"]
        if not found:
            return []
        like = suggest.similar_dsl(self, article_id, top)
        unlike = [{"ids": {"values": [article_id]}}]
        body = {"query": {"bool": {"must": [like], "must_not": unlike}}, "size": top, "_source": SOURCE_FIELDS}
        story = story_of(_hit(found[0], "", False).facets)
        if story:       # other stories only (its own copies are listed apart), one article each
            unlike.append({"term": {mapping.group_field(): story}})
            body["collapse"] = {"field": mapping.group_field()}
        hits = self._call(self.raw.search, body=body)["hits"]["hits"]
        return [_hit(h, self._snippet(h["_source"], {}), True) for h in hits]

    def complete(self, prefix: str, limit: int = 8, req: Optional[SearchRequest] = None) -> list[dict]:
        """The sidebar facets' values and the words starting with ``prefix`` (of the languages ``req`` narrows to)."""
        self.word_languages = typed_languages(self.present, req)
        return suggest.complete(self, prefix, limit)

    def day_counts(self, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
        """Matches per day of each request (one ``_msearch`` of day histograms)."""
        return overview.day_counts(self, reqs)

    def summaries(self, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
        """Each request's total, first and last day and top chip values (one ``_msearch``)."""
        return overview.summaries(self, reqs, top)

    def iter_hits(self, req: SearchRequest, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
        """Every hit in the page order, paged with ``search_after`` on the session's index (valid after close)."""
        query = self._parse(req.q)
        flt = facets.filters(req)
        dsl, _ = self._translate(query, flt, req)
        scored = req.sort == "relevance" and not query.empty
        base = {"query": {"bool": {"must": [dsl], "filter": [facets.all_of(flt.values())]}},
                "sort": _sort(req, query), "_source": SOURCE_FIELDS}
        marks = highlight.spec(query, langs=self.text_languages)
        if marks:
            base["highlight"] = marks
        session = self

        def hits() -> Iterator[Hit]:
            after, sent = None, 0
            while sent < limit:
                body = dict(base, size=min(EXPORT_PAGE, limit - sent))
                if after is not None:
                    body["search_after"] = after
                page = session._call(session.raw.search, body=body)["hits"]["hits"]
                for h in page:
                    yield _hit(h, session._snippet(h["_source"], h.get("highlight", {})), scored)
                sent += len(page)
                if len(page) < body["size"]:
                    return
                after = page[-1]["sort"]
        return hits()

    def info(self) -> dict:
        """What the last build recorded (the index's mapping ``_meta``)."""
        found = self._call(self.raw.indices.get_mapping)
        return dict(found.get(self.index, {}).get("mappings", {}).get("_meta") or {})

    def stats(self, top: int = 10) -> dict:
        """``newsfacet stats``'s figures for this index."""
        names = {spec.json: spec.name for spec in registry.SIDEBAR_FACETS}   # distinct_people, top_people…
        aggs = {"first": {"min": {"field": "date", "format": "strict_date"}},
                "last": {"max": {"field": "date", "format": "strict_date"}},
                "undated": {"missing": {"field": "date"}}}
        for key, field in names.items():
            aggs[f"top_{key}"] = {"terms": {"field": f"{field}.raw", "size": top,
                                            "order": [{"_count": "desc"}, {"_key": "asc"}],
                                            "shard_size": settings.OPENSEARCH_SHARD_SIZE}}
            aggs[f"distinct_{key}"] = {"cardinality": {"field": f"{field}.raw", "precision_threshold": 40000}}
        answer = self._call(self.raw.search, body={"size": 0, "track_total_hits": True, "aggs": aggs})
        a = answer["aggregations"]
        size = self._call(self.raw.indices.stats, metric="store")["_all"]["primaries"]["store"]["size_in_bytes"]
        info = self.info()
        out = {
            "articles": int(answer["hits"]["total"]["value"]),
            "dates_unknown": int(a["undated"]["doc_count"]),
            "date_from": a["first"].get("value_as_string"), "date_to": a["last"].get("value_as_string"),
            "index_dir": self.cluster.where(), "generation": self.index, "size_bytes": int(size),
            "last_build": info.get("built_at"), "last_build_command": info.get("command"),
            "last_build_seconds": info.get("seconds"),
        }
        for key in names:
            out[f"distinct_{key}"] = int(a[f"distinct_{key}"]["value"])
            out[f"top_{key}"] = [{"value": b["key"], "count": int(b["doc_count"])} for b in a[f"top_{key}"]["buckets"]]
        return out

    def close(self) -> None:
        """Nothing to give back: the client belongs to the engine."""

    def __enter__(self) -> "OpenSearchSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _languages_of(cluster: Cluster, name: str) -> tuple[str, ...]:
    spec = registry.LANGUAGE
    if spec is None:
        return (languages.ENGLISH,)
    field = f"{spec.name}.raw"
    answer = cluster.call(cluster.client.search, index=name, body={
        "size": 0, "track_total_hits": False,
        "aggs": {"told": {"terms": {"field": field, "size": settings.MAX_FACET_SIZE}},
                 "untold": {"missing": {"field": field}}}})["aggregations"]
    found = {languages.analysis(b["key"]) for b in answer["told"]["buckets"]}
    if answer["untold"]["doc_count"]:
        found.add(languages.ENGLISH)
    return ordered(found) or (languages.ENGLISH,)


def _empty_aggs(req: SearchRequest) -> dict:
    empty = {"values": {"buckets": []}}
    return {**{spec.name: empty for spec in registry.SIDEBAR_FACETS}, "date": {"hist": {"buckets": []}}}


class OpenSearchEngine(BuildsThroughWriter):
    """An alias on an OpenSearch cluster (``NEWSFACET_OPENSEARCH_URL``, ``NEWSFACET_OPENSEARCH_INDEX``)."""

    name = "opensearch"

    def __init__(self, url: Optional[str] = None, index: Optional[str] = None):
        url = url or os.environ.get("NEWSFACET_OPENSEARCH_URL") or settings.OPENSEARCH_URL
        index = (index or os.environ.get("NEWSFACET_OPENSEARCH_INDEX") or settings.OPENSEARCH_INDEX).strip().lower()
        self.cluster = Cluster(url, index)
        self._formats: dict[str, Optional[int]] = {}   # concrete index → the format its _meta records
        self._languages: dict[str, tuple[str, ...]] = {}   # concrete index → its analysis languages

    def resolve(self) -> str:
        """The concrete index the alias points to now (IndexUnavailable when none was published;
        OldIndex when it was built in an earlier index format)."""
        names = writer.concrete_indices(self.cluster)
        if not names:
            raise NoIndex(f"no index at {self.cluster.where()}: run "
                                   "`newsfacet rebuild PATH --engine opensearch` first")
        name = names[-1]
        if name not in self._formats:       # an index's format is fixed once published: asked once
            self._formats[name] = writer.index_format(self.cluster, name)
        check_format(self._formats[name], "--engine opensearch")
        return name

    def session(self) -> OpenSearchSession:
        """A session on the index served now."""
        return OpenSearchSession(self)

    def present_languages(self, name: str) -> tuple[str, ...]:
        """The analysis languages of a concrete index's documents (``indexer.languages.analysis``
        of each value of the ``text_language`` facet, English for documents without one), asked
        once per index (its content is fixed once published)."""
        found = self._languages.get(name)
        if found is None:
            found = self._languages[name] = _languages_of(self.cluster, name)
        return found

    def exists(self) -> bool:
        """Whether the alias points to an index."""
        return bool(writer.concrete_indices(self.cluster))

    def location(self) -> str:
        """The cluster URL and alias."""
        return self.cluster.where()

    def writer(self) -> writer.OpenSearchWriter:
        """One build's new index on the cluster, published by an atomic alias swap."""
        return writer.OpenSearchWriter(self.cluster)

    def drop(self) -> None:
        """Delete the alias and every index built for it (tests, and clearing a cluster)."""
        for name in writer.built_indices(self.cluster) + [writer.lock_name(self.cluster)]:
            self.cluster.call(self.cluster.client.indices.delete, index=name, ignore=[404])

    def close(self) -> None:
        """Close the client's connections."""
        self.cluster.close()
