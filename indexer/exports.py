"""Search results as files: CSV rows, one streamed JSON document, an Atom feed.

Library code, so the web's downloads (``webui/exports.py``) and the command line write the same
files. Facet columns and fields come from the registry (``indexer.facets``): every facet shown on
hits (chips or byline) is a CSV column and a JSON field under its JSON name; a multi-valued one's
values are joined with "; " in CSV.

Exports are data: they list every matching article, copies included, each with its story (the
grouping facet's column, beside the id), so a reader can group them; the Atom feed is a results
page and lists one entry per story, as the page does.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Callable, Iterable, Iterator, Optional

from indexer import facets
from indexer.model import Hit, SearchRequest, SearchResult, hit_json

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ROWS_PER_CHUNK = 200          # CSV rows written per streamed chunk


def shown_facets() -> tuple[facets.FacetSpec, ...]:
    """The values facets a hit shows (chips or byline), in registry order: the CSV's facet columns."""
    return tuple(s for s in facets.VALUE_FACETS if s.display != "hidden")


def _grouping() -> tuple[facets.FacetSpec, ...]:
    """The grouping facet (the story), when the registry has one: its column follows the id."""
    return (facets.GROUP,) if facets.GROUP is not None else ()


def csv_columns() -> tuple[str, ...]:
    """The CSV header: the hit's id and story, its fields, one column per shown facet (its JSON
    name), score, link."""
    return ("id", *(s.json for s in _grouping()), "date", "title", "source", "url", *(s.json for s in shown_facets()),
            "score", "article_url")


def csv_cell(value) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(hit: Hit, article_url: str) -> list[str]:
    """One hit as CSV cells in ``csv_columns`` order."""
    values = [hit.id, *("; ".join(hit.facets.get(s.name) or ()) for s in _grouping()), hit.date, hit.title,
              hit.source, hit.url]
    values += ["; ".join(hit.facets.get(s.name) or ()) for s in shown_facets()]
    values += [hit.score, article_url]
    return [csv_cell(v) for v in values]


def csv_chunks(hits: Iterable[Hit], article_url: Callable[[str], str]) -> Iterator[str]:
    """The whole CSV, header first, in chunks of ROWS_PER_CHUNK rows (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_columns())
    for n, hit in enumerate(hits):
        writer.writerow(csv_row(hit, article_url(hit.id)))
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(head: dict, hits: Iterable[Hit], article_url: Callable[[str], str]) -> Iterator[str]:
    """One JSON document, ``head``'s fields then ``"hits": [...]`` and ``"count"``, a hit per chunk."""
    yield json.dumps(head, ensure_ascii=False)[:-1] + (', "hits": [' if head else '"hits": [')
    count = 0
    for hit in hits:
        item = hit_json(hit, article_url=article_url(hit.id))
        yield ("\n" if count == 0 else ",\n") + json.dumps(item, ensure_ascii=False)
        count += 1
    yield f'\n], "count": {count}}}\n'


def xml_text(value) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates dropped."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def feed_title(req: SearchRequest) -> str:
    """An Atom feed's title: the query, and the values it is filtered by."""
    title = f"Newsfacet: {req.q}" if req.q.strip() else "Newsfacet: newest articles"
    chosen = [facets.shown_value(s, v) for s in facets.VALUE_FACETS if s.display != "hidden"
              for v in req.chosen(s.name)]
    return title + (" (" + ", ".join(chosen) + ")" if chosen else "")


def atom_feed(result: SearchResult, *, page_url: str, self_url: str, entry_url: Callable[[str], str],
              built: str, publisher: Callable[[Hit], str]) -> str:
    """The Atom document of a results page (newest first): the feed's links, each hit an entry with
    its link, dates, snippet, the name ``publisher`` gives it, its chip facets' values as categories,
    and its language (``xml:lang``) when known."""
    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    root = ET.Element("feed", {"xmlns": ATOM_NS})
    sub(root, "title", feed_title(result.request))
    sub(root, "id", page_url)
    sub(root, "link", rel="self", href=self_url)
    sub(root, "link", rel="alternate", type="text/html", href=page_url)
    dates = [h.date for h in result.hits if h.date]
    sub(root, "updated", atom_time(max(dates)) if dates else atom_time(built))
    sub(root, "generator", "Newsfacet")
    categories = [s for s in facets.VALUE_FACETS if s.display == "chips"]
    for hit in result.hits:
        lang = facets.text_language(hit.facets)      # the entry's language, for readers that voice it
        entry = sub(root, "entry", **({XML_LANG: lang} if lang else {}))
        href = entry_url(hit.id)
        sub(entry, "title", hit.title)
        sub(entry, "id", href)
        sub(entry, "link", rel="alternate", type="text/html", href=href)
        sub(entry, "updated", atom_time(hit.date or built))
        if hit.date:
            sub(entry, "published", atom_time(hit.date))
        by = sub(entry, "author")          # Atom's own element: the publisher of the entry
        sub(by, "name", publisher(hit))
        sub(entry, "summary", hit.snippet, type="html")
        for spec in categories:
            for name in hit.facets.get(spec.name) or ():
                sub(entry, "category", term=name)
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


def atom_time(value: Optional[str]) -> str:
    """RFC 3339 for an ISO date or datetime string."""
    value = value or ""
    if len(value) == 10:
        return value + "T00:00:00Z"
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
