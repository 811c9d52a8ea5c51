"""The downloads and feeds (webui/exports.py): CSV, JSON, Atom, the OpenSearch description.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from indexer import settings
from tests.web.archive import ARTICLES, WEB_FORMULA_TITLES, XSS_PERSON, XSS_TITLE, expected
from tests.web.answers import api, page, snippet_tags

ATOM = "{http://www.w3.org/2005/Atom}"


def test_csv_export_streams_every_hit_and_guards_formulas(client):
    response = client.get("/search.csv?q=spreadsheet")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(WEB_FORMULA_TITLES)
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in WEB_FORMULA_TITLES)
    everything = list(csv.DictReader(io.StringIO(client.get("/search.csv?size=10").get_data(as_text=True))))
    assert len(everything) == len(ARTICLES)       # every hit, not one page
    by_id = {r["id"]: r for r in everything}
    assert by_id["art0041"]["title"] == XSS_TITLE
    assert by_id["art0041"]["people"] == f"{XSS_PERSON}; James Kelly"
    assert by_id["art0004"]["countries"] == "Russia; China"
    assert by_id["art0004"]["article_url"].endswith("/article/art0004")
    filtered = list(csv.DictReader(io.StringIO(client.get("/search.csv?country=Japan").get_data(as_text=True))))
    assert len(filtered) == expected(countries=("Japan",))[0]


def test_json_export_streams_valid_json(client):
    response = client.get("/search.json?q=reactor&country=China")
    assert response.status_code == 200 and response.mimetype == "application/json" and response.is_streamed
    data = json.loads(response.get_data(as_text=True))
    total = expected("reactor", ("China",))[0]
    assert data["count"] == len(data["hits"]) == total
    assert data["query"] == "reactor" and data["filters"]["country"] == ["China"]
    assert all(snippet_tags(h["snippet"]) <= {"mark"} for h in data["hits"])
    everything = json.loads(client.get("/search.json").get_data(as_text=True))
    assert everything["count"] == len(ARTICLES)


def test_atom_feed_of_newest_hits(client):
    response = client.get("/search.atom?q=diplomats&country=China")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    assert "diplomats" in root.find(f"{ATOM}title").text and "China" in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    total = expected("diplomats", ("China",))[0]
    assert len(entries) == min(total, settings.FEED_SIZE)
    published = [e.find(f"{ATOM}published").text for e in entries if e.find(f"{ATOM}published") is not None]
    assert published and published == sorted(published, reverse=True)
    assert all(e.find(f"{ATOM}updated") is not None for e in entries)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert "/article/" in link and link.startswith("http")
    # hostile text round-trips as text
    hostile = ET.fromstring(client.get("/search.atom?q=reactor").data)
    titles = [e.find(f"{ATOM}title").text for e in hostile.findall(f"{ATOM}entry")]
    assert XSS_TITLE in titles
    page_text = page(client, "/?q=reactor")
    assert '<link rel="alternate" type="application/atom+xml"' in page_text and "/search.atom?q=reactor" in page_text


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200 and response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.find(f"{ns}ShortName").text == "Newsfacet"
    templates = [u.get("template") for u in root.findall(f"{ns}Url")]
    assert "http://localhost/?q={searchTerms}" in templates
    assert any("/api/suggest" in t for t in templates)
    assert '<link rel="search" type="application/opensearchdescription+xml"' in page(client, "/")
