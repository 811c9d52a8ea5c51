"""A stand-in for the query side (translate, highlight, suggest) until those modules exist:
enough to build and search while they are written. The engine uses it only when they are missing."""
from __future__ import annotations

import html
import types

from indexer import querylang, settings

PRE, POST = "\ue000", "\ue001"
FIELDS = {"country": "country", "person": "person", "author": "author"}


def _dsl(node) -> dict:
    q = querylang
    if isinstance(node, q.Everything):
        return {"match_all": {}}
    if isinstance(node, q.Nothing):
        return {"match_none": {}}
    if isinstance(node, q.Word):
        fields = [node.field] if node.field else ["title", "body"]
        return {"multi_match": {"query": node.text, "fields": fields, "operator": "and"}}
    if isinstance(node, q.Phrase):
        fields = [node.field] if node.field else ["title", "body"]
        return {"multi_match": {"query": " ".join(node.words), "fields": fields, "type": "phrase"}}
    if isinstance(node, q.Pattern):
        fields = [f"{node.field}.plain"] if node.field else ["title.plain", "body.plain"]
        return {"bool": {"should": [{"wildcard": {f: {"value": node.pattern.lower()}}} for f in fields]}}
    if isinstance(node, q.FacetValue):
        field = FIELDS.get(node.facet, node.facet)
        clauses = [{"term": {field: node.value}}]
        if field in ("person", "author"):
            clauses.append({"term": {f"{field}_last": node.value}})
        return {"bool": {"should": clauses}}
    if isinstance(node, q.DateRange):
        bounds = {}
        if node.start:
            bounds["gte"] = node.start.isoformat()
        if node.end:
            bounds["lte"] = node.end.isoformat()
        return {"range": {"date": bounds}}
    if isinstance(node, q.All):
        must = [_dsl(c) for c in node.children if not isinstance(c, q.Not)]
        must_not = [_dsl(c.child) for c in node.children if isinstance(c, q.Not)]
        return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}
    if isinstance(node, q.Any):
        return {"bool": {"should": [_dsl(c) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, q.Not):
        return {"bool": {"must_not": [_dsl(node.child)]}}
    raise TypeError(node)


def to_dsl(query, ctx):
    return _dsl(query.tree), []


def spec(query):
    return {"pre_tags": [PRE], "post_tags": [POST], "fields": {"body": {"fragment_size": settings.SNIPPET_CHARS,
                                                                         "number_of_fragments": 1},
                                                                "title": {"number_of_fragments": 0}}}


def _marked(text: str) -> str:
    return html.escape(text).replace(PRE, "<mark>").replace(POST, "</mark>")


def snippet(source, highlight):
    if highlight.get("body"):
        return _marked(" … ".join(highlight["body"]))
    return html.escape((source.get("body") or source.get("title") or "")[: settings.SNIPPET_CHARS])


def mark_body(source, highlight):
    if highlight.get("body"):
        return _marked(highlight["body"][0])
    return html.escape(source.get("body") or "")


def did_you_mean(ctx, query):
    return None


def complete(ctx, prefix, limit):
    return []


def similar_dsl(ctx, article_id, top):
    return {"more_like_this": {"fields": ["body"], "like": [{"_index": ctx.index, "_id": article_id}],
                               "min_term_freq": 1, "min_doc_freq": 1}}


translate = types.SimpleNamespace(to_dsl=to_dsl)
highlight = types.SimpleNamespace(spec=spec, snippet=snippet, mark_body=mark_body)
suggest = types.SimpleNamespace(did_you_mean=did_you_mean, complete=complete, similar_dsl=similar_dsl)
