"""What forgiving matching and the proximity bonus read from a parsed query, the same for every
engine: which top-level parts are text clauses that may be left out (``relaxable``) and which typed
words stood side by side (``word_pairs``).
"""
from __future__ import annotations

from typing import Optional

from indexer import settings
from indexer.querylang.nodes import TEXT_FIELDS, All, Any, FacetValue, Node, Pattern, Phrase, Word

def is_text(node: Node) -> bool:
    """Whether a part is words, phrases and patterns in the text fields only (no NOT, dates or
    facet values): a clause forgiving matching may leave out when no article has them all."""
    if isinstance(node, (Word, Phrase, Pattern)):
        return node.field in (None, *TEXT_FIELDS)
    if isinstance(node, (All, Any)):
        return all(is_text(c) for c in node.children)
    return False


def top_level(tree: Node) -> tuple[Node, ...]:
    """The parts of a query that must all match: an AND's children, else the query itself."""
    return tree.children if isinstance(tree, All) else (tree,)


def required_values(tree: Node, facet: str) -> Optional[set[str]]:
    """The values of ``facet`` one of which every match must have (``lang:es``, ``lang:es OR
    lang:fr`` at the top level; several such parts: the values they share), None when the
    query does not require the facet."""
    found: Optional[set[str]] = None
    for part in top_level(tree):
        options = part.children if isinstance(part, Any) else (part,)
        if options and all(isinstance(o, FacetValue) and o.facet == facet for o in options):
            values = {o.value for o in options}
            found = values if found is None else found & values
    return found


def relaxable(parts, key=lambda part: part) -> tuple[list, list]:
    """(text clauses, required parts) of a query's top-level parts, when it is an AND of two text
    clauses or more (forgiving matching shows the articles with most of them); ([], []) otherwise.
    ``key``: a part's node, when the parts are an engine's own (node, compiled) pairs."""
    parts = list(parts)
    clauses = [p for p in parts if is_text(key(p))]
    if len(clauses) < 2:
        return [], []
    return clauses, [p for p in parts if not is_text(key(p))]


def typed_word(node: Node) -> Optional[str]:
    """The word a part is when it is one typed word in the text fields (``talks``, ``"talks"``), else None."""
    if isinstance(node, Word) and node.field in (None, *TEXT_FIELDS):
        return node.text
    if isinstance(node, Phrase) and len(node.words) == 1 and node.field in (None, *TEXT_FIELDS):
        return node.words[0]
    return None


def word_pairs(parts, analyse, limit: Optional[int] = None) -> list[tuple[str, str]]:
    """Pairs of analysed words that were typed side by side (``six-party talks``: six party,
    party talks), for the proximity bonus; at most ``limit`` (``settings.MAX_PROXIMITY_PAIRS``).
    ``parts``: the top-level parts in order; ``analyse``: an engine's word → its index terms."""
    limit = settings.MAX_PROXIMITY_PAIRS if limit is None else limit
    run: list = []
    pairs: list = []
    for part in list(parts) + [None]:
        word = typed_word(part) if part is not None else None
        terms = analyse(word) if word is not None else None
        if not terms:
            pairs.extend(zip(run, run[1:]))
            run = []
        else:
            run.extend(terms)
    return list(dict.fromkeys(p for p in pairs if p[0] != p[1]))[:limit]


def expansion_message(pattern: str, searched: int, cut: bool) -> Optional[str]:
    """What a page says of a wildcard's expansion, the same in every engine: that no word matched,
    or that the caps left words out (``searched``: the terms searched); None when all were searched."""
    if not searched:
        return f"No word in the index matches “{pattern}”."
    if cut:
        return f"“{pattern}” matches more words than a search reads; searched its {searched} most frequent."
    return None
