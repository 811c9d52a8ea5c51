"""Facets in OpenSearch: filters, the aggregations that count disjunctively, and their shaping.

Each facet's selection is a filter clause; the search puts them all in ``post_filter`` (the hits)
and gives every facet an aggregation filtered by every *other* facet's clause, so a user who
picked North Korea still sees how many articles South Korea would add. The buckets become the
same ``Facet``/``FacetValue`` data the Whoosh engine returns: selected values first (counted
even when they fall out of the top), then by count, ties by name in code-point order (for
countries in the "any mention" scope, of equal counts the ones more matches are mainly about
first), and the year or month histogram with empty periods kept.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from indexer import facets, settings
from indexer.engines.opensearch.mapping import about_field
from indexer.facets import SCOPES, FacetSpec
from indexer.model import Facet, FacetValue, SearchRequest
from indexer.request import to_params, toggled
from indexer.textkeys import casefold_key

SCOPED_VALUES = 400          # a scoped kind's values (countries) are few: all are counted, then ordered here


def field_of(spec: FacetSpec, req: SearchRequest) -> str:
    """The index field a values facet filters and counts on (a scoped facet's scope picks one of two)."""
    return about_field(spec) if spec.scoped and req.scope(spec.name) == "about" else spec.name


def filters(req: SearchRequest) -> dict[str, Optional[dict]]:
    """Facet name → its filter clause (OR within the facet), None when nothing is selected."""
    out: dict[str, Optional[dict]] = {}
    for facet in facets.VALUE_FACETS:
        chosen = req.chosen(facet.name)
        out[facet.name] = {"terms": {field_of(facet, req): chosen}} if chosen else None
    if req.date_from or req.date_to:
        bounds = {}
        if req.date_from:
            bounds["gte"] = req.date_from.isoformat()
        if req.date_to:
            bounds["lte"] = req.date_to.isoformat()
        out["date"] = {"range": {"date": bounds}}
    else:
        out["date"] = None
    return out


def all_of(clauses) -> dict:
    """One filter clause requiring every given clause (match_all for none)."""
    clauses = [c for c in clauses if c]
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _prefix_regex(prefix: str) -> str:
    """A Lucene regular expression for display names having a word starting with ``prefix``
    however it is cased or accented (``kel`` → "James Kelly", ``mul`` → "Müller")."""
    key = casefold_key(prefix)
    parts = []
    for ch in key:
        variants = {ch, ch.upper()} | FOLDS.get(ch, set())
        parts.append("[" + "".join(sorted(v for v in variants if v.isalnum())) + "]" if ch.isalnum() else "\\" + ch)
    body = "".join(parts)
    return f"{body}.*" if " " in key else f"(.* )?{body}.*"


def _folds() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        folded = casefold_key(ch)
        if len(folded) == 1 and folded != ch:
            table.setdefault(folded, set()).add(ch)
    return table


FOLDS = _folds()


def aggregations(req: SearchRequest, flt: dict[str, Optional[dict]], names=None, size: Optional[int] = None,
                 prefix: str = "") -> dict:
    """The ``aggs`` of a search: per facet in ``names`` (default all), a filter of the other facets'
    clauses around its counting."""
    out = {}
    for facet in facets.SIDEBAR_FACETS:
        if names is not None and facet.name not in names:
            continue
        name, field = facet.name, field_of(facet, req)
        chosen = req.chosen(name)
        want = size if size is not None else req.facet_size
        count = SCOPED_VALUES if facet.scoped else want + len(chosen) + 1
        terms = {"field": f"{field}.raw", "size": count, "shard_size": max(count, settings.OPENSEARCH_SHARD_SIZE),
                 "order": [{"_count": "desc"}, {"_key": "asc"}]}
        if prefix and facet.value_label:      # values shown by a label: all counted, the prefix matched in shape
            terms["size"] = terms["shard_size"] = settings.MAX_FACET_SIZE
        elif prefix:
            terms["include"] = _prefix_regex(prefix)
        inner = {"values": {"terms": terms}}
        if chosen:
            inner["chosen"] = {"filters": {"filters": {str(i): {"term": {field: v}} for i, v in enumerate(chosen)}}}
        if facet.scoped and req.scope(name) != "about":
            inner["about"] = {"terms": {"field": f"{about_field(facet)}.raw", "size": SCOPED_VALUES,
                                        "shard_size": max(SCOPED_VALUES, settings.OPENSEARCH_SHARD_SIZE)}}
        out[name] = {"filter": all_of(c for other, c in flt.items() if other != name), "aggs": inner}
    if names is None or "date" in names:
        by_month = _by_month(req)
        out["date"] = {"filter": all_of(c for other, c in flt.items() if other != "date"), "aggs": {
            "hist": {"date_histogram": {"field": "date", "calendar_interval": "month" if by_month else "year",
                                        "format": "yyyy-MM" if by_month else "yyyy", "min_doc_count": 1}}}}
    return out


def _by_month(req: SearchRequest) -> bool:
    return bool(req.date_from and req.date_to and req.date_from.year == req.date_to.year)


def shape(req: SearchRequest, aggs: dict, size: Optional[int] = None, prefix: str = "") -> dict[str, Facet]:
    """The aggregations' buckets as the facets of a results page."""
    out = {}
    for facet in facets.SIDEBAR_FACETS:
        if facet.name in aggs:
            out[facet.name] = _values_facet(facet, req, aggs[facet.name],
                                            size if size is not None else req.facet_size, prefix)
    if "date" in aggs:
        out["date"] = _date_facet(req, aggs["date"]["hist"]["buckets"])
    return out


def _values_facet(spec: FacetSpec, req: SearchRequest, agg: dict, size: int, prefix: str) -> Facet:
    name = spec.name
    chosen = req.chosen(name)
    buckets = [(b["key"], int(b["doc_count"])) for b in agg["values"]["buckets"]]
    if spec.scoped and "about" in agg:
        about = {b["key"]: int(b["doc_count"]) for b in agg["about"]["buckets"]}
        buckets.sort(key=lambda kv: (-kv[1], -about.get(kv[0], 0), kv[0]))
    chosen_keys = {casefold_key(c) for c in chosen}
    shown = {casefold_key(k): k for k, _ in reversed(buckets)}
    candidates = [(k, n) for k, n in buckets if n and casefold_key(k) not in chosen_keys]
    if prefix and spec.value_label:
        key = casefold_key(prefix)
        candidates = [(k, n) for k, n in candidates if any(_word_starts(casefold_key(text), key)
                                                            for text in (k, spec.value_label(k)))]
    facet = Facet(name=name, label=spec.label, selected=list(chosen), more=len(candidates) > size)
    if spec.scoped:
        facet.scope = req.scope(name)
        facet.scopes = [FacetValue(value=s, label=label, count=0, selected=s == facet.scope,
                                   toggle=to_params(req, scopes={name: s})) for s, label in SCOPES.items()]
    counted = agg.get("chosen", {}).get("buckets", {})
    label = spec.value_label or (lambda v: None)
    for i, value in enumerate(chosen):
        count = int(counted.get(str(i), {}).get("doc_count", 0))
        display = shown.get(casefold_key(value), value)
        facet.values.append(FacetValue(value=display, count=count, selected=True, label=label(display),
                                       toggle=to_params(req, filters={name: toggled(chosen, value)})))
    for key, count in candidates[:size]:
        facet.values.append(FacetValue(value=key, count=count, selected=False, label=label(key),
                                       toggle=to_params(req, filters={name: toggled(chosen, key)})))
    return facet


def _word_starts(name: str, prefix: str) -> bool:
    """Whether a word of ``name`` (folded) starts with ``prefix`` (folded), as the Whoosh engine matches."""
    return name.startswith(prefix) or any(w.startswith(prefix) for w in name.split())


def _date_facet(req: SearchRequest, buckets: list[dict]) -> Facet:
    by_month = _by_month(req)
    facet = Facet(name="date", label=facets.spec("date").label, granularity="month" if by_month else "year")
    if req.date_from or req.date_to:
        facet.selected = [f"{req.date_from.isoformat() if req.date_from else ''}.."
                          f"{req.date_to.isoformat() if req.date_to else ''}"]
    counts = {b["key_as_string"]: int(b["doc_count"]) for b in buckets}
    current = (req.date_from, req.date_to)
    if by_month:
        year = req.date_from.year
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
            key = f"{year}-{month:02d}"
            facet.values.append(_bar(req, key, start.strftime("%b"), counts.get(key, 0), start, end, current))
        return facet
    if counts:
        years = sorted(int(k) for k in counts)
        for y in range(years[0], years[-1] + 1):      # empty years keep the axis honest
            start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
            facet.values.append(_bar(req, str(y), str(y), counts.get(str(y), 0), start, end, current))
    return facet


def _bar(req: SearchRequest, value: str, label: str, count: int, start: dt.date, end: dt.date, current) -> FacetValue:
    chosen = current == (start, end)
    params = to_params(req, date_from=None, date_to=None) if chosen else to_params(req, date_from=start, date_to=end)
    return FacetValue(value=value, label=label, count=count, selected=chosen, toggle=params)
