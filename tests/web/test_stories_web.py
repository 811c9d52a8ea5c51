"""Stories on the web page, in the JSON API, the exports and the CLI: one result per story with its
copies in a <details> list (no script needed), "N stories (M articles)", ``copies=all``,
``--all-copies``, the article page's list of copies, ``story`` in every JSON hit and export row."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from indexer.cli import main
from tests.conftest import make_article
from tests.story_texts import HARBOUR, HARBOUR_OTHER, VACCINE, body, edited, outlet_copy

ARTICLES = [
    make_article(1, "Kelmora to deepen its harbour", body(HARBOUR), "2020-03-03", countries=["France"],
                 url="https://wire.example/harbour"),
    make_article(2, "Port city votes to dredge", outlet_copy(HARBOUR), "2020-03-04", countries=["France"],
                 url="https://daily.example/port-dredge"),
    make_article(3, "Harbour <b>plan</b> approved", body(edited(HARBOUR)[:5]), "2020-03-05", countries=["France"]),
    make_article(4, "Measles vaccination starts", body(VACCINE), "2020-03-02", countries=["France"]),
    make_article(5, "Kelmora dockworkers walk out", body(HARBOUR_OTHER), "2019-11-20", countries=["Spain"]),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from indexer.build import index_articles
    root = tmp_path_factory.mktemp("stories-web") / "index"
    index_articles(ARTICLES, root)
    return root


@pytest.fixture
def client(index):
    from webui import create_app
    return create_app({"INDEX": str(index), "TESTING": True, "PROPAGATE_EXCEPTIONS": False}).test_client()


def test_the_page_shows_one_result_per_story_with_its_copies_expandable(client):
    page = client.get("/?sort=newest").get_data(as_text=True)
    count = re.sub(r"\s+", " ", re.search(r'<p class="count">(.*?)</p>', page, re.S).group(1))
    assert "<strong>3</strong> stories (5 articles)" in count and "copies=all" in count
    assert page.count('<li class="hit">') == 3
    details = re.search(r'<details class="copies">(.*?)</details>', page, re.S).group(1)
    assert "and 2 other copies" in details
    assert details.index("wire.example") < details.index("daily.example")          # oldest first
    assert "2020-03-03" in details and "2020-03-04" in details and "/article/art0001" in details
    assert re.search(r'<span class="count">2</span>', page)                            # France: 2 stories


def test_every_copy_on_request_counts_articles(client):
    page = client.get("/?sort=newest&copies=all").get_data(as_text=True)
    assert page.count('<li class="hit">') == 5 and '<details class="copies">' not in page
    count = re.sub(r"\s+", " ", re.search(r'<p class="count">(.*?)</p>', page, re.S).group(1))
    assert "<strong>5</strong> articles (3 stories)" in count and "One result per story" in count


def test_the_article_page_lists_every_copy_escaped(client):
    page = client.get("/article/art0002").get_data(as_text=True)
    listed = re.search(r'<section class="story-copies".*?</section>', page, re.S).group(0)
    assert "Copies of this story (3)" in listed and "(this copy)" in listed
    assert listed.index("art0001") < listed.index("Harbour &lt;b&gt;plan&lt;/b&gt; approved")
    assert "<b>plan</b>" not in page
    assert "Copies of this story" not in client.get("/article/art0004").get_data(as_text=True)


def test_json_says_what_it_counts_and_gives_both_totals_and_each_hit_s_story(client):
    grouped = client.get("/api/search?sort=newest").get_json()
    assert (grouped["total"], grouped["stories"], grouped["articles"]) == (3, 3, 5)
    assert grouped["copies"] == "grouped" and grouped["counts"] == "stories"
    top = grouped["hits"][0]
    assert top["id"] == "art0003" and top["copies_total"] == 2 and isinstance(top["story"], str)
    assert [c["id"] for c in top["copies"]] == ["art0001", "art0002"]
    assert set(top["copies"][0]) == {"id", "title", "date", "source", "url"}
    every = client.get("/api/search?sort=newest&copies=all").get_json()
    assert (every["total"], every["counts"], every["copies"]) == (5, "articles", "all")
    assert len({h["story"] for h in every["hits"]}) == 3
    by_story = client.get(f"/api/search?story={top['story']}").get_json()
    assert by_story["total"] == 3 and by_story["copies"] == "all"
    article = client.get("/api/article/art0001").get_json()
    assert article["story"] == top["story"] and [c["id"] for c in article["copies"]] == ["art0002", "art0003"]
    assert article["copies_total"] == 2
    bad = client.get("/api/search?copies=some").get_json()
    assert bad["copies"] == "grouped" and any("copies" in m for m in bad["messages"])


def test_exports_list_every_article_with_its_story(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?sort=oldest").get_data(as_text=True))))
    assert [r["id"] for r in rows] == ["art0005", "art0004", "art0001", "art0002", "art0003"]
    assert rows[2]["story"] == rows[3]["story"] == rows[4]["story"] != rows[1]["story"]
    data = json.loads(client.get("/search.json").get_data(as_text=True))
    assert data["count"] == 5 and all(h["story"] for h in data["hits"])


def test_the_atom_feed_has_one_entry_per_story(client):
    feed = client.get("/search.atom").get_data(as_text=True)
    assert feed.count("<entry>") == 3


def test_cli_groups_by_default_and_lists_every_copy_with_all_copies(index):
    run = lambda *args: CliRunner().invoke(main, ["search", "", "--index", str(index), *args])  # noqa: E731
    text = run().output
    assert "3 stories (5 articles)" in text and "and 2 other copies: https://wire.example/harbour (2020-03-03)" in text
    every = run("--all-copies", "--json")
    data = json.loads(every.output)
    assert every.exit_code == 0 and data["total"] == 5 and data["counts"] == "articles"
    story = data["hits"][0]["story"]
    one = json.loads(run("--story", story, "--json").output)
    assert {h["story"] for h in one["hits"]} == {story} and one["copies"] == "all"
