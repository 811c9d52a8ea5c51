"""Facets in OpenSearch: filters, the aggregations that count disjunctively, and their shaping.

Each facet's selection is a filter clause; the search puts them all in ``post_filter`` (the hits)
and gives every facet an aggregation filtered by every *other* facet's clause, so a user who
picked North Korea still sees how many articles South Korea would add. The buckets become the
same ``Facet``/``FacetValue`` data the Whoosh engine returns: selected values first (counted
even when they fall out of the top), then by count, ties by name in code-point order (for
countries in the "any mention" scope, of equal counts the ones more matches are mainly about
first), and the year or month histogram with empty periods kept.

When a search groups copies into stories, every bucket counts stories: ``with_stories`` adds a
``cardinality`` of the story field under any bucket aggregation (terms are then ordered by it) and
``count`` reads a bucket's count either way. Cardinality is exact below its precision threshold
(``STORY_PRECISION`` for the total, ``BUCKET_STORY_PRECISION`` under each bucket: OpenSearch keeps
every hash up to it; beyond, an estimate within about 2 %).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from indexer import facets, settings
from indexer.engines.opensearch.mapping import about_field, group_field
from indexer.facets import SCOPES, FacetSpec
from indexer.model import Facet, FacetValue, SearchRequest
from indexer.request import to_params, toggled
from indexer.textkeys import casefold_key

SCOPED_VALUES = 400          # a scoped kind's values (countries) are few: all are counted, then ordered here
STORY_PRECISION = 40_000     # cardinality's precision threshold for the story total (OpenSearch's maximum) …
BUCKET_STORY_PRECISION = 1_000   # … and under each bucket: its memory (4 KB a bucket here, 256 KB at the
                             # maximum) is taken for every value counted, so a facet of 20,000 names stays small
STORIES = "stories"          # the sub-aggregation counting a bucket's stories


def stories_agg(precision: int = STORY_PRECISION) -> dict:
    """The distinct stories of a bucket's articles: exact below ``precision`` stories (OpenSearch keeps
    every hash up to it), an estimate within about 2 % above."""
    return {"cardinality": {"field": group_field(), "precision_threshold": precision}}


def with_stories(agg: dict, grouped: bool, reorder: bool = True) -> dict:
    """A bucket aggregation (terms, date_histogram, filters, filter) that counts stories when
    ``grouped``: the story cardinality as a sub-aggregation, and terms ordered by it (``reorder``;
    without it terms stay in the order of their articles and the caller sorts)."""
    if not grouped:
        return agg
    kind = next(k for k in agg if k != "aggs")
    body = dict(agg[kind])
    if kind == "terms" and reorder:
        body["order"] = [{STORIES: "desc"} if "_count" in o else o for o in body.get("order", [{"_count": "desc"}])]
    return {kind: body, "aggs": {**agg.get("aggs", {}), STORIES: stories_agg(BUCKET_STORY_PRECISION)}}


def count(bucket: dict, grouped: bool) -> int:
    """A bucket's articles, or (``grouped``) its stories."""
    return int(bucket[STORIES]["value"]) if grouped else int(bucket["doc_count"])


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
                 prefix: str = "", grouped: bool = False, candidates: int = 0) -> dict:
    """The ``aggs`` of a search: per facet in ``names`` (default all), a filter of the other facets'
    clauses around its counting (stories when ``grouped``).

    ``candidates`` (a batch's top values): with stories, only that many values, those with the
    most articles, get their stories counted (breadth first), and ``shape`` orders them by stories.
    Ordering every value by its stories makes the cluster count the stories of all of them (up to
    OPENSEARCH_SHARD_SIZE a facet): fine for one page, slow for a list of hundreds of queries."""
    out = {}
    for facet in facets.SIDEBAR_FACETS:
        if names is not None and facet.name not in names:
            continue
        name, field = facet.name, field_of(facet, req)
        chosen = req.chosen(name)
        want = size if size is not None else req.facet_size
        n = SCOPED_VALUES if facet.scoped else want + len(chosen) + 1
        terms = {"field": f"{field}.raw", "size": n, "shard_size": max(n, settings.OPENSEARCH_SHARD_SIZE),
                 "order": [{"_count": "desc"}, {"_key": "asc"}]}
        if prefix and facet.value_label:      # values shown by a label: all counted, the prefix matched in shape
            terms["size"] = terms["shard_size"] = settings.MAX_FACET_SIZE
        elif prefix:
            terms["include"] = _prefix_regex(prefix)
        few = bool(grouped and candidates)
        if few:
            terms["size"] = terms["shard_size"] = max(candidates, want + len(chosen) + 1)
            terms["collect_mode"] = "breadth_first"
        inner = {"values": with_stories({"terms": terms}, grouped, reorder=not few)}
        if chosen:
            inner["chosen"] = with_stories({"filters": {"filters": {str(i): {"term": {field: v}}
                                                                    for i, v in enumerate(chosen)}}}, grouped)
        if facet.scoped and req.scope(name) != "about":
            about = {"field": f"{about_field(facet)}.raw", "size": SCOPED_VALUES,
                     "shard_size": max(SCOPED_VALUES, settings.OPENSEARCH_SHARD_SIZE)}
            if few:
                about.update(size=terms["size"], shard_size=terms["size"], collect_mode="breadth_first")
            inner["about"] = with_stories({"terms": about}, grouped, reorder=not few)
        out[name] = {"filter": all_of(c for other, c in flt.items() if other != name), "aggs": inner}
    if names is None or "date" in names:
        by_month = _by_month(req)
        out["date"] = {"filter": all_of(c for other, c in flt.items() if other != "date"), "aggs": {
            "hist": with_stories({"date_histogram": {"field": "date", "calendar_interval": "month" if by_month else "year",
                                                     "format": "yyyy-MM" if by_month else "yyyy", "min_doc_count": 1}},
                                 grouped)}}
    return out


