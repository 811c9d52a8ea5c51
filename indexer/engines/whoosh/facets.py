"""Facets: one small class per kind of facet (``indexer.facets``), instantiated per facet.

A facet turns its part of the request into a document mask (its filter) and
counts its values over a mask of matching documents. Counting is disjunctive:
``search`` passes each facet the matches filtered by every *other* facet, so a
user who picked North Korea still sees how many articles South Korea would add.
Every value carries its ``selected`` flag and the request parameters that
toggle it, so the page, the JSON and the CLI show the same state.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import numpy as np

from indexer import facets
from indexer.engines.whoosh.docvalues import DocValues, MultiValues
from indexer.engines.whoosh.stories import StoryColumn, bucket_counts
from indexer.engines.whoosh.schema import about_field
from indexer.facets import COUNTRIES, DATES, KEYWORDS, NAMES, SCOPES, FacetSpec
from indexer.model import Facet, FacetValue, SearchRequest
from indexer.request import to_params, toggled
from indexer.textkeys import casefold_key


class ValuesFacet:
    """A values facet (NAMES, KEYWORDS): multi-valued, multi-select (OR within the facet)."""

    def __init__(self, spec: FacetSpec, values: DocValues):
        self.spec, self.name, self.label = spec, spec.name, spec.label
        self.values = values

    def multi(self, req: SearchRequest) -> MultiValues:
        """The document ⇄ value pairs this request filters and counts on."""
        return self.values.multi[self.name]

    def selected(self, req: SearchRequest) -> list[str]:
        """The values the request selected in this facet."""
        return req.chosen(self.name)

    def mask(self, req: SearchRequest) -> Optional[np.ndarray]:
        """Documents having any selected value (OR within a facet), or None when nothing is selected."""
        chosen = self.selected(req)
        if not chosen:
            return None
        mv = self.multi(req)
        return mv.mask(mv.ids_for(chosen), self.values.ndocs)

    def facet(self, req: SearchRequest, matches: np.ndarray, size: int, prefix: str = "",
              stories: Optional[StoryColumn] = None) -> Facet:
        """Counts for the matches (articles, or with ``stories`` distinct stories), selected values kept
        visible, so a choice never vanishes from its list."""
        mv = self.multi(req)
        counts = mv.counts(matches, stories)
        chosen = self.selected(req)
        chosen_keys = {casefold_key(c) for c in chosen}
        folded = mv.folded
        candidates = np.nonzero(counts)[0]
        if prefix:
            key = casefold_key(prefix)
            label = self.spec.value_label
            candidates = np.array([i for i in candidates if _matches_prefix(folded[i], key) or (
                label is not None and _matches_prefix(casefold_key(label(mv.names[i])), key))], dtype=np.int64)
        if chosen_keys and len(candidates):
            candidates = candidates[np.array([folded[i] not in chosen_keys for i in candidates], dtype=bool)]
        # Most documents first, then by name: names are numbered in lexicon (code point) order,
        # so the value id breaks ties as the name would.
        ties = self._tiebreak(req, matches, counts, stories)
        keys = (candidates, -ties[candidates], -counts[candidates]) if ties is not None else \
            (candidates, -counts[candidates])
        order = candidates[np.lexsort(keys)] if len(candidates) else candidates
        facet = self._new(req, selected=list(chosen), more=len(order) > size)
        for name in chosen:   # selected first, even when they now count zero
            ids = mv.by_key.get(casefold_key(name), [])
            display = mv.names[ids[0]] if ids else name
            facet.values.append(self._value(req, display, int(sum(counts[i] for i in ids)), True, name))
        for i in order[:size].tolist():
            facet.values.append(self._value(req, mv.names[i], int(counts[i]), False))
        return facet

    def _new(self, req: SearchRequest, **kwargs) -> Facet:
        return Facet(name=self.name, label=self.label, **kwargs)

    def _tiebreak(self, req: SearchRequest, matches: np.ndarray, counts: np.ndarray,
                  stories: Optional[StoryColumn] = None) -> Optional[np.ndarray]:
        """Per value, what orders values of equal count (more first); None: the name alone."""
        return None

    def partial(self, req: SearchRequest, matches: np.ndarray, stories: Optional[StoryColumn] = None) -> Facet:
        """Out of time: only the selected values (still counted: one mask each), marked partial."""
        mv = self.multi(req)
        facet = self._new(req, selected=list(self.selected(req)), more=True, partial=True)
        for name in facet.selected:
            ids = np.array(mv.by_key.get(casefold_key(name), []), dtype=np.int32)
            display = mv.names[ids[0]] if len(ids) else name
            having = mv.mask(ids, self.values.ndocs) & matches
            count = stories.distinct(having) if stories is not None else int(having.sum())
            facet.values.append(self._value(req, display, count, True, name))
        return facet

    def _value(self, req: SearchRequest, name: str, count: int, selected: bool, as_typed: str = "") -> FacetValue:
        new = toggled(self.selected(req), as_typed or name)
        label = self.spec.value_label(name) if self.spec.value_label else None
        return FacetValue(value=name, count=count, selected=selected, label=label,
                          toggle=to_params(req, filters={self.name: new}))


def _matches_prefix(name: str, prefix: str) -> bool:
    """``kel`` finds "James Kelly": any word of the name (or of its label: ``spa`` finds "es",
    Spanish) may start with the prefix."""
    return name.startswith(prefix) or any(w.startswith(prefix) for w in name.split())


class ScopedFacet(ValuesFacet):
    """A COUNTRIES facet: the values an article involves in any way (the default), or only those it
    is mainly about (``<param>_scope=about``): the switch applies to the filter and the counts alike."""

    def multi(self, req: SearchRequest) -> MultiValues:
        """The values the scope switch picks: every one involved, or only those mainly about."""
        return self.values.multi[about_field(self.spec) if req.scope(self.name) == "about" else self.name]

    def _tiebreak(self, req: SearchRequest, matches: np.ndarray, counts: np.ndarray,
                  stories: Optional[StoryColumn] = None) -> Optional[np.ndarray]:
        """Any mention: of equal counts, the values more of the matches are mainly about first."""
        ids = self.values.about_ids.get(self.name)
        if req.scope(self.name) == "about" or ids is None or not len(ids):
            return None
        about = self.values.multi[about_field(self.spec)].counts(matches, stories)
        out = np.zeros(len(counts), dtype=np.int64)
        known = ids >= 0
        np.add.at(out, ids[known], about[known])
        return out

    def _new(self, req: SearchRequest, **kwargs) -> Facet:
        current = req.scope(self.name)
        scopes = [FacetValue(value=scope, label=label, count=0, selected=scope == current,
                             toggle=to_params(req, scopes={self.name: scope})) for scope, label in SCOPES.items()]
        return Facet(name=self.name, label=self.label, scope=current, scopes=scopes, **kwargs)


class DateFacet:
    """A histogram: by year, or by month when the range lies within one year.

    Its selection is the request's from/to range; a bar's toggle sets the range
    to that year or month (or clears it when it is the current range).
    """

    def __init__(self, spec: FacetSpec, values: DocValues):
        self.spec, self.name, self.label = spec, spec.name, spec.label
        self.values = values

    def mask(self, req: SearchRequest) -> Optional[np.ndarray]:
        """Documents in the request's date range, or None when no range is set."""
        if not (req.date_from or req.date_to):
            return None
        return self.values.date_mask(req.date_from, req.date_to)

    def facet(self, req: SearchRequest, matches: np.ndarray, size: int = 0, prefix: str = "",
              stories: Optional[StoryColumn] = None) -> Facet:
        """The histogram's bars for the matches (articles, or with ``stories`` distinct stories), with
        each bar's toggle so a click narrows or clears the range."""
        day = self.values.day
        dated = matches & (day > 0)
        days = day[dated]
        by_month = bool(req.date_from and req.date_to and req.date_from.year == req.date_to.year)
        facet = Facet(name=self.name, label=self.label, granularity="month" if by_month else "year")
        selected_range = (req.date_from, req.date_to)
        if req.date_from or req.date_to:
            facet.selected = [_range_label(req)]
        if by_month:
            year = req.date_from.year
            months = [dt.date(year, m, 1) for m in range(1, 13)] + [dt.date(year + 1, 1, 1)]
            per_month = _per_bucket(dated, day, months, stories)
            counts = {year * 100 + m + 1: int(n) for m, n in enumerate(per_month[:12])}
            for month in range(1, 13):
                key = year * 100 + month
                start = dt.date(year, month, 1)
                end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
                facet.values.append(self._bucket(req, f"{year}-{month:02d}", start.strftime("%b"),
                                                 counts.get(key, 0), start, end, selected_range))
            return facet
        if len(days):
            first = dt.date.fromordinal(int(days.min())).year
            last = dt.date.fromordinal(int(days.max())).year
            per_year = _per_bucket(dated, day, [dt.date(y, 1, 1) for y in range(first, last + 2)], stories)
            for y in range(first, last + 1):   # empty years keep the axis honest
                start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
                facet.values.append(self._bucket(req, str(y), str(y), int(per_year[y - first]), start, end,
                                                 selected_range))
        return facet

    def partial(self, req: SearchRequest, matches: np.ndarray, stories: Optional[StoryColumn] = None) -> Facet:
        """Out of time: no histogram, the range stays selected, marked partial."""
        facet = Facet(name=self.name, label=self.label, partial=True)
        if req.date_from or req.date_to:
            facet.selected = [_range_label(req)]
        return facet

    def _bucket(self, req, value, label, count, start, end, selected_range) -> FacetValue:
        selected = selected_range == (start, end)
        if selected:
            params = to_params(req, date_from=None, date_to=None)
        else:
            params = to_params(req, date_from=start, date_to=end)
        return FacetValue(value=value, label=label, count=count, selected=selected, toggle=params)


