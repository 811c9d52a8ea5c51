"""The query language as a neutral tree: what a typed query means, before any engine reads it.

Query text is parsed once (``parse``) into the nodes of ``nodes``; each engine compiles the tree into its
own queries (``indexer.engines.whoosh.query`` into Whoosh's, ``indexer.engines.opensearch`` into
OpenSearch's query DSL). The tree holds words as the user typed them: analysing (stemming, folding,
splitting ``six-party``), resolving a facet value to the index's names (``person:kelly`` → every
Kelly) and expanding wildcards through the index's words (bounded by ``settings.MAX_EXPANSIONS``)
are the engine's, since they depend on what the index holds.

Words must all match; ``"phrases"``, ``OR``, ``NOT``/``-word``, ``(groups)``; fields ``title:``,
``body:``, one per facet of the registry by its name or an alias (``person:``, ``country:``…, values
resolved by the engine) and ``date:`` (``2004``, ``2004-02``, ``[2004-01-01 TO 2004-03-31]``). A
mistake (an unbalanced quote or bracket, an unknown field, an impossible date, a dangling operator)
is repaired and reported in ``Query.messages``, and the rest of the query still
runs; a query of operators alone parses to ``Nothing`` with a message.

The package re-exports every public name, so callers read ``indexer.querylang.X`` whichever module
holds it: ``nodes`` (the tree's dataclasses, ``Query``, ``tidy``), ``repairs`` (fixing typed text and
its messages, the field names), ``parser`` (the recursive descent, ``parse``) and ``clauses``
(``relaxable`` and ``word_pairs``: the same clauses for forgiving matching and the same word pairs for
the proximity bonus in every engine).
"""
from indexer.querylang.clauses import (expansion_message, is_text, relaxable, required_values, top_level, typed_word,
                                      word_pairs)
from indexer.querylang.nodes import (TEXT_FIELDS, All, Any, DateRange, Everything, FacetValue, Node, Not, Nothing,
                                     Pattern, Phrase, Query, Word, named_facets, tidy)
from indexer.querylang.parser import DATE_FIELD, LONG_PLAIN_WORDS, QMARKS, parse
from indexer.querylang.repairs import FIELD_ALIASES, FIELDS, OPERATORS, operators, repair, typed_words

__all__ = [
    "TEXT_FIELDS", "Word", "Phrase", "Pattern", "FacetValue", "DateRange", "All", "Any", "Not", "Everything",
    "Nothing", "Node", "Query", "tidy", "named_facets",
    "FIELD_ALIASES", "FIELDS", "OPERATORS", "repair", "operators", "typed_words",
    "DATE_FIELD", "LONG_PLAIN_WORDS", "QMARKS", "parse",
    "is_text", "top_level", "relaxable", "required_values", "typed_word", "word_pairs", "expansion_message",
]
