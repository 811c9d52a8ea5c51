"""Trends over the web (webui/trends.py): the SVG chart and its table, /api/trends, /trends.csv."""
import csv
import io
from collections import Counter

from urllib.parse import urlencode

from tests.web.answers import api


def total(client, q: str, **filters) -> int:
    """What /api/search reports for the query and filters."""
    return api(client, urlencode({"q": q, **filters}))["total"]
from tests.web.archive import web_articles


def test_api_series_sum_to_each_query_s_dated_total(client):
    data = client.get("/api/trends?q=reactor&q=negotiations&q=zebra").get_json()
    assert [s["query"] for s in data["series"]] == ["reactor", "negotiations", "zebra"]
    for s in data["series"]:
        assert sum(p["count"] for p in s["points"]) == s["total"] == total(client, s["query"]) - s["undated"]
    assert data["series"][0]["undated"] > 0          # every 7th article of the archive has no date
    periods = data["periods"]
    assert all([p["period"] for p in s["points"]] == periods for s in data["series"])


def test_shares_divide_by_every_article_of_the_period_under_the_filters(client):
    data = client.get("/api/trends?q=reactor&by=year&country=Japan").get_json()
    first, last = data["from"], data["to"]       # the days the series cover: the first and last match
    years = Counter(a.date.year for a in web_articles() if a.date and first <= a.date.isoformat() <= last
                    and "Japan" in a.facets.get("country", []) + a.mentioned.get("country", []))
    assert dict(zip(data["periods"], data["all"])) == {p: years.get(int(p), 0) for p in data["periods"]}
    for p, everything in zip(data["series"][0]["points"], data["all"]):
        assert p["share"] == (p["count"] / everything if everything else None)


def test_empty_periods_are_zero_and_the_interval_switches(client):
    months = client.get("/api/trends?q=reactor&by=month").get_json()
    assert months["interval"] == "month"
    counts = [p["count"] for p in months["series"][0]["points"]]
    assert 0 in counts and len(counts) == len(months["periods"])
    first, last = months["periods"][0], months["periods"][-1]
    y, m = int(first[:4]), int(first[5:])
    expected = (int(last[:4]) - y) * 12 + int(last[5:]) - m + 1
    assert len(months["periods"]) == expected          # no month skipped
    assert client.get("/api/trends?q=reactor&by=fortnight").get_json()["messages"]


def test_points_link_to_the_period_s_search(client):
    data = client.get("/api/trends?q=reactor&by=year").get_json()
    point = next(p for p in data["series"][0]["points"] if p["count"])
    url = point["url"].split("localhost", 1)[1]
    found = client.get(url.replace("/?", "/api/search?")).get_json()
    assert found["total"] == point["count"]


def test_the_page_has_an_svg_chart_and_a_table_with_the_same_numbers(client):
    body = client.get("/trends?q=reactor&q=negotiations").get_data(as_text=True)
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert "<table" in body and svg.count('<path class="line s') == 2
    data = client.get("/api/trends?q=reactor&q=negotiations").get_json()
    assert f'>{data["series"][0]["points"][0]["count"]}</a>' in body
    assert 'name="q" type="search" value="reactor"' in body and "Add a query" in body
    assert "Remove<span class=\"visually-hidden\"> negotiations</span>" in body


def test_queries_are_escaped_and_limited(client, monkeypatch):
    from indexer import settings
    body = client.get('/trends?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    monkeypatch.setattr(settings, "TREND_MAX_SERIES", 2)
    data = client.get("/api/trends?q=a&q=b&q=c").get_json()
    assert len(data["series"]) == 2 and "at most 2" in data["messages"][0]


def test_no_query_shows_the_form(client):
    body = client.get("/trends").get_data(as_text=True)
    assert "<form" in body and "<svg" not in body


def test_csv_download(client):
    r = client.get("/trends.csv?q=reactor&by=year")
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["period", "all stories", "reactor (count)", "reactor (share)"]   # copies grouped
    every = client.get("/trends.csv?q=reactor&by=year&copies=all").get_data(as_text=True).splitlines()[0]
    assert every.split(",")[:2] == ["period", "all articles"]
    data = client.get("/api/trends?q=reactor&by=year").get_json()
    assert [int(r[2]) for r in rows[1:]] == [p["count"] for p in data["series"][0]["points"]]


def test_the_search_page_links_to_a_trend_and_a_batch_with_its_filters(client):
    body = client.get("/?q=reactor&country=Japan").get_data(as_text=True)
    assert 'href="/trends?country=Japan&amp;q=reactor"' in body
    assert 'href="/batch?country=Japan"' in body
