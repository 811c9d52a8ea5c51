"""Many queries at once, in brief: per-day counts (trends) and summaries (batch search).

Each request is matched the way a results page matches it (``matching.find``: the query, its
facet filters and date range, forgiving matching), then only counted: no ranking, no snippets.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np

from indexer import facets as registry
from indexer.engines.whoosh.facets import facet_objects
from indexer.engines.whoosh.generation import Generation
from indexer.engines.whoosh.matching import Deadline, find
from indexer.engines.whoosh.query import parse
from indexer.model import DayCounts, SearchRequest, Summary

DEADLINE_MESSAGE = "The search took too long and was cut short: these counts are what was found in time."


def _matched(gen: Generation, searcher, req: SearchRequest):
    parsed = parse(req.q, gen.values, gen.vocab)
    deadline = Deadline()
    found = find(gen, searcher, parsed, req, deadline)
    messages = parsed.messages + found.messages + ([DEADLINE_MESSAGE] if deadline.hit else [])
    return found.final, messages, deadline.hit


def _days(gen: Generation, final: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The distinct day ordinals among the matches, how many matched on each, and the undated."""
    day = gen.values.day[final]
    dated = day[day > 0]
    ordinals, counts = np.unique(dated, return_counts=True)
    return ordinals, counts, int(len(day) - len(dated))


def day_counts(gen: Generation, searcher, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
    """Matches per day for each request, in order."""
    out = []
    for req in reqs:
        final, messages, partial = _matched(gen, searcher, req)
        ordinals, counts, undated = _days(gen, final)
        days = {dt.date.fromordinal(int(o)): int(n) for o, n in zip(ordinals.tolist(), counts.tolist())}
        out.append(DayCounts(days=days, undated=undated, total=int(final.sum()), messages=messages,
                             partial=partial))
    return out


def summaries(gen: Generation, searcher, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
    """For each request: total, first and last day, the ``top`` values of each chip facet."""
    shown = [f for f in facet_objects(gen.values) if f.spec.sidebar and f.spec.display == "chips"
             and f.spec.kind in (registry.NAMES, registry.COUNTRIES)]
    out = []
    for req in reqs:
        final, messages, partial = _matched(gen, searcher, req)
        ordinals, _, _ = _days(gen, final)
        summary = Summary(total=int(final.sum()), messages=messages, partial=partial)
        if len(ordinals):
            summary.first = dt.date.fromordinal(int(ordinals[0]))
            summary.last = dt.date.fromordinal(int(ordinals[-1]))
        for f in shown:
            summary.top[f.name] = [v for v in f.facet(req, final, top).values if v.count][:top]
        out.append(summary)
    return out
