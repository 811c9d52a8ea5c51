"""The OpenSearch engine's core (indexer.engines.opensearch: client, writer, engine): what the
contract tests don't cover. Without a cluster: an unreachable cluster is a one-line error for the
CLI and a 503 page, and the retry on a node lost. On the development cluster (marker
``opensearch``): settings applied to a new index, the alias swap keeping one earlier index, a
failed build leaving the alias alone, shard failures marking a page partial."""
from __future__ import annotations

import socket
import uuid

import pytest
from click.testing import CliRunner
from conftest import make_article

opensearchpy = pytest.importorskip("opensearchpy", reason="opensearch-py is in the test extra")

from indexer import settings  # noqa: E402
from indexer.cli import main  # noqa: E402
from indexer.engines import BuildError, IndexUnavailable, open_engine  # noqa: E402
from indexer.engines.opensearch import client as os_client  # noqa: E402
from indexer.engines.opensearch import writer  # noqa: E402
from indexer.model import SearchRequest  # noqa: E402

ARTICLES = [make_article(n, f"Harbour report {n}", f"The harbour reopened after storm {n}.", f"2004-0{n}-01",
                         countries=["Japan"]) for n in range(1, 6)]


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"      # nothing listens there once the probe is closed


# ---------------------------------------------------------------- without a cluster

def test_an_unreachable_cluster_is_a_one_line_error_for_every_caller(monkeypatch):
    url = _closed_port_url()
    engine = open_engine("opensearch", url=url, index="nowhere")
    with pytest.raises(IndexUnavailable) as caught:
        engine.session()
    message = str(caught.value)
    assert "cannot reach" in message and url in message and "\n" not in message
    runner = CliRunner()
    for args in (["search", "harbour"], ["stats"], ["serve", "--port", "0"], ["rebuild", "corpus", "--quiet"]):
        result = runner.invoke(main, [*args, "--engine", "opensearch", "--opensearch", url])
        assert result.exit_code == 1, (args, result.output)
        assert "cannot reach" in result.output and "Traceback" not in result.output, args
    monkeypatch.setenv("NEWSFACET_ENGINE", "opensearch")
    monkeypatch.setenv("NEWSFACET_OPENSEARCH_URL", url)
    from webui import create_app
    web = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False}).test_client()
    page = web.get("/?q=harbour")
    assert page.status_code == 503 and b"cannot reach" in page.data and b"Traceback" not in page.data
    assert b"Search unavailable" in page.data and b"No index yet" not in page.data
    api = web.get("/api/search?q=harbour")
    assert api.status_code == 503 and "cannot reach" in api.get_json()["error"]["message"]


class _Flaky:
    """A client method failing ``times`` times as a search does when a node leaves under it."""

    def __init__(self, times: int):
        self.times, self.calls = times, 0

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls <= self.times:
            raise opensearchpy.TransportError(500, "search_phase_execution_exception", {"error": {
                "type": "search_phase_execution_exception",
                "root_cause": [{"type": "node_not_connected_exception", "reason": "[node-1] not connected"}],
                "caused_by": {"type": "node_not_connected_exception", "reason": "[node-1] not connected"}}})
        return {"ok": True}


def test_a_node_lost_mid_request_is_retried_once_then_reported(monkeypatch):
    monkeypatch.setattr(os_client, "RETRY_PAUSE", 0)
    cluster = os_client.Cluster(_closed_port_url(), "x")
    once = _Flaky(1)
    assert cluster.call(once) == {"ok": True} and once.calls == 2
    twice = _Flaky(2)
    with pytest.raises(os_client.NodeLost, match="node was lost"):
        cluster.call(twice)
    assert twice.calls == 2

    def refused(**kwargs):
        raise opensearchpy.RequestError(400, "parsing_exception", {"error": {"type": "parsing_exception"}})
    with pytest.raises(opensearchpy.RequestError):     # a real error is not retried or hidden
        cluster.call(refused)


