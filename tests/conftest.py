"""Shared fixtures: paths to our fixtures and ../shared, and small indexes built in tmp dirs."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import threading
from pathlib import Path

import pytest

from indexer.model import Article

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = REPO / "corpus" / "voa-2004-02-20.txt"


def shared_dir() -> Path:
    """../shared beside the checkout (or $NEWSFACET_SHARED); tests that need it skip when absent."""
    return Path(os.environ.get("NEWSFACET_SHARED") or REPO.parent / "shared")


def require_shared(*parts: str) -> Path:
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def make_article(n: int, title: str, body: str, date: str | None = None, *, people=(), countries=(),
                 mentioned=(), url: str | None = None, authors=(), orgs=(), **other_facets) -> Article:
    """An Article as extraction would produce it, for search and web tests that skip reading
    (``other_facets``: values of further facets by name)."""
    values = {"country": list(countries), "person": list(people), "org": list(orgs), "author": list(authors),
              **{name: list(v) for name, v in other_facets.items()}}
    return Article(
        id=f"art{n:04d}", source=f"/fixtures/{n}.txt", title=title, body=body,
        date=dt.date.fromisoformat(date) if date else None, url=url,
        facets={name: v for name, v in values.items() if v},
        mentioned={"country": list(mentioned)} if mentioned else {},
        content_hash=f"hash{n}", path=f"/fixtures/{n}.txt",
    )


@pytest.fixture(autouse=True)
def unhurried_searches(request, monkeypatch):
    """Searches in tests get time budgets that a busy shared machine cannot spend, so a result is
    never cut short by load (a cut-short search differs from the whole one by design). Tests of
    the cut itself set their own budget or clock after this; ``default_budgets`` keeps the settings'."""
    from indexer import settings
    if request.node.get_closest_marker("default_budgets"):
        return
    monkeypatch.setattr(settings, "SEARCH_TIME_BUDGET", 120.0)
    monkeypatch.setattr(settings, "FACET_TIME_BUDGET", 120.0)


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# ---------------------------------------------------------------- a server in a thread (web and reliability tests)

@contextlib.contextmanager
def waitress_in_thread(index: Path, threads: int = 4):
    """The web app under waitress on a free loopback port, in a background thread; yields the
    base URL. Stopping closes the server's socket while its loop may be inside select(),
    which then fails with EBADF: that one error, at shutdown, is expected and dropped."""
    from waitress.server import create_server

    from webui import create_app
    server = create_server(create_app({"INDEX": str(index)}), host="127.0.0.1", port=0, threads=threads)
    stopping = threading.Event()

    def run():
        try:
            server.run()
        except OSError as exc:
            if not (stopping.is_set() and exc.errno == errno.EBADF):
                raise
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)


# ---------------------------------------------------------------- the OpenSearch development cluster

def _opensearch_data(controller_pid: int) -> Path:
    """Where a test run's shared cluster lives: one folder per run, named by the controlling process."""
    import tempfile
    return Path(tempfile.gettempdir()) / f"newsfacet-opensearch-{controller_pid}"


@pytest.fixture(scope="session")
def opensearch_cluster(request):
    """One 2-node development cluster for the whole run, on free loopback ports (marker ``opensearch``).

    With xdist, the first worker that needs it starts it (under a file lock) and the others use it;
    the launcher is tied to the run's controller, and ``pytest_sessionfinish`` below stops it by pid.
    Skips only when java or mvn is missing."""
    import fcntl

    from tests import opensearch_cluster as dev
    reason = dev.missing_tools()
    if reason:
        pytest.skip(f"the OpenSearch development cluster needs a JDK and Maven: {reason}")
    worker = getattr(request.config, "workerinput", None)
    controller = os.getppid() if worker is not None else os.getpid()
    data = _opensearch_data(controller)
    data.mkdir(parents=True, exist_ok=True)
    with open(data.parent / f"{data.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cluster = dev.read(data) or dev.start_on_free_ports(data, nodes=2, parent_pid=controller)
    yield cluster
    if worker is None:
        _stop_opensearch(data)


def _engine_params() -> list:
    """Every engine in ENGINES as a test parameter, the cluster ones marked ``opensearch``."""
    from indexer.engines import ENGINES
    return [pytest.param(name, marks=[pytest.mark.opensearch] if name == "opensearch" else []) for name in ENGINES]


ENGINE_PARAMS = _engine_params()


def open_test_engine(request, name: str, where):
    """A fresh, empty index of engine ``name``: the folder ``where`` for Whoosh; for OpenSearch an
    alias of its own on the run's development cluster, dropped when the requesting scope ends."""
    import uuid

    from indexer.engines import open_engine
    if name != "opensearch":
        return open_engine(name, index_dir=where)
    cluster = request.getfixturevalue("opensearch_cluster")
    engine = open_engine("opensearch", url=cluster.url, index=f"test-{uuid.uuid4().hex[:12]}")
    request.addfinalizer(engine.drop)
    return engine


def indexed_sessions(request, tmp_path_factory, name: str, articles):
    """A module fixture's body: ``articles`` indexed once in engine ``request.param``, one session
    over them yielded (closed, and the engine with it, when the module is done)."""
    engine = open_test_engine(request, request.param, tmp_path_factory.mktemp(name) / "index")
    engine.index_articles(articles)
    with engine.session() as s:
        yield s
    engine.close()


def _stop_opensearch(data: Path) -> None:
    import shutil

    from tests import opensearch_cluster as dev
    if dev.stop(data):
        shutil.rmtree(data, ignore_errors=True)
    (data.parent / f"{data.name}.lock").unlink(missing_ok=True)


def pytest_sessionfinish(session, exitstatus):
    """The controller of an xdist run stops the cluster its workers shared (by the pid it wrote)."""
    if getattr(session.config, "workerinput", None) is None and _opensearch_data(os.getpid()).exists():
        _stop_opensearch(_opensearch_data(os.getpid()))
