"""What every route shares: the blueprint, the request's SearchRequest, the one search, URLs.

The routes are in ``pages`` (the search and article pages), ``api`` (JSON) and ``exports``
(CSV, JSON and Atom downloads): each parses, calls the engine session once, and shapes what
its template or format needs. The HTML page and ``/api/search`` are built from the same
SearchResult by ``run_search``.
"""
from __future__ import annotations

from typing import Iterable, Optional
from urllib.parse import urlsplit

from flask import Blueprint, abort, request, url_for

from indexer import facets, settings
from indexer.grouping import story_of, story_request
from indexer.model import Facet, Hit, SearchRequest, SearchResult
from indexer.request import parse_params, to_params
from indexer.textkeys import casefold_key
from webui.session import session

bp = Blueprint("webui", __name__)

VALUE_FACETS = tuple(s.name for s in facets.SIDEBAR_FACETS)   # facets with a "more" link and a filter box
from indexer.settings import (  # noqa: E402  (named limits, documented in the README)
    MAX_ID_CHARS, MAX_PREFIX_CHARS, MORE_FACET_SIZE,
)
HISTOGRAM_STEPS = 20                      # bar heights are CSS classes h0..h20


# ---------------------------------------------------------------- shared search

def current_request() -> tuple[SearchRequest, list[str]]:
    """The request from the URL's parameters, parsed one way for every route."""
    return parse_params(request.args.get, request.args.getlist)


def expanded_facet() -> Optional[str]:
    """The facet the URL expands (`?more=`), only one of the known ones, so input cannot name others."""
    more = (request.args.get("more") or "").strip()
    return more if more in VALUE_FACETS else None


def facet_prefix() -> str:
    """The facet filter box's text, trimmed and capped, so the filter costs a bounded lookup."""
    return (request.args.get("prefix") or "").strip()[:MAX_PREFIX_CHARS]


def run_search(req: SearchRequest, messages: list[str]) -> SearchResult:
    """The one search behind ``/`` and ``/api/search``: facets at 10 values, the expanded one at 100,
    narrowed to a prefix when the facet's filter box was used (``?more=person&prefix=kel``)."""
    expanded, prefix = expanded_facet(), facet_prefix()
    if expanded:
        req.facet_size = MORE_FACET_SIZE
    result = session().search(req, messages)
    for name in VALUE_FACETS:
        if name != expanded and name in result.facets:
            _truncate(result.facets[name], settings.FACET_SIZE)
    if expanded and prefix:
        result.facets[expanded] = facet_values(req, expanded, prefix, MORE_FACET_SIZE)
    req.facet_size = settings.FACET_SIZE
    return result


def _truncate(facet: Facet, size: int) -> None:
    chosen = [v for v in facet.values if v.selected]
    others = [v for v in facet.values if not v.selected]
    if len(others) > size:
        facet.values = chosen + others[:size]
        facet.more = True


def facet_values(req: SearchRequest, name: str, prefix: str = "", limit: int = settings.FACET_SIZE) -> Facet:
    """One facet's values with a word starting with ``prefix``, counted disjunctively (the engine does it)."""
    return session().facet_values(req, name, prefix, limit)


def search_url(params: dict, **extra) -> str:
    """A search page URL for these parameters, the one way templates link to searches."""
    return url_for("webui.search", **params, **extra)


def safe_link(url: Optional[str]) -> Optional[str]:
    """The URL when it is http(s) with a host; anything else (javascript:, data:, paths) is not linked."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def host_of(url: str) -> str:
    """A link's host without `www.`, how a hit names its site."""
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def source_name(source: str) -> str:
    """A non-URL source (a file path, maybe with #position) shown by its file name only."""
    return (source or "").replace("\\", "/").rsplit("/", 1)[-1]


def page_state(req: SearchRequest) -> dict:
    """The whole state of a results page (query, filters, sort, page, size) as URL parameters:
    what links away from it carry, so "back to results" returns to the same page."""
    return to_params(req, page=req.page)


def add_filter_url(req: SearchRequest, name: str, value: str, scopes: Optional[dict] = None) -> str:
    """The search with ``value`` added to facet ``name``'s filter, from page 1; ``scopes`` set a
    scoped facet's scope too (a passing mention is found in the "any" scope)."""
    current = req.chosen(name)
    if any(casefold_key(v) == casefold_key(value) for v in current):
        return search_url(to_params(req, scopes=scopes))
    return search_url(to_params(req, filters={name: current + [value]}, scopes=scopes))


def date_label(req: SearchRequest) -> str:
    """The date filter as shown to the reader: ``2004-01-01 – 2004-12-31`` (``…`` for an open end)."""
    return f"{req.date_from.isoformat() if req.date_from else '…'} – {req.date_to.isoformat() if req.date_to else '…'}"


def filter_labels(req: SearchRequest) -> list[str]:
    """Every filter of a search as text (each facet's values, the dates), for "‹ Results for … (China, Japan)"."""
    chosen = [facets.shown_value(spec, value) for spec in facets.VALUE_FACETS for value in req.chosen(spec.name)]
    return chosen + ([date_label(req)] if req.date_from or req.date_to else [])


def param_pairs(params: dict, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """URL params as (name, value) pairs, for hidden form fields."""
    pairs = []
    for name, value in params.items():
        if name in skip:
            continue
        for v in (value if isinstance(value, list) else [value]):
            pairs.append((name, v))
    return pairs



def _article_or_404(article_id: str, q: str = "") -> dict:
    if len(article_id) > MAX_ID_CHARS:
        abort(404)
    art = session().article(article_id, q=q)
    if art is None:
        abort(404)
    return art


def story_copies(art: dict) -> tuple[list[Hit], int]:
    """Every article of an article's story (itself among them), oldest first, up to STORY_COPIES,
    and how many there are; none when it is the only one."""
    story = story_of(art["facets"])
    if not story:
        return [], 0
    found = session().search(story_request(story, settings.STORY_COPIES))
    return (found.hits, found.articles) if found.articles > 1 else ([], 0)
