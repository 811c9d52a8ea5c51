"""The OpenSearch engine while the cluster changes under its readers: a node lost, an alias swapped.

A cluster of its own (2 nodes, an index of 2 shards with 1 replica each), since these tests stop a
node: readers search through the engine interface in a loop of a few seconds while (a) one node is
stopped, (b) a rebuild publishes a new index. Every search must come back (no exception), full or
marked partial with a message, and with a swap only the old or the new total, never another.
"""
from __future__ import annotations

import threading
import time

import pytest
from conftest import make_article

from indexer import settings
from indexer.engines import open_engine
from indexer.model import SearchRequest
from tests import opensearch_cluster as dev

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy", reason="opensearch-py is in the test extra: make install-test")

BEFORE, AFTER = 1.0, 2.0    # seconds of searching before the fault, and after it is over
READERS = 2
QUERIES = ["", "reactor", "talks beijing", "typhoon OR harvest", "reactor -tokyo", '"coastal villages"']
WORDS = ["reactor", "talks", "beijing", "tokyo", "typhoon", "harvest", "coastal", "villages", "yen", "envoys"]


def articles(n: int, first: int = 1) -> list:
    """n articles with a few of WORDS each (deterministic), dated over two years."""
    out = []
    for k in range(first, first + n):
        words = [WORDS[(k * j) % len(WORDS)] for j in (1, 3, 7)]
        body = f"Report {k}: the {words[0]} and the {words[1]} near the {words[2]}; coastal villages waited."
        if k % 4:
            body = body.replace("coastal villages", "villages")
        out.append(make_article(k, f"Dispatch {k} on {words[0]}", body, f"{2003 + k % 2}-{1 + k % 12:02d}-{1 + k % 28:02d}",
                                countries=["Japan" if k % 2 else "China"]))
    return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = dev.missing_tools()
    if reason:
        pytest.skip(f"the OpenSearch development cluster needs a JDK and Maven: {reason}")
    with dev.running(tmp_path_factory.mktemp("faults"), nodes=2) as running:
        yield running


@pytest.fixture
def engine(cluster, monkeypatch, request):
    monkeypatch.setattr(settings, "OPENSEARCH_SHARDS", 2)
    monkeypatch.setattr(settings, "OPENSEARCH_REPLICAS", 1)
    engine = open_engine("opensearch", url=",".join(cluster.urls), index=f"faults-{request.node.name[5:20].lower()}")
    yield engine
    engine.drop()
    engine.close()


def green(engine) -> None:
    engine.cluster.client.cluster.health(wait_for_status="green", timeout="90s", request_timeout=120)


def totals(engine) -> dict:
    with engine.session() as session:
        return {q: session.search(SearchRequest(q=q)).total for q in QUERIES}


def read_loop(engine, fault) -> list[tuple[float, str, object]]:
    """READERS threads searching QUERIES (a session per search, as a web request) from BEFORE
    seconds before ``fault()`` until AFTER seconds after it returned; [(seconds since the fault
    began, query, result or exception)]."""
    out: list = []
    lock = threading.Lock()
    stop = threading.Event()

    def reader(offset: int) -> None:
        k = offset
        while not stop.is_set():
            q = QUERIES[k % len(QUERIES)]
            k += 1
            try:
                with engine.session() as session:
                    got = session.search(SearchRequest(q=q))
            except Exception as exc:        # what the test is about: none may escape
                got = exc
            with lock:
                out.append((time.monotonic(), q, got))

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in threads:
        t.start()
    time.sleep(BEFORE)
    fault_at = time.monotonic()
    try:
        fault()
        time.sleep(AFTER)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    return [(at - fault_at, q, got) for at, q, got in out]


def test_a_node_lost_during_searches_gives_full_or_partial_results_never_an_error(cluster, engine):
    engine.index_articles(articles(300))
    green(engine)
    shards = engine.cluster.client.cat.shards(index=engine.session().index, format="json")
    assert {(s["shard"], s["node"]) for s in shards} == {(s, n) for s in "01" for n in ("node-0", "node-1")}
    full = totals(engine)
    try:
        seen = read_loop(engine, lambda: cluster.stop_node("node-1"))
        assert cluster.running_nodes() == ["node-0"]
    finally:
        cluster.start_node("node-1")
        green(engine)
    errors = [(q, got) for _, q, got in seen if isinstance(got, Exception)]
    assert not errors, errors[:3]
    after = [(q, got) for at, q, got in seen if at > 0]
    assert len(after) >= 2 * len(QUERIES), "the readers kept searching after the node was stopped"
    for q, got in [(q, got) for _, q, got in seen]:
        assert got.total == full[q] or (got.partial and got.messages), (q, got.total, full[q], got.messages)
    assert sum(1 for q, got in after if got.total == full[q] and not got.partial) > len(after) // 2, \
        "with a replica of every shard on the node left, most searches are full"


def test_an_alias_swap_during_searches_shows_the_old_or_the_new_index_never_another(cluster, engine):
    engine.index_articles(articles(120))
    green(engine)
    old = totals(engine)
    seen = read_loop(engine, lambda: engine.index_articles(articles(200, first=121)))
    new = totals(engine)
    assert all(old[q] != new[q] for q in QUERIES if q in ("", "reactor"))
    errors = [(q, got) for _, q, got in seen if isinstance(got, Exception)]
    assert not errors, errors[:3]
    for _, q, got in seen:
        assert got.total in (old[q], new[q]), (q, got.total, old[q], new[q])
    assert any(got.total == new[q] != old[q] for _, q, got in seen), "the readers saw the new index"
    assert any(at < 0 and got.total == old[q] for at, q, got in seen)
