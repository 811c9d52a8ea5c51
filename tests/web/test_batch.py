"""Batch search over the web (webui/batch.py): /batch streams a table, /api/batch gives JSON or CSV."""
import csv
import io

from tests.web.archive import XSS_PERSON
from urllib.parse import urlencode

from tests.web.answers import api


def total(client, q: str, **filters) -> int:
    """What /api/search reports for the query and filters."""
    return api(client, urlencode({"q": q, **filters}))["total"]

LIST = 'reactor\n\nnegotiations\nAND OR\n"diplomats met\nperson:kelly\nzebra'


def _rows(client, text=LIST, query_string="", **extra):
    r = client.post(f"/api/batch{query_string}", data={"queries": text, **extra})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_a_row_per_non_empty_line_in_order_with_totals_equal_to_the_search(client):
    data = _rows(client)
    lines = [line for line in LIST.split("\n") if line.strip()]
    assert [row["query"] for row in data["rows"]] == lines
    assert [row["line"] for row in data["rows"]] == [1, 3, 4, 5, 6, 7]
    for row in data["rows"]:
        assert row["total"] == total(client, row["query"]), row["query"]
    assert all(set(row) >= {"query", "label", "total", "error"} for row in data["rows"])


def test_malformed_lines_get_an_error_and_never_stop_the_batch(client):
    rows = {row["query"]: row for row in _rows(client)["rows"]}
    assert rows["AND OR"]["error"] and rows["AND OR"]["total"] == 0
    assert "quotation mark" in rows['"diplomats met']["error"] and rows['"diplomats met']["total"] > 0
    assert rows["reactor"]["error"] == "" and rows["zebra"]["error"] == "" and rows["zebra"]["total"] == 0


def test_filters_in_the_url_apply_to_every_query(client):
    filtered = _rows(client, "reactor\nnegotiations", "?country=Japan")["rows"]
    for row in filtered:
        assert row["total"] == total(client, row["query"], country="Japan")
        assert "country=Japan" in row["url"]
    assert filtered[0]["total"] < _rows(client, "reactor")["rows"][0]["total"]


def test_rows_carry_dates_and_top_values(client):
    row = _rows(client, "person:kelly")["rows"][0]
    assert row["first"] <= row["last"] and row["top_people"][0] == "James Kelly"
    assert len(row["top_countries"]) <= 3 and "top_authors" not in row


def test_csv_has_the_same_rows_and_quotes_formulas(client):
    data = _rows(client)
    r = client.post("/api/batch?format=csv", data={"queries": LIST + "\n=cmd()"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [(t["query"], int(t["total"]), t["error"]) for t in table[:-1]] == \
        [(row["query"], row["total"], row["error"]) for row in data["rows"]]
    assert table[-1]["query"] == "'=cmd()"


def test_a_csv_list_with_query_and_label_columns_keeps_commas(client):
    text = 'label,query\nKelly,"person:""James Kelly"""\nBoth,"reactor, negotiations"\n'
    rows = _rows(client, text)["rows"]
    assert [(r["label"], r["query"]) for r in rows] == [("Kelly", 'person:"James Kelly"'), ("Both", "reactor, negotiations")]
    assert rows[0]["total"] == total(client, 'person:"James Kelly"')


def test_an_uploaded_file_is_read_and_non_text_is_refused(client):
    r = client.post("/api/batch", data={"file": (io.BytesIO("reactor\nnégociations\n".encode("latin-1")), "list.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and [row["query"] for row in r.get_json()["rows"]] == ["reactor", "négociations"]
    r = client.post("/api/batch", data={"file": (io.BytesIO(b"\x00\x01binary"), "list.bin")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "not text" in r.get_json()["error"]["message"]


def test_limits_are_clear_errors(client, monkeypatch):
    from indexer import settings
    monkeypatch.setattr(settings, "BATCH_MAX_QUERIES", 2)
    r = client.post("/api/batch", data={"queries": "a\nb\nc"})
    assert r.status_code == 400 and "at most 2" in r.get_json()["error"]["message"]
    monkeypatch.setattr(settings, "BATCH_MAX_BYTES", 10)
    r = client.post("/api/batch", data={"queries": "reactor negotiations"})
    assert r.status_code == 400 and "larger than 10 bytes" in r.get_json()["error"]["message"]


def test_only_the_batch_routes_take_post(client):
    r = client.get("/api/batch")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    for path in ("/", "/api/search", "/trends", "/search.csv"):
        r = client.post(path, data={"queries": "x"})
        assert r.status_code == 405 and "POST" not in r.headers["Allow"], path


def test_the_page_streams_an_escaped_table(client):
    r = client.get("/batch?country=China")
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "<textarea" in body and 'action="/batch?country=China"' in body
    r = client.post("/batch", data={"queries": f'person:"{XSS_PERSON}"\nreactor\nAND OR'})
    assert r.status_code == 200 and r.is_streamed
    body = r.get_data(as_text=True)
    assert "<table" in body and body.count("<tr") == 4        # the header and a row per query
    assert "<img src=x" not in body and "&lt;img src=x" in body
    assert "3 of 3 run" in body and "1 with a note" in body


def test_an_empty_list_is_a_message(client):
    r = client.post("/batch", data={"queries": "\n  \n"})
    assert r.status_code == 400 and "no queries" in r.get_data(as_text=True)
