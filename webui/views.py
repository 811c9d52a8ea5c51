"""Routes: URL parameters → SearchRequest → the engine session → HTML, JSON, CSV or Atom.

Views stay thin: they parse, call the library once, and shape what the
templates need (URLs, chip lists). The HTML page and ``/api/search`` are built
from the same SearchResult by ``run_search``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Iterable, Iterator, Optional
from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from indexer import settings
from indexer.facets import VALUE_FACET_NAMES, VALUE_FACETS as VALUE_SPECS
from indexer.model import Facet, SearchRequest, SearchResult, result_to_json
from indexer.request import SORTS, cut_query, parse_params, to_params
from indexer.textkeys import casefold_key
from webui.session import session

bp = Blueprint("webui", __name__)

VALUE_FACETS = VALUE_FACET_NAMES    # facets with a "more" link and a filter box (the registry's values facets)
from indexer.settings import (  # noqa: E402  (named limits, documented in the README)
    HIT_COUNTRY_CHIPS, HIT_PERSON_CHIPS, MAX_ID_CHARS, MAX_PREFIX_CHARS, MORE_FACET_SIZE, SUGGEST_LIMIT,
    SUGGEST_WORDS,
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


def add_filter_url(req: SearchRequest, attr: str, value: str, **changes) -> str:
    """The search with ``value`` added to a filter (``countries``, ``people``, ``authors``), from page 1;
    ``changes`` set other fields too (``country_scope``)."""
    current = getattr(req, attr)
    if any(casefold_key(v) == casefold_key(value) for v in current):
        return search_url(to_params(req, **changes))
    return search_url(to_params(req, **{attr: current + [value]}, **changes))


def date_label(req: SearchRequest) -> str:
    """The date filter as shown to the reader: ``2004-01-01 – 2004-12-31`` (``…`` for an open end)."""
    return f"{req.date_from.isoformat() if req.date_from else '…'} – {req.date_to.isoformat() if req.date_to else '…'}"


def filter_labels(req: SearchRequest) -> list[str]:
    """Every filter of a search as text (countries, people, authors, dates), for "‹ Results for … (China, Japan)"."""
    chosen = [value for spec in VALUE_SPECS for value in getattr(req, spec.attr)]
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


# ---------------------------------------------------------------- the search page

@bp.get("/")
def search():
    """The search page: the URL holds the whole state, so links and back/forward work."""
    req, messages = current_request()
    result = run_search(req, messages)
    return render_template("search.html", **page_context(result))


def page_context(result: SearchResult) -> dict:
    """What search.html needs beyond the result: every URL precomputed from the request."""
    req = result.request
    state = to_params(req)
    expanded, prefix = expanded_facet(), facet_prefix()
    carried = page_state(req)
    add_filter = lambda attr, value, **changes: add_filter_url(req, attr, value, **changes)  # noqa: E731

    any_scope = {"country_scope": "any"}
    hits = []
    for hit in result.hits:
        link = safe_link(hit.url)
        involved = hit.countries + hit.countries_mentioned   # "about" first
        hits.append({
            "hit": hit,
            "href": url_for("webui.article", article_id=hit.id, **carried),
            "link": link,
            "source": host_of(link) if link else source_name(hit.source),
            # a country only mentioned is found in the "any mention" scope
            "chips": [(c, "country", add_filter("countries", c, **({} if c in hit.countries else any_scope)))
                      for c in involved[:HIT_COUNTRY_CHIPS]]
                     + [(p, "person", add_filter("people", p)) for p in hit.people[:HIT_PERSON_CHIPS]],
            "authors": [(a, add_filter("authors", a)) for a in hit.authors],
            "more_chips": max(0, len(involved) - HIT_COUNTRY_CHIPS) + max(0, len(hit.people) - HIT_PERSON_CHIPS),
        })

    facets = {}
    for name, facet in result.facets.items():
        keep = {"more": name} if name == expanded else {}
        view = {"facet": facet, "values": [], "expanded": name == expanded,
                "prefix": prefix if name == expanded else ""}
        if name == "date":
            if facet.granularity == "month":
                view["years_url"] = search_url(to_params(req, date_from=None, date_to=None))
            peak = max((v.count for v in facet.values), default=0)
            for v in facet.values:
                step = 0 if not v.count else max(1, round(HISTOGRAM_STEPS * v.count / peak))
                view["values"].append({"v": v, "url": search_url(v.toggle), "step": step})
        else:
            shown = {casefold_key(v.value) for v in facet.values}
            for v in facet.values:
                view["values"].append({"v": v, "url": search_url(v.toggle, **keep)})
            # The checkbox form: every other part of the state rides along as hidden fields, and
            # selected values the list does not show (filtered out by a prefix) stay selected.
            view["fields"] = param_pairs({**state, **keep}, skip=(name, "page")) + [
                (name, value) for value in facet.selected if casefold_key(value) not in shown]
            view["more_url"] = search_url(state, more=name) if facet.more and name != expanded else None
            view["less_url"] = search_url(state) if name == expanded else None
            view["api_url"] = url_for("webui.api_facet", name=name)
            view["scopes"] = [(v, search_url(v.toggle, **keep)) for v in facet.scopes]
        facets[name] = view

    chips = [(v, spec.name, search_url(to_params(req, **{spec.attr: [x for x in getattr(req, spec.attr) if x != v]})))
             for spec in VALUE_SPECS for v in getattr(req, spec.attr)]
    if req.date_from or req.date_to:
        chips.append((date_label(req), "date", search_url(to_params(req, date_from=None, date_to=None))))

    return {
        "result": result, "req": req, "q": req.q, "state": state,
        "hits": hits, "facets": facets, "chips": chips,
        "filter_count": len(chips),
        "clear_url": search_url(to_params(req, **{spec.attr: [] for spec in VALUE_SPECS}, date_from=None, date_to=None)),
        "sorts": [(name, search_url(to_params(req, sort=name)), name == req.sort) for name in SORTS],
        "sizes": [(size, search_url(to_params(req, page_size=size)), size == req.page_size)
                  for size in settings.PAGE_SIZES],
        "pages": pagination(req, result.pages),
        "suggestion_url": search_url(to_params(req, q=result.suggestion)) if result.suggestion else None,
        "box_fields": param_pairs(state, skip=("q", "page")),
        "date_fields": param_pairs(state, skip=("from", "to", "page")),
        "facet_fields": param_pairs(state, skip=("page",)),
        "exports": {
            "csv": url_for("webui.export_csv", **state),
            "json": url_for("webui.export_json", **state),
            "atom": url_for("webui.feed", **to_params(req, sort="newest", page_size=settings.DEFAULT_PAGE_SIZE)),
            "api": url_for("webui.api_search", **state),
        },
        "first_number": (req.page - 1) * req.page_size + 1,
    }


def pagination(req: SearchRequest, pages: int) -> dict:
    """Page links around the current one with gaps, capped at MAX_PAGE, so the pager stays short."""
    pages = min(pages, settings.MAX_PAGE)
    current = req.page
    numbers = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    items, last = [], 0
    for n in numbers:
        if n - last > 1:
            items.append(None)   # an ellipsis
        items.append((n, search_url(to_params(req, page=n)), n == current))
        last = n
    return {
        "items": items if pages > 1 else [],
        "prev": search_url(to_params(req, page=current - 1)) if 1 < current <= pages + 1 else None,
        "next": search_url(to_params(req, page=current + 1)) if current < pages else None,
    }


# ---------------------------------------------------------------- article page

def _article_or_404(article_id: str, q: str = "") -> dict:
    if len(article_id) > MAX_ID_CHARS:
        abort(404)
    art = session().article(article_id, q=q)
    if art is None:
        abort(404)
    return art


@bp.get("/article/<article_id>")
def article(article_id: str):
    """One article. Its URL carries the search it was opened from (``?q=&country=&sort=&page=…``):
    the query's words are marked, "‹ Results" returns to that page, and its chips and similar
    articles keep that state."""
    req, _ = current_request()
    q = req.q
    art = _article_or_404(article_id, q)
    similar = session().similar(art["id"])
    paragraphs = [p.strip() for p in art["body_html"].split("\n\n") if p.strip()]
    link = safe_link(art.get("url"))
    carried = page_state(req)
    country = lambda c, **changes: add_filter_url(req, "countries", c, **changes)  # noqa: E731
    return render_template(
        "article.html", art=art, q=q, paragraphs=paragraphs, link=link,
        host=host_of(link) if link else None, source=source_name(art.get("source") or ""),
        countries=[(c, country(c)) for c in art["countries"]],
        # a country only mentioned is found in the "any mention" scope
        mentioned=[(c, country(c, country_scope="any")) for c in art["countries_mentioned"]],
        people=[(p, add_filter_url(req, "people", p)) for p in art["people"]],
        authors=[(a, add_filter_url(req, "authors", a)) for a in art["authors"]],
        similar=[{"hit": h, "href": url_for("webui.article", article_id=h.id, **carried)} for h in similar
                 if h.id != art["id"]],
        back_url=search_url(carried) if carried else None, back_filters=filter_labels(req),
    )


# ---------------------------------------------------------------- JSON API

def _toggle_url(params: dict) -> str:
    return search_url(params)


@bp.get("/api/search")
def api_search():
    """The search as JSON, the same shape as `newsfacet search --json`."""
    req, messages = current_request()
    return jsonify(result_to_json(run_search(req, messages), toggle_url=_toggle_url))


@bp.get("/api/article/<article_id>")
def api_article(article_id: str):
    """One article as JSON with its similar articles, for clients of the API."""
    q = cut_query(request.args.get("q") or "")
    art = _article_or_404(article_id, q)
    similar = session().similar(art["id"])
    out = dict(art)
    out["link"] = safe_link(art.get("url"))   # the URL when it is safe to link (http/https)
    out["html_url"] = url_for("webui.article", article_id=art["id"])
    out["more_like_this"] = [{"id": h.id, "title": h.title, "date": h.date} for h in similar if h.id != art["id"]]
    return jsonify(out)


@bp.get("/api/facets/<name>")
def api_facet(name: str):
    """``/api/facets/person?prefix=kel&q=…&country=…``: the facet's values matching a prefix."""
    if name not in VALUE_FACETS:
        abort(404)
    req, messages = current_request()
    try:
        limit = int(request.args.get("limit") or 20)
    except ValueError:
        limit = 20
    limit = max(1, min(limit, settings.MAX_FACET_SIZE))
    facet = facet_values(req, name, facet_prefix(), limit)
    shaped = result_to_json(SearchResult(request=req, total=0, hits=[], facets={name: facet}),
                            toggle_url=_toggle_url)["facets"][name]
    return jsonify({"name": name, "prefix": facet_prefix(), **shaped, "messages": messages})


