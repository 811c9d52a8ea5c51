"""The engine session one web request reads, kept on Flask's ``g``.

A module of its own so the views can import it without importing the app factory that
registers them (no import circle); the factory's teardown closes the session.
"""
from __future__ import annotations

from flask import current_app, g

from indexer.engines import Session


def session() -> Session:
    """This request's engine session (one index state for the whole request), opened on first
    use and closed on teardown."""
    if "engine_session" not in g:
        g.engine_session = current_app.extensions["newsfacet_engine"].session()
    return g.engine_session
