"""The web UI and JSON API through Flask's test client, over the ``web_index`` fixture archive.

Facet counts are checked against counts computed here, independently, from the
fixture articles themselves (``web_articles()``), not from the library.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import inspect
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from markupsafe import escape
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import (WEB_FORMULA_TITLES, XSS_BODY, XSS_PERSON, XSS_TITLE, make_article, web_articles)
from indexer import settings
from indexer.build import index_articles
from indexer.model import result_to_json
from indexer.request import from_mapping
from indexer.engines.whoosh.search import open_index, search as lib_search

ARTICLES = web_articles()
ATOM = "{http://www.w3.org/2005/Atom}"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


# ---------------------------------------------------------------- independent expectations

def _words(article) -> set[str]:
    return set(re.findall(r"\w+", f"{article.title} {article.body}".lower()))


def expected(word=None, countries=(), people=(), date_from=None, date_to=None, scope="any"):
    """(total, country counts, person counts, year counts) computed from the fixture documents:
    OR within a facet, AND across facets, each facet counted over the matches of the *other* filters.
    Countries are those an article involves (about + mentioned), or with ``scope="about"`` only the
    ones it is about."""
    base = [a for a in ARTICLES if word is None or word in _words(a)]

    def involved(a):
        return a.countries if scope == "about" else a.countries + a.countries_mentioned

    def in_c(a):
        return not countries or any(c in involved(a) for c in countries)

    def in_p(a):
        return not people or any(p in a.people for p in people)

    def in_d(a):
        if not (date_from or date_to):
            return True
        return a.date is not None and (not date_from or a.date >= date_from) and (not date_to or a.date <= date_to)

    total = sum(1 for a in base if in_c(a) and in_p(a) and in_d(a))
    country = Counter(c for a in base if in_p(a) and in_d(a) for c in involved(a))
    person = Counter(p for a in base if in_c(a) and in_d(a) for p in a.people)
    years = Counter(a.date.year for a in base if in_c(a) and in_p(a) and a.date)
    return total, country, person, years


def api(client, query: str = "", **kwargs) -> dict:
    response = client.get("/api/search" + (f"?{query}" if query else ""), **kwargs)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def values(data: dict, facet: str) -> dict:
    return {v["value"]: v for v in data["facets"][facet]["values"]}


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def snippet_tags(fragment: str) -> set[str]:
    return set(re.findall(r"</?([a-zA-Z][\w-]*)", fragment))


# ---------------------------------------------------------------- the search page

def test_search_page_has_box_count_time_and_keeps_query(web_client):
    text = page(web_client, "/?q=reactor")
    total = expected("reactor")[0]
    assert re.search(r'<input id="q" name="q" type="search" value="reactor"', text)
    assert "autofocus" not in text               # focus stays where the reader is after each search
    assert "autofocus" in page(web_client, "/")  # only the empty home page puts it in the box
    assert f"<strong>{total}</strong> articles" in text
    assert re.search(r"· \d+ ms", text)
    assert "<mark>reactor</mark>" in text
    assert '<details class="syntax">' in text and 'person:"James Kelly"' in text


def test_browse_mode_lists_everything_newest_first_with_facets(web_client):
    data = api(web_client, "size=100")
    assert data["total"] == len(ARTICLES)
    assert data["sort"] == "newest"
    dates = [h["date"] for h in data["hits"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    assert dates[len(known):] == [None] * (len(dates) - len(known))   # unknown dates last
    assert set(data["facets"]) == {"country", "person", "author", "date"}
    text = page(web_client, "/")
    assert f"All <strong>{len(ARTICLES)}</strong> articles" in text
    assert "Parties / countries" in text and "People" in text and "Date" in text


def test_hit_shows_title_link_date_source_snippet_and_entity_chips(web_client):
    text = page(web_client, "/?q=negotiations&size=50")
    hit = next(a for a in ARTICLES if "negotiations" in _words(a) and a.people)
    assert f'href="/article/{hit.id}?q=negotiations&amp;size=50"' in text   # the page's whole state
    assert str(escape(hit.title)) in text
    assert hit.date.isoformat() in text
    assert 'href="https://news.example.org/story/' in text and ">news.example.org<" in text
    assert "<mark>negotiations</mark>" in text
    # chips add a filter, keeping the query
    country = hit.countries[0]
    assert f'href="/?q=negotiations&amp;country={country.replace(" ", "+")}&amp;size=50"' in text
    person = hit.people[0]
    assert f'person={person.replace(" ", "+")}' in text


def test_snippets_are_short_and_marked(web_client):
    data = api(web_client, "q=reactor")
    assert data["hits"]
    for h in data["hits"]:
        assert snippet_tags(h["snippet"]) <= {"mark"}
        assert len(re.sub(r"</?mark>", "", html.unescape(h["snippet"]))) <= settings.SNIPPET_CHARS + 40


# ---------------------------------------------------------------- facets

@pytest.mark.parametrize("query, word, countries, people, dates", [
    ("", None, (), (), (None, None)),
    ("q=reactor", "reactor", (), (), (None, None)),
    ("country=China", None, ("China",), (), (None, None)),
    ("country=China&country=Japan", None, ("China", "Japan"), (), (None, None)),
    ("q=reactor&country=China&country=Russia", "reactor", ("China", "Russia"), (), (None, None)),
    ("country=Japan&person=James+Kelly&person=Colin+Powell", None, ("Japan",), ("James Kelly", "Colin Powell"),
     (None, None)),
    ("person=Kim+Jong+Il&from=2004-01-01&to=2004-12-31", None, (), ("Kim Jong Il",),
     (dt.date(2004, 1, 1), dt.date(2004, 12, 31))),
    ("q=diplomats&country=North+Korea&country=South+Korea&from=2003-06", "diplomats",
     ("North Korea", "South Korea"), (), (dt.date(2003, 6, 1), None)),
    ("country_scope=about", None, (), (), (None, None)),
    ("country_scope=about&country=China&country=Japan", None, ("China", "Japan"), (), (None, None)),
    ("q=reactor&country_scope=about&country=Russia&person=James+Kelly", "reactor", ("Russia",), ("James Kelly",),
     (None, None)),
])
def test_disjunctive_counts_match_counts_computed_from_the_documents(web_client, query, word, countries, people,
                                                                     dates):
    scope = "about" if "country_scope=about" in query else "any"
    total, country, person, years = expected(word, countries, people, *dates, scope=scope)
    data = api(web_client, query)
    assert data["total"] == total
    for facet, counts, chosen in (("country", country, countries), ("person", person, people)):
        shown = data["facets"][facet]["values"]
        # selected values first, flagged, in the order chosen
        assert [v["value"] for v in shown[:len(chosen)]] == list(chosen)
        assert all(v["selected"] for v in shown[:len(chosen)])
        assert not any(v["selected"] for v in shown[len(chosen):])
        for v in shown:
            assert v["count"] == counts.get(v["value"], 0), (facet, v)
        # the unselected ones shown are the most frequent ones
        rest = [v["count"] for v in shown[len(chosen):]]
        assert rest == sorted(rest, reverse=True)
        hidden = [n for name, n in counts.items() if name not in {v["value"] for v in shown}]
        if hidden and rest:
            assert max(hidden) <= min(rest)
        assert data["facets"][facet]["more"] == (len([c for c in counts if c not in chosen and counts[c]]) > 10)
    by_year = {int(v["value"]): v["count"] for v in data["facets"]["date"]["values"]} \
        if data["facets"]["date"].get("granularity") == "year" else None
    if by_year is not None and years:
        assert by_year == {y: years.get(y, 0) for y in range(min(years), max(years) + 1)}


def test_facet_value_toggle_urls_add_and_remove(web_client):
    data = api(web_client, "country=China")
    china = values(data, "country")["China"]
    assert china["selected"] and china["toggle_url"] == "/"
    japan = values(data, "country")["Japan"]
    assert parse_qs(urlsplit(japan["toggle_url"]).query)["country"] == ["China", "Japan"]
    text = page(web_client, "/?country=China&country=Japan")
    assert 'aria-label="Remove filter China"' in text and 'aria-label="Remove filter Japan"' in text
    assert "Filters (2)" in text
    assert '<a href="/">Clear all filters</a>' in text


def test_selected_value_shown_first_even_when_it_counts_zero(web_client):
    data = api(web_client, "person=Nobody+Here")
    first = data["facets"]["person"]["values"][0]
    assert first == {**first, "value": "Nobody Here", "count": 0, "selected": True}
    assert data["total"] == 0


def test_more_link_raises_one_facet_size_without_js(web_client):
    _, _, person, _ = expected()
    assert len(person) > 10
    text = page(web_client, "/")
    assert 'href="/?more=person"' in text and "More people…" in text
    data = api(web_client, "more=person")
    assert len(data["facets"]["person"]["values"]) == len(person)
    assert not data["facets"]["person"]["more"]
    assert len(data["facets"]["country"]["values"]) <= 10
    expanded = page(web_client, "/?more=person")
    assert "Fewer" in expanded
    for name in person:
        assert str(escape(name)) in expanded
    # values of the expanded facet keep it expanded after a click
    assert 'href="/?person=Minor+Figure+43&amp;more=person"' in expanded


def test_facet_filter_box_api_and_no_js_form(web_client):
    response = web_client.get("/api/facets/person?prefix=kel")
    assert response.status_code == 200
    data = response.get_json()
    assert [v["value"] for v in data["values"]] == ["James Kelly"]
    assert data["values"][0]["count"] == expected()[2]["James Kelly"]
    assert data["values"][0]["toggle_url"] == "/?person=James+Kelly"
    # counted over the current search (disjunctively: the person filter itself does not narrow it)
    data = web_client.get("/api/facets/person?prefix=minor&country=Japan&person=James+Kelly").get_json()
    _, _, person, _ = expected(countries=("Japan",), people=("James Kelly",))
    assert data["values"][0]["value"] == "James Kelly" and data["values"][0]["selected"]
    for v in data["values"][1:]:
        assert v["value"].startswith("Minor Figure") and v["count"] == person[v["value"]]
    assert len(data["values"]) == 1 + 12
    # limit, unknown facet, date facet
    assert len(web_client.get("/api/facets/person?prefix=minor&limit=3").get_json()["values"]) == 3
    assert web_client.get("/api/facets/nothing?prefix=a").status_code == 404
    assert web_client.get("/api/facets/person?limit=abc").status_code == 200
    # without JS: the filter box is a GET form to the page
    text = page(web_client, "/?more=person&prefix=kel")
    names = re.findall(r'<span class="name" dir="auto">([^<]*)</span>',
                       text.split('id="facet-person"')[1].split("</section>")[0])
    assert names == ["James Kelly"]
    assert re.search(r'<form class="facet-filter" action="/" method="get"', text)
    assert 'name="prefix"' in text and '<input type="hidden" name="more" value="person">' in text
    assert "No value starts with “zzz”." in page(web_client, "/?more=person&prefix=zzz")
    # the box is offered where a facet has more values than it shows
    few = page(web_client, "/?q=diplomats")
    assert 'id="filter-country"' not in few and 'id="filter-person"' not in few
    assert 'id="filter-person"' in page(web_client, "/")


def test_date_histogram_by_year_then_month(web_client):
    data = api(web_client)
    date = data["facets"]["date"]
    assert date["granularity"] == "year"
    _, _, _, years = expected()
    assert {int(v["value"]): v["count"] for v in date["values"]} == dict(years)
    text = page(web_client, "/")
    assert re.search(r'class="bar" href="/\?from=2004-01-01&amp;to=2004-12-31"', text)
    assert "h20" in text and 'style="' not in text
    # one year selected: by month, 12 bars, the selected range shown as a removable chip
    data = api(web_client, "from=2004-01-01&to=2004-12-31")
    date = data["facets"]["date"]
    assert date["granularity"] == "month" and len(date["values"]) == 12
    months = Counter(a.date.month for a in ARTICLES if a.date and a.date.year == 2004)
    assert [v["count"] for v in date["values"]] == [months.get(m, 0) for m in range(1, 13)]
    assert date["values"][1]["label"] == "Feb"
    text = page(web_client, "/?from=2004-01-01&to=2004-12-31")
    assert "by month, 2004" in text and "‹ All years" in text
    assert 'href="/?from=2004-02-01&amp;to=2004-02-29"' in text
    assert 'value="2004-01-01"' in text and 'value="2004-12-31"' in text   # from/to inputs
    assert 'aria-label="Remove filter 2004-01-01 – 2004-12-31"' in text


def test_date_inputs_accept_partial_dates_and_report_bad_ones(web_client):
    data = api(web_client, "from=2005&to=2005")
    assert data["total"] == sum(1 for a in ARTICLES if a.date and a.date.year == 2005)
    data = api(web_client, "from=yesterday")
    assert data["total"] == len(ARTICLES) and any("from" in m for m in data["messages"])
    assert "yesterday" in page(web_client, "/?from=yesterday")


# ---------------------------------------------------------------- sort, pages, suggestions

def test_sort_orders_and_links(web_client):
    newest = [h["date"] for h in api(web_client, "q=diplomats&sort=newest&size=50")["hits"]]
    oldest = [h["date"] for h in api(web_client, "q=diplomats&sort=oldest&size=50")["hits"]]
    assert [d for d in newest if d] == sorted([d for d in newest if d], reverse=True)
    assert [d for d in oldest if d] == sorted(d for d in oldest if d)
    relevance = api(web_client, "q=reactor")
    scores = [h["score"] for h in relevance["hits"]]
    assert scores == sorted(scores, reverse=True)
    text = page(web_client, "/?q=reactor")
    assert 'href="/?q=reactor&amp;sort=newest"' in text and 'href="/?q=reactor&amp;sort=oldest"' in text
    assert 'aria-current="true" class="on">relevance<' in text
    bad = api(web_client, "sort=sideways")
    assert bad["sort"] == "newest" and bad["messages"]


@pytest.mark.parametrize("size", settings.PAGE_SIZES)
def test_pagination_and_page_sizes(web_client, size):
    total = len(ARTICLES)
    first = api(web_client, f"size={size}")
    assert len(first["hits"]) == min(size, total) and first["page_size"] == size
    assert first["pages"] == -(-total // size)
    if first["pages"] > 1:
        second = api(web_client, f"size={size}&page=2")
        assert second["page"] == 2
        assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    text = page(web_client, f"/?size={size}")
    assert f'aria-current="true" class="on">{size}<' in text
    if first["pages"] > 1:
        assert 'rel="next"' in text and f"page=2" in text


def test_pagination_links_and_out_of_range_pages(web_client):
    text = page(web_client, "/?page=2")
    assert 'aria-current="page" class="on">2<' in text
    assert 'href="/" rel="prev"' in text
    assert '<ol class="hits" start="11">' in text
    far = page(web_client, "/?page=900")
    assert "No results on page 900" in far
    for bad in ("page=-1", "page=abc", "size=0", "size=100000"):
        data = api(web_client, bad)
        assert data["messages"], bad
    assert api(web_client, "size=100000")["page_size"] == settings.MAX_PAGE_SIZE


def test_did_you_mean_links_to_the_corrected_search(web_client):
    data = api(web_client, "q=reactr")
    assert data["suggestion"] == "reactor"
    text = page(web_client, "/?q=reactr")
    assert 'Did you mean <a href="/?q=reactor">reactor</a>?' in text
    assert api(web_client, "q=reactor")["suggestion"] is None


def test_empty_results_page(web_client):
    text = page(web_client, "/?q=zzzzqqq&country=China")
    assert "No articles match" in text and "Search without filters" in text


# ---------------------------------------------------------------- query syntax and bad input

@pytest.mark.parametrize("q", [
    '"unclosed phrase', "country:", "title:", "date:[2004-01-01 TO", "date:2004-13", "(((", ")))", "NOT", "OR OR",
    "-", '""', "nosuchfield:value", "person:\"James Kelly\" AND", "*", "???", "\\", "date:[x TO y]", "[", "]",
    "a" * 5000, "\x00\x01", "<script>alert(1)</script>", "😀 emoji", "country:China date:2004-02",
])
def test_bad_queries_give_a_page_and_json_never_a_500(web_client, q):
    response = web_client.get("/", query_string={"q": q})
    assert response.status_code == 200
    data = web_client.get("/api/search", query_string={"q": q})
    assert data.status_code == 200
    assert isinstance(data.get_json()["messages"], list)


def test_syntax_error_gives_a_friendly_message(web_client):
    data = api(web_client, 'q=%22reactor')
    assert data["messages"] and data["total"] == expected("reactor")[0]
    text = page(web_client, "/?q=%22reactor")
    assert '<div class="notice" role="status">' in text


def test_query_syntax_fields(web_client):
    assert api(web_client, "q=person:%22James+Kelly%22")["total"] == sum("James Kelly" in a.people for a in ARTICLES)
    # country: finds every article involving the country, about it or mentioning it
    assert api(web_client, "q=country:Japan")["total"] == sum(
        "Japan" in a.countries + a.countries_mentioned for a in ARTICLES)
    assert api(web_client, "q=date:2004-02")["total"] == sum(
        1 for a in ARTICLES if a.date and (a.date.year, a.date.month) == (2004, 2))
    assert api(web_client, "q=reactor+-negotiations")["total"] == sum(
        1 for a in ARTICLES if "reactor" in _words(a) and "negotiations" not in _words(a))


def test_country_scope_switch_is_in_the_url_the_json_and_the_page(web_client):
    mentioned_only = next(a for a in ARTICLES if a.countries_mentioned)
    country = mentioned_only.countries_mentioned[0]
    any_ids = {h["id"] for h in api(web_client, f"country={country}&size=100")["hits"]}
    about = api(web_client, f"country={country}&country_scope=about&size=100")
    assert mentioned_only.id in any_ids and mentioned_only.id not in {h["id"] for h in about["hits"]}
    assert about["filters"]["country_scope"] == "about"
    facet = about["facets"]["country"]
    assert facet["scope"] == "about"
    assert [(s["value"], s["selected"]) for s in facet["scopes"]] == [("any", False), ("about", True)]
    assert facet["scopes"][0]["toggle"] == {"country": [country], "size": "100"}   # "any", the default: left out
    # the scope is kept by every facet link, and the page shows the switch
    assert all(v["toggle"].get("country_scope") == "about" for v in about["facets"]["person"]["values"])
    text = page(web_client, f"/?country={country}&country_scope=about")
    assert 'aria-current="true" class="on">mainly about</a>' in text
    assert f'href="/?country={country.replace(" ", "+")}">any mention</a>' in text
    # a bad scope is reported and the default used
    bad = api(web_client, "country_scope=sideways")
    assert bad["filters"]["country_scope"] == "any" and any("scope" in m for m in bad["messages"])


def test_hit_chips_cover_mentioned_countries_and_find_the_hit(web_client):
    article = next(a for a in ARTICLES if a.countries_mentioned)
    mentioned = article.countries_mentioned[0]
    hits = api(web_client, f"country={mentioned}&size=100")["hits"]
    hit = next(h for h in hits if h["id"] == article.id)
    assert hit["countries"] == article.countries and hit["countries_mentioned"] == article.countries_mentioned
    # in the "mainly about" scope, a chip of a mentioned country switches back to any mention
    text = page(web_client, f"/?country={article.countries[0]}&country_scope=about&size=100")
    chip = (f'href="/?country={article.countries[0].replace(" ", "+")}&amp;country={mentioned.replace(" ", "+")}'
            f'&amp;size=100"')
    assert chip in text
    for c in article.countries + article.countries_mentioned:
        assert article.id in {h["id"] for h in api(web_client, f"country={c}&size=100")["hits"]}


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), country=st.lists(st.text(max_size=12), max_size=3),
       page_no=st.text(max_size=4), date=st.text(max_size=12))
def test_any_parameters_give_200(web_client, q, country, page_no, date):
    params = {"q": q, "country": country, "page": page_no, "from": date}
    assert web_client.get("/api/search", query_string=params).status_code == 200
    assert web_client.get("/", query_string=params).status_code == 200


# ---------------------------------------------------------------- escaping

def test_hostile_article_is_escaped_in_results(web_client):
    text = page(web_client, "/?q=reactor&size=50")
    assert "<script>alert" not in text and "<img src=x" not in text
    assert str(escape(XSS_TITLE)) in text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in text
    assert "Evil &lt;img src=x onerror=alert(3)&gt; &#34;Person&#34;" in text
    # unsafe URLs are shown as text, never linked
    assert 'href="javascript:' not in text.lower() and 'href="data:' not in text.lower()
    # only <script> tags with src, no inline event handlers or style attributes
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", text))
    attributes = {name for tag in BeautifulSoup(text, "lxml").find_all(True) for name in tag.attrs}
    assert not any(name.startswith("on") or name == "style" for name in attributes), attributes


def test_hostile_query_is_escaped_everywhere(web_client):
    q = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    for url in ("/", "/article/art0001"):
        response = web_client.get(url, query_string={"q": q, "country": q, "person": q, "from": q})
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)" not in text and "<img src=x" not in text
    atom = web_client.get("/search.atom", query_string={"q": q}).get_data(as_text=True)
    assert "<script>" not in atom
    ET.fromstring(atom.encode())


def test_article_page_escapes_text_and_keeps_only_marks(web_client):
    text = page(web_client, "/article/art0041?q=reactor")
    body = text.split('<div class="body">')[1].split("</div>")[0]
    assert snippet_tags(body) <= {"p", "mark"}
    assert body.count('<p dir="auto">') == 3   # paragraphs split on blank lines, each with its own direction
    assert "&lt;script&gt;window.__pwned = 1;" in body
    assert "<mark>reactor</mark>" in body
    assert 'href="javascript:' not in text
    assert "<title>&lt;script&gt;" in text


def test_api_json_escapes_nothing_but_snippets_are_safe_html(web_client):
    data = api(web_client, "q=reactor&size=50")
    hostile = next(h for h in data["hits"] if h["id"] == "art0041")
    assert hostile["title"] == XSS_TITLE       # JSON carries data, not HTML
    assert snippet_tags(hostile["snippet"]) <= {"mark"}
    assert "&lt;script&gt;" in hostile["snippet"]


# ---------------------------------------------------------------- article page

def test_article_page(web_client):
    article = next(a for a in ARTICLES if a.people and len(a.countries) > 1 and a.countries_mentioned) \
        if any(a.people and len(a.countries) > 1 and a.countries_mentioned for a in ARTICLES) \
        else next(a for a in ARTICLES if a.countries_mentioned)
    text = page(web_client, f"/article/{article.id}")
    assert f'<h1 dir="auto">{escape(article.title)}</h1>' in text
    assert article.date.isoformat() in text
    assert f'href="{article.url}" rel="noopener noreferrer nofollow"' in text
    about = text.index(">About<")
    mentions = text.index(">Also mentions<")
    assert about < mentions
    for c in article.countries + article.countries_mentioned:
        assert f'href="/?country={c.replace(" ", "+")}"' in text
    for p in article.people:
        assert f'href="/?person={p.replace(" ", "+")}"' in text
    assert "More like this" in text
    similar = re.findall(r'<li><a href="/article/(art\d+)" dir="auto">', text)
    assert 0 < len(similar) <= settings.MORE_LIKE_THIS and article.id not in similar
    assert "<mark>" not in text   # no query, nothing marked


def test_article_page_marks_the_arriving_query_and_links_back(web_client):
    text = page(web_client, "/article/art0002?q=reactor")
    assert "<mark>reactor</mark>" in text
    assert 'href="/?q=reactor">‹ Results for' in text


STATE = [("q", "diplomats"), ("country", "Japan"), ("country", "China"), ("person", "Colin Powell"),
         ("person", "James Kelly"), ("from", "2003-01-01"), ("to", "2005-12-31"), ("sort", "oldest"),
         ("page", "2"), ("size", "1")]


def test_hit_links_carry_the_whole_state_and_the_article_returns_to_it(web_client):
    text = page(web_client, "/?" + "&".join(f"{k}={v.replace(' ', '+')}" for k, v in STATE))
    soup = BeautifulSoup(text, "lxml")
    hrefs = [a["href"] for a in soup.select(".hit-title a")]
    assert hrefs
    for href in hrefs:
        assert sorted(parse_qsl(urlsplit(href).query)) == sorted(STATE)
    article = BeautifulSoup(page(web_client, hrefs[0]), "lxml")
    back = article.select_one(".crumbs a")
    assert " ".join(back.get_text().split()) == ("‹ Results for diplomats (Japan, China, Colin Powell, James Kelly, "
                                                 "2003-01-01 – 2005-12-31)")      # it says what it keeps
    assert urlsplit(back["href"]).path == "/" and sorted(parse_qsl(urlsplit(back["href"]).query)) == sorted(STATE)
    # chips add their filter to the search the article came from (from page 1), keeping the query
    chips = article.select(".entities a.chip")
    assert chips
    for chip in chips:
        params = parse_qs(urlsplit(chip["href"]).query)
        assert params["q"] == ["diplomats"] and params["sort"] == ["oldest"] and "page" not in params
        kind = "country" if "chip-country" in chip["class"] else "person"
        assert chip.get_text(strip=True) in params[kind]
    # similar articles keep the state too, so their page links back to the same results
    for a in article.select(".similar a"):
        assert sorted(parse_qsl(urlsplit(a["href"]).query)) == sorted(STATE)


def test_article_without_a_search_links_to_all_articles(web_client):
    soup = BeautifulSoup(page(web_client, "/article/art0002"), "lxml")
    assert soup.select_one(".crumbs a")["href"] == "/" and "All articles" in soup.select_one(".crumbs a").text
    soup = BeautifulSoup(page(web_client, "/article/art0002?country=Japan"), "lxml")
    assert soup.select_one(".crumbs a")["href"] == "/?country=Japan"
    assert soup.select_one(".crumbs a").get_text(strip=True) == "‹ Results (Japan)"


def test_facet_values_are_a_checkbox_form_that_keeps_the_rest_of_the_state(web_client):
    soup = BeautifulSoup(page(web_client, "/?q=diplomats&country=China&person=James+Kelly&sort=oldest&page=2"), "lxml")
    form = soup.select_one("#facet-country form.facet-values")
    assert form["method"] == "get" and form["action"] == "/"
    hidden = sorted((i["name"], i["value"]) for i in form.select("input[type=hidden]"))
    assert hidden == [("person", "James Kelly"), ("q", "diplomats"), ("sort", "oldest")]   # back to page 1
    boxes = form.select("input[type=checkbox]")
    assert all(b["name"] == "country" for b in boxes)
    checked = [b["value"] for b in boxes if b.has_attr("checked")]
    assert checked == ["China"]
    # each box's label holds its name and count; a selected one too
    china = next(b for b in boxes if b["value"] == "China")
    label = soup.select_one(f'label[for="{china["id"]}"]').get_text(" ", strip=True)
    count = expected("diplomats", people=("James Kelly",))[1]["China"]
    assert label.startswith(f"China {count}")
    # the box's data-href is the link the value used to be: the toggled state
    assert parse_qs(urlsplit(china["data-href"]).query) == {"q": ["diplomats"], "person": ["James Kelly"],
                                                            "sort": ["oldest"]}
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Apply"
    # submitting the form as a browser would (checked boxes plus hidden fields) gives the same search
    fields = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")] + [
        ("country", v) for v in ("China", "Japan")]
    response = web_client.get("/", query_string=fields)
    assert response.status_code == 200
    assert api(web_client, "q=diplomats&country=China&country=Japan&person=James+Kelly")["total"] == \
        int(BeautifulSoup(response.get_data(as_text=True), "lxml").select_one(".count strong").text)


def test_a_selected_value_hidden_by_a_prefix_stays_selected(web_client):
    soup = BeautifulSoup(page(web_client, "/?person=James+Kelly&more=person&prefix=minor"), "lxml")
    form = soup.select_one("#facet-person form.facet-values")
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    shown = [b["value"] for b in form.select("input[type=checkbox]")]
    assert ("more", "person") in hidden
    assert ("person", "James Kelly") in hidden or "James Kelly" in shown


def test_page_landmarks_names_and_text_direction(web_client):
    soup = BeautifulSoup(page(web_client, "/?q=reactor"), "lxml")
    searches = [f.get("aria-label") for f in soup.select('[role="search"]')]
    assert len(searches) == len(set(searches)) and all(searches)
    brand = soup.select_one("a.brand")
    assert not brand.has_attr("aria-label") and brand.get_text("", strip=True).startswith("NNewsfacet")
    assert soup.select_one("a.skip")["href"] == "#results-list" and soup.select_one("#results-list")
    assert soup.select(".histogram > li > a.bar") and not soup.select("[role=listitem]")
    assert all(a.get("dir") == "auto" for a in soup.select(".hit-title a"))
    assert all(p.get("dir") == "auto" for p in soup.select(".snippet"))


def test_unknown_article_is_a_404_page_and_json_404(web_client):
    text = page(web_client, "/article/does-not-exist", 404)
    assert "Not found" in text and "Traceback" not in text
    response = web_client.get("/api/article/does-not-exist")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert web_client.get("/article/" + "x" * 500).status_code == 404


def test_api_article(web_client):
    data = web_client.get("/api/article/art0041?q=reactor").get_json()
    assert data["title"] == XSS_TITLE and data["body"] == XSS_BODY
    assert "<mark>reactor</mark>" in data["body_html"]
    assert data["link"] is None and data["people"] == [XSS_PERSON, "James Kelly"]
    assert data["html_url"] == "/article/art0041"
    assert "docnum" not in data and isinstance(data["more_like_this"], list)
    ok = web_client.get("/api/article/art0002").get_json()
    assert ok["link"] == "https://news.example.org/story/2"


# ---------------------------------------------------------------- JSON API shape

def test_api_search_has_the_cli_shape_and_the_page_data(web_client, web_index):
    data = api(web_client, "q=reactor&country=China&country=Russia&size=20")
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
    text = page(web_client, "/?q=reactor&country=China&country=Russia&size=20")
    assert f"<strong>{data['total']}</strong>" in text
    assert re.findall(r'<h2 class="hit-title"><a href="/article/(\w+)', text) == [h["id"] for h in data["hits"]]


def test_api_errors_are_json(web_client):
    for url in ("/api/nothing", "/api/article/nope"):
        response = web_client.get(url)
        assert response.status_code == 404 and response.mimetype == "application/json"
        assert "error" in response.get_json()
    response = web_client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405


# ---------------------------------------------------------------- autocomplete

def test_suggest_people_countries_and_words(web_client):
    data = web_client.get("/api/suggest?q=kel").get_json()
    assert {"text": "James Kelly", "kind": "person"}.items() <= data["suggestions"][0].items()
    assert data["suggestions"][0]["q"] == 'person:"James Kelly"'
    data = web_client.get("/api/suggest?q=reactor ja").get_json()
    japan = next(s for s in data["suggestions"] if s["text"] == "Japan")
    assert japan["kind"] == "country" and japan["q"] == 'reactor country:"Japan"'
    words = web_client.get("/api/suggest?q=harb").get_json()["suggestions"]
    assert any(s["kind"] == "term" and s["text"] == "harbour" and s["q"] == "harbour" for s in words)
    only_people = web_client.get("/api/suggest?q=person:ja").get_json()["suggestions"]
    assert only_people and all(s["kind"] == "person" for s in only_people)
    assert web_client.get("/api/suggest?q=k").get_json()["suggestions"] == []
    assert web_client.get("/api/suggest").get_json()["suggestions"] == []
    assert len(web_client.get("/api/suggest?q=mi").get_json()["suggestions"]) <= 8
    opensearch = web_client.get("/api/suggest?q=kel&format=opensearch").get_json()
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
def test_suggest_completes_the_typed_words_of_a_name(web_client, typed, first):
    data = web_client.get("/api/suggest", query_string={"q": typed}).get_json()
    assert data["suggestions"] and data["suggestions"][0]["q"] == first, data


def test_suggest_replaces_only_the_words_a_name_completes(web_client):
    suggestions = web_client.get("/api/suggest?q=reactor ko").get_json()["suggestions"]
    by_text = {s["text"]: s["q"] for s in suggestions}
    assert by_text["North Korea"] == 'reactor country:"North Korea"'
    assert by_text["Junichiro Koizumi"] == 'reactor person:"Junichiro Koizumi"'


# ---------------------------------------------------------------- exports, feed, OpenSearch

def test_csv_export_streams_every_hit_and_guards_formulas(web_client):
    response = web_client.get("/search.csv?q=spreadsheet")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(WEB_FORMULA_TITLES)
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in WEB_FORMULA_TITLES)
    everything = list(csv.DictReader(io.StringIO(web_client.get("/search.csv?size=10").get_data(as_text=True))))
    assert len(everything) == len(ARTICLES)       # every hit, not one page
    by_id = {r["id"]: r for r in everything}
    assert by_id["art0041"]["title"] == XSS_TITLE
    assert by_id["art0041"]["people"] == f"{XSS_PERSON}; James Kelly"
    assert by_id["art0004"]["countries"] == "Russia; China"
    assert by_id["art0004"]["article_url"].endswith("/article/art0004")
    filtered = list(csv.DictReader(io.StringIO(web_client.get("/search.csv?country=Japan").get_data(as_text=True))))
    assert len(filtered) == expected(countries=("Japan",))[0]


def test_json_export_streams_valid_json(web_client):
    response = web_client.get("/search.json?q=reactor&country=China")
    assert response.status_code == 200 and response.mimetype == "application/json" and response.is_streamed
    data = json.loads(response.get_data(as_text=True))
    total = expected("reactor", ("China",))[0]
    assert data["count"] == len(data["hits"]) == total
    assert data["query"] == "reactor" and data["filters"]["country"] == ["China"]
    assert all(snippet_tags(h["snippet"]) <= {"mark"} for h in data["hits"])
    everything = json.loads(web_client.get("/search.json").get_data(as_text=True))
    assert everything["count"] == len(ARTICLES)


def test_atom_feed_of_newest_hits(web_client):
    response = web_client.get("/search.atom?q=diplomats&country=China")
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
    hostile = ET.fromstring(web_client.get("/search.atom?q=reactor").data)
    titles = [e.find(f"{ATOM}title").text for e in hostile.findall(f"{ATOM}entry")]
    assert XSS_TITLE in titles
    page_text = page(web_client, "/?q=reactor")
    assert '<link rel="alternate" type="application/atom+xml"' in page_text and "/search.atom?q=reactor" in page_text


def test_opensearch_description(web_client):
    response = web_client.get("/opensearch.xml")
    assert response.status_code == 200 and response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.find(f"{ns}ShortName").text == "Newsfacet"
    templates = [u.get("template") for u in root.findall(f"{ns}Url")]
    assert "http://localhost/?q={searchTerms}" in templates
    assert any("/api/suggest" in t for t in templates)
    assert '<link rel="search" type="application/opensearchdescription+xml"' in page(web_client, "/")


# ---------------------------------------------------------------- safety and errors

@pytest.mark.parametrize("url", ["/", "/?q=reactor", "/article/art0001", "/api/search", "/nope", "/api/nope",
                                 "/static/style.css", "/search.csv", "/search.atom", "/opensearch.xml"])
def test_security_headers_on_every_response(web_client, url):
    response = web_client.get(url)
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/", "/api/search", "/article/art0001", "/search.csv"])
def test_no_write_endpoints(web_client, method, url):
    response = getattr(web_client, method)(url)
    assert response.status_code == 405


def test_head_requests(web_client):
    assert web_client.head("/").status_code == 200
    assert web_client.head("/api/search").status_code == 200


def test_templates_have_no_inline_script_or_style():
    root = Path(__file__).resolve().parents[1] / "webui"
    for template in (root / "templates").glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\sstyle=", text), template
        assert "<style" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template
    css = (root / "static" / "style.css").read_text()
    for n in range(21):
        assert f".h{n} " in css
    for source in root.rglob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+whoosh", source.read_text(), re.MULTILINE), source


def test_server_error_is_friendly(web_client, monkeypatch):
    import indexer.engines.whoosh.search as lib

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")
    monkeypatch.setattr(lib, "search", boom)
    response = web_client.get("/?q=x")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong" in text and "secret" not in text and "Traceback" not in text
    response = web_client.get("/api/search?q=x")
    assert response.status_code == 500 and response.get_json()["error"]["status"] == 500
    assert "secret" not in response.get_data(as_text=True)


def test_missing_index_is_a_friendly_503(tmp_path):
    from webui import create_app
    client = create_app({"INDEX": str(tmp_path / "empty"), "TESTING": True}).test_client()
    response = client.get("/")
    assert response.status_code == 503 and "No index yet" in response.get_data(as_text=True)
    assert client.get("/api/search").get_json()["error"]["status"] == 503


def test_new_index_is_served_without_restart(tmp_path):
    from webui import create_app
    root = tmp_path / "index"
    index_articles([make_article(1, "Old story", "about an old harbour", "2004-01-01")], root)
    client = create_app({"INDEX": str(root), "TESTING": True}).test_client()
    assert api(client, "q=harbour")["hits"][0]["title"] == "Old story"
    index_articles([make_article(2, "New story", "about a new harbour", "2005-01-01"),
                    make_article(3, "Another new story", "more harbour news", "2005-01-02")], root)
    data = api(client, "q=harbour")
    assert data["total"] == 2 and {h["title"] for h in data["hits"]} == {"New story", "Another new story"}


def test_serve_signature_and_debug_off(web_app):
    from webui.serving import serve
    assert list(inspect.signature(serve).parameters) == ["index_root", "host", "port", "threads", "processes", "sock"]
    assert web_app.debug is False


def test_static_assets(web_client):
    for name in ("style.css", "app.js", "favicon.svg"):
        assert web_client.get(f"/static/{name}").status_code == 200
    js = web_client.get("/static/app.js").get_data(as_text=True)
    assert "innerHTML" not in js and "eval(" not in js


def test_narrow_layout_uses_details_toggle(web_client):
    text = page(web_client, "/?country=China")
    assert '<details class="filters" id="filters">' in text
    assert "<summary><span>Filters (1)</span></summary>" in text


# ---------------------------------------------------------------- overload

def test_requests_that_waited_too_long_or_behind_too_many_get_503_with_retry_after(monkeypatch):
    from webui.serving import QUEUED_AT, QUEUED_BEHIND, shed_overload
    monkeypatch.setattr(settings, "MAX_QUEUE_WAIT", 2.0)
    monkeypatch.setattr(settings, "MAX_QUEUED_REQUESTS", 10)
    served = []

    def app(environ, start_response):
        served.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    shed = shed_overload(app, clock=lambda: 100.0)

    def call(path, **environ):
        got = {}
        body = b"".join(shed({"PATH_INFO": path, **environ}, lambda status, headers: got.update(
            status=status, headers=dict(headers))))
        return got["status"], got["headers"], body

    assert call("/", **{QUEUED_AT: 99.0, QUEUED_BEHIND: 3})[0] == "200 OK"
    assert call("/")[0] == "200 OK"                                # not through the server: never shed
    status, headers, body = call("/api/search", **{QUEUED_AT: 97.5, QUEUED_BEHIND: 0})
    assert status.startswith("503") and headers["Retry-After"] == str(settings.RETRY_AFTER)
    assert headers["Content-Type"] == "application/json" and b'"status": 503' in body
    status, headers, _ = call("/", **{QUEUED_AT: 99.9, QUEUED_BEHIND: 10})
    assert status.startswith("503") and "Content-Security-Policy" in headers
    assert served == ["/", "/"]


def test_the_server_sheds_a_queue_it_cannot_serve(monkeypatch):
    """One thread, held busy: requests queued behind MAX_QUEUED_REQUESTS others are answered 503."""
    import http.client
    import threading

    from webui.serving import waitress_server as _server
    monkeypatch.setattr(settings, "MAX_QUEUED_REQUESTS", 1)
    release = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/slow":
            release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = _server(app, threads=1, host="127.0.0.1", port=0)

    def run():
        try:
            server.run()
        except OSError:       # closing the socket under select() at the end (as conftest's server)
            pass
    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    port = server.effective_port
    statuses: dict = {}

    def get(path, key):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        statuses[key] = (resp.status, resp.getheader("Retry-After"))
        conn.close()

    clients = [threading.Thread(target=get, args=("/slow", "slow"))]
    clients[0].start()
    import time
    time.sleep(0.5)                        # the slow request holds the one thread
    for k in range(3):
        clients.append(threading.Thread(target=get, args=("/", k)))
        clients[-1].start()
        time.sleep(0.2)
    release.set()
    try:
        for c in clients:
            c.join(20)
    finally:
        server.close()
    assert statuses["slow"] == (200, None) and statuses[0] == (200, None)
    assert statuses[1][0] == 503 and statuses[2][0] == 503 and statuses[1][1] == str(settings.RETRY_AFTER)
