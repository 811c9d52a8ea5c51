"""The query tree's nodes and ``Query``: what a parsed query is, shared by the parser and every engine.

Nodes are frozen dataclasses, so a tree can be compared, hashed (a cache key) and printed.
``field`` on the text nodes is ``None`` for "title or body", else ``"title"`` or ``"body"``.
``tidy`` brings a tree to its one plain shape, so engines see one shape for one meaning.
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
    facet: str            # a facet's name in the registry (``indexer.facets``)
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



def tidy(node: Node) -> Node:
    """The tree in its plain form, so engines see one shape for one meaning: nested ANDs and ORs
    flattened, repeated parts once, a lone child for its group; ``*`` beside words drops out
    of an AND and makes an OR everything; a part that could not be read (Nothing, with its
    message) drops out of a group, so the rest of the query still runs."""
    if isinstance(node, Not):
        child = tidy(node.child)
        return Nothing() if isinstance(child, Nothing) else Not(child)
    if not isinstance(node, (All, Any)):
        return node
    kind = type(node)
    children: list = []
    for child in (tidy(c) for c in node.children):
        for c in (child.children if type(child) is kind else (child,)):
            if c not in children:
                children.append(c)
    if kind is Any and any(isinstance(c, Everything) for c in children):
        return Everything()
    if kind is All:
        if children and all(isinstance(c, Everything) for c in children):
            return Everything()
        children = [c for c in children if not isinstance(c, Everything)]
    children = [c for c in children if not isinstance(c, Nothing)]
    if not children:
        return Nothing()
    return children[0] if len(children) == 1 else kind(tuple(children))


def named_facets(node: Node) -> frozenset[str]:
    """The facets a tree asks for by value outside a NOT (``story:…``, ``person:kelly``)."""
    if isinstance(node, FacetValue):
        return frozenset((node.facet,))
    if isinstance(node, (All, Any)):
        return frozenset().union(*(named_facets(c) for c in node.children))
    return frozenset()