# ---------------------------------------------------------------- autocomplete

_FIELD_PREFIX = re.compile(r"^(-?)(person|people|country|countries|authors?):\"?(.*)$", re.IGNORECASE)
_KIND = {"word": "term", "person": "person", "country": "country", "author": "author"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', "") + '"'


def _completion_window(words: list[str]) -> Optional[tuple[str, Optional[str], str]]:
    """(sign, field, prefix) for typed words a completion would replace, or None when they can't
    be one name: only the first may carry ``-`` or ``person:``/``country:``, none is an operator."""
    sign, field = "", None
    first = words[0]
    m = _FIELD_PREFIX.match(first)
    if m:
        sign, field, first = m.group(1), m.group(2).lower(), m.group(3)
        field = "person" if field.startswith("pe") else "author" if field.startswith("au") else "country"
    elif first.startswith("-"):
        sign, first = "-", first[1:]
    rest = words[1:]
    if any(":" in w or w.startswith("-") or w in ("AND", "OR", "NOT") for w in rest):
        return None
    return sign, field, " ".join([first, *rest]).strip('"() ')


@bp.get("/api/suggest")
def api_suggest():
    """Completions for the last words typed: people, countries, authors and index words (the engine's ``complete``).

    ``?q=…`` gives ``{"query", "suggestions": [{"text", "kind", "count", "q"}]}`` where ``q`` is the whole
    query with the words the completion replaces swapped for it: ``north ko`` → ``country:"North Korea"``,
    ``kamala h`` → ``person:"Kamala Harris"``, ``nuclear re`` → ``nuclear reactor``. When names complete
    several typed words, names completing fewer are left out; ``&format=opensearch`` gives
    ``[query, [completions]]``.
    """
    typed = (request.args.get("q") or "")[: settings.MAX_QUERY_CHARS]
    words = typed.split(" ")
    entities: list[dict] = []
    words_found: list[dict] = []
    for n in range(min(SUGGEST_WORDS, len(words)), 0, -1):
        window = _completion_window(words[-n:])
        if window is None or (entities and n > 1):
            continue
        sign, field, prefix = window
        if len(casefold_key(prefix)) < 2:
            continue
        head = " ".join(words[:-n])
        head = head + " " if head.strip() else ""
        found = session().complete(prefix, SUGGEST_LIMIT)
        if not entities:     # names that complete more of the typed words win over the rest
            for f in sorted((f for f in found if f["kind"] != "word" and (not field or f["kind"] == field)),
                            key=lambda f: -f["count"]):
                entities.append({**f, "q": f"{head}{sign}{f['kind']}:{_quote(f['value'])}"})
        if n == 1 and not field:
            words_found = [{**f, "q": f"{head}{sign}{f['value']}"} for f in found if f["kind"] == "word"]
    chosen = entities[: SUGGEST_LIMIT - min(len(words_found), 3)]
    chosen += words_found[: SUGGEST_LIMIT - len(chosen)]
    suggestions = [{"text": f["value"], "kind": _KIND.get(f["kind"], f["kind"]), "count": f["count"], "q": f["q"]}
                   for f in chosen]
    if request.args.get("format") == "opensearch":
        return jsonify([typed, [s["q"] for s in suggestions]])
    return jsonify({"query": typed, "suggestions": suggestions})


# ---------------------------------------------------------------- exports and feeds

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CSV_COLUMNS = ("id", "date", "title", "source", "url", "countries", "people", "authors", "score", "article_url")


def csv_cell(value) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _export_hits(req: SearchRequest) -> Iterator:
    """Every hit of the search (the engine's iterator outlives the request's session, so the
    response can stream after teardown)."""
    return session().iter_hits(req, limit=settings.EXPORT_MAX_HITS)


def _article_url_maker():
    """A function id → absolute article URL that needs no request context (for streamed bodies)."""
    prefix = url_for("webui.article", article_id="-", _external=True)[:-1]
    return lambda article_id: prefix + quote(article_id, safe="")


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@bp.get("/search.csv")
def export_csv():
    """Every hit of the search as CSV, streamed; cells a spreadsheet would run as formulas are quoted."""
    req, _ = current_request()
    req.snippets = False
    hits, article_url = _export_hits(req), _article_url_maker()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for n, hit in enumerate(hits):
            writer.writerow([csv_cell(v) for v in (
                hit.id, hit.date, hit.title, hit.source, hit.url, "; ".join(hit.countries), "; ".join(hit.people),
                "; ".join(hit.authors), hit.score, article_url(hit.id))])
            if n % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(rows(), mimetype="text/csv", headers=_attachment("newsfacet-search.csv"))


@bp.get("/search.json")
def export_json():
    """Every hit of the search as one JSON document, streamed hit by hit."""
    req, messages = current_request()
    hits, article_url = _export_hits(req), _article_url_maker()
    head = {"query": req.q, "sort": req.sort, "filters": result_to_json(
        SearchResult(request=req, total=0, hits=[], facets={}))["filters"], "messages": messages}

    def chunks() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "hits": ['
        count = 0
        for hit in hits:
            item = {"id": hit.id, "title": hit.title, "date": hit.date, "source": hit.source, "url": hit.url,
                    "snippet": hit.snippet, "people": hit.people, "countries": hit.countries,
                    "countries_mentioned": hit.countries_mentioned, "authors": hit.authors, "score": hit.score,
                    "article_url": article_url(hit.id)}
            yield ("\n" if count == 0 else ",\n") + json.dumps(item, ensure_ascii=False)
            count += 1
        yield f'\n], "count": {count}}}\n'

    return Response(chunks(), mimetype="application/json", headers=_attachment("newsfacet-search.json"))


def xml_text(value) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates dropped."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


ATOM_NS = "http://www.w3.org/2005/Atom"


@bp.get("/search.atom")
def feed():
    """An Atom feed of the newest hits of a search, so a user can subscribe to it."""
    req, _ = current_request()
    req.sort, req.page, req.page_size = "newest", 1, settings.FEED_SIZE
    result = session().search(req, [])
    params = to_params(req, page_size=settings.DEFAULT_PAGE_SIZE)
    page_url = url_for("webui.search", **params, _external=True)
    built = session().info().get("built_at") or dt.datetime.now(dt.timezone.utc).isoformat()

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    root = ET.Element("feed", {"xmlns": ATOM_NS})
    title = f"Newsfacet: {req.q}" if req.q.strip() else "Newsfacet: newest articles"
    filters = req.countries + req.people
    if filters:
        title += " (" + ", ".join(filters) + ")"
    sub(root, "title", title)
    sub(root, "id", page_url)
    sub(root, "link", rel="self", href=url_for("webui.feed", **params, _external=True))
    sub(root, "link", rel="alternate", type="text/html", href=page_url)
    dates = [h.date for h in result.hits if h.date]
    sub(root, "updated", _atom_time(max(dates)) if dates else _atom_time(built))
    sub(root, "generator", "Newsfacet")
    for hit in result.hits:
        entry = sub(root, "entry")
        href = url_for("webui.article", article_id=hit.id, _external=True)
        sub(entry, "title", hit.title)
        sub(entry, "id", href)
        sub(entry, "link", rel="alternate", type="text/html", href=href)
        sub(entry, "updated", _atom_time(hit.date or built))
        if hit.date:
            sub(entry, "published", _atom_time(hit.date))
        author = sub(entry, "author")
        sub(author, "name", host_of(safe_link(hit.url)) if safe_link(hit.url) else "Newsfacet")
        sub(entry, "summary", hit.snippet, type="html")
        for name in hit.countries + hit.people:
            sub(entry, "category", term=name)
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    mimetype="application/atom+xml")


def _atom_time(value: str) -> str:
    """RFC 3339 for an ISO date or datetime string."""
    if len(value) == 10:
        return value + "T00:00:00Z"
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.get("/opensearch.xml")
def opensearch():
    """The OpenSearch description, so browsers can add Newsfacet as a search engine."""
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = ET.Element("OpenSearchDescription", {"xmlns": ns})
    ET.SubElement(root, "ShortName").text = "Newsfacet"
    ET.SubElement(root, "Description").text = "Search the news archive with Newsfacet"
    ET.SubElement(root, "InputEncoding").text = "UTF-8"
    ET.SubElement(root, "Url", type="text/html", method="get",
                  template=url_for("webui.search", _external=True) + "?q={searchTerms}")
    ET.SubElement(root, "Url", type="application/x-suggestions+json", method="get",
                  template=url_for("webui.api_suggest", _external=True) + "?format=opensearch&q={searchTerms}")
    ET.SubElement(root, "Url", type="application/opensearchdescription+xml", rel="self",
                  template=url_for("webui.opensearch", _external=True))
    body = ET.tostring(root, encoding="unicode")
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    mimetype="application/opensearchdescription+xml")
