"""Plain data passed between the steps of the two flows.

files ──reader──▶ RawArticle ──clean/extract──▶ Article ──schema──▶ index
params ──▶ SearchRequest ──search──▶ SearchResult ──▶ HTML │ JSON │ CSV │ terminal

Every step takes and returns these, so each one can be tested alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from indexer import facets as registry      # read at call time: a facet registered later counts too
from indexer.facets import DEFAULT_SCOPE, facet_json


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
    given: dict[str, list[str]] = field(default_factory=dict)   # facet name → values the input labels
    declared_language: Optional[str] = None   # the language tag the input declares (a hint to detection)

    @property
    def source_ref(self) -> str:
        """Source with position, e.g. ``reut2-000.sgm#12``; used in reports and ``extract``."""
        return self.source if self.position is None else f"{self.source}#{self.position}"


@dataclass
class Article:
    """An article ready to index: a RawArticle plus what extraction found.

    ``facets`` holds each values facet's display values in salience order, keyed by facet name
    (``indexer.facets``); for scoped kinds those the article is mainly about, with its passing
    mentions in ``mentioned``."""

    id: str
    source: str
    title: str
    body: str
    date: Optional[dt.date]
    url: Optional[str] = None
    dateline: Optional[str] = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    mentioned: dict[str, list[str]] = field(default_factory=dict)
    content_hash: str = ""
    path: str = ""                  # the input file (absolute), for `update`
    file_hash: str = ""             # hash of the whole input file (and names file), for `update`
    words: frozenset = field(default=frozenset(), repr=False)   # distinct words, for the vocabulary
    fingerprint: Optional[object] = field(default=None, repr=False, compare=False)   # of its own text
                                    # (indexer.ingest.fingerprint.Fingerprint, made in the extraction workers);
                                    # the build groups stories with it

    def to_json(self) -> dict:
        """The article as JSON without its word set: its facets under their JSON fields."""
        return {"id": self.id, "source": self.source, "title": self.title, "body": self.body,
                "date": self.date.isoformat() if self.date else None, "url": self.url, "dateline": self.dateline,
                **facet_json(self.facets, self.mentioned), "content_hash": self.content_hash, "path": self.path,
                "file_hash": self.file_hash}


GROUPED, ALL = "grouped", "all"     # SearchRequest.copies
COPIES = (GROUPED, ALL)


@dataclass
class SearchRequest:
    """One search, as plain data: the CLI and the web app both build one of these.

    All values are already parsed; unparseable user input is turned into
    ``errors`` messages by the parser in ``indexer.request`` rather than raised.
    """

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)   # facet name → values: OR within, AND across
    scopes: dict[str, str] = field(default_factory=dict)   # scoped facet → "any" (default) | "about"
    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    sort: str = "relevance"           # relevance | newest | oldest
    page: int = 1
    page_size: int = 10
    facet_size: int = 10              # values shown per facet before "more"
    snippets: bool = True
    copies: str = GROUPED             # GROUPED: one result per story (its best copy) | ALL: every article

    def chosen(self, name: str) -> list[str]:
        """The values selected in facet ``name`` (none: an empty list)."""
        return self.filters.get(name) or []

    def scope(self, name: str) -> str:
        """The scope of a scoped facet: "any" unless the request says "about"."""
        return self.scopes.get(name) or DEFAULT_SCOPE


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
    name: str                         # the facet's name in the registry
    label: str                        # its label
    values: list[FacetValue] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    more: bool = False                # more values exist than shown
    partial: bool = False             # counting was cut short (time limit)
    granularity: Optional[str] = None  # dates: "year" or "month"
    scope: Optional[str] = None       # scoped kinds: "any" (any mention) or "about" (mainly about)
    scopes: list[FacetValue] = field(default_factory=list)  # the scope switch: one value per scope


@dataclass
class CopyRef:
    """Another article of a hit's story (a copy): what "and N other copies" names."""
    id: str
    title: str
    date: Optional[str]
    source: str
    url: Optional[str] = None


@dataclass
class Hit:
    """One result as plain data, so every front end renders the same fields."""
    id: str
    title: str
    date: Optional[str]
    source: str
    url: Optional[str]
    snippet: str                      # HTML: escaped text with <mark> around matches
    score: Optional[float] = None
    facets: dict[str, list[str]] = field(default_factory=dict)      # as Article.facets
    mentioned: dict[str, list[str]] = field(default_factory=dict)   # as Article.mentioned
    copies: list[CopyRef] = field(default_factory=list)   # grouped results: other matching articles of its
                                                           # story, oldest first (at most COPIES_SHOWN)
    copies_total: int = 0                                  # … how many there are in all


