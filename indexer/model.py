"""Plain data passed between the steps of the two flows.

files ──reader──▶ RawArticle ──clean/extract──▶ Article ──schema──▶ index
params ──▶ SearchRequest ──search──▶ SearchResult ──▶ HTML │ JSON │ CSV │ terminal

Every step takes and returns these, so each one can be tested alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, asdict
from typing import Optional


class SkipFile(Exception):
    """A whole file cannot be read as articles; ``reason`` goes to the skip report.

    Readers raise it (e.g. ``SkipFile("unreadable", "binary content")``); the build
    catches it, records it and goes on with the other files.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# Skip reasons used in the report; keep the wording stable, tests and docs use it.
SKIP_UNREADABLE = "unreadable"
SKIP_EMPTY = "empty"
SKIP_NOT_ARTICLE = "not an article"
SKIP_DUPLICATE = "duplicate"
SKIP_TOO_LARGE = "too large"
SKIP_TIMEOUT = "timed out"


@dataclass
class Skipped:
    """One article (or file) left out of the index, with the reason for the report."""

    source: str        # path; path#position for one article of a multi-article file ("path#line N" in JSON Lines)
    reason: str        # one of the SKIP_* constants
    detail: str = ""


@dataclass
class RawArticle:
    """What a reader found in a file, before entity extraction."""

    source: str                      # file path (or URL given by the data)
    title: str
    body: str
    date: Optional[dt.date] = None
    position: Optional[int] = None   # 0-based index within a multi-article file
    url: Optional[str] = None        # canonical URL when the input has one
    dateline: Optional[str] = None   # e.g. "TOKYO, March 3" (Reuters) when known
    given_id: Optional[str] = None   # an id supplied by the data (JSON "id", Reuters NEWID)
    given_people: list[str] = field(default_factory=list)     # labels present in the data
    given_countries: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)         # display names, byline order

    @property
    def source_ref(self) -> str:
        """Source with position, e.g. ``reut2-000.sgm#12``; used in reports and ``extract``."""
        return self.source if self.position is None else f"{self.source}#{self.position}"


@dataclass
class Article:
    """An article ready to index: a RawArticle plus what extraction found."""

    id: str
    source: str
    title: str
    body: str
    date: Optional[dt.date]
    url: Optional[str] = None
    dateline: Optional[str] = None
    people: list[str] = field(default_factory=list)              # display names, salience order
    authors: list[str] = field(default_factory=list)             # display names, byline order
    countries: list[str] = field(default_factory=list)           # the countries it is about
    countries_mentioned: list[str] = field(default_factory=list)  # passing mentions, not in `countries`
    content_hash: str = ""
    path: str = ""                  # the input file (absolute), for `update`
    file_hash: str = ""             # hash of the whole input file, for `update`
    words: frozenset = field(default=frozenset(), repr=False)   # distinct words, for the vocabulary

    def to_json(self) -> dict:
        """The article as JSON without its word set, for `extract --json` and the API."""
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        d.pop("words")
        return d


@dataclass
class SearchRequest:
    """One search, as plain data: the CLI and the web app both build one of these.

    All values are already parsed; unparseable user input is turned into
    ``errors`` messages by the parser in ``indexer.request`` rather than raised.
    """

    q: str = ""
    countries: list[str] = field(default_factory=list)   # OR within, AND with other facets
    country_scope: str = "any"        # any: every country an article involves | about: mainly about
    people: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    sort: str = "relevance"           # relevance | newest | oldest
    page: int = 1
    page_size: int = 10
    facet_size: int = 10              # values shown per facet before "more"
    snippets: bool = True


@dataclass
class FacetValue:
    """One countable choice of a facet with the parameters that toggle it, so templates need no logic."""
    value: str
    count: int
    selected: bool = False
    label: Optional[str] = None       # display text when it differs from value (months)
    toggle: dict = field(default_factory=dict)  # request params after toggling (for URLs)


@dataclass
class Facet:
    """One facet of a results page, shaped the same for HTML, JSON and the terminal."""
    name: str                         # country | person | author | date
    label: str                        # "Parties / countries", "People", "Date"
    values: list[FacetValue] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    more: bool = False                # more values exist than shown
    partial: bool = False             # counting was cut short (time limit)
    granularity: Optional[str] = None  # date facet: "year" or "month"
    scope: Optional[str] = None       # country facet: "any" (any mention) or "about" (mainly about)
    scopes: list[FacetValue] = field(default_factory=list)  # the scope switch: one value per scope


@dataclass
class Hit:
    """One result as plain data, so every front end renders the same fields."""
    id: str
    title: str
    date: Optional[str]
    source: str
    url: Optional[str]
    snippet: str                      # HTML: escaped text with <mark> around matches
    people: list[str]
    countries: list[str]              # the countries it is mainly about
    score: Optional[float] = None
    countries_mentioned: list[str] = field(default_factory=list)   # the others it involves
    authors: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    """A whole results page as plain data, the one thing every front end renders."""
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, Facet]
    took_ms: float = 0.0
    suggestion: Optional[str] = None   # "did you mean" query text
    messages: list[str] = field(default_factory=list)  # friendly notes (syntax errors, caps)
    partial: bool = False              # the search's time budget ran out: what was found in time

    @property
    def pages(self) -> int:
        """Pages the total fills at the request's size, for the pager."""
        size = max(1, self.request.page_size)
        return max(1, -(-self.total // size))


def result_to_json(result: SearchResult, toggle_url=None) -> dict:
    """The JSON shape shared by ``newsfacet search --json`` and ``/api/search``.

    ``toggle_url(params) -> str`` adds a ``toggle_url`` to each facet value (web only).
    """
    req = result.request
    facets = {}
    for name, facet in result.facets.items():
        values = []
        for v in facet.values:
            item = {"value": v.value, "count": v.count, "selected": v.selected}
            if v.label:
                item["label"] = v.label
            item["toggle"] = v.toggle
            if toggle_url:
                item["toggle_url"] = toggle_url(v.toggle)
            values.append(item)
        facets[name] = {"label": facet.label, "values": values, "selected": facet.selected,
                        "more": facet.more, "partial": facet.partial}
        if facet.granularity:
            facets[name]["granularity"] = facet.granularity
        if facet.scope:
            facets[name]["scope"] = facet.scope
            facets[name]["scopes"] = [
                {"value": v.value, "label": v.label, "selected": v.selected, "toggle": v.toggle,
                 **({"toggle_url": toggle_url(v.toggle)} if toggle_url else {})} for v in facet.scopes]
    return {
        "query": req.q,
        "total": result.total,
        "took_ms": result.took_ms,
        "partial": result.partial,
        "page": req.page,
        "page_size": req.page_size,
        "pages": result.pages,
        "sort": req.sort,
        "filters": {"country": req.countries, "country_scope": req.country_scope, "person": req.people,
                    "author": req.authors,
                    "from": req.date_from.isoformat() if req.date_from else None,
                    "to": req.date_to.isoformat() if req.date_to else None},
        "hits": [{"id": h.id, "title": h.title, "date": h.date, "source": h.source, "url": h.url,
                  "snippet": h.snippet, "people": h.people, "countries": h.countries,
                  "countries_mentioned": h.countries_mentioned, "authors": h.authors, "score": h.score}
                 for h in result.hits],
        "facets": facets,
        "suggestion": result.suggestion,
        "messages": result.messages,
    }
