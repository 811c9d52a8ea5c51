"""Choosing the engine by name: the argument, else NEWSFACET_ENGINE, else the embedded Whoosh engine."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.engines import Engine, IndexUnavailable, Session, engine_name, open_engine
from indexer.engines.whoosh.engine import WhooshEngine


def test_whoosh_is_the_default(monkeypatch):
    monkeypatch.delenv("NEWSFACET_ENGINE", raising=False)
    assert engine_name() == "whoosh"
    assert isinstance(open_engine(index_dir="unused"), WhooshEngine)


def test_the_environment_names_the_engine(monkeypatch):
    monkeypatch.setenv("NEWSFACET_ENGINE", " Whoosh ")
    assert engine_name() == "whoosh"
    monkeypatch.setenv("NEWSFACET_ENGINE", "lucene")
    with pytest.raises(IndexUnavailable, match="unknown search engine 'lucene'.*whoosh"):
        open_engine(index_dir="unused")


def test_an_unknown_engine_is_a_one_line_cli_error(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSFACET_ENGINE", "lucene")
    result = CliRunner().invoke(main, ["search", "x", "--index", str(tmp_path / "i")])
    assert result.exit_code == 1 and "unknown search engine 'lucene'" in result.output
    assert "Traceback" not in result.output


def test_the_whoosh_engine_and_its_session_satisfy_the_interface(tmp_path):
    from conftest import make_article
    engine = open_engine("whoosh", index_dir=tmp_path / "i")
    assert isinstance(engine, Engine) and not engine.exists()
    with pytest.raises(IndexUnavailable):
        engine.session()
    engine.index_articles([make_article(1, "Talks", "Envoys met.")])
    assert engine.exists()
    session = engine.session()
    try:
        assert isinstance(session, Session)
    finally:
        session.close()


def test_a_closed_engine_reopens_on_the_next_session(tmp_path):
    from conftest import make_article
    from indexer.model import SearchRequest
    engine = open_engine("whoosh", index_dir=tmp_path / "i")
    engine.index_articles([make_article(1, "Talks", "Envoys met.")])
    with engine.session() as s:
        assert s.search(SearchRequest(q="envoys")).total == 1
    engine.close()
    engine.close()      # twice is harmless
    with engine.session() as s:
        assert s.search(SearchRequest(q="envoys")).total == 1
