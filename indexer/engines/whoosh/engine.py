"""The Whoosh engine: an index folder of generations on this machine, behind the engine interface.

``WhooshEngine`` follows the folder's ``current`` link (a rebuild's publish is seen by the
next session); a ``WhooshSession`` holds one generation and lends one pooled searcher for
the request, so Whoosh searchers and document numbers never leave this package.
"""
from __future__ import annotations

import os
from typing import Iterator, Optional, Sequence

from indexer import settings
from indexer.engines.builds import BuildsThroughWriter
from indexer.engines.whoosh import search as whoosh_search
from indexer.engines.whoosh import overview, store
from indexer.engines.whoosh.stats import index_stats
from indexer.model import DayCounts, Facet, Hit, SearchRequest, SearchResult, Summary


class WhooshSession:
    """One request's generation and searcher (opened on first use, given back on ``close``)."""

    def __init__(self, gen: whoosh_search.Generation):
        self.generation = gen
        self._searcher = None

    def _s(self):
        if self._searcher is None:
            self._searcher = self.generation.searcher()
        return self._searcher

    def search(self, req: SearchRequest, messages: Optional[list[str]] = None) -> SearchResult:
        """One results page (see ``search.search``)."""
        return whoosh_search.search(self.generation, req, self._s(), messages)

    def facet_values(self, req: SearchRequest, name: str, prefix: str = "",
                     limit: int = settings.MAX_FACET_SIZE) -> Facet:
        """One facet's values, disjunctively counted, narrowed to ``prefix``."""
        return whoosh_search.facet_values(self.generation, req, name, prefix, limit, self._s())

    def article(self, article_id: str, q: str = "") -> Optional[dict]:
        """One article's fields, its body marked for ``q``; None when there is no such id."""
        art = whoosh_search.get_article(self.generation, self._s(), article_id, q=q)
        if art is not None:
            art.pop("docnum", None)
        return art

    def similar(self, article_id: str, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
        """Articles like this one, best first (Whoosh's more-like-this over the body)."""
        docnum = self._s().document_number(id=article_id)
        if docnum is None:
            return []
        return whoosh_search.more_like_this(self.generation, self._s(), docnum, top)

    def complete(self, prefix: str, limit: int = 8, req: Optional[SearchRequest] = None) -> list[dict]:
        """Names and index words starting with ``prefix`` (the words of the languages ``req`` narrows to)."""
        return whoosh_search.complete(self.generation, self._s(), prefix, limit, req)

    def day_counts(self, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
        """Matches per day of each request."""
        return overview.day_counts(self.generation, self._s(), reqs)

    def summaries(self, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
        """Each request's total, first and last day and top chip values."""
        return overview.summaries(self.generation, self._s(), reqs, top)

    def iter_hits(self, req: SearchRequest, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
        """Every hit, from a searcher of its own (the response streams after this session is closed)."""
        gen = self.generation

        def hits() -> Iterator[Hit]:
            with gen.searcher() as own:
                yield from whoosh_search.iter_hits(gen, req, own, limit=limit)
        return hits()

    def info(self) -> dict:
        """The generation's build.json."""
        return dict(self.generation.info)

    def stats(self, top: int = 10) -> dict:
        """``newsfacet stats``'s figures for this generation."""
        return index_stats(self.generation, top)

    def close(self) -> None:
        """Give the searcher back to the generation's pool."""
        searcher, self._searcher = self._searcher, None
        if searcher is not None:
            searcher.close()

    def __enter__(self) -> "WhooshSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WhooshEngine(BuildsThroughWriter):
    """The embedded default: an index folder (``NEWSFACET_INDEX``, default ``./index``)."""

    name = "whoosh"

    def __init__(self, index_dir: str | os.PathLike | None = None):
        self.index = whoosh_search.open_index(index_dir)
        self.root = self.index.root

    def session(self) -> WhooshSession:
        """A session on the generation published now (IndexUnavailable when there is none)."""
        return WhooshSession(self.index.generation())

    def exists(self) -> bool:
        """Whether the folder has a published generation."""
        return store.current_generation(self.root) is not None

    def location(self) -> str:
        """The index folder."""
        return str(self.root)

    def writer(self):
        """A ``WhooshWriter`` for this folder: one build's new generation, published by moving ``current``."""
        from indexer.engines.whoosh.writer import WhooshWriter
        return WhooshWriter(self.root)

    def close(self) -> None:
        """Close the open generation's searchers and files (once no session is using it)."""
        self.index.close()
