"""The app factory (webui/__init__.py): security headers, read-only methods, error pages, static files.
"""
from __future__ import annotations

import pytest

from tests.web.answers import api


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


@pytest.mark.parametrize("url", ["/", "/?q=reactor", "/article/art0001", "/api/search", "/nope", "/api/nope",
                                 "/static/style.css", "/search.csv", "/search.atom", "/opensearch.xml"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/", "/api/search", "/article/art0001", "/search.csv"])
def test_no_write_endpoints(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405


def test_head_requests(client):
    assert client.head("/").status_code == 200
    assert client.head("/api/search").status_code == 200


def test_server_error_is_friendly(client, monkeypatch):
    import indexer.engines.whoosh.search as lib

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")
    monkeypatch.setattr(lib, "search", boom)
    response = client.get("/?q=x")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong" in text and "secret" not in text and "Traceback" not in text
    response = client.get("/api/search?q=x")
    assert response.status_code == 500 and response.get_json()["error"]["status"] == 500
    assert "secret" not in response.get_data(as_text=True)


def test_missing_index_is_a_friendly_503(tmp_path):
    from webui import create_app
    client = create_app({"INDEX": str(tmp_path / "empty"), "TESTING": True}).test_client()
    response = client.get("/")
    assert response.status_code == 503 and "No index yet" in response.get_data(as_text=True)
    assert client.get("/api/search").get_json()["error"]["status"] == 503


def test_static_assets(client):
    for name in ("style.css", "app.js", "favicon.png"):
        assert client.get(f"/static/{name}").status_code == 200
    js = client.get("/static/app.js").get_data(as_text=True)
    assert "innerHTML" not in js and "eval(" not in js


def test_the_app_adds_no_flask_commands(runner):
    """Flask's tutorial app registers `init-db`; ours registers none on purpose. Building and
    updating the index are `newsfacet rebuild`/`update` (one CLI, documented in the README), and
    the web layer only reads: a `flask --app webui rebuild` would be a second entry point into
    the same library call, with its own options and docs to keep in step."""
    assert runner.app.cli.list_commands(None) == []
    result = runner.invoke(args=["rebuild", "corpus"])
    assert result.exit_code == 2 and "No such command 'rebuild'" in result.output
