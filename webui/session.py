"""The index generation and searcher one web request reads, kept on Flask's ``g``.

A module of its own so the views can import it without importing the app factory that
registers them (no import circle); the factory's teardown closes the searcher.
"""
from __future__ import annotations

from flask import current_app, g


def generation():
    """The index generation this request reads (the same one for the whole request)."""
    if "generation" not in g:
        g.generation = current_app.extensions["newsfacet_index"].generation()
    return g.generation


def searcher():
    """This request's searcher, opened on first use and closed on teardown."""
    if "searcher" not in g:
        g.searcher = generation().searcher()
    return g.searcher
