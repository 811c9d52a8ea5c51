"""Downloads and feeds as routes: every hit as CSV or JSON (streamed), an Atom feed (written by
``indexer.exports``), the OpenSearch description."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Iterator
from urllib.parse import quote

from flask import Response, url_for

from indexer import settings
from indexer.exports import atom_feed, csv_chunks, json_chunks
from indexer.model import SearchRequest, filters_json
from indexer.request import to_params
from webui.session import session
from webui.views import bp, current_request, host_of, safe_link


# ---------------------------------------------------------------- exports and feeds (indexer/exports.py writes them)

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
    chunks = csv_chunks(_export_hits(req), _article_url_maker())
    return Response(chunks, mimetype="text/csv", headers=_attachment("newsfacet-search.csv"))


@bp.get("/search.json")
def export_json():
    """Every hit of the search as one JSON document, streamed hit by hit."""
    req, messages = current_request()
    head = {"query": req.q, "sort": req.sort, "filters": filters_json(req), "messages": messages}
    chunks = json_chunks(head, _export_hits(req), _article_url_maker())
    return Response(chunks, mimetype="application/json", headers=_attachment("newsfacet-search.json"))


@bp.get("/search.atom")
def feed():
    """An Atom feed of the newest hits of a search, so a user can subscribe to it."""
    req, _ = current_request()
    req.sort, req.page, req.page_size = "newest", 1, settings.FEED_SIZE
    result = session().search(req, [])
    params = to_params(req, page_size=settings.DEFAULT_PAGE_SIZE)
    built = session().info().get("built_at") or dt.datetime.now(dt.timezone.utc).isoformat()
    def publisher(hit) -> str:
        link = safe_link(hit.url)
        return host_of(link) if link else "Newsfacet"

    body = atom_feed(result, page_url=url_for("webui.search", **params, _external=True),
                     self_url=url_for("webui.feed", **params, _external=True),
                     entry_url=lambda article_id: url_for("webui.article", article_id=article_id, _external=True),
                     built=built, publisher=publisher)
    return Response(body, mimetype="application/atom+xml")


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
