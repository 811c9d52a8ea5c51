"""The engine interface: what every search engine behind Newsfacet provides.

Everything above an engine (``webui``, ``cli``, ``build``'s callers) speaks plain data from
``indexer.model``: a ``SearchRequest`` in, a ``SearchResult``/``Facet``/``Hit``/dict out. Nothing
here assumes how an engine stores or matches documents (no document numbers, arrays, or
engine query objects cross it), so an embedded index (Whoosh) and a cluster (OpenSearch)
can both stand behind it. ``tests/engines/contract.py`` checks any engine against it.

An ``Engine`` is long-lived (one per process, shared by threads); each request or command
opens a ``Session`` from it, which reads one consistent state of the index (a rebuild that
publishes meanwhile is seen by the next session) and is closed when the request ends.

A build (``indexer.build``) writes through the engine's ``Writer``: a new index beside the
served one, filled in batches, published atomically, or aborted without a trace.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, Optional, Protocol, Sequence, runtime_checkable

from indexer import settings
from indexer.model import Article, DayCounts, Facet, Hit, SearchRequest, SearchResult, Summary
from indexer.stories import StoryState


class IndexUnavailable(Exception):
    """The index cannot be read or written now (none built yet, locked by a build, unreachable):
    the message says why in one line, for the CLI's error and the web's 503 page."""


class NoIndex(IndexUnavailable):
    """No index has been published yet: the message says to run a rebuild (the web's "No index yet")."""


class BuildError(Exception):
    """The build could not produce an index; the message says why, the old index is untouched."""


# The shape of the documents an engine writes (fields per facet spec, their lookups and stored
# values). Bump it whenever that shape changes (a facet added to the registry, a kind or lookup
# changed): an index records the format it was built with, and one older than this is refused
# with one line saying to rebuild, instead of being read as if it had today's fields.
# 1: every index before the number was recorded. 2: the facet registry drives the fields.
# 3: every article has a story (the grouping facet) and the story state is kept with the index.
# 4: each article's language (a facet) and its title and body analysed in it.
# 5: Whoosh title and body postings hold frequencies; their positions are in the segments' .pos files only.
INDEX_FORMAT = 5
# What each format added, named in the refusal of an older index so that its user knows what a
# rebuild brings: the entry of every format after the one found.
FORMAT_ADDS = {2: "facets kept in the registry", 3: "stories", 4: "per-language analysis",
               5: "a smaller index"}


def format_gains(found: int) -> str:
    """"stories and per-language analysis": what a rebuild adds to an index of format ``found``."""
    gains = [what for number, what in sorted(FORMAT_ADDS.items()) if found < number <= INDEX_FORMAT]
    return " and ".join(filter(None, [", ".join(gains[:-1]), gains[-1]])) if gains else ""


class OldIndex(IndexUnavailable):
    """The index was built by an earlier Newsfacet, in a format this one does not read: rebuild it."""

    def __init__(self, found: int, rebuild_hint: str):
        gains = format_gains(found)
        super().__init__(f"This index was built by an earlier Newsfacet (format {found}, now {INDEX_FORMAT}): "
                         f"run `newsfacet rebuild PATH… {rebuild_hint}` to rebuild it"
                         + (f" with {gains}." if gains else "."))
        self.found = found


def check_format(recorded, rebuild_hint: str) -> None:
    """Refuse (OldIndex) an index whose recorded format (None: none recorded, so format 1) is not
    this code's; ``rebuild_hint``: the options that name the index in the rebuild command."""
    found = recorded if isinstance(recorded, int) and not isinstance(recorded, bool) else 1
    if found != INDEX_FORMAT:
        raise OldIndex(found, rebuild_hint)


@runtime_checkable
class Session(Protocol):
    """One request's view of the index: every call reads the same published state."""

    def search(self, req: SearchRequest, messages: Optional[list[str]] = None) -> SearchResult:
        """One results page: hits in order, facets with disjunctive counts, total, suggestion, messages."""

    def facet_values(self, req: SearchRequest, name: str, prefix: str = "",
                     limit: int = settings.MAX_FACET_SIZE) -> Facet:
        """One facet's values for ``req`` (counted with every *other* facet's filter), optionally
        only those with a word starting with ``prefix``."""

    def article(self, article_id: str, q: str = "") -> Optional[dict]:
        """One article's fields (id, title, date, source, url, dateline, body, body_html marked for
        ``q``, and ``facets``/``mentioned`` as a Hit's), or None."""

    def similar(self, article_id: str, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
        """Articles like this one (by their body's words), best first."""

    def complete(self, prefix: str, limit: int = 8, req: Optional[SearchRequest] = None) -> list[dict]:
        """Autocomplete: ``{"kind": a facet's name or "word", "value", "count"}`` starting with ``prefix``
        (a value shown by a label: its label does); words from the languages ``req`` (the search
        typed into) is narrowed to, when it is (``indexer.engines.analysis``)."""

    def day_counts(self, reqs: Sequence[SearchRequest]) -> list[DayCounts]:
        """For each request, in order: its matches per day, its undated matches and its total (a
        trend's series; copies counted as the request counts them)."""

    def summaries(self, reqs: Sequence[SearchRequest], top: int = 3) -> list[Summary]:
        """For each request, in order: its total, first and last day, and the ``top`` values of each
        facet shown as chips among its matches (a batch search's rows). A query the engine cannot run
        gets a Summary with ``error``; the others stand."""

    def iter_hits(self, req: SearchRequest, limit: int = settings.EXPORT_MAX_HITS) -> Iterator[Hit]:
        """Every hit of ``req`` in its order, for exports; stays valid after the session is closed
        (a response streams after its request ends)."""

    def info(self) -> dict:
        """What the last build recorded (``built_at``, ``command``, ``seconds``, …)."""

    def stats(self, top: int = 10) -> dict:
        """Counts, date range, top values, size and last build (``newsfacet stats``)."""

    def close(self) -> None:
        """Give back what the session holds (searchers, connections)."""


@runtime_checkable
class Engine(Protocol):
    """An index (a directory, a cluster alias) and the means to search and rebuild it."""

    name: str

    def session(self) -> Session:
        """A session reading the index as now published; raises IndexUnavailable when there is none."""

    def exists(self) -> bool:
        """Whether an index has been published (``serve`` refuses to start without one)."""

    def location(self) -> str:
        """Where the index lives, for messages (a folder, a cluster URL and alias)."""

    def rebuild(self, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
                progress: Optional[Callable[[int, int, int], None]] = None,
                on_files: Optional[Callable[[int], None]] = None, names=None):
        """Index every article under ``paths`` into a new index and publish it atomically (a BuildReport);
        ``names``: a checked names file (``indexer.ingest.names``) curating the values read."""

    def update(self, paths: Iterable[str | os.PathLike], *, workers: Optional[int] = None,
               progress: Optional[Callable[[int, int, int], None]] = None,
               on_files: Optional[Callable[[int], None]] = None, names=None):
        """Add new files, re-index changed ones, drop gone ones; publish atomically (a BuildReport).
        Refused (OldIndex) when the published index is of an earlier format."""

    def index_articles(self, articles: Iterable[Article]):
        """A new index from Articles already in memory, published atomically (library use, tests)."""

    def writer(self) -> "Writer":
        """The writing side of this index, for one build (``rebuild``/``update`` go through it)."""

    def close(self) -> None:
        """Release what the engine holds open."""


@dataclass(frozen=True)
class StoredArticle:
    """What ``update`` needs to know of an article already indexed: its id (to delete it), its file
    (and that file's hash, to tell unchanged files) and its content hash."""
    id: str
    path: str             # the input file it came from
    file_hash: str        # that file's hash when it was indexed
    content_hash: str
    dated: bool           # whether it has a date (the report counts the undated)


@dataclass(frozen=True)
class Written:
    """A finished, not yet published, index: how many articles it holds and its size."""
    articles: int
    size_bytes: int


@runtime_checkable
class Writer(Protocol):
    """One build's way into an engine: a new index written beside the served one, then published.

    The build calls, in order: ``begin``; for an update ``existing``, ``load_stories`` and ``delete``;
    ``add`` for each batch; ``relabel`` (when stories were merged) and ``save_stories``; ``commit``;
    ``publish``. Any exception in between is followed by ``abort``. Until
    ``publish`` returns, readers see the old index; after, the new one, never anything between.
    A Writer serves one build at a time; ``begin`` fails at once when another build holds the index.
    """

    location: str | Path       # where the index lives, for messages and the build report
    skip_report: Optional[Path]  # where the build's full skip list is written (None: nowhere)

    def begin(self, update: bool = False) -> None:
        """Take the index for this build and start a new index: empty (rebuild), or holding every
        article of the published one (``update``). Raises IndexUnavailable: another build holds
        it, or (update) nothing is published yet (NoIndex) or it is of an earlier format (OldIndex);
        BuildError: the index cannot be written."""

    def existing(self) -> Iterator[StoredArticle]:
        """The articles the new index started with (none after a rebuild's ``begin``)."""

    def add(self, articles: Sequence[Article]) -> None:
        """Index a batch of articles (already de-duplicated). The writer may buffer it and write it
        in parallel (processes, bulk requests); a failure surfaces here or in ``commit``."""

    def delete(self, article_ids: Collection[str]) -> int:
        """Remove the articles with these ids from the new index (exact copies share a content hash,
        so deletion is by id); returns how many."""

    def relabel(self, stories: dict[str, str]) -> int:
        """Give articles already added (article id → story) their new story, after two stories proved
        one; returns how many were changed."""

    def save_stories(self, state: StoryState) -> None:
        """Keep the story state with the new index (published with it), for the next ``update``."""

    def load_stories(self) -> StoryState:
        """The story state of the index an update started from (BuildError when it has none)."""

    def commit(self) -> Written:
        """Finish writing: everything added is in the new index, which is still not served."""

    def publish(self, info: dict) -> str | Path:
        """Record ``info`` (the build report) and INDEX_FORMAT with the committed index and serve it
        from now on, in one atomic step (a link or alias switch); returns the new index's name or
        folder. Releases the index for the next build."""

    def abort(self) -> None:
        """Drop the new index and release the index; the served one is untouched. Safe to call
        at any point, and again; a no-op after ``publish``."""

