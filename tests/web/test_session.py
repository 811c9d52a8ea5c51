"""The per-request engine session (webui/session.py): one index state a request, closed on teardown.
"""
from __future__ import annotations

from indexer.build import index_articles
from tests.conftest import make_article
from tests.web.answers import api
from webui.session import session


class Tracked:
    """An engine session that notes when it is closed."""

    def __init__(self, inner, log):
        self.inner, self.log = inner, log
        log.append("open")

    def close(self):
        self.log.append("close")
        self.inner.close()

    def __getattr__(self, name):
        return getattr(self.inner, name)


def track_sessions(app, monkeypatch) -> list:
    engine = app.extensions["newsfacet_engine"]
    real, log = engine.session, []
    monkeypatch.setattr(engine, "session", lambda: Tracked(real(), log))
    return log


def test_a_request_opens_one_session_and_its_teardown_closes_it(app, client, monkeypatch):
    log = track_sessions(app, monkeypatch)
    assert client.get("/?q=reactor").status_code == 200      # the search, its facets and snippets: one session
    assert log == ["open", "close"]
    assert client.get("/api/suggest?q=kel").status_code == 200
    assert client.get("/nope").status_code == 404             # a page that needs no index opens none
    assert log == ["open", "close"] * 2


def test_the_session_is_kept_on_g_for_the_request(app, monkeypatch):
    log = track_sessions(app, monkeypatch)
    with app.app_context():
        first = session()
        assert session() is first and log == ["open"]
    assert log == ["open", "close"]


def test_a_failing_request_still_closes_its_session(app, client, monkeypatch):
    log = track_sessions(app, monkeypatch)
    from webui import pages

    def broken(*args, **kwargs):
        session()
        raise RuntimeError("boom")
    monkeypatch.setattr(pages, "run_search", broken)
    assert client.get("/?q=reactor").status_code == 500
    assert log == ["open", "close"]


def test_new_index_is_served_without_restart(tmp_path):
    from webui import create_app
    root = tmp_path / "index"
    index_articles([make_article(1, "Old story", "about an old harbour", "2004-01-01")], root)
    client = create_app({"INDEX": str(root), "TESTING": True}).test_client()
    assert api(client, "q=harbour")["hits"][0]["title"] == "Old story"
    index_articles([make_article(2, "New story", "about a new harbour", "2005-01-01"),
                    make_article(3, "Another new story", "more harbour news", "2005-01-02")], root)
    data = api(client, "q=harbour")
    assert data["total"] == 2 and {h["title"] for h in data["hits"]} == {"New story", "Another new story"}
