"""The neutral query tree (``indexer.querylang``) as an OpenSearch query clause, read as Whoosh reads it.

What the Whoosh engine resolves against its index in memory (``engines.whoosh.query``) is looked up
here in the cluster, all in ONE search before the query is built (``_Lookups``): facet values
(``person:kelly`` → the full names, else every name its lookup key finds in the facet's lookup
field, ``person_last``: every Kelly; "No article has the person …" when neither), and wildcard
patterns (the index's most frequent matching words, from a terms aggregation over the ``words`` field, at most ``MAX_EXPANSIONS`` stems holding at most
``MAX_EXPANSION_DOCS`` documents, with Whoosh's messages). A ``wildcard``/``prefix`` query with a
``top_terms_N`` rewrite would be one request less, but it keeps the first N terms in term order,
not the frequent ones, and reads stemmed terms (``*tion`` would miss *negotiations*, stemmed
*negoti*); the aggregation reads the typed words with their document counts, as Whoosh's
vocabulary does. When the lookups fail (a node lost), patterns fall back to that rewrite on
``*.plain``.

Words match in title or body, every part of a hyphenated word in the same field (``multi_match``
``best_fields`` with ``operator: and``; ``tie_breaker: 1`` sums the fields' scores as Whoosh's OR
over fields does), in the fields of each of the search's languages (``ctx.languages``: every
analysis language the index holds, or those the search is narrowed to; ``mapping.text_field``),
each analysing the words with its own language's analyser; wildcards expand per language, through
the words of that language's articles. When no article passing the filters has all
of a query's words, the articles with at least ``MIN_SHOULD_MATCH`` of as many as the best one has
are found instead, more words first (forgiving matching, Whoosh's message). Words typed side by
side earn a bonus where they stand together in the body: an optional ``match_phrase`` per pair
(``PROXIMITY_WEIGHT`` × its score), scored on every match rather than a rescore window, so that it
needs nothing from the caller and works with any sort.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Optional

from indexer import facets, languages, settings
from indexer import querylang as ql
from indexer.engines.opensearch.client import NodeLost
from indexer.engines.opensearch.mapping import TEXT_FIELDS, language_filter, lookup_field, text_field
from indexer.facets import lookup_key
from indexer.textkeys import lower_key

# Whoosh boosts the title's term weights (tf × 2, which BM25 saturates), not its scores; measured on
# corpus/ (the first pages of 33 queries, one shard), a title boost of 1 orders like Whoosh best: 217 of 274 places
# the same against 211 with 1.4 and 195 with 2 (tests/engines/opensearch/test_query_cluster.py).
TITLE_BOOST = 1.0
# Forgiving matching ranks articles by how many of the words they have, then by score: each word
# clause found adds this constant, far above any one clause's BM25 score (tens at most).
WORD_COUNT_RANK = 1000.0
# Patterns: words asked of the terms aggregation per pattern (several words share one stem).
_WORDS_ASKED = settings.MAX_EXPANSIONS * 4
_WORD_PART = re.compile(r"\w+(?:\.\w+)*")


@dataclass
class _Lookups:
    """Facet values and patterns of one tree, resolved in one search."""
    facets: dict = field(default_factory=dict)      # (facet, value) → field to filter on, or None (none found)
    patterns: dict = field(default_factory=dict)    # pattern → [(language, stems), …] (empty: none matched)
    messages: list = field(default_factory=list)
    lost: bool = False                              # the lookups failed (a node lost): do without
    languages: tuple = (languages.ENGLISH,)         # the analysis languages searched in


def to_dsl(query: ql.Query, ctx) -> tuple[dict, list[str]]:
    """The query clause for ``query`` and the messages to show (unknown names, wildcard caps,
    forgiving matching); ``ctx``: ``.client``, ``.index`` (alias), optional ``.filter`` (the
    request's facet filters, for deciding forgiving matching on the articles they pass) and
    ``.languages`` (the analysis languages to search in; default English)."""
    tree = query.tree
    if isinstance(tree, ql.Everything) or query.empty:
        return {"match_all": {}}, []
    if isinstance(tree, ql.Nothing):
        return {"match_none": {}}, []
    found = _lookup(tree, ctx)
    messages = list(found.messages)
    core = _clause(tree, found)
    relaxed = _forgiving(tree, found, ctx, query.text or "", messages)
    if relaxed is not None:
        core = relaxed
    pairs = proximity_pairs(tree)
    if pairs and settings.PROXIMITY_WEIGHT and not _is_none(core):
        bonus = [_together(f"{a} {b}", found.languages) for a, b in pairs]
        core = {"bool": {"must": [core], "should": bonus}}
    return core, messages


def _together(pair: str, langs) -> dict:
    """The proximity bonus of two words side by side in the body (of each language's field)."""
    bodies = [text_field("body", lang) for lang in langs]
    if len(bodies) == 1:
        return {"match_phrase": {bodies[0]: {"query": pair, "boost": settings.PROXIMITY_WEIGHT}}}
    return {"multi_match": {"query": pair, "fields": bodies, "type": "phrase", "boost": settings.PROXIMITY_WEIGHT}}


def languages_of(ctx) -> tuple[str, ...]:
    """The analysis languages ``ctx`` searches in (English when it does not say)."""
    return tuple(getattr(ctx, "text_languages", None) or (languages.ENGLISH,))


# ---------------------------------------------------------------- nodes → clauses

def _fields(fieldname: Optional[str], langs=(languages.ENGLISH,)) -> list[str]:
    out = []
    for lang in langs:
        for base in (TEXT_FIELDS if fieldname is None else (fieldname,)):
            name = text_field(base, lang)
            out.append(f"{name}^{TITLE_BOOST:g}" if base == "title" and TITLE_BOOST != 1 else name)
    return out


def word_clause(text: str, fieldname: Optional[str] = None, langs=(languages.ENGLISH,)) -> dict:
    """One typed word in title or body (or ``fieldname``) of each language in ``langs``: every part
    of ``six-party`` in one field."""
    return {"multi_match": {"query": text, "fields": _fields(fieldname, langs), "type": "best_fields",
                            "operator": "and", "tie_breaker": 1.0}}


def phrase_clause(words, fieldname: Optional[str] = None, langs=(languages.ENGLISH,)) -> dict:
    """Words side by side, in this order, in title or body (or ``fieldname``) of each language in ``langs``."""
    return {"multi_match": {"query": " ".join(words), "fields": _fields(fieldname, langs), "type": "phrase",
                            "tie_breaker": 1.0}}


def _clause(node, found: _Lookups) -> dict:
    if isinstance(node, ql.Word):
        return word_clause(node.text, node.field, found.languages)
    if isinstance(node, ql.Phrase):
        return phrase_clause(node.words, node.field, found.languages) if node.words else {"match_none": {}}
    if isinstance(node, ql.Pattern):
        return _pattern_clause(node, found)
    if isinstance(node, ql.FacetValue):
        spec = facets.spec(node.facet)
        if found.lost and spec.lookup:
            return {"bool": {"should": [{"term": {node.facet: node.value}},
                                        {"term": {lookup_field(spec): lookup_key(node.value)}}],
                             "minimum_should_match": 1}}
        where = node.facet if found.lost else found.facets.get((node.facet, node.value))
        if not where:
            return {"match_none": {}}
        return {"term": {where: node.value if where == node.facet else lookup_key(node.value)}}
    if isinstance(node, ql.DateRange):
        return date_clause(node.start, node.end)
    if isinstance(node, ql.Everything):
        return {"match_all": {}}
    if isinstance(node, ql.Nothing):
        return {"match_none": {}}
    if isinstance(node, ql.Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [_clause(node.child, found)]}}
    if isinstance(node, ql.Any):
        subs = [_clause(c, found) for c in node.children]
        if any(_is_all(s) for s in subs):
            return {"match_all": {}}
        subs = [s for s in subs if not _is_none(s)]
        if not subs:
            return {"match_none": {}}
        return subs[0] if len(subs) == 1 else {"bool": {"should": subs, "minimum_should_match": 1}}
    if isinstance(node, ql.All):
        return _all_clause(node.children, found)
    raise TypeError(f"not a query node: {node!r}")


def _all_clause(children, found: _Lookups) -> dict:
    must, filters, must_not = [], [], []
    for child in children:
        if isinstance(child, ql.Not):
            sub = _clause(child.child, found)
            if _is_all(sub):
                return {"match_none": {}}
            if not _is_none(sub):
                must_not.append(sub)
            continue
        sub = _clause(child, found)
        if _is_none(sub):
            return {"match_none": {}}
        if _is_all(sub):
            continue
        # facet values and dates only narrow (Whoosh scores them alike for every match)
        (filters if isinstance(child, (ql.FacetValue, ql.DateRange)) else must).append(sub)
    if not (must or filters):
        must = [{"match_all": {}}]
    if len(must) == 1 and not filters and not must_not:
        return must[0]
    out: dict = {}
    if must:
        out["must"] = must
    if filters:
        out["filter"] = filters
    if must_not:
        out["must_not"] = must_not
    return {"bool": out}


def date_clause(start, end) -> dict:
    """Articles dated start..end inclusive (None: open); undated articles have no ``date`` and never match."""
    if start is None and end is None:
        return {"exists": {"field": "date"}}
    bounds = {"format": "strict_date"}
    if start is not None:
        bounds["gte"] = start.isoformat()
    if end is not None:
        bounds["lte"] = end.isoformat()
    return {"range": {"date": bounds}}


def _is_all(clause: dict) -> bool:
    return "match_all" in clause


def _is_none(clause: dict) -> bool:
    return "match_none" in clause


# ---------------------------------------------------------------- lookups in the cluster

def send(ctx, fn, **kwargs):
    """One lookup request (``fn`` a client method) on the ctx's index, through the session's
    failure handling when it has one (``_call``: a node lost mid-request is retried once, then
    ``NodeLost``, which the lookups answer by doing without)."""
    call = getattr(ctx, "_call", None)
    return call(fn, **kwargs) if callable(call) else fn(index=ctx.index, **kwargs)


def _walk(node):
    yield node
    if isinstance(node, (ql.All, ql.Any)):
        for child in node.children:
            yield from _walk(child)
    elif isinstance(node, ql.Not):
        yield from _walk(node.child)


def _pattern_regex(pattern: str) -> str:
    """A wildcard (``*`` any letters, ``?`` one) as a Lucene regular expression over folded words."""
    return "".join(".*" if c == "*" else "." if c == "?" else (c if c.isalnum() else "\\" + c)
                   for c in lower_key(pattern))


def _lookup(tree, ctx) -> _Lookups:
    found = _Lookups(languages=languages_of(ctx))
    values = list(dict.fromkeys((n.facet, n.value) for n in _walk(tree) if isinstance(n, ql.FacetValue)))
    patterns = list(dict.fromkeys(n.pattern for n in _walk(tree)
                                  if isinstance(n, ql.Pattern) and n.pattern.strip("*")))
    if not values and not patterns:
        return found
    aggs: dict = {}
    for i, (facet, value) in enumerate(values):
        aggs[f"f{i}"] = {"filter": {"term": {facet: value}}}
        spec = facets.spec(facet)
        if spec.lookup:
            aggs[f"l{i}"] = {"filter": {"term": {lookup_field(spec): lookup_key(value)}}}
    several = len(getattr(ctx, "present", None) or found.languages) > 1
    for i, pattern in enumerate(patterns):
        for lang in found.languages:
            words = {"terms": {"field": "words", "include": _pattern_regex(pattern), "size": _WORDS_ASKED,
                               "order": [{"_count": "desc"}, {"_key": "asc"}]}}
            # each language's words come from its own articles (one language in the index: all of them)
            aggs[f"p{i}-{lang}"] = {"filter": language_filter(lang), "aggs": {"words": words}} if several else words
    try:
        got = send(ctx, ctx.client.search, body={"size": 0, "track_total_hits": False, "aggs": aggs}
                   ).get("aggregations", {})
    except NodeLost:        # no lookups: full name or lookup key alike, and each engine-side bounded wildcard
        found.facets = {key: None for key in values}
        found.lost = True
        return found
    for i, (facet, value) in enumerate(values):
        where = None
        spec = facets.spec(facet)
        if got.get(f"f{i}", {}).get("doc_count"):
            where = facet
        elif got.get(f"l{i}", {}).get("doc_count"):
            where = lookup_field(spec)           # person:kelly → every Kelly; a word → every name with it
        else:
            found.messages.append(f"No article has the {spec.noun} “{value}”.")
        found.facets[(facet, value)] = where
    for i, pattern in enumerate(patterns):
        expanded, cut = [], False
        for lang in found.languages:
            agg = got.get(f"p{i}-{lang}", {})
            buckets = agg.get("words", agg).get("buckets", [])
            terms, lang_cut = _expansions(ctx, [(b["key"], b["doc_count"]) for b in buckets], lang)
            expanded += [(lang, stems) for stems in terms]
            cut = cut or lang_cut
        found.patterns[pattern] = expanded
        message = ql.expansion_message(pattern, len(expanded), cut)
        if message:
            found.messages.append(message)
    return found


def _expansions(ctx, words: list[tuple[str, int]], lang: str) -> tuple[list[tuple[str, ...]], bool]:
    """Whoosh's cap on a pattern's words in one language (``engines.whoosh.query._expansion``): the
    most frequent first, one per stem, at most MAX_EXPANSIONS stems, while their documents stay
    within MAX_EXPANSION_DOCS; (stems, whether the caps cut them)."""
    try:
        stems = analyse(ctx, [w for w, _ in words], lang) if words else []
    except NodeLost:
        stems = [(w,) for w, _ in words]     # unstemmed: words sharing a stem each count against the cap
    terms, seen, cut, postings = [], set(), False, 0
    for (word, docs), analysed in zip(words, stems):
        if not analysed or analysed in seen:
            continue
        postings += docs
        if len(terms) >= settings.MAX_EXPANSIONS or (terms and postings > settings.MAX_EXPANSION_DOCS):
            cut = True
            break
        seen.add(analysed)
        terms.append(analysed)
    if len(words) >= _WORDS_ASKED and not cut and len(terms) < settings.MAX_EXPANSIONS:
        cut = True          # more words matched than were asked for: the rarest were not read
    return terms, cut


def analyse(ctx, words: list[str], lang: str = languages.ENGLISH) -> list[tuple[str, ...]]:
    """Each word as the body field of ``lang`` indexes it (its stem; a CJK run's pairs), in one request."""
    reply = send(ctx, ctx.client.indices.analyze, body={"field": text_field("body", lang), "text": list(words)})
    out: list[list[str]] = [[] for _ in words]
    # texts of an array are analysed one after another, each starting past the last one's end offset
    ends, total = [], 0
    for w in words:
        ends.append(total + len(w))
        total += len(w) + 1
    k = 0
    for token in reply.get("tokens", []):
        while k < len(words) - 1 and token["start_offset"] > ends[k]:
            k += 1
        out[k].append(token["token"])
    return [tuple(t) for t in out]


def _pattern_clause(node: ql.Pattern, found: _Lookups) -> dict:
    if not node.pattern.strip("*"):
        return {"match_all": {}}
    bases = TEXT_FIELDS if node.field is None else (node.field,)
    terms = found.patterns.get(node.pattern)
    if terms is None:       # the lookups failed (a node lost): the engine's own bounded rewrite
        rewrite = f"top_terms_blended_freqs_{settings.MAX_EXPANSIONS}"
        subs = [{"wildcard": {f"{text_field(b, lang)}.plain": {"value": lower_key(node.pattern), "rewrite": rewrite}}}
                for lang in found.languages for b in bases]
        return subs[0] if len(subs) == 1 else {"bool": {"should": subs, "minimum_should_match": 1}}
    if not terms:
        return {"match_none": {}}
    subs = []
    for lang, stems in terms:
        for base in bases:
            f = text_field(base, lang)
            boost = TITLE_BOOST if base == "title" else 1.0
            if len(stems) == 1:
                subs.append({"term": {f: {"value": stems[0], "boost": boost}}})
            else:
                subs.append({"bool": {"must": [{"term": {f: s}} for s in stems], "boost": boost}})
    return subs[0] if len(subs) == 1 else {"bool": {"should": subs, "minimum_should_match": 1}}


# ---------------------------------------------------------------- forgiving matching, proximity

def _forgiving(tree, found: _Lookups, ctx, text: str, messages: list[str]) -> Optional[dict]:
    """When no article (passing ``ctx.filter``) has every word clause of a top-level AND, the
    clause for the articles with most of them (Whoosh's ``_most_words``), else None."""
    words, others = ql.relaxable(ql.top_level(tree))
    if not words:
        return None
    strict = _clause(tree, found)
    if _is_none(strict):        # an unknown name or a pattern matching no word: nothing to relax
        return None
    required = _all_clause(others, found) if others else {"match_all": {}}
    clauses = [_clause(c, found) for c in words]
    ctx_filter = getattr(ctx, "filter", None)
    extra = [ctx_filter] if ctx_filter else []
    try:
        if _count(ctx, {"bool": {"must": [strict], "filter": extra}}, 1):
            return None
        reply = send(ctx, ctx.client.search, body={
            "size": 1, "_source": False, "track_total_hits": False,
            "query": {"bool": {"should": [{"constant_score": {"filter": c, "boost": 1.0}} for c in clauses],
                               "minimum_should_match": 1, "filter": [required, *extra]}}})
    except NodeLost:
        return None
    # best 0: the filters leave no article with any of the words; as in Whoosh, the facets still
    # count the articles with any of them (no hit to show, so no message)
    best = round(reply["hits"].get("max_score") or 0)
    need = max(1, math.ceil(best * settings.MIN_SHOULD_MATCH))
    ranked = [{"bool": {"should": [{"constant_score": {"filter": c, "boost": WORD_COUNT_RANK}}, c],
                        "minimum_should_match": 1}} for c in clauses]
    relaxed = {"bool": {"should": ranked, "minimum_should_match": need}}
    if not _is_all(required):
        relaxed["bool"]["filter"] = [required]
    if best <= 0:
        return relaxed
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:80].rsplit(" ", 1)[0] + " …"
    messages.append(f"No article has all of “{shown}”; showing articles with most of them.")
    return relaxed


def _count(ctx, clause: dict, enough: int) -> int:
    """Articles matching ``clause``, counted up to ``enough`` per shard (cheap: it stops there)."""
    reply = send(ctx, ctx.client.search, body={"size": 0, "query": clause, "terminate_after": enough,
                                               "track_total_hits": enough})
    return int(reply["hits"]["total"]["value"])


def proximity_pairs(tree) -> list[tuple[str, str]]:
    """Pairs of words typed side by side (across adjacent words of a top-level AND, and within a
    hyphenated word), at most MAX_PROXIMITY_PAIRS, for the proximity bonus: the typed parts, which
    ``match_phrase`` analyses as the body is."""
    return ql.word_pairs(ql.top_level(tree), lambda word: [p.lower() for p in _WORD_PART.findall(word)])
