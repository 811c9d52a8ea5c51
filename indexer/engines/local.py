"""An index given as a folder: the embedded engine's writer for it.

``indexer.build`` accepts a Writer or, for library use and tests, a folder; a folder is an
embedded (Whoosh) index whatever ``NEWSFACET_ENGINE`` says, since only that engine keeps its
index in one. The import is deferred so that choosing another engine never loads Whoosh.
"""
from __future__ import annotations

import os

from indexer.engines.base import Writer


def folder_writer(index_dir: str | os.PathLike | None = None) -> Writer:
    """A writer for the index folder ``index_dir`` (default ``$NEWSFACET_INDEX``, else ``./index``)."""
    from indexer.engines.whoosh.writer import WhooshWriter
    return WhooshWriter(index_dir)
