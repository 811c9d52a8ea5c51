"""Search engines behind one interface (``base``); ``open_engine`` picks one by name.

The name comes from the caller, else ``NEWSFACET_ENGINE``, else ``whoosh`` (the embedded
default); ``opensearch`` serves an alias on an OpenSearch cluster. An engine package is imported only when chosen, so its client libraries are
needed only by those who use it.
"""
from __future__ import annotations

import os
from typing import Optional

from indexer.engines.base import BuildError, Engine, IndexUnavailable, NoIndex, OldIndex, Session

__all__ = ["ENGINES", "BuildError", "Engine", "IndexUnavailable", "NoIndex", "OldIndex", "Session", "engine_name",
           "open_engine"]

ENGINES = ("whoosh", "opensearch")
DEFAULT_ENGINE = "whoosh"


def engine_name(name: Optional[str] = None) -> str:
    """The engine to use: ``name``, else ``$NEWSFACET_ENGINE``, else whoosh; a clear error for an unknown one."""
    chosen = (name or os.environ.get("NEWSFACET_ENGINE") or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise IndexUnavailable(f"unknown search engine {chosen!r} (NEWSFACET_ENGINE): "
                               f"choose one of {', '.join(ENGINES)}")
    return chosen


def open_engine(name: Optional[str] = None, *, index_dir=None, url: Optional[str] = None,
                index: Optional[str] = None) -> Engine:
    """The engine by name: Whoosh over the folder ``index_dir``; OpenSearch on the cluster ``url``
    (default ``$NEWSFACET_OPENSEARCH_URL``) under the alias ``index`` (default ``$NEWSFACET_OPENSEARCH_INDEX``)."""
    chosen = engine_name(name)
    if chosen == "opensearch":
        try:
            from indexer.engines.opensearch.engine import OpenSearchEngine
        except ImportError as exc:
            raise IndexUnavailable(f"the OpenSearch engine needs opensearch-py ({exc.name} is missing): "
                                   "pip install 'newsfacet[opensearch]'") from None
        return OpenSearchEngine(url, index)
    from indexer.engines.whoosh.engine import WhooshEngine
    return WhooshEngine(index_dir)