def _range_label(req: SearchRequest) -> str:
    """The selected date range as ``from..to`` (either end may be empty)."""
    return f"{req.date_from.isoformat() if req.date_from else ''}..{req.date_to.isoformat() if req.date_to else ''}"


def _per_bucket(dated: np.ndarray, day: np.ndarray, starts: list[dt.date],
                stories: Optional[StoryColumn]) -> np.ndarray:
    """Dated matches per period ``starts[i]``..``starts[i + 1]`` (the last start closes the range), as
    articles or distinct stories (``bucket_counts``, over the documents in story and date order)."""
    bounds = np.array([d.toordinal() for d in starts], dtype=np.int64)
    n = len(starts) - 1

    def period(docs: np.ndarray) -> np.ndarray:
        found = np.searchsorted(bounds, day[docs], side="right") - 1
        return np.where(found < n, found, -1)
    if stories is None:
        return bucket_counts(dated, np.flatnonzero(dated), period, n)
    return bucket_counts(dated, stories.order, period, n, stories, adjacent=True)


KIND_TYPES = {NAMES: ValuesFacet, KEYWORDS: ValuesFacet, COUNTRIES: ScopedFacet, DATES: DateFacet}


def facet_objects(values: DocValues) -> list:
    """One facet object per facet of the registry, by its kind: what filters and counts a search."""
    return [KIND_TYPES[spec.kind](spec, values) for spec in facets.FACETS]

