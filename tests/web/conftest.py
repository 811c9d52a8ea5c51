"""The web tests' fixtures, as in Flask's tutorial (flaskr): ``app`` from ``create_app(test_config)``
over a fresh temporary index of the fixture archive (``tests/web/archive.py``), its ``client`` and
its CLI ``runner``.

The index is built once per test session (the tests only read it; those that change an index
build their own); the app, its client and runner are new for every test. ``corpus_index`` and
``corpus_client`` are the same over the repository's sample corpus (``corpus/``), read and
extracted by a rebuild, for the tests that need real articles.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, SEED
from tests.web.archive import web_articles


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    """An index of ``web_articles()`` in a temporary folder, built with ``index_articles`` (no reading).

    The archive's bodies are one template with other numbers, which the story rule would group; here
    each article is a story of its own (an empty fingerprint: only an exact copy would join it), so
    that the counts these tests expect are of articles. ``test_stories_web.py`` tests grouping."""
    from indexer.build import index_articles
    from indexer.ingest.fingerprint import of_hashes
    import numpy as np
    root = tmp_path_factory.mktemp("web-index")
    articles = web_articles()
    for article in articles:
        article.fingerprint = of_hashes(np.empty(0, dtype=np.uint32))
    index_articles(articles, root)
    return root


@pytest.fixture
def app(web_index):
    """The app under test, over the fixture index."""
    from webui import create_app
    return create_app({"INDEX": str(web_index), "TESTING": True, "PROPAGATE_EXCEPTIONS": False})


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for ``app``'s ``flask`` commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of the sample corpus (``corpus/``), built by ``rebuild`` (reading and extraction)."""
    from indexer.build import rebuild
    if not SEED.exists():
        pytest.skip("seed article not in corpus/")
    root = tmp_path_factory.mktemp("corpus-index") / "index"
    rebuild([REPO / "corpus"], root, workers=1)
    return root


@pytest.fixture
def corpus_client(corpus_index):
    """A test client of the app over the sample corpus's index."""
    from webui import create_app
    return create_app({"INDEX": str(corpus_index), "TESTING": True, "PROPAGATE_EXCEPTIONS": False}).test_client()
