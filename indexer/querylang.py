"""The query language as a neutral tree: what a typed query means, before any engine reads it.

Query text is parsed once (``parse``) into the nodes below; each engine compiles the tree into its
own queries (``indexer.engines.whoosh.query`` into Whoosh's, ``indexer.engines.opensearch`` into
OpenSearch's query DSL). The tree holds words as the user typed them: analysing (stemming, folding,
splitting ``six-party``), resolving a facet value to the index's names (``person:kelly`` → every
Kelly) and expanding wildcards through the index's words (bounded by ``settings.MAX_EXPANSIONS``)
are the engine's, since they depend on what the index holds.

Nodes are frozen dataclasses, so a tree can be compared, hashed (a cache key) and printed.
``field`` on the text nodes is ``None`` for "title or body", else ``"title"`` or ``"body"``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as _field
from typing import Optional, Union

TEXT_FIELDS = ("title", "body")


@dataclass(frozen=True)
class Word:
    """One typed word (``talks``, ``six-party``, ``u.s.``) to find in ``field`` (None: title or body)."""
    text: str
    field: Optional[str] = None


@dataclass(frozen=True)
class Phrase:
    """Typed words that must stand side by side, in this order (``"six-party talks"``)."""
    words: tuple[str, ...]
    field: Optional[str] = None


@dataclass(frozen=True)
class Pattern:
    """A wildcard or prefix as typed (``oil*``, ``*e*``, ``te?t``): the engine expands it through
    the index's words, at most ``settings.MAX_EXPANSIONS`` of them, the most frequent first."""
    pattern: str
    field: Optional[str] = None


@dataclass(frozen=True)
class FacetValue:
    """A facet field's value as typed (``person:"James Kelly"``, ``country:china``): the engine
    resolves it against the names in the index (case- and accent-blind; a last name for names)."""
    facet: str            # a facet name from ``indexer.facets`` ("country", "person", "author")
    value: str


@dataclass(frozen=True)
class DateRange:
    """Articles dated from ``start`` to ``end`` inclusive; None is open. Articles without a date
    never match a date range."""
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None


@dataclass(frozen=True)
class All:
    """Every child must match (typed words side by side, ``AND``)."""
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Any:
    """At least one child must match (``OR``)."""
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    """The child must not match (``NOT x``, ``-x``); only meaningful inside an ``All``."""
    child: "Node"


@dataclass(frozen=True)
class Everything:
    """Every article (an empty query, ``*``, ``title:*``): browsing."""


@dataclass(frozen=True)
class Nothing:
    """No article (a query whose every part was unusable); the messages say why."""


Node = Union[Word, Phrase, Pattern, FacetValue, DateRange, All, Any, Not, Everything, Nothing]


@dataclass
class Query:
    """A parsed query: the tree, what was repaired, and what the search around it needs."""
    tree: Node
    text: str = ""                                   # the query as parsed, after repairs
    messages: list[str] = _field(default_factory=list)
    words: list[str] = _field(default_factory=list)  # plain typed words, for "did you mean"

    @property
    def empty(self) -> bool:
        """Whether the query asks for nothing but browsing (no words at all, or ``*``)."""
        return isinstance(self.tree, Everything)
