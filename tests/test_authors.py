"""The authors field end to end: index, Authors facet, `author:` queries, URL state, exports,
the article page, the CLI. Counts are checked against counts computed here from the articles."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.build import index_articles
from indexer.cli import main
from indexer.request import from_mapping, to_params
from indexer.engines.whoosh.search import facet_values, get_article, open_index, search
from tests.conftest import make_article

ARTICLES = [
    make_article(1, "Bridge vote", "The council voted to rebuild the bridge.", "2020-03-03",
                 authors=["Jane Doe", "Robert Roe"], countries=["United Kingdom"]),
    make_article(2, "Bridge costs", "The bridge will cost more than planned.", "2020-03-05",
                 authors=["Jane Doe"], countries=["United Kingdom"]),
    make_article(3, "River flood", "The river flooded the lower town.", "2020-02-01",
                 authors=["Alan Doe"], countries=["Ireland"]),
    make_article(4, "Library hours", "The library opens late on Thursdays.", "2020-01-10",
                 authors=["<b>Eve</b> Smith"]),
    make_article(5, "Council budget", "The council approved the budget.", "2020-01-11"),
]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("authors-idx")
    index_articles(ARTICLES, root)
    return root


@pytest.fixture(scope="module")
def gen(index_root):
    return open_index(index_root).generation()


def run(gen, **params):
    req, messages = from_mapping(params)
    return search(gen, req, messages=messages)


def counts(articles, keep=lambda a: True):
    out = {}
    for a in articles:
        if keep(a):
            for name in a.authors:
                out[name] = out.get(name, 0) + 1
    return out


def test_author_facet_counts_disjunctively_and_toggles(gen):
    result = run(gen, author=["Jane Doe"], country=["United Kingdom"])
    assert sorted(h.id for h in result.hits) == ["art0001", "art0002"]
    in_uk = lambda a: "United Kingdom" in a.countries
    got = {v.value: v.count for v in result.facets["author"].values}
    assert got == counts(ARTICLES, in_uk)             # author counts ignore the author selection
    jane = result.facets["author"].values[0]
    assert jane.value == "Jane Doe" and jane.selected and jane.toggle == {"country": ["United Kingdom"]}
    roe = next(v for v in result.facets["author"].values if v.value == "Robert Roe")
    assert roe.toggle == {"country": ["United Kingdom"], "author": ["Jane Doe", "Robert Roe"]}
    both = run(gen, author=["Jane Doe", "Alan Doe"])   # OR within the facet
    assert sorted(h.id for h in both.hits) == ["art0001", "art0002", "art0003"]
    assert result.facets["author"].label == "Authors"


def test_author_query_field_full_name_and_last_name(gen):
    assert sorted(h.id for h in run(gen, q='author:"Jane Doe"').hits) == ["art0001", "art0002"]
    assert sorted(h.id for h in run(gen, q="author:doe").hits) == ["art0001", "art0002", "art0003"]
    missing = run(gen, q='author:"Nobody Here"')
    assert missing.total == 0 and any("author" in m for m in missing.messages)


def test_hits_articles_and_url_params_carry_authors(gen):
    result = run(gen, q="bridge")
    assert {h.id: h.authors for h in result.hits} == {"art0001": ["Jane Doe", "Robert Roe"], "art0002": ["Jane Doe"]}
    with gen.searcher() as s:
        assert get_article(gen, s, "art0001")["authors"] == ["Jane Doe", "Robert Roe"]
    req, _ = from_mapping({"author": ["Jane Doe"]})
    assert req.authors == ["Jane Doe"] and to_params(req) == {"author": ["Jane Doe"]}


def test_author_facet_values_by_prefix(gen):
    req, _ = from_mapping({})
    with gen.searcher() as s:
        facet = facet_values(gen, req, "author", "do", 10, s)
    assert {v.value for v in facet.values} == {"Jane Doe", "Alan Doe"}


def test_web_authors_facet_page_api_and_exports(index_root):
    from webui import create_app
    client = create_app({"INDEX": str(index_root), "TESTING": True}).test_client()
    page = client.get("/?author=Jane+Doe").get_data(as_text=True)
    assert 'id="facet-author"' in page and "Authors" in page
    assert "&lt;b&gt;Eve&lt;/b&gt; Smith" in client.get("/").get_data(as_text=True)   # escaped
    assert "<b>Eve</b>" not in client.get("/").get_data(as_text=True)
    api = client.get("/api/search?author=Jane+Doe").get_json()
    assert api["filters"]["author"] == ["Jane Doe"] and api["total"] == 2
    assert all("authors" in h for h in api["hits"])
    facet = client.get("/api/facets/author?prefix=rob").get_json()
    assert [v["value"] for v in facet["values"]] == ["Robert Roe"]
    expanded = client.get("/?more=author&prefix=alan").get_data(as_text=True)
    assert "Alan Doe" in expanded
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=bridge").get_data(as_text=True))))
    assert {r["id"]: r["authors"] for r in rows} == {"art0001": "Jane Doe; Robert Roe", "art0002": "Jane Doe"}
    exported = json.loads(client.get("/search.json?author=Alan+Doe").get_data(as_text=True))
    assert [h["authors"] for h in exported["hits"]] == [["Alan Doe"]]
    article = client.get("/article/art0001").get_data(as_text=True)
    assert "Jane Doe" in article and "Robert Roe" in article and "author=Jane+Doe" in article


def test_cli_author_filter_and_full_body_extract(index_root, tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["search", "--index", str(index_root), "--author", "Alan Doe", "--json"])
    assert out.exit_code == 0, out.output
    assert [h["id"] for h in json.loads(out.output)["hits"]] == ["art0003"]
    page = tmp_path / "story.html"
    long_text = " ".join(f"Sentence number {i} of the council story goes on here." for i in range(60))
    page.write_text(f"<html><head><meta name='author' content='Jane Doe'></head>"
                    f"<body><article><p>{long_text}</p></article></body></html>")
    short = json.loads(runner.invoke(main, ["extract", str(page), "--json"]).output)
    full = json.loads(runner.invoke(main, ["extract", str(page), "--json", "--full-body"]).output)
    assert len(short["body"]) == 300 and full["body"] == long_text
    assert full["authors"] == ["Jane Doe"]


def test_autocomplete_offers_authors(index_root):
    from webui import create_app
    client = create_app({"INDEX": str(index_root), "TESTING": True}).test_client()
    got = client.get("/api/suggest?q=author:rob").get_json()["suggestions"]
    assert [(s["kind"], s["q"]) for s in got] == [("author", 'author:"Robert Roe"')]
    anywhere = client.get("/api/suggest?q=alan").get_json()["suggestions"]
    assert ("author", "Alan Doe") in [(s["kind"], s["text"]) for s in anywhere]


def test_stats_count_authors(gen):
    from indexer.engines.whoosh.stats import index_stats
    info = index_stats(gen)
    assert info["distinct_authors"] == 4
    assert info["top_authors"][0] == {"value": "Jane Doe", "count": 2}


def test_update_writes_authors_into_an_index_built_before_the_field(tmp_path, monkeypatch):
    import indexer.build as build
    from indexer.engines.whoosh import schema as schema_mod
    from indexer.engines.whoosh import writer as whoosh_writer
    corpus = tmp_path / "c"
    corpus.mkdir()
    story = "The council voted to rebuild the old stone bridge over the river this week."
    (corpus / "old.txt").write_text(f"Old bridge story\n\n{story}\n")

    def old_schema():
        s = schema_mod.make_schema()
        s.remove("author")
        return s

    def old_document(article):
        return {k: v for k, v in schema_mod.to_document(article).items() if k not in ("author", "_stored_author")}
    monkeypatch.setattr(whoosh_writer, "make_schema", old_schema)
    monkeypatch.setattr(whoosh_writer, "to_document", old_document)
    build.rebuild([corpus], tmp_path / "idx", workers=1)
    monkeypatch.undo()
    with open_index(tmp_path / "idx").generation().searcher() as s:
        assert "author" not in s.schema
    (corpus / "new.txt").write_text(f"New bridge story\n\nBy Jane Doe\n\n{story} Again.\n")
    build.update([corpus], tmp_path / "idx", workers=1)
    gen = open_index(tmp_path / "idx").generation()
    assert [h.title for h in run(gen, author=["Jane Doe"]).hits] == ["New bridge story"]
    assert run(gen, q="").total == 2