@dataclass
class SearchResult:
    """A whole results page as plain data, the one thing every front end renders.

    ``total`` counts the results as listed (and paged): stories when ``grouped``, else articles;
    ``articles`` and ``stories`` are both totals. ``counted`` says what the facet counts and the
    date histogram count: "stories" when grouped, so that they agree with the total."""
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, Facet]
    took_ms: float = 0.0
    suggestion: Optional[str] = None   # "did you mean" query text
    messages: list[str] = field(default_factory=list)  # friendly notes (syntax errors, caps)
    partial: bool = False              # the search's time budget ran out: what was found in time
    articles: Optional[int] = None     # matching articles (None: as ``total``)
    stories: Optional[int] = None      # matching stories (None: as ``total``)
    grouped: bool = False              # one result per story
    counted: str = "articles"          # what facet counts count: "stories" | "articles"

    def __post_init__(self):
        if self.articles is None:
            self.articles = self.total
        if self.stories is None:
            self.stories = self.total

    @property
    def pages(self) -> int:
        """Pages the total fills at the request's size, for the pager."""
        size = max(1, self.request.page_size)
        return max(1, -(-self.total // size))


@dataclass
class DayCounts:
    """One request's matches per day, what a trend's series is summed from: ``total`` is every
    match, ``undated`` the matches without a date (no period can hold them)."""
    days: dict = field(default_factory=dict)          # datetime.date → matches that day
    undated: int = 0
    total: int = 0
    messages: list[str] = field(default_factory=list)
    partial: bool = False
    grouped: bool = False                             # counts of stories (copies grouped), not articles
    articles: Optional[int] = None                    # matching articles, when the counts are of stories


@dataclass
class Summary:
    """What one query found, in brief (a row of a batch search): how many, from when to when,
    and the values most of its matches share in the facets shown as chips."""
    total: int = 0
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None
    top: dict[str, list[FacetValue]] = field(default_factory=dict)   # facet name → its top values
    messages: list[str] = field(default_factory=list)
    partial: bool = False
    error: str = ""                   # the engine could not run the query at all
    grouped: bool = False             # total and top values count stories (copies grouped), not articles
    articles: Optional[int] = None    # matching articles, when the total is of stories


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
        "stories": result.stories,
        "articles": result.articles,
        "copies": GROUPED if result.grouped else ALL,
        "counts": result.counted,
        "took_ms": result.took_ms,
        "partial": result.partial,
        "page": req.page,
        "page_size": req.page_size,
        "pages": result.pages,
        "sort": req.sort,
        "filters": filters_json(req),
        "hits": [hit_json(h) for h in result.hits],
        "facets": facets,
        "suggestion": result.suggestion,
        "messages": result.messages,
    }


def filters_json(req: SearchRequest) -> dict:
    """A request's filters keyed by their URL parameters (``{"country": […], "country_scope": "any",
    "person": […], …, "from", "to"}``), for the JSON of searches and exports."""
    out: dict = {}
    for s in registry.VALUE_FACETS:
        out[s.param] = req.chosen(s.name)
        if s.scoped:
            out[s.scope_param] = req.scope(s.name)
    out["from"] = req.date_from.isoformat() if req.date_from else None
    out["to"] = req.date_to.isoformat() if req.date_to else None
    return out


def hit_json(hit: Hit, **extra) -> dict:
    """One hit as JSON: its fields, its facets under their JSON fields (its story among them), its
    score, the other copies shown with it (grouped results) and ``extra``."""
    return {"id": hit.id, "title": hit.title, "date": hit.date, "source": hit.source, "url": hit.url,
            "snippet": hit.snippet, **facet_json(hit.facets, hit.mentioned), "score": hit.score,
            "copies": [copy_json(c) for c in hit.copies], "copies_total": hit.copies_total, **extra}


def copy_json(copy: CopyRef) -> dict:
    """Another copy of a story as JSON."""
    return {"id": copy.id, "title": copy.title, "date": copy.date, "source": copy.source, "url": copy.url}