def _by_month(req: SearchRequest) -> bool:
    return bool(req.date_from and req.date_to and req.date_from.year == req.date_to.year)


def shape(req: SearchRequest, aggs: dict, size: Optional[int] = None, prefix: str = "",
          grouped: bool = False) -> dict[str, Facet]:
    """The aggregations' buckets as the facets of a results page (counts of stories when ``grouped``)."""
    out = {}
    for facet in facets.SIDEBAR_FACETS:
        if facet.name in aggs:
            out[facet.name] = _values_facet(facet, req, aggs[facet.name],
                                            size if size is not None else req.facet_size, prefix, grouped)
    if "date" in aggs:
        out["date"] = _date_facet(req, aggs["date"]["hist"]["buckets"], grouped)
    return out


def _values_facet(spec: FacetSpec, req: SearchRequest, agg: dict, size: int, prefix: str,
                  grouped: bool = False) -> Facet:
    name = spec.name
    chosen = req.chosen(name)
    buckets = [(b["key"], count(b, grouped)) for b in agg["values"]["buckets"]]
    if grouped:       # the cluster's order when it ordered by stories; the candidates' order otherwise
        buckets.sort(key=lambda kv: (-kv[1], kv[0]))
    if spec.scoped and "about" in agg:
        about = {b["key"]: count(b, grouped) for b in agg["about"]["buckets"]}
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
        bucket = counted.get(str(i))
        n = count(bucket, grouped) if bucket else 0
        display = shown.get(casefold_key(value), value)
        facet.values.append(FacetValue(value=display, count=n, selected=True, label=label(display),
                                       toggle=to_params(req, filters={name: toggled(chosen, value)})))
    for key, n in candidates[:size]:
        facet.values.append(FacetValue(value=key, count=n, selected=False, label=label(key),
                                       toggle=to_params(req, filters={name: toggled(chosen, key)})))
    return facet


def _word_starts(name: str, prefix: str) -> bool:
    """Whether a word of ``name`` (folded) starts with ``prefix`` (folded), as the Whoosh engine matches."""
    return name.startswith(prefix) or any(w.startswith(prefix) for w in name.split())


def _date_facet(req: SearchRequest, buckets: list[dict], grouped: bool = False) -> Facet:
    by_month = _by_month(req)
    facet = Facet(name="date", label=facets.spec("date").label, granularity="month" if by_month else "year")
    if req.date_from or req.date_to:
        facet.selected = [f"{req.date_from.isoformat() if req.date_from else ''}.."
                          f"{req.date_to.isoformat() if req.date_to else ''}"]
    counts = {b["key_as_string"]: count(b, grouped) for b in buckets}
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
