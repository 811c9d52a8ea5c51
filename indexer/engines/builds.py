"""The build entry points every engine shares: an engine supplies ``writer()``, and rebuild, update
and index_articles are the same calls into ``indexer.build`` (kept out of ``base`` so the interface
module does not import the build, which imports the interface)."""
from __future__ import annotations

import os
from typing import Callable, Iterable, Optional

from indexer.model import Article


class BuildsThroughWriter:
    """``Engine.rebuild``/``update``/``index_articles`` for an engine that has a ``writer()``: each
    is one call into ``indexer.build``, which is the same whatever the engine writes to."""

    def rebuild(self, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
                progress: Optional[Callable[[int, int, int], None]] = None,
                on_files: Optional[Callable[[int], None]] = None, names=None):
        """``build.rebuild`` through this engine's writer: a new index, published atomically."""
        from indexer import build
        return build.rebuild(paths, self.writer(), workers=workers, progress=progress, on_files=on_files,
                             names=names)

    def update(self, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
               progress: Optional[Callable[[int, int, int], None]] = None,
               on_files: Optional[Callable[[int], None]] = None, names=None):
        """``build.update`` through this engine's writer: the published index edited, published atomically."""
        from indexer import build
        return build.update(paths, self.writer(), workers=workers, progress=progress, on_files=on_files,
                            names=names)

    def index_articles(self, articles: Iterable[Article]):
        """``build.index_articles`` through this engine's writer."""
        from indexer import build
        return build.index_articles(articles, self.writer())
