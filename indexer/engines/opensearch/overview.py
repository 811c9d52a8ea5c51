"""Many queries at once, in brief: per-day counts (trends) and summaries (batch search).

Each request is translated the way a results page's is (its lookups, if any, sent as usual); then
all of them go to the cluster together in ``_msearch`` requests of at most ``MSEARCH_BATCH``
searches, each with ``size: 0``: a ``date_histogram`` by day for a trend, the total, the first and
last day and the chip facets' top values for a batch row. A request that groups copies (the
default) counts stories, as its results page does: a story cardinality under each day and for the
total (``facets.with_stories``). A search the cluster refuses gets its own error; the others stand.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional, Sequence

import opensearchpy

from indexer import facets as registry
from indexer import querylang
from indexer.engines.opensearch import facets
from indexer.grouping import is_grouped
from indexer.engines.opensearch.client import PARTIAL_MESSAGE, refusal
from indexer.model import DayCounts, SearchRequest, Summary

MSEARCH_BATCH = 50
# A batch row's top values, counted in stories, are chosen among this many values with the most
# articles (a value's stories never outnumber its articles, so the top few by stories are among them
# unless that many values each have more articles than they have stories).
SUMMARY_CANDIDATES = 30
REFUSED = "This search could not be run ({}); try fewer or simpler words."


def _chip_facets() -> set[str]:
    return {s.name for s in registry.SIDEBAR_FACETS
            if s.display == "chips" and s.kind in (registry.NAMES, registry.COUNTRIES)}


def _query(session, req: SearchRequest) -> tuple[dict, dict, list[str]]:
    """The request's query clause with every filter applied, its filters, and the translation's messages."""
    query = session._parse(req.q)
    flt = facets.filters(req)
    dsl, notes = session._translate(query, flt, req)
    return {"bool": {"must": [dsl], "filter": [facets.all_of(flt.values())]}}, flt, list(query.messages) + notes


def _msearch(session, bodies: list[dict]) -> list[dict]:
    """The answers to ``bodies``, in order: one ``_msearch`` per MSEARCH_BATCH searches."""
    answers: list[dict] = []
    for start in range(0, len(bodies), MSEARCH_BATCH):
        lines: list[dict] = []
        for body in bodies[start:start + MSEARCH_BATCH]:
            lines += [{}, body]
        answers += session._call(session.raw.msearch, body=lines)["responses"]
    return answers


def _run(session, reqs: Sequence[SearchRequest], body_of: Callable[[SearchRequest, dict, dict], dict]):
    """(answer or None, messages, error) per request: translated one by one, searched together."""
    bodies, meta = [], []
    for req in reqs:
        try:
            where, flt, messages = _query(session, req)
        except opensearchpy.RequestError as error:
            meta.append((None, [], REFUSED.format(refusal(error))))
            continue
        meta.append((len(bodies), messages, ""))
        bodies.append(body_of(req, where, flt))
    answers = _msearch(session, bodies) if bodies else []
    out = []
    for slot, messages, error in meta:
        answer = answers[slot] if slot is not None else None
        if answer is not None and "error" in answer:
            reason = answer["error"].get("reason") if isinstance(answer["error"], dict) else answer["error"]
            answer, error = None, REFUSED.format(reason)
        out.append((answer, messages, error))
    return out


def _partial(answer: dict) -> bool:
    return bool(answer.get("_shards", {}).get("failed") or answer.get("timed_out"))


def _grouped(req: SearchRequest) -> bool:
    """Whether a request counts stories (copies grouped)."""
    return registry.GROUP is not None and is_grouped(req, querylang.named_facets(querylang.parse(req.q).tree))


def _stories_total(aggs: dict, answer: dict, grouped: bool) -> tuple[int, Optional[int]]:
    """(the total as the request counts it, the articles when that total is of stories)."""
    articles = int(answer["hits"]["total"]["value"])
    if not grouped:
        return articles, None
    return int(aggs[STORIES_TOTAL]["value"]), articles


STORIES_TOTAL = "stories_total"


def day_counts(session, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
    """Matches per day for each request, in order (one date_histogram by day each; stories when the
    request groups copies)."""
    grouped = [_grouped(req) for req in reqs]

    def body(req, where, flt):
        by_story = _grouped(req)
        aggs = {"days": facets.with_stories({"date_histogram": {"field": "date", "calendar_interval": "day",
                                                                "format": "yyyy-MM-dd", "min_doc_count": 1}},
                                            by_story)}
        if by_story:
            aggs[STORIES_TOTAL] = facets.stories_agg()
            aggs["undated"] = {"missing": {"field": "date"}, "aggs": {"n": facets.stories_agg()}}
        return {"query": where, "size": 0, "track_total_hits": True, "aggs": aggs}
    out = []
    for by_story, (answer, messages, error) in zip(grouped, _run(session, reqs, body)):
        if answer is None:
            out.append(DayCounts(messages=messages + [error], partial=True))
            continue
        aggs = answer["aggregations"]
        days = {dt.date.fromisoformat(b["key_as_string"]): facets.count(b, by_story)
                for b in aggs["days"]["buckets"] if b["doc_count"]}
        total, articles = _stories_total(aggs, answer, by_story)
        undated = int(aggs["undated"]["n"]["value"]) if by_story else total - sum(days.values())
        partial = _partial(answer)
        out.append(DayCounts(days=days, undated=undated, total=total, grouped=by_story, articles=articles,
                             messages=messages + ([PARTIAL_MESSAGE] if partial else []), partial=partial))
    return out


def summaries(session, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
    """For each request: total, first and last day, the ``top`` values of each chip facet among its
    matches (stories when the request groups copies)."""
    names = _chip_facets()
    grouped = [_grouped(req) for req in reqs]

    def body(req, where, flt):
        by_story = _grouped(req)
        values = facets.aggregations(req, {}, names=names, size=top, grouped=by_story, candidates=SUMMARY_CANDIDATES)
        values.pop("date", None)
        if by_story:
            values[STORIES_TOTAL] = facets.stories_agg()
        return {"query": where, "size": 0, "track_total_hits": True,
                "aggs": {"first": {"min": {"field": "date", "format": "yyyy-MM-dd"}},
                         "last": {"max": {"field": "date", "format": "yyyy-MM-dd"}}, **values}}
    out = []
    for req, by_story, (answer, messages, error) in zip(reqs, grouped, _run(session, reqs, body)):
        if answer is None:
            out.append(Summary(messages=messages + [error], partial=True, error=error))
            continue
        aggs = answer.get("aggregations", {})
        partial = _partial(answer)
        total, articles = _stories_total(aggs, answer, by_story)
        summary = Summary(total=total, articles=articles, grouped=by_story, partial=partial,
                          messages=messages + ([PARTIAL_MESSAGE] if partial else []))
        for end in ("first", "last"):
            day = aggs.get(end, {}).get("value_as_string")
            if day:
                setattr(summary, end, dt.date.fromisoformat(day[:10]))
        shaped = facets.shape(req, {k: v for k, v in aggs.items() if k in names}, size=top, grouped=by_story)
        summary.top = {name: [v for v in f.values if v.count][:top] for name, f in shaped.items()}
        out.append(summary)
    return out
