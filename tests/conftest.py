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
                 mentioned=(), url: str | None = None, authors=()) -> Article:
    """An Article as extraction would produce it, for search and web tests that skip reading."""
    return Article(
        id=f"art{n:04d}", source=f"/fixtures/{n}.txt", title=title, body=body,
        date=dt.date.fromisoformat(date) if date else None, url=url,
        people=list(people), countries=list(countries), countries_mentioned=list(mentioned),
        authors=list(authors), content_hash=f"hash{n}", path=f"/fixtures/{n}.txt",
    )


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
