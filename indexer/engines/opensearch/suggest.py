"""Suggestions from the cluster: "did you mean", autocomplete and more-like-this.

As the Whoosh engine's (``engines.whoosh.vocabulary``, ``search.complete``): a typed word is
corrected to a word within two edits, with the same first letter (one edit for words of four
letters or fewer), found in more than ten times as many articles; completion offers the values of
the sidebar's facets that the typed text starts, or one of whose words it starts, and
the most frequent words starting with its last word. Words are read from the index's ``words``
field (distinct words per article, as Whoosh's vocabulary counts them); when the search is in one
language of several the index holds (``ctx.languages``), counted over that language's articles.
"""
from __future__ import annotations

import re
from typing import Optional

from indexer import facets
from indexer import querylang as ql
from indexer import settings
from indexer.engines.opensearch.client import NodeLost
from indexer.engines.opensearch.mapping import language_filter, text_field
from indexer.engines.opensearch.translate import languages_of, send
from indexer.textkeys import casefold_key, lower_key

WORDS_FIELD = "words"
MIN_DOCS = 1                 # a correction is a word in more than this many articles (as Whoosh's)
CORRECTION_RATIO = 10        # … and in more than this many times as many as the typed word
_CANDIDATES = 10             # suggester options read per word before ranking them as Whoosh does
_SPELLINGS = 25              # names read per completed name, to find its display spelling among them
_TIES = 4                    # completions read per shown one, so that ties are ordered by display name


def _lucene_regex(text: str) -> str:
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def did_you_mean(ctx, query: ql.Query) -> Optional[str]:
    """The query text with rare or unknown words replaced by close, common ones; None when none is."""
    try:
        return _did_you_mean(ctx, query)
    except NodeLost:          # no suggestion rather than no page
        return None


def _did_you_mean(ctx, query: ql.Query) -> Optional[str]:
    words = [w for w in dict.fromkeys(query.words) if len(lower_key(w)) >= 3]
    if not words:
        return None
    field = WORDS_FIELD
    keys = [lower_key(w) for w in words]
    within = _within(ctx)
    body = {"size": 0, "track_total_hits": False,
            "aggs": {f"w{i}": {"filter": _counted(key, within)} for i, key in enumerate(keys)},
            "suggest": {f"w{i}": {"text": key, "term": {
                "field": field, "suggest_mode": "popular" if within is None else "always", "prefix_length": 1,
                "max_edits": 2, "min_word_length": 3, "min_doc_freq": MIN_DOCS, "max_term_freq": 0.5,
                "string_distance": "levenshtein", "size": _CANDIDATES}} for i, key in enumerate(keys)}}
    reply = send(ctx, ctx.client.search, body=body)
    options = {i: [o for entry in reply.get("suggest", {}).get(f"w{i}", []) for o in entry.get("options", [])]
               for i in range(len(keys))}
    if within is not None:      # the candidates counted again over the search's language's articles
        candidates = sorted({o["text"] for found in options.values() for o in found})
        if candidates:
            counted = send(ctx, ctx.client.search, body={"size": 0, "track_total_hits": False, "aggs": {
                f"c{k}": {"filter": _counted(c, within)} for k, c in enumerate(candidates)}})["aggregations"]
            freq = {c: counted[f"c{k}"]["doc_count"] for k, c in enumerate(candidates)}
            options = {i: [dict(o, freq=freq[o["text"]]) for o in found] for i, found in options.items()}
    corrected = query.text
    for i, (word, key) in enumerate(zip(words, keys)):
        floor = max(reply["aggregations"][f"w{i}"]["doc_count"] * CORRECTION_RATIO, MIN_DOCS)
        best = None
        for option in options[i]:
            cand, freq = option["text"], option["freq"]
            # Lucene's Levenshtein similarity is 1 - edits / longer length
            edits = round((1 - option["score"]) * max(len(cand), len(key)))
            if freq <= floor or cand == key or edits > 2 or (len(key) <= 4 and edits != 1):
                continue
            rank = (edits, -freq, cand)
            if best is None or rank < best:
                best = rank
        if best:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best[2], corrected, flags=re.IGNORECASE)
    return corrected if corrected != query.text else None


def _within(ctx) -> Optional[dict]:
    """The articles of the one language a search's suggestions come from (``ctx.word_languages``)
    when the index holds several, else None (all)."""
    langs = tuple(getattr(ctx, "word_languages", None) or languages_of(ctx))
    present = getattr(ctx, "present", None) or langs
    return language_filter(langs[0]) if len(langs) == 1 and len(present) > 1 else None


