"""Languages on the pages, the API and the exports, over the fixture archive (tests/web/archive.py:
articles in English, Spanish, German and French, one of no language told): every title, snippet
and body carries its language for screen readers, the language shows beside the date and in the
sidebar by its name, and ``language`` (ISO 639-1, null when unknown) is in every JSON answer."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from tests.web.answers import api, page, values
from tests.web.archive import ARTICLES

LANGUAGE_OF = {a.id: (a.facets.get("language") or [None])[0] for a in ARTICLES}


def _hit_block(text: str, article_id: str) -> str:
    start = text.index(f"/article/{article_id}")
    return text[text.rindex('<li class="hit">', 0, start):text.index("</li>", text.index('class="snippet"', start))]


def test_a_hit_s_title_and_snippet_carry_its_language_and_the_language_shows_by_name(client):
    text = page(client, "/?q=elecciones")
    block = _hit_block(text, "art0064")
    assert '<a href="/article/art0064' in block and 'dir="auto" lang="es">Elecciones en el puerto</a>' in block
    assert '<p class="snippet" dir="auto" lang="es">La <mark>elección</mark>' in block
    assert '<a class="label" href="/?q=elecciones&amp;lang=es">Spanish</a>' in block


def test_an_article_of_unknown_language_has_no_lang_attribute(client):
    text = page(client, "/?q=budget")
    block = _hit_block(text, "art0063")
    assert " lang=" not in block and 'class="label"' not in block
    data = api(client, "q=budget")
    assert [h["language"] for h in data["hits"]] == [None]


def test_the_article_page_carries_its_language_on_title_and_body(client):
    text = page(client, "/article/art0065?q=wahlen")
    assert '<h1 dir="auto" lang="de">Wahlen im Hafen</h1>' in text
    assert '<div class="body" lang="de">' in text and "Die <mark>Wahl</mark> des Hafenrats" in text
    assert '<a class="label" href="/?q=wahlen&amp;lang=de">German</a>' in text
    assert '<html lang="en">' in text          # the page's own words stay English


def test_the_sidebar_lists_languages_by_name_with_counts(client):
    data = api(client, "size=1")
    got = values(data, "language")
    expected = {}
    for code in LANGUAGE_OF.values():
        if code:
            expected[code] = expected.get(code, 0) + 1
    assert {v: got[v]["count"] for v in got} == expected
    assert (got["es"]["label"], got["de"]["label"], got["fr"]["label"], got["en"]["label"]) == (
        "Spanish", "German", "French", "English")
    text = page(client, "/")
    assert 'id="facet-language"' in text and '<span class="name" dir="auto">Spanish</span>' in text


def test_the_language_filter_by_parameter_code_or_name_and_in_the_query(client):
    spanish = {a for a, code in LANGUAGE_OF.items() if code == "es"}
    for query in ("lang=es", "lang=Spanish", "lang=espa%C3%B1ol", "q=lang:es", "q=language:spanish",
                  "q=languages:ES"):
        data = api(client, query + "&size=100")
        assert {h["id"] for h in data["hits"]} == spanish, query
        assert all(h["language"] == "es" for h in data["hits"])
    chosen = api(client, "lang=Spanish")
    assert chosen["filters"]["lang"] == ["es"] and values(chosen, "language")["es"]["selected"]
    page_text = page(client, "/?lang=es")
    assert 'aria-label="Remove filter Spanish"' in page_text


def test_inflected_forms_find_each_language_s_articles(client):
    for q, found in (("elecciones", {"art0064"}), ("Wahlen", {"art0065"}), ("élection", {"art0066"})):
        assert {h["id"] for h in api(client, f"q={q}")["hits"]} == found, q
    # narrowed to another language, the same word is not looked for in Spanish
    assert api(client, "q=elecciones&lang=de")["total"] == 0


def test_json_article_export_and_feed_give_the_language(client):
    assert client.get("/api/article/art0066").get_json()["language"] == "fr"
    assert client.get("/api/article/art0063").get_json()["language"] is None
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=council").get_data(as_text=True))))
    assert {r["id"]: r["language"] for r in rows} == {"art0059": "en", "art0063": ""}
    exported = json.loads(client.get("/search.json?q=hafen").get_data(as_text=True))
    assert [h["language"] for h in exported["hits"]] == ["de"]
    feed = ET.fromstring(client.get("/search.atom?lang=fr").get_data())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries] == ["fr"]


def test_autocomplete_offers_languages_by_name_and_words_of_the_chosen_language(client):
    got = client.get("/api/suggest?q=lang:span").get_json()["suggestions"]
    assert [(s["text"], s["q"]) for s in got] == [("Spanish", 'language:"es"')]
    mixed = {s["text"] for s in client.get("/api/suggest?q=ha").get_json()["suggestions"] if s["kind"] == "term"}
    german = {s["text"] for s in client.get("/api/suggest?q=ha&lang=de").get_json()["suggestions"]
              if s["kind"] == "term"}
    assert {"harbour", "hafen", "hafenrats"} <= mixed and german == {"hafen", "hafenrats"}
