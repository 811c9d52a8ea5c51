"""Every facet of the registry end to end over the fixture archive: the sidebar, the facet API and
autocomplete for each; the byline facet (authors) and the organisations' chips on hits, article
pages, exports, the CLI. Expected values are computed here from the archive's articles."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from html import unescape

import pytest
from click.testing import CliRunner

from indexer import facets
from indexer.cli import main
from indexer.engines.whoosh.search import facet_values, get_article, open_index, search
from indexer.request import from_mapping, to_params
from tests.web.answers import api, page
from tests.web.archive import ARTICLES, XSS_AUTHOR, XSS_ORG, values_of

SIDEBAR = facets.SIDEBAR_FACETS


@pytest.fixture(scope="module")
def gen(web_index):
    return open_index(web_index).generation()


def run(gen, **params):
    req, messages = from_mapping(params)
    return search(gen, req, messages=messages)


def counts(name: str, keep=lambda a: True) -> Counter:
    """Articles per value of facet ``name`` among those ``keep`` accepts."""
    return Counter(v for a in ARTICLES if keep(a) for v in values_of(a, name))


def a_value(name: str) -> str:
    """The facet's most frequent value in the archive (first by name among equals)."""
    return sorted(counts(name).items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


# ---------------------------------------------------------------- every sidebar facet

@pytest.mark.parametrize("facet", SIDEBAR, ids=lambda s: s.name)
def test_the_page_shows_each_sidebar_facet_with_its_label_and_filter(client, facet):
    value = a_value(facet.name)
    text = page(client, "/?" + f"{facet.param}={value.replace(' ', '+')}")
    assert f'id="facet-{facet.name}"' in text and facet.label in text
    data = api(client, f"{facet.param}={value.replace(' ', '+')}")
    assert data["filters"][facet.param] == [value] and data["facets"][facet.name]["label"] == facet.label
    involved = (lambda a: value in values_of(a, facet.name) + a.mentioned.get(facet.name, []))
    assert data["total"] == sum(1 for a in ARTICLES if involved(a))


@pytest.mark.parametrize("facet", SIDEBAR, ids=lambda s: s.name)
def test_the_facet_api_narrows_each_facet_to_a_prefix(client, facet):
    value = a_value(facet.name)
    prefix = value.split()[-1][:3]
    answer = client.get(f"/api/facets/{facet.name}?prefix={prefix}&limit=100").get_json()
    expected = {v for v in counts(facet.name) | Counter(
        m for a in ARTICLES for m in a.mentioned.get(facet.name, []))
        if any(w.lower().startswith(prefix.lower()) for w in v.split())}
    assert {v["value"] for v in answer["values"]} == expected and value in expected


@pytest.mark.parametrize("facet", SIDEBAR, ids=lambda s: s.name)
def test_autocomplete_offers_each_facet_by_its_field_and_aliases(client, facet):
    value = a_value(facet.name)
    typed = value.split()[0][:3].lower()
    for field in (facet.name, *facet.aliases):
        got = client.get(f"/api/suggest?q={field}:{typed}").get_json()["suggestions"]
        assert got and all(s["kind"] == facet.name and s["label"] == facet.noun for s in got), field
        assert f'{facet.name}:"{value}"' in [s["q"] for s in got], field


def test_the_search_help_comes_from_the_specs(client):
    text = unescape(page(client, "/"))
    for spec in facets.FACETS:
        for examples, meaning in spec.help:
            assert meaning in text and all(f"<code>{e}</code>" in text for e in examples), spec.name


# ---------------------------------------------------------------- authors: the byline facet

def test_author_facet_counts_disjunctively_and_toggles(gen):
    result = run(gen, author=["Jane Doe"], country=["United Kingdom"])
    in_uk = lambda a: "United Kingdom" in values_of(a, "country")   # noqa: E731
    assert sorted(h.id for h in result.hits) == sorted(a.id for a in ARTICLES if in_uk(a) and
                                                       "Jane Doe" in values_of(a, "author"))
    got = {v.value: v.count for v in result.facets["author"].values}
    assert got == counts("author", in_uk)             # author counts ignore the author selection
    jane = result.facets["author"].values[0]
    assert jane.value == "Jane Doe" and jane.selected and jane.toggle == {"country": ["United Kingdom"]}
    roe = next(v for v in result.facets["author"].values if v.value == "Robert Roe")
    assert roe.toggle == {"country": ["United Kingdom"], "author": ["Jane Doe", "Robert Roe"]}
    both = run(gen, author=["Jane Doe", "Alan Doe"])   # OR within the facet
    assert sorted(h.id for h in both.hits) == sorted(a.id for a in ARTICLES
                                                     if {"Jane Doe", "Alan Doe"} & set(values_of(a, "author")))
    assert result.facets["author"].label == "Authors"


def test_author_query_field_full_name_last_name_and_aliases(gen):
    def with_name(test):
        return sorted(a.id for a in ARTICLES if any(test(n) for n in values_of(a, "author")))

    assert sorted(h.id for h in run(gen, q='author:"Jane Doe"').hits) == with_name(lambda n: n == "Jane Doe")
    assert sorted(h.id for h in run(gen, q="author:doe").hits) == with_name(lambda n: n.endswith(" Doe"))
    assert len(with_name(lambda n: n.endswith(" Doe"))) == 3
    assert sorted(h.id for h in run(gen, q="by:doe").hits) == with_name(lambda n: n.endswith(" Doe"))
    assert sorted(h.id for h in run(gen, q='authors:"jane doe"').hits) == with_name(lambda n: n == "Jane Doe")
    missing = run(gen, q='author:"Nobody Here"')
    assert missing.total == 0 and any("author" in m for m in missing.messages)


def test_hits_articles_and_url_params_carry_authors(gen):
    result = run(gen, q="bridge")
    assert {h.id: h.facets["author"] for h in result.hits} == {
        a.id: values_of(a, "author") for a in ARTICLES if "bridge" in a.body}
    with gen.searcher() as s:
        assert get_article(gen, s, "art0059")["facets"]["author"] == ["Jane Doe", "Robert Roe"]
    req, _ = from_mapping({"author": ["Jane Doe"]})
    assert req.filters == {"author": ["Jane Doe"]} and to_params(req) == {"author": ["Jane Doe"]}


def test_author_facet_values_by_prefix(gen):
    req, _ = from_mapping({})
    with gen.searcher() as s:
        facet = facet_values(gen, req, "author", "do", 10, s)
    assert {v.value for v in facet.values} == {"Jane Doe", "Alan Doe"}


def test_web_authors_facet_page_api_and_exports(client):
    text = page(client, "/?author=Jane+Doe")
    assert 'id="facet-author"' in text and "Authors" in text
    home = page(client, "/?q=library")
    assert "&lt;b&gt;Eve&lt;/b&gt; Smith" in home and "<b>Eve</b>" not in home   # escaped
    data = api(client, "author=Jane+Doe")
    assert data["filters"]["author"] == ["Jane Doe"] and data["total"] == counts("author")["Jane Doe"]
    assert all("authors" in h for h in data["hits"])
    facet = client.get("/api/facets/author?prefix=rob").get_json()
    assert [v["value"] for v in facet["values"]] == ["Robert Roe"]
    assert "Alan Doe" in page(client, "/?more=author&prefix=alan")
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=bridge").get_data(as_text=True))))
    assert {r["id"]: r["authors"] for r in rows} == {"art0059": "Jane Doe; Robert Roe", "art0060": "Jane Doe"}
    exported = json.loads(client.get("/search.json?author=Alan+Doe").get_data(as_text=True))
    assert [h["authors"] for h in exported["hits"]] == [["Alan Doe"]]
    article = page(client, "/article/art0059")
    assert re.search(r'class="byline">by <a href="[^"]*author=Jane\+Doe[^"]*">Jane Doe</a>, '
                     r'<a href="[^"]*author=Robert\+Roe[^"]*">Robert Roe</a>', article)


def test_cli_author_filter_and_full_body_extract(web_index, tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["search", "--index", str(web_index), "--author", "Alan Doe", "--json"])
    assert out.exit_code == 0, out.output
    assert [h["id"] for h in json.loads(out.output)["hits"]] == ["art0061"]
    story = tmp_path / "story.html"
    long_text = " ".join(f"Sentence number {i} of the council story goes on here." for i in range(60))
    story.write_text(f"<html><head><meta name='author' content='Jane Doe'></head>"
                     f"<body><article><p>{long_text}</p></article></body></html>")
    short = json.loads(runner.invoke(main, ["extract", str(story), "--json"]).output)
    full = json.loads(runner.invoke(main, ["extract", str(story), "--json", "--full-body"]).output)
    assert len(short["body"]) == 300 and full["body"] == long_text
    assert full["authors"] == ["Jane Doe"] and full["organisations"] == []


def test_stats_count_every_sidebar_facet(gen):
    from indexer.engines.whoosh.stats import index_stats
    info = index_stats(gen)
    for facet in SIDEBAR:
        involved = counts(facet.name) + Counter(m for a in ARTICLES for m in a.mentioned.get(facet.name, []))
        assert info[f"distinct_{facet.json}"] == len(involved), facet.name
        top = info[f"top_{facet.json}"][0]
        assert top["count"] == max(involved.values()), facet.name
    assert info["distinct_authors"] == 4 and info["top_authors"][0] == {"value": "Jane Doe", "count": 2}


# ---------------------------------------------------------------- organisations: chips like people

def test_organisations_are_chips_on_hits_and_articles_and_filter_the_search(client):
    text = page(client, "/?q=bridge")
    chips = re.findall(r'<a class="chip chip-org chip-names" data-mark="■" href="([^"]+)">([^<]+)</a>', text)
    assert [unescape(name) for _, name in chips] == ["Kent County Council", "Kent County Council",
                                                     "Highways Agency"]
    for href, name in chips:
        params = dict(re.findall(r"[?&](?:amp;)?(\w+)=([^&]+)", unescape(href).replace("+", " ")))
        assert params["org"] == unescape(name) and params["q"] == "bridge"
    article = page(client, "/article/art0060")
    assert "<dt>Organisations</dt>" in article and "Highways Agency</a>" in article
    library = page(client, "/article/art0062")
    assert "&lt;i&gt;Friends&lt;/i&gt; of the Library" in library and XSS_ORG not in library
    agency = api(client, "q=org:agency")                    # a word finds every name having it
    assert sorted(h["id"] for h in agency["hits"]) == sorted(
        a.id for a in ARTICLES if any("agency" in o.lower().split() for o in values_of(a, "org")))
    assert all("organisations" in h for h in agency["hits"])


def test_organisations_in_exports_and_the_feed(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=bridge").get_data(as_text=True))))
    assert {r["id"]: r["organisations"] for r in rows} == {
        "art0059": "Kent County Council", "art0060": "Kent County Council; Highways Agency"}
    exported = json.loads(client.get("/search.json?org=Environment+Agency").get_data(as_text=True))
    assert [h["organisations"] for h in exported["hits"]] == [["Environment Agency"]]
    assert exported["filters"]["org"] == ["Environment Agency"]
    feed = client.get("/search.atom?org=Highways+Agency").get_data(as_text=True)
    assert '<category term="Highways Agency"' in feed and "(Highways Agency)" in feed
    assert XSS_AUTHOR not in page(client, "/?q=library")
