"""The JSON API (webui/api.py): /api/search, /api/article, /api/facets, /api/suggest.
"""
from __future__ import annotations

import re

import pytest

from indexer.model import result_to_json
from indexer.request import from_mapping
from indexer.engines.whoosh.search import open_index, search as lib_search
from tests.web.archive import XSS_BODY, XSS_PERSON, XSS_TITLE, expected, words_of
from tests.web.answers import api, page, snippet_tags, values


def test_facet_filter_box_api_and_no_js_form(client):
    response = client.get("/api/facets/person?prefix=kel")
    assert response.status_code == 200
    data = response.get_json()
    assert [v["value"] for v in data["values"]] == ["James Kelly"]
    assert data["values"][0]["count"] == expected()[2]["James Kelly"]
    assert data["values"][0]["toggle_url"] == "/?person=James+Kelly"
    # counted over the current search (disjunctively: the person filter itself does not narrow it)
    data = client.get("/api/facets/person?prefix=minor&country=Japan&person=James+Kelly").get_json()
    _, _, person, _ = expected(countries=("Japan",), people=("James Kelly",))
    assert data["values"][0]["value"] == "James Kelly" and data["values"][0]["selected"]
    for v in data["values"][1:]:
        assert v["value"].startswith("Minor Figure") and v["count"] == person[v["value"]]
    assert len(data["values"]) == 1 + 12
    # limit, unknown facet, date facet
    assert len(client.get("/api/facets/person?prefix=minor&limit=3").get_json()["values"]) == 3
    assert client.get("/api/facets/nothing?prefix=a").status_code == 404
    assert client.get("/api/facets/person?limit=abc").status_code == 200
    # without JS: the filter box is a GET form to the page
    text = page(client, "/?more=person&prefix=kel")
    names = re.findall(r'<span class="name" dir="auto">([^<]*)</span>',
                       text.split('id="facet-person"')[1].split("</section>")[0])
    assert names == ["James Kelly"]
    assert re.search(r'<form class="facet-filter" action="/" method="get"', text)
    assert 'name="prefix"' in text and '<input type="hidden" name="more" value="person">' in text
    assert "No value starts with “zzz”." in page(client, "/?more=person&prefix=zzz")
    # the box is offered where a facet has more values than it shows
    few = page(client, "/?q=diplomats")
    assert 'id="filter-country"' not in few and 'id="filter-person"' not in few
    assert 'id="filter-person"' in page(client, "/")


def test_api_json_escapes_nothing_but_snippets_are_safe_html(client):
    data = api(client, "q=reactor&size=50")
    hostile = next(h for h in data["hits"] if h["id"] == "art0041")
    assert hostile["title"] == XSS_TITLE       # JSON carries data, not HTML
    assert snippet_tags(hostile["snippet"]) <= {"mark"}
    assert "&lt;script&gt;" in hostile["snippet"]


def test_api_article(client):
    data = client.get("/api/article/art0041?q=reactor").get_json()
    assert data["title"] == XSS_TITLE and data["body"] == XSS_BODY
    assert "<mark>reactor</mark>" in data["body_html"]
    assert data["link"] is None and data["people"] == [XSS_PERSON, "James Kelly"]
    assert data["html_url"] == "/article/art0041"
    assert "docnum" not in data and isinstance(data["more_like_this"], list)
    ok = client.get("/api/article/art0002").get_json()
    assert ok["link"] == "https://news.example.org/story/2"


def test_api_search_has_the_cli_shape_and_the_page_data(client, web_index):
    data = api(client, "q=reactor&country=China&country=Russia&size=20")
    req, messages = from_mapping({"q": "reactor", "country": ["China", "Russia"], "size": "20"})
    cli = result_to_json(lib_search(open_index(web_index).generation(), req, messages=messages))
    assert set(data) == set(cli)
    for key in ("query", "total", "page", "page_size", "pages", "sort", "filters", "suggestion", "messages"):
        assert data[key] == cli[key], key
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in cli["hits"]]
    for name in ("country", "person", "date"):
        assert [(v["value"], v["count"], v["selected"]) for v in data["facets"][name]["values"]] == \
               [(v["value"], v["count"], v["selected"]) for v in cli["facets"][name]["values"]]
        for v in data["facets"][name]["values"]:
            assert v["toggle_url"].startswith("/")
    assert set(data["hits"][0]) >= {"id", "title", "date", "source", "url", "snippet", "people", "countries"}
    # the page shows the same result
    text = page(client, "/?q=reactor&country=China&country=Russia&size=20")
    assert f"<strong>{data['total']}</strong>" in text
    assert re.findall(r'<h2 class="hit-title"><a href="/article/(\w+)', text) == [h["id"] for h in data["hits"]]


def test_api_errors_are_json(client):
    for url in ("/api/nothing", "/api/article/nope"):
        response = client.get(url)
        assert response.status_code == 404 and response.mimetype == "application/json"
        assert "error" in response.get_json()
    response = client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405


def test_suggest_people_countries_and_words(client):
    data = client.get("/api/suggest?q=kel").get_json()
    assert {"text": "James Kelly", "kind": "person"}.items() <= data["suggestions"][0].items()
    assert data["suggestions"][0]["q"] == 'person:"James Kelly"'
    data = client.get("/api/suggest?q=reactor ja").get_json()
    japan = next(s for s in data["suggestions"] if s["text"] == "Japan")
    assert japan["kind"] == "country" and japan["q"] == 'reactor country:"Japan"'
    words = client.get("/api/suggest?q=harb").get_json()["suggestions"]
    assert any(s["kind"] == "term" and s["text"] == "harbour" and s["q"] == "harbour" for s in words)
    only_people = client.get("/api/suggest?q=person:ja").get_json()["suggestions"]
    assert only_people and all(s["kind"] == "person" for s in only_people)
    assert client.get("/api/suggest?q=k").get_json()["suggestions"] == []
    assert client.get("/api/suggest").get_json()["suggestions"] == []
    assert len(client.get("/api/suggest?q=mi").get_json()["suggestions"]) <= 8
    opensearch = client.get("/api/suggest?q=kel&format=opensearch").get_json()
    assert opensearch == ["kel", ['person:"James Kelly"']]


@pytest.mark.parametrize("typed, first", [
    ("north ko", 'country:"North Korea"'),             # both typed words are replaced, not just "ko"
    ("talks north ko", 'talks country:"North Korea"'),
    ("-north ko", '-country:"North Korea"'),
    ("james k", 'person:"James Kelly"'),               # a multi-word prefix of a name offers the person
    ("kim jong i", 'person:"Kim Jong Il"'),
    ("jong i", 'person:"Kim Jong Il"'),                # words from inside a name
    ("person:james k", 'person:"James Kelly"'),
    ('"north ko', 'country:"North Korea"'),
])
def test_suggest_completes_the_typed_words_of_a_name(client, typed, first):
    data = client.get("/api/suggest", query_string={"q": typed}).get_json()
    assert data["suggestions"] and data["suggestions"][0]["q"] == first, data


def test_suggest_replaces_only_the_words_a_name_completes(client):
    suggestions = client.get("/api/suggest?q=reactor ko").get_json()["suggestions"]
    by_text = {s["text"]: s["q"] for s in suggestions}
    assert by_text["North Korea"] == 'reactor country:"North Korea"'
    assert by_text["Junichiro Koizumi"] == 'reactor person:"Junichiro Koizumi"'