def _counted(word: str, within: Optional[dict]) -> dict:
    """The filter of the articles having ``word`` (among ``within`` when given)."""
    has = {"term": {WORDS_FIELD: word}}
    return has if within is None else {"bool": {"filter": [has, within]}}


def complete(ctx, prefix: str, limit: int = settings.SUGGEST_LIMIT) -> list[dict]:
    """Autocomplete: ``{"kind", "value", "count"}`` for names that ``prefix`` starts (or starts one of
    their words: ``kamala h`` → Kamala Harris), most articles first, then index words."""
    key = " ".join(casefold_key(prefix).split())
    if len(key) < 2:
        return []
    try:
        return _complete(ctx, key, limit)
    except NodeLost:
        return []


def _complete(ctx, key: str, limit: int) -> list[dict]:
    escaped = _lucene_regex(key)
    aggs: dict = {}
    for spec in facets.SIDEBAR_FACETS:
        kind, field = spec.name, spec.name
        if spec.value_label:      # values shown by a label (a language's name): all counted, matched here
            aggs[kind] = {"terms": {"field": f"{field}.raw", "size": settings.MAX_FACET_SIZE,
                                    "order": [{"_count": "desc"}, {"_key": "asc"}]}}
            continue
        # more than ``limit`` asked: ties are then ordered by display name, as Whoosh orders them
        aggs[kind] = {"terms": {"field": field, "include": f"{escaped}.*|.* {escaped}.*", "size": limit * _TIES,
                                "order": [{"_count": "desc"}, {"_key": "asc"}]},
                      # the display name: the bucket's articles name others too; the value's own
                      # spelling is among their names found in every one of them
                      "aggs": {"shown": {"terms": {"field": f"{field}.raw", "size": _SPELLINGS}}}}
    last = key.split()[-1]
    # ties as Whoosh's vocabulary breaks them for completion: the later word first
    words = {"terms": {"field": WORDS_FIELD, "include": f"{_lucene_regex(lower_key(last))}.*",
                       "size": limit, "order": [{"_count": "desc"}, {"_key": "desc"}]}}
    within = _within(ctx)
    aggs["typed-words"] = words if within is None else {"filter": within, "aggs": {"words": words}}
    reply = send(ctx, ctx.client.search, body={"size": 0, "track_total_hits": False, "aggs": aggs})
    got = reply.get("aggregations", {})
    out = []
    for spec in facets.SIDEBAR_FACETS:
        kind = spec.name
        found = []
        for bucket in got.get(kind, {}).get("buckets", []):
            if spec.value_label:
                if _completes(casefold_key(facets.shown_value(spec, bucket["key"])), key):
                    found.append({"kind": kind, "value": bucket["key"], "count": int(bucket["doc_count"])})
                continue
            spellings = [b["key"] for b in bucket.get("shown", {}).get("buckets", [])
                         if casefold_key(b["key"]) == casefold_key(bucket["key"])]
            found.append({"kind": kind, "value": spellings[0] if spellings else bucket["key"],
                          "count": int(bucket["doc_count"])})
        found.sort(key=lambda f: (-f["count"], f["value"]))
        out += found[:limit]
    typed = got.get("typed-words", {})
    for bucket in typed.get("words", typed).get("buckets", []):
        out.append({"kind": "word", "value": bucket["key"], "count": int(bucket["doc_count"])})
    return out[: limit * 2]


def _completes(name: str, key: str) -> bool:
    """Whether ``key`` starts ``name`` or the part of it from one of its words on (both folded)."""
    return name.startswith(key) or any(name[i + 1:].startswith(key) for i, c in enumerate(name) if c == " ")


def similar_dsl(ctx, article_id: str, top: int = settings.MORE_LIKE_THIS) -> dict:
    """The ``query`` of more-like-this: articles sharing the body's most telling words (any one of
    them, as Whoosh's OR of key terms); the article itself is left out."""
    bodies = [text_field("body", lang) for lang in (getattr(ctx, "present", None) or languages_of(ctx))]
    return {"more_like_this": {"fields": bodies, "like": [{"_index": ctx.index, "_id": article_id}],
                               "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 5,
                               "minimum_should_match": 1, "include": False}}
