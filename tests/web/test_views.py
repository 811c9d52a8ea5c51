"""What the routes share (webui/views.py): parameters → SearchRequest, toggle and state URLs, bad input.
"""
from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from indexer import facets
from tests.web.answers import api, page, values


def test_facet_value_toggle_urls_add_and_remove(client):
    data = api(client, "country=China")
    china = values(data, "country")["China"]
    assert china["selected"] and china["toggle_url"] == "/"
    japan = values(data, "country")["Japan"]
    assert parse_qs(urlsplit(japan["toggle_url"]).query)["country"] == ["China", "Japan"]
    text = page(client, "/?country=China&country=Japan")
    assert 'aria-label="Remove filter China"' in text and 'aria-label="Remove filter Japan"' in text
    assert "Filters (2)" in text
    assert '<a href="/">Clear all filters</a>' in text


@pytest.mark.parametrize("q", [
    '"unclosed phrase', "country:", "title:", "date:[2004-01-01 TO", "date:2004-13", "(((", ")))", "NOT", "OR OR",
    "-", '""', "nosuchfield:value", "person:\"James Kelly\" AND", "*", "???", "\\", "date:[x TO y]", "[", "]",
    "a" * 5000, "\x00\x01", "<script>alert(1)</script>", "😀 emoji", "country:China date:2004-02",
])
def test_bad_queries_give_a_page_and_json_never_a_500(client, q):
    response = client.get("/", query_string={"q": q})
    assert response.status_code == 200
    data = client.get("/api/search", query_string={"q": q})
    assert data.status_code == 200
    assert isinstance(data.get_json()["messages"], list)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), country=st.lists(st.text(max_size=12), max_size=3),
       page_no=st.text(max_size=4), date=st.text(max_size=12))
def test_any_parameters_give_200(client, q, country, page_no, date):
    params = {"q": q, "country": country, "page": page_no, "from": date}
    assert client.get("/api/search", query_string=params).status_code == 200
    assert client.get("/", query_string=params).status_code == 200


STATE = [("q", "diplomats"), ("country", "Japan"), ("country", "China"), ("person", "Colin Powell"),
         ("person", "James Kelly"), ("from", "2003-01-01"), ("to", "2005-12-31"), ("sort", "oldest"),
         ("page", "2"), ("size", "1")]


def test_hit_links_carry_the_whole_state_and_the_article_returns_to_it(client):
    text = page(client, "/?" + "&".join(f"{k}={v.replace(' ', '+')}" for k, v in STATE))
    soup = BeautifulSoup(text, "lxml")
    hrefs = [a["href"] for a in soup.select(".hit-title a")]
    assert hrefs
    for href in hrefs:
        assert sorted(parse_qsl(urlsplit(href).query)) == sorted(STATE)
    article = BeautifulSoup(page(client, hrefs[0]), "lxml")
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
        name = next(c[5:] for c in chip["class"] if c.startswith("chip-") and c[5:] in facets.BY_NAME)
        assert chip.get_text(strip=True) in params[facets.spec(name).param]
    # similar articles keep the state too, so their page links back to the same results
    for a in article.select(".similar a"):
        assert sorted(parse_qsl(urlsplit(a["href"]).query)) == sorted(STATE)
