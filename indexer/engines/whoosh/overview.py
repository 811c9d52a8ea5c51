"""Many queries at once, in brief: per-day counts (trends) and summaries (batch search).

Each request is matched the way a results page matches it (``matching.find``: the query, its
facet filters and date range, forgiving matching), then only counted: no ranking, no snippets.
A request that groups copies (the default) counts distinct stories, as its results page does.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

import numpy as np

from indexer import facets as registry
from indexer.engines.whoosh.facets import facet_objects
from indexer.engines.whoosh.generation import Generation
from indexer.engines.whoosh.matching import Deadline, find
from indexer.engines.whoosh.query import parse
from indexer.engines.whoosh.stories import StoryColumn, bucket_counts
from indexer.grouping import is_grouped
from indexer.model import DayCounts, SearchRequest, Summary

DEADLINE_MESSAGE = "The search took too long and was cut short: these counts are what was found in time."


def _matched(gen: Generation, searcher, req: SearchRequest):
    """(the matches, the messages, whether cut short, the stories to count by or None: copies kept apart)."""
    parsed = parse(req.q, gen.values, gen.vocab, present=gen.languages, req=req, reader=gen.held_terms(searcher.reader()))
    deadline = Deadline()
    found = find(gen, searcher, parsed, req, deadline)
    messages = parsed.messages + found.messages + ([DEADLINE_MESSAGE] if deadline.hit else [])
    stories = gen.values.stories if is_grouped(req, parsed.named) else None
    return found.final, messages, deadline.hit, stories


def _days(gen: Generation, final: np.ndarray,
          stories: Optional[StoryColumn] = None) -> tuple[np.ndarray, np.ndarray, int]:
    """The distinct day ordinals among the matches, how many matched on each (articles, or with
    ``stories`` distinct stories: ``bucket_counts``), and the undated."""
    day = gen.values.day
    dated = final & (day > 0)
    if not dated.any():
        undated = stories.distinct(final) if stories is not None else int(final.sum())
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), undated
    first = int(day[dated].min())
    span = int(day[dated].max()) - first + 1
    if stories is None:
        counts = bucket_counts(dated, np.flatnonzero(dated), lambda d: day[d] - first, span)
        undated = int((final & (day == 0)).sum())
    else:
        counts = bucket_counts(dated, stories.order, lambda d: day[d] - first, span, stories, adjacent=True)
        undated = stories.distinct(final & (day == 0))
    ordinals = np.flatnonzero(counts)
    return ordinals + first, counts[ordinals], undated


def day_counts(gen: Generation, searcher, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
    """Matches per day for each request, in order."""
    out = []
    for req in reqs:
        final, messages, partial, stories = _matched(gen, searcher, req)
        ordinals, counts, undated = _days(gen, final, stories)
        days = {dt.date.fromordinal(int(o)): int(n) for o, n in zip(ordinals.tolist(), counts.tolist())}
        articles = int(final.sum())
        out.append(DayCounts(days=days, undated=undated, total=stories.distinct(final) if stories is not None else articles,
                             messages=messages, partial=partial, grouped=stories is not None,
                             articles=articles if stories is not None else None))
    return out


def summaries(gen: Generation, searcher, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
    """For each request: total, first and last day, the ``top`` values of each chip facet."""
    shown = [f for f in facet_objects(gen.values) if f.spec.sidebar and f.spec.display == "chips"
             and f.spec.kind in (registry.NAMES, registry.COUNTRIES)]
    out = []
    for req in reqs:
        final, messages, partial, stories = _matched(gen, searcher, req)
        ordinals, _, _ = _days(gen, final)
        articles = int(final.sum())
        summary = Summary(total=stories.distinct(final) if stories is not None else articles, messages=messages,
                          partial=partial, grouped=stories is not None,
                          articles=articles if stories is not None else None)
        if len(ordinals):
            summary.first = dt.date.fromordinal(int(ordinals[0]))
            summary.last = dt.date.fromordinal(int(ordinals[-1]))
        for f in shown:
            summary.top[f.name] = [v for v in f.facet(req, final, top, stories=stories).values if v.count][:top]
        out.append(summary)
    return out
