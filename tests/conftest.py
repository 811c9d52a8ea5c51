"""Shared fixtures: paths to our fixtures and ../shared, and small indexes built in tmp dirs."""
from __future__ import annotations

import datetime as dt
import os
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
                 mentioned=(), url: str | None = None) -> Article:
    """An Article as extraction would produce it, for search and web tests that skip reading."""
    return Article(
        id=f"art{n:04d}", source=f"/fixtures/{n}.txt", title=title, body=body,
        date=dt.date.fromisoformat(date) if date else None, url=url,
        people=list(people), countries=list(countries), countries_mentioned=list(mentioned),
        content_hash=f"hash{n}", path=f"/fixtures/{n}.txt",
    )


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
