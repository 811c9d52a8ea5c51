"""Which languages a search analyses its words in: the same rule for every engine.

An article's title and body are indexed in its analysis language (``indexer.languages.analysis``:
its own, or English for an unknown one). A query's words are analysed in every analysis language
the index holds, so that ``elecciones`` finds Spanish articles with *elección* and ``Macron`` is found
in every language; when the search is narrowed to languages (the ``text_language`` facet's filter,
or its field in the query: ``lang:es``), in those only.
"""
from __future__ import annotations

from typing import Iterable, Optional

from indexer import facets, languages
from indexer.model import SearchRequest
from indexer.querylang import Node, parse, required_values


def ordered(codes: Iterable[str]) -> tuple[str, ...]:
    """Analysis languages in the order every engine lists them: English first, then by code."""
    found = set(codes)
    return tuple(sorted(found, key=lambda c: (c != languages.ENGLISH, c)))


def narrowed(req: Optional[SearchRequest], tree: Optional[Node]) -> Optional[set[str]]:
    """The languages (codes as stored) a search is narrowed to, None when it is not: the facet's
    selected values, and the values the query requires (``lang:es``; ``lang:es OR lang:fr``);
    both: the values they share."""
    spec = facets.LANGUAGE
    if spec is None:
        return None
    found: Optional[set[str]] = None
    if req is not None and req.chosen(spec.name):
        found = {facets.typed(spec, v) for v in req.chosen(spec.name)}
    required = required_values(tree, spec.name) if tree is not None else None
    if required is not None:
        found = required if found is None else found & required
    return found


def search_languages(present: Iterable[str], req: Optional[SearchRequest] = None,
                     tree: Optional[Node] = None) -> tuple[str, ...]:
    """The analysis languages a search's words are analysed in: those of the languages it is
    narrowed to, else every one ``present`` (the index's analysis languages); English alone when
    there is none."""
    chosen = narrowed(req, tree)
    langs = {languages.analysis(c) for c in chosen} if chosen is not None else set(present)
    return ordered(langs) or (languages.ENGLISH,)


def typed_languages(present: Iterable[str], req: Optional[SearchRequest]) -> tuple[str, ...]:
    """``search_languages`` for a search being typed (autocomplete): ``req``'s filters and its query
    text as typed so far (``lang:es elec``); every present language without ``req``."""
    if req is None:
        return ordered(present) or (languages.ENGLISH,)
    return search_languages(present, req, parse(req.q).tree if req.q.strip() else None)
