"""The country facet on the real sample corpus: every party an article involves filters to it.

The VOA article of 2004-02-20 is about the six-party talks; each of the six parties, whether the
article is mainly about it or mentions it, must lead back to it: as a filter, as a ``country:``
query, and through the article page's chips.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.request import from_mapping
from indexer.engines.whoosh.search import facet_values, open_index, search

PARTIES = ("United States", "China", "Russia", "Japan", "North Korea", "South Korea")


def run(index, **params):
    req, messages = from_mapping(params)
    return search(open_index(index).generation(), req, messages=messages)


def voa_id(index) -> str:
    hits = run(index, q="six-party talks", size="50").hits
    return next(h.id for h in hits if h.date == "2004-02-20" and "Kelly" in " ".join(h.facets.get("person", [])))


@pytest.mark.parametrize("party", PARTIES)
def test_each_party_filters_six_party_talks_to_the_voa_article(corpus_index, party):
    voa = voa_id(corpus_index)
    filtered = run(corpus_index, q="six-party talks", country=[party], size="50")
    assert voa in {h.id for h in filtered.hits}
    # the facet offers the party, counting the article (here, among many values: through its filter box)
    req, _ = from_mapping({"q": "six-party talks"})
    offered = facet_values(open_index(corpus_index).generation(), req, "country", prefix=party.split()[0])
    assert {v.value: v.count for v in offered.values}.get(party, 0) >= 1
    # the query language finds it too
    assert voa in {h.id for h in run(corpus_index, q=f'six-party talks country:"{party}"', size="50").hits}


def test_mainly_about_scope_keeps_only_the_countries_the_article_is_about(corpus_index):
    voa = voa_id(corpus_index)
    hit = next(h for h in run(corpus_index, q="six-party talks", size="50").hits if h.id == voa)
    assert set(hit.facets.get("country", [])) | set(hit.mentioned.get("country", [])) >= set(PARTIES)
    for party in PARTIES:
        about = run(corpus_index, q="six-party talks", country=[party], country_scope="about", size="50")
        assert (voa in {h.id for h in about.hits}) == (party in hit.facets.get("country", []))


def test_article_page_chips_lead_to_searches_that_contain_it(corpus_index, corpus_client):
    client = corpus_client
    voa = voa_id(corpus_index)
    # opened on its own, and from a search in the "mainly about" scope (its chips add to that search)
    for opened_from in ("", "?q=six-party+talks&country_scope=about"):
        text = client.get(f"/article/{voa}{opened_from}").get_data(as_text=True)
        chips = re.findall(r'<a class="chip chip-country[^"]*" data-mark="[^"]*" href="([^"]+)">([^<]+)</a>', text)
        assert {unescape(name) for _, name in chips} >= set(PARTIES)
        for href, name in chips:
            params = parse_qs(urlsplit(unescape(href)).query)
            every_hit = client.get("/search.json", query_string=params).get_json()["hits"]   # the whole result set
            assert voa in {h["id"] for h in every_hit}, (opened_from, name)


def test_equal_counts_put_the_countries_articles_are_about_first(tmp_path):
    from indexer.build import index_articles
    from tests.conftest import make_article
    index_articles([
        make_article(1, "Talks in Oslo", "Envoys met.", "2020-01-01", countries=["Norway"], mentioned=["Chile"]),
        make_article(2, "Talks in Lima", "Envoys met.", "2020-01-02", countries=["Peru"], mentioned=["Angola"]),
    ], tmp_path / "i")
    values = run(tmp_path / "i", q="envoys").facets["country"].values
    # all count 1: the two "about" countries first (by name), then the two only mentioned
    assert [v.value for v in values] == ["Norway", "Peru", "Angola", "Chile"]
    about = run(tmp_path / "i", q="envoys", country_scope="about").facets["country"].values
    assert [v.value for v in about] == ["Norway", "Peru"]
