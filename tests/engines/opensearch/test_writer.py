"""The OpenSearch writer's bulk sending, with a stand-in for the bulk helper: articles the cluster
turns away for now (429) are sent again, other refusals fail the build at once."""
from __future__ import annotations

import pytest

pytest.importorskip("opensearchpy", reason="opensearch-py is in the test extra")

from indexer.engines import BuildError  # noqa: E402
from indexer.engines.opensearch import writer  # noqa: E402


class _Cluster:
    client = None
    index = "x"

    def where(self):
        return "test cluster"


def _writer(monkeypatch, replies_per_call):
    sent = []

    def parallel_bulk(client, actions, **kwargs):
        sent.append([a["_id"] for a in actions])
        statuses = replies_per_call[len(sent) - 1]
        for action, status in zip(actions, statuses):
            if status == 200:
                yield True, {"index": {"_id": action["_id"], "status": 200}}
            else:
                yield False, {"index": {"_id": action["_id"], "status": status, "error": {"type": "e"}}}
    monkeypatch.setattr(writer.helpers, "parallel_bulk", parallel_bulk)
    monkeypatch.setattr(writer, "BULK_BACKOFF", 0)
    w = writer.OpenSearchWriter(_Cluster())
    w.name = "x-1"
    w._actions = [{"_op_type": "index", "_index": "x-1", "_id": str(i), "_source": {}} for i in range(4)]
    return w, sent


def test_articles_turned_away_as_busy_are_sent_again_until_taken(monkeypatch):
    w, sent = _writer(monkeypatch, [[200, 429, 200, 429], [429, 200], [200]])
    w._send()
    assert sent == [["0", "1", "2", "3"], ["1", "3"], ["1"]]


def test_a_refusal_fails_the_build_and_a_cluster_busy_for_too_long_too(monkeypatch):
    w, _ = _writer(monkeypatch, [[200, 400, 200, 200]])
    with pytest.raises(BuildError, match="refused 1 articles, e.g. 1"):
        w._send()
    w, sent = _writer(monkeypatch, [[429] * 4] * (writer.BULK_RETRIES + 1))
    with pytest.raises(BuildError, match="still too busy for 4 articles"):
        w._send()
    assert len(sent) == writer.BULK_RETRIES + 1
