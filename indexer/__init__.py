"""Newsfacet's library: read, clean, extract and index news articles, and search them.

This is the only package that imports Whoosh; the CLI and the web app call the
functions re-exported here with plain data (see ``indexer.model``).
"""
from indexer.model import (  # noqa: F401
    Article, RawArticle, Skipped, SkipFile, SearchRequest, SearchResult, Facet, FacetValue, Hit,
)
