"""The search page and the article page (webui/pages.py) through Flask's test client.

Facet counts are checked against counts computed independently from the fixture articles
(``tests/web/archive.py``), not from the library.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from markupsafe import escape

from indexer import settings
from tests.web.archive import ARTICLES, XSS_TITLE, expected, involved, values_of, words_of
from tests.web.answers import api, page, snippet_tags, values


def test_search_page_has_box_count_time_and_keeps_query(client):
    text = page(client, "/?q=reactor")
    total = expected("reactor")[0]
    assert re.search(r'<input id="q" name="q" type="search" value="reactor"', text)
    assert "autofocus" not in text               # focus stays where the reader is after each search
    assert "autofocus" in page(client, "/")  # only the empty home page puts it in the box
    stories = api(client, "q=reactor")["stories"]
    assert re.search(rf"<strong>{stories}</strong> stor(y|ies)\s+\({total} articles?\)", text)   # one result a story
    assert re.search(r"· \d+ ms", text)
    assert "<mark>reactor</mark>" in text
    assert '<details class="syntax">' in text and 'person:&#34;James Kelly&#34;' in text   # escaped quotes


def test_browse_mode_lists_everything_newest_first_with_facets(client):
    data = api(client, "size=100&copies=all")
    assert data["total"] == data["articles"] == len(ARTICLES) and data["counts"] == "articles"
    assert data["sort"] == "newest"
    dates = [h["date"] for h in data["hits"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    assert dates[len(known):] == [None] * (len(dates) - len(known))   # unknown dates last
    assert set(data["facets"]) == {"country", "person", "org", "author", "language", "date"}
    text = page(client, "/")
    assert re.search(rf"All <strong>{data['stories']}</strong> stor(y|ies)\s+\({len(ARTICLES)} articles\)", text)
    assert "Parties / countries" in text and "People" in text and "Date" in text


def test_hit_shows_title_link_date_source_snippet_and_entity_chips(client):
    text = page(client, "/?q=negotiations&size=50")
    hit = next(a for a in ARTICLES if "negotiations" in words_of(a) and values_of(a, "person"))
    assert f'href="/article/{hit.id}?q=negotiations&amp;size=50"' in text   # the page's whole state
    assert str(escape(hit.title)) in text
    assert hit.date.isoformat() in text
    assert 'href="https://news.example.org/story/' in text and ">news.example.org<" in text
    assert "<mark>negotiations</mark>" in text
    # chips add a filter, keeping the query
    country = values_of(hit, "country")[0]
    assert f'href="/?q=negotiations&amp;country={country.replace(" ", "+")}&amp;size=50"' in text
    person = values_of(hit, "person")[0]
    assert f'person={person.replace(" ", "+")}' in text


def test_snippets_are_short_and_marked(client):
    data = api(client, "q=reactor")
    assert data["hits"]
    for h in data["hits"]:
        assert snippet_tags(h["snippet"]) <= {"mark"}
        assert len(re.sub(r"</?mark>", "", html.unescape(h["snippet"]))) <= settings.SNIPPET_CHARS + 40


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
def test_disjunctive_counts_match_counts_computed_from_the_documents(client, query, word, countries, people,
                                                                     dates):
    scope = "about" if "country_scope=about" in query else "any"
    total, country, person, years = expected(word, countries, people, *dates, scope=scope)
    data = api(client, query)
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


def test_selected_value_shown_first_even_when_it_counts_zero(client):
    data = api(client, "person=Nobody+Here")
    first = data["facets"]["person"]["values"][0]
    assert first == {**first, "value": "Nobody Here", "count": 0, "selected": True}
    assert data["total"] == 0


def test_more_link_raises_one_facet_size_without_js(client):
    _, _, person, _ = expected()
    assert len(person) > 10
    text = page(client, "/")
    assert 'href="/?more=person"' in text and "More people…" in text
    data = api(client, "more=person")
    assert len(data["facets"]["person"]["values"]) == len(person)
    assert not data["facets"]["person"]["more"]
    assert len(data["facets"]["country"]["values"]) <= 10
    expanded = page(client, "/?more=person")
    assert "Fewer" in expanded
    for name in person:
        assert str(escape(name)) in expanded
    # values of the expanded facet keep it expanded after a click
    assert 'href="/?person=Minor+Figure+43&amp;more=person"' in expanded


def test_date_histogram_by_year_then_month(client):
    data = api(client)
    date = data["facets"]["date"]
    assert date["granularity"] == "year"
    _, _, _, years = expected()
    assert {int(v["value"]): v["count"] for v in date["values"]} == dict(years)
    text = page(client, "/")
    assert re.search(r'class="bar" href="/\?from=2004-01-01&amp;to=2004-12-31"', text)
    assert "h20" in text and 'style="' not in text
    # one year selected: by month, 12 bars, the selected range shown as a removable chip
    data = api(client, "from=2004-01-01&to=2004-12-31")
    date = data["facets"]["date"]
    assert date["granularity"] == "month" and len(date["values"]) == 12
    months = Counter(a.date.month for a in ARTICLES if a.date and a.date.year == 2004)
    assert [v["count"] for v in date["values"]] == [months.get(m, 0) for m in range(1, 13)]
    assert date["values"][1]["label"] == "Feb"
    text = page(client, "/?from=2004-01-01&to=2004-12-31")
    assert "by month, 2004" in text and "‹ All years" in text
    assert 'href="/?from=2004-02-01&amp;to=2004-02-29"' in text
    assert 'value="2004-01-01"' in text and 'value="2004-12-31"' in text   # from/to inputs
    assert 'aria-label="Remove filter 2004-01-01 – 2004-12-31"' in text


def test_date_inputs_accept_partial_dates_and_report_bad_ones(client):
    data = api(client, "from=2005&to=2005")
    assert data["total"] == sum(1 for a in ARTICLES if a.date and a.date.year == 2005)
    data = api(client, "from=yesterday")
    assert data["total"] == len(ARTICLES) and any("from" in m for m in data["messages"])
    assert "yesterday" in page(client, "/?from=yesterday")


def test_sort_orders_and_links(client):
    newest = [h["date"] for h in api(client, "q=diplomats&sort=newest&size=50")["hits"]]
    oldest = [h["date"] for h in api(client, "q=diplomats&sort=oldest&size=50")["hits"]]
    assert [d for d in newest if d] == sorted([d for d in newest if d], reverse=True)
    assert [d for d in oldest if d] == sorted(d for d in oldest if d)
    relevance = api(client, "q=reactor")
    scores = [h["score"] for h in relevance["hits"]]
    assert scores == sorted(scores, reverse=True)
    text = page(client, "/?q=reactor")
    assert 'href="/?q=reactor&amp;sort=newest"' in text and 'href="/?q=reactor&amp;sort=oldest"' in text
    assert 'aria-current="true" class="on">relevance<' in text
    bad = api(client, "sort=sideways")
    assert bad["sort"] == "newest" and bad["messages"]


@pytest.mark.parametrize("size", settings.PAGE_SIZES)
def test_pagination_and_page_sizes(client, size):
    total = len(ARTICLES)
    first = api(client, f"size={size}")
    assert len(first["hits"]) == min(size, total) and first["page_size"] == size
    assert first["pages"] == -(-total // size)
    if first["pages"] > 1:
        second = api(client, f"size={size}&page=2")
        assert second["page"] == 2
        assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    text = page(client, f"/?size={size}")
    assert f'aria-current="true" class="on">{size}<' in text
    if first["pages"] > 1:
        assert 'rel="next"' in text and f"page=2" in text


def test_pagination_links_and_out_of_range_pages(client):
    text = page(client, "/?page=2")
    assert 'aria-current="page" class="on">2<' in text
    assert 'href="/" rel="prev"' in text
    assert '<ol class="hits" start="11">' in text
    far = page(client, "/?page=900")
    assert "No results on page 900" in far
    for bad in ("page=-1", "page=abc", "size=0", "size=100000"):
        data = api(client, bad)
        assert data["messages"], bad
    assert api(client, "size=100000")["page_size"] == settings.MAX_PAGE_SIZE


def test_did_you_mean_links_to_the_corrected_search(client):
    data = api(client, "q=reactr")
    assert data["suggestion"] == "reactor"
    text = page(client, "/?q=reactr")
    assert 'Did you mean <a href="/?q=reactor">reactor</a>?' in text
    assert api(client, "q=reactor")["suggestion"] is None


def test_empty_results_page(client):
    text = page(client, "/?q=zzzzqqq&country=China")
    assert "No articles match" in text and "Search without filters" in text


def test_syntax_error_gives_a_friendly_message(client):
    data = api(client, 'q=%22reactor')
    assert data["messages"] and data["total"] == expected("reactor")[0]
    text = page(client, "/?q=%22reactor")
    assert '<div class="notice" role="status">' in text


def test_query_syntax_fields(client):
    kelly = sum("James Kelly" in values_of(a, "person") for a in ARTICLES)
    assert api(client, "q=person:%22James+Kelly%22")["total"] == kelly
    # country: finds every article involving the country, about it or mentioning it
    assert api(client, "q=country:Japan")["total"] == sum(
        "Japan" in involved(a) for a in ARTICLES)
    assert api(client, "q=date:2004-02")["total"] == sum(
        1 for a in ARTICLES if a.date and (a.date.year, a.date.month) == (2004, 2))
    assert api(client, "q=reactor+-negotiations")["total"] == sum(
        1 for a in ARTICLES if "reactor" in words_of(a) and "negotiations" not in words_of(a))


def test_country_scope_switch_is_in_the_url_the_json_and_the_page(client):
    mentioned_only = next(a for a in ARTICLES if a.mentioned.get("country", []))
    country = mentioned_only.mentioned.get("country", [])[0]
    any_ids = {h["id"] for h in api(client, f"country={country}&size=100")["hits"]}
    about = api(client, f"country={country}&country_scope=about&size=100")
    assert mentioned_only.id in any_ids and mentioned_only.id not in {h["id"] for h in about["hits"]}
    assert about["filters"]["country_scope"] == "about"
    facet = about["facets"]["country"]
    assert facet["scope"] == "about"
    assert [(s["value"], s["selected"]) for s in facet["scopes"]] == [("any", False), ("about", True)]
    assert facet["scopes"][0]["toggle"] == {"country": [country], "size": "100"}   # "any", the default: left out
    # the scope is kept by every facet link, and the page shows the switch
    assert all(v["toggle"].get("country_scope") == "about" for v in about["facets"]["person"]["values"])
    text = page(client, f"/?country={country}&country_scope=about")
    assert 'aria-current="true" class="on">mainly about</a>' in text
    assert f'href="/?country={country.replace(" ", "+")}">any mention</a>' in text
    # a bad scope is reported and the default used
    bad = api(client, "country_scope=sideways")
    assert bad["filters"]["country_scope"] == "any" and any("scope" in m for m in bad["messages"])


def test_hit_chips_cover_mentioned_countries_and_find_the_hit(client):
    article = next(a for a in ARTICLES if a.mentioned.get("country", []))
    mentioned = article.mentioned.get("country", [])[0]
    hits = api(client, f"country={mentioned}&size=100")["hits"]
    hit = next(h for h in hits if h["id"] == article.id)
    assert hit["countries"] == values_of(article, "country")
    assert hit["countries_mentioned"] == article.mentioned.get("country", [])
    # in the "mainly about" scope, a chip of a mentioned country switches back to any mention
    about = values_of(article, "country")[0]
    text = page(client, f"/?country={about}&country_scope=about&size=100")
    chip = (f'href="/?country={about.replace(" ", "+")}&amp;country={mentioned.replace(" ", "+")}'
            f'&amp;size=100"')
    assert chip in text
    for c in involved(article):
        assert article.id in {h["id"] for h in api(client, f"country={c}&size=100")["hits"]}


def test_hostile_article_is_escaped_in_results(client):
    text = page(client, "/?q=reactor&size=50")
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


def test_hostile_query_is_escaped_everywhere(client):
    q = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    for url in ("/", "/article/art0001"):
        response = client.get(url, query_string={"q": q, "country": q, "person": q, "from": q})
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)" not in text and "<img src=x" not in text
    atom = client.get("/search.atom", query_string={"q": q}).get_data(as_text=True)
    assert "<script>" not in atom
    ET.fromstring(atom.encode())


def test_article_page_escapes_text_and_keeps_only_marks(client):
    text = page(client, "/article/art0041?q=reactor")
    body = text.split('<div class="body" lang="en">')[1].split("</div>")[0]
    assert snippet_tags(body) <= {"p", "mark"}
    assert body.count('<p dir="auto">') == 3   # paragraphs split on blank lines, each with its own direction
    assert "&lt;script&gt;window.__pwned = 1;" in body
    assert "<mark>reactor</mark>" in body
    assert 'href="javascript:' not in text
    assert "<title>&lt;script&gt;" in text


def test_article_page(client):
    rich = [a for a in ARTICLES if values_of(a, "person") and len(values_of(a, "country")) > 1 and a.mentioned]
    article = rich[0] if rich \
        else next(a for a in ARTICLES if a.mentioned.get("country", []))
    text = page(client, f"/article/{article.id}")
    assert f'<h1 dir="auto" lang="en">{escape(article.title)}</h1>' in text
    assert article.date.isoformat() in text
    assert f'href="{article.url}" rel="noopener noreferrer nofollow"' in text
    about = text.index(">About<")
    mentions = text.index(">Also mentions<")
    assert about < mentions
    for c in involved(article):
        assert f'href="/?country={c.replace(" ", "+")}"' in text
    for p in values_of(article, "person"):
        assert f'href="/?person={p.replace(" ", "+")}"' in text
    assert "More like this" in text
    similar = re.findall(r'<li><a href="/article/(art\d+)" dir="auto"(?: lang="\w+")?>', text)
    assert 0 < len(similar) <= settings.MORE_LIKE_THIS and article.id not in similar
    assert "<mark>" not in text   # no query, nothing marked


def test_article_page_marks_the_arriving_query_and_links_back(client):
    text = page(client, "/article/art0002?q=reactor")
    assert "<mark>reactor</mark>" in text
    assert 'href="/?q=reactor">‹ Results for' in text


def test_article_without_a_search_links_to_all_articles(client):
    soup = BeautifulSoup(page(client, "/article/art0002"), "lxml")
    assert soup.select_one(".crumbs a")["href"] == "/" and "All articles" in soup.select_one(".crumbs a").text
    soup = BeautifulSoup(page(client, "/article/art0002?country=Japan"), "lxml")
    assert soup.select_one(".crumbs a")["href"] == "/?country=Japan"
    assert soup.select_one(".crumbs a").get_text(strip=True) == "‹ Results (Japan)"


def test_facet_values_are_a_checkbox_form_that_keeps_the_rest_of_the_state(client):
    soup = BeautifulSoup(page(client, "/?q=diplomats&country=China&person=James+Kelly&sort=oldest&page=2"), "lxml")
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
    response = client.get("/", query_string=fields)
    assert response.status_code == 200
    assert api(client, "q=diplomats&country=China&country=Japan&person=James+Kelly")["total"] == \
        int(BeautifulSoup(response.get_data(as_text=True), "lxml").select_one(".count strong").text)


def test_a_selected_value_hidden_by_a_prefix_stays_selected(client):
    soup = BeautifulSoup(page(client, "/?person=James+Kelly&more=person&prefix=minor"), "lxml")
    form = soup.select_one("#facet-person form.facet-values")
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    shown = [b["value"] for b in form.select("input[type=checkbox]")]
    assert ("more", "person") in hidden
    assert ("person", "James Kelly") in hidden or "James Kelly" in shown


def test_page_landmarks_names_and_text_direction(client):
    soup = BeautifulSoup(page(client, "/?q=reactor"), "lxml")
    searches = [f.get("aria-label") for f in soup.select('[role="search"]')]
    assert len(searches) == len(set(searches)) and all(searches)
    brand = soup.select_one("a.brand")
    assert not brand.has_attr("aria-label") and brand.get_text("", strip=True).startswith("NNewsfacet")
    assert soup.select_one("a.skip")["href"] == "#results-list" and soup.select_one("#results-list")
    assert soup.select(".histogram > li > a.bar") and not soup.select("[role=listitem]")
    assert all(a.get("dir") == "auto" for a in soup.select(".hit-title a"))
    assert all(p.get("dir") == "auto" for p in soup.select(".snippet"))


def test_unknown_article_is_a_404_page_and_json_404(client):
    text = page(client, "/article/does-not-exist", 404)
    assert "Not found" in text and "Traceback" not in text
    response = client.get("/api/article/does-not-exist")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert client.get("/article/" + "x" * 500).status_code == 404


def test_templates_have_no_inline_script_or_style():
    root = Path(__file__).resolve().parents[2] / "webui"
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


def test_narrow_layout_uses_details_toggle(client):
    text = page(client, "/?country=China")
    assert '<details class="filters" id="filters">' in text
    assert "<summary><span>Filters (1)</span></summary>" in text
