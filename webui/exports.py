"""Downloads and feeds: every hit as CSV or JSON (streamed), an Atom feed, the OpenSearch description."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Iterator
from urllib.parse import quote

from flask import Response, url_for

from indexer import settings
from indexer.model import SearchRequest, SearchResult, result_to_json
from indexer.request import to_params
from webui.session import session
from webui.views import bp, current_request, host_of, safe_link


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