# ---------------------------------------------------------------- on the development cluster

@pytest.fixture
def engine(request):
    cluster = request.getfixturevalue("opensearch_cluster")
    engine = open_engine("opensearch", url=cluster.url, index=f"core-{uuid.uuid4().hex[:10]}")
    yield engine
    engine.drop()
    engine.close()


@pytest.mark.opensearch
def test_an_alias_without_an_index_says_to_rebuild(engine):
    assert not engine.exists()
    with pytest.raises(IndexUnavailable, match="no index at .*rebuild"):
        engine.session()


@pytest.mark.opensearch
def test_rebuilds_swap_the_alias_and_keep_only_the_index_served_before(engine, monkeypatch):
    monkeypatch.setattr(settings, "OPENSEARCH_SHARDS", 2)
    monkeypatch.setattr(settings, "OPENSEARCH_REPLICAS", 1)
    engine.index_articles(ARTICLES)
    first = writer.concrete_indices(engine.cluster)
    index_settings = engine.cluster.client.indices.get_settings(index=first[0])[first[0]]["settings"]["index"]
    assert (index_settings["number_of_shards"], index_settings["number_of_replicas"]) == ("2", "1")
    engine.index_articles(ARTICLES[:2])
    second = writer.concrete_indices(engine.cluster)
    engine.index_articles(ARTICLES[:3])
    third = writer.concrete_indices(engine.cluster)
    assert len({*first, *second, *third}) == 3 and all(len(x) == 1 for x in (first, second, third))
    assert writer.built_indices(engine.cluster) == sorted(second + third)   # the first is gone
    with engine.session() as s:
        assert s.search(SearchRequest(q="")).total == 3
        assert s.info()["command"] == "rebuild" and s.info()["articles"] == 3


@pytest.mark.opensearch
def test_a_build_failing_midway_leaves_the_alias_and_no_new_index(engine, monkeypatch):
    engine.index_articles(ARTICLES)
    served = writer.concrete_indices(engine.cluster)

    def refuse(self):
        raise BuildError("OpenSearch refused 1 articles")
    monkeypatch.setattr(writer.OpenSearchWriter, "_send", refuse)
    with pytest.raises(BuildError):
        engine.index_articles(ARTICLES[:2])
    assert writer.concrete_indices(engine.cluster) == served
    assert writer.built_indices(engine.cluster) == served
    with engine.session() as s:
        assert s.search(SearchRequest(q="")).total == len(ARTICLES)


@pytest.mark.opensearch
def test_shard_failures_mark_the_page_partial(engine, monkeypatch):
    engine.index_articles(ARTICLES)
    with engine.session() as s:
        real = s.raw.search

        def one_shard_failed(**kwargs):
            answer = real(**kwargs)
            answer["_shards"]["failed"] = 1
            return answer
        monkeypatch.setattr(s, "raw", type("C", (), {"search": staticmethod(one_shard_failed)})())
        result = s.search(SearchRequest(q="harbour"))
    assert result.partial and result.total == len(ARTICLES)
    assert any("may be incomplete" in m for m in result.messages)


@pytest.mark.opensearch
def test_facet_prefix_matches_any_word_however_typed(engine):
    engine.index_articles([make_article(1, "a", "b", people=["José Müller", "Kim Jong Il"]),
                           make_article(2, "c", "d", people=["Hans Müllerstein"])])
    with engine.session() as s:
        assert {v.value for v in s.facet_values(SearchRequest(), "person", prefix="MUL").values} == {
            "José Müller", "Hans Müllerstein"}
        assert {v.value for v in s.facet_values(SearchRequest(), "person", prefix="jong i").values} == set()
        assert {v.value for v in s.facet_values(SearchRequest(), "person", prefix="kim jong").values} == {
            "Kim Jong Il"}
        assert {v.value for v in s.facet_values(SearchRequest(), "person", prefix="jong").values} == {"Kim Jong Il"}
