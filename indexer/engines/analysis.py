"""Which languages a search analyses its words in: the same rule for every engine.

An article's title and body are indexed in its analysis language (``indexer.languages.analysis``:
its own, or English for an unknown one). A query's words are analysed in every analysis language
the index holds, so that ``elecciones`` finds Spanish articles with *elección* and ``Macron`` is found
in every language; when the query requires languages (``lang:es``, ``lang:es OR lang:pt``), in
those only. The ``text_language`` facet's filter keeps only its languages' articles but does not
narrow the analysis: the facet counts disjunctively as every facet does (how many Spanish articles
ticking Spanish would add), which needs the words found in every language. Suggestions ("did you
mean", completed words) come from the words of the languages the filter or the query chose.
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


def _narrow(present: Iterable[str], chosen: Optional[set[str]]) -> tuple[str, ...]:
    langs = {languages.analysis(c) for c in chosen} if chosen is not None else set(present)
    return ordered(langs) or (languages.ENGLISH,)


def required(tree: Optional[Node]) -> Optional[set[str]]:
    """The languages (codes as stored) a query requires (``lang:es``), None when it requires none."""
    spec = facets.LANGUAGE
    if spec is None or tree is None:
        return None
    return required_values(tree, spec.name)


def chosen(req: Optional[SearchRequest], tree: Optional[Node]) -> Optional[set[str]]:
    """The languages a search is narrowed to by its filter and its query (the values both allow),
    None when neither narrows it."""
    spec = facets.LANGUAGE
    found = required(tree)
    if spec is not None and req is not None and req.chosen(spec.name):
        picked = {facets.typed(spec, v) for v in req.chosen(spec.name)}
        found = picked if found is None else found & picked
    return found


def search_languages(present: Iterable[str], tree: Optional[Node] = None) -> tuple[str, ...]:
    """The analysis languages a query's words are matched in: those the query requires, else every
    one ``present`` (the index's analysis languages); English alone when there is none."""
    return _narrow(present, required(tree))


def word_languages(present: Iterable[str], req: Optional[SearchRequest] = None,
                   tree: Optional[Node] = None) -> tuple[str, ...]:
    """The analysis languages whose words a search's suggestions come from ("did you mean",
    completion): those its filter and query narrow it to, else every one ``present``."""
    return _narrow(present, chosen(req, tree))


def typed_languages(present: Iterable[str], req: Optional[SearchRequest]) -> tuple[str, ...]:
    """``word_languages`` for a search being typed (autocomplete): ``req``'s filters and its query
    text as typed so far (``lang:es elec``); every present language without ``req``."""
    if req is None:
        return ordered(present) or (languages.ENGLISH,)
    return word_languages(present, req, parse(req.q).tree if req.q.strip() else None)
