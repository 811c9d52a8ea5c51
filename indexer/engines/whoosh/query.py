"""The query tree (``indexer.querylang``) compiled to a Whoosh query, with what the search needs beside it.

Words are analysed as the index is (stemmed, folded, ``six-party`` split), a word without a field
looks in title and body, facet values resolve against the generation's names (``person:kelly`` is
every Kelly), date ranges become ranges over the ``date`` field, and wildcards and prefixes expand
through the index's words (``indexer.engines.whoosh.vocabulary``) to at most
``settings.MAX_EXPANSIONS`` terms, the most frequent first, with a message when the cap cut them.
For the search's forgiving matching and proximity bonus the compile also says which top-level
clauses are words (``querylang.relaxable``) and which words stand side by side (``querylang.word_pairs``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from whoosh import query as wq

from indexer import querylang, settings
from indexer.engines.whoosh.docvalues import DocValues
from indexer import facets
from indexer.engines.whoosh.schema import make_schema
from indexer.facets import lookup_key
from indexer.querylang import TEXT_FIELDS, Query
from indexer.textkeys import casefold_key

_SCHEMA = make_schema()


@dataclass
class ParsedQuery:
    """A compiled query: the Whoosh query, terms to highlight, words to correct, repair messages."""
    query: wq.Query
    text_terms: set = field(default_factory=set)   # (field, analysed text) pairs, for highlighting
    words: list[str] = field(default_factory=list)  # plain words the user typed (for "did you mean")
    messages: list[str] = field(default_factory=list)
    empty: bool = False
    text: str = ""                                  # the query as parsed, after repairs
    clauses: list = field(default_factory=list)     # top-level word clauses: the ones forgiving matching relaxes
    required: list = field(default_factory=list)    # the other top-level clauses (filters, NOT), always required
    pairs: list = field(default_factory=list)       # (term, term) of words typed side by side, for proximity
    expansions: dict = field(default_factory=dict)  # wildcard pattern → the term tuples it expanded to
    named: frozenset = frozenset()                  # facets the query asks for by value (``story:…``)


def parse(text: str, values: DocValues, vocab=None) -> ParsedQuery:
    """Query text to a compiled query, so a mistyped query still runs and says what was fixed.

    ``vocab`` (the generation's Vocabulary): wildcards and prefixes expand through it, bounded;
    without it they are left to Whoosh (unbounded: for tests of the compile only)."""
    return compile(querylang.parse(text), values, vocab)


def compile(query: Query, values: DocValues, vocab=None) -> ParsedQuery:   # noqa: A001 (the compiler's verb)
    """The Whoosh query for a parsed query, with the terms, clauses and word pairs the search uses."""
    parsed = ParsedQuery(query=wq.NullQuery, messages=list(query.messages), text=query.text,
                         words=list(query.words), named=querylang.named_facets(query.tree))
    tree = query.tree
    if isinstance(tree, querylang.Everything):
        parsed.query, parsed.empty = wq.Every(), True           # no words, `*`, `title:*`: every article
        return parsed
    if isinstance(tree, querylang.Nothing):
        return parsed
    parts, seen = [], set()                                     # (node, compiled) of the top-level AND
    for node in querylang.top_level(tree):
        q = _compile(node, values, parsed, vocab).normalize()
        if q is not wq.NullQuery and repr(q) not in seen:     # a pasted paragraph repeats its words: once each
            seen.add(repr(q))
            parts.append((node, q))
    if not parts:
        q = wq.NullQuery
    elif len(parts) == 1:
        q = parts[0][1]
    else:
        q = wq.And([c for _, c in parts]).normalize()
        if type(q) is wq.And:
            unique = list({repr(s): s for s in q.subqueries}.values())
            q = unique[0] if len(unique) == 1 else wq.And(unique) if len(unique) < len(q.subqueries) else q
    parsed.query = q
    if _is_every(q):
        parsed.query, parsed.empty = wq.Every(), True
    clauses, required = querylang.relaxable(parts, key=lambda part: part[0])
    parsed.clauses, parsed.required = [c for _, c in clauses], [c for _, c in required]
    parsed.pairs = querylang.word_pairs([n for n, _ in parts], _analysed)
    for fieldname, term in parsed.query.iter_all_terms(phrases=True):
        if fieldname in TEXT_FIELDS:
            parsed.text_terms.add((fieldname, term))
    if parsed.query is wq.NullQuery and not parsed.messages:
        parsed.messages.append("Nothing in the query could be searched.")
    return parsed


# Fields analysed alike share their analyses (title and body have one analyzer).
_ANALYSED_AS = {name: next(f for f in _SCHEMA.names() if _SCHEMA[f].analyzer is _SCHEMA[name].analyzer)
                if getattr(_SCHEMA[name], "analyzer", None) is not None else name for name in _SCHEMA.names()}


def _tokens(fieldname: str, text: str, tokenize: bool = True) -> tuple[str, ...]:
    """``text`` as the field analyses a query (kept: a pasted paragraph and the next page ask again)."""
    return _analysis(_ANALYSED_AS.get(fieldname, fieldname), text, tokenize)


@lru_cache(maxsize=8192)
def _analysis(fieldname: str, text: str, tokenize: bool) -> tuple[str, ...]:
    return tuple(_SCHEMA[fieldname].process_text(text, mode="query", tokenize=tokenize, removestops=tokenize))


def _analysed(word: str) -> list[str]:
    """A typed word's index terms (``talks`` → [talk], ``six-party`` → [six, parti])."""
    return list(_tokens("body", word))


def _compile(node, values: DocValues, parsed: ParsedQuery, vocab) -> wq.Query:
    """One tree node as a Whoosh query (not yet normalized)."""
    kind = type(node)
    if kind is querylang.Word:
        return _per_field(node.field, lambda f: _term(f, node.text))
    if kind is querylang.Phrase:
        return _per_field(node.field, lambda f: _phrase(f, node.words))
    if kind is querylang.Pattern:
        return _per_field(node.field, lambda f: _pattern(f, node.pattern, vocab, parsed))
    if kind is querylang.FacetValue:
        return _facet_term(node.facet, node.value, values, parsed)
    if kind is querylang.DateRange:
        lo = node.start.isoformat() if node.start else "0001-01-01"    # "" (unknown) stays out
        hi = node.end.isoformat() if node.end else None
        return wq.TermRange("date", lo, hi, startexcl=False, endexcl=False, constantscore=True)
    if kind is querylang.All:
        return wq.And([_compile(c, values, parsed, vocab) for c in node.children])
    if kind is querylang.Any:
        return wq.Or([_compile(c, values, parsed, vocab) for c in node.children])
    if kind is querylang.Not:
        return wq.Not(_compile(node.child, values, parsed, vocab))
    if kind is querylang.Everything:
        return wq.Every()
    return wq.NullQuery


def _per_field(fieldname: Optional[str], one) -> wq.Query:
    """``one(field)`` in the named text field, or in title or body when the part names none."""
    if fieldname:
        return one(fieldname)
    return wq.Or([one(f) for f in TEXT_FIELDS])


def _term(fieldname: str, text: str) -> wq.Query:
    """A typed word as the field analyses it: one term, or every term of a word it splits."""
    texts = _tokens(fieldname, text)
    if not texts:
        return wq.NullQuery
    return wq.Term(fieldname, texts[0]) if len(texts) == 1 else wq.And([wq.Term(fieldname, t) for t in texts])


def _phrase(fieldname: str, words) -> wq.Query:
    """Typed words side by side, analysed; one analysed word is that word's term."""
    texts = [t.text for t in _SCHEMA[fieldname].tokenize(" ".join(words), mode="query")]
    if not texts:
        return wq.NullQuery
    return wq.Term(fieldname, texts[0]) if len(texts) == 1 else wq.Phrase(fieldname, texts)


def _pattern(fieldname: str, pattern: str, vocab, parsed: ParsedQuery) -> wq.Query:
    """A wildcard as the field folds it (the pattern is not split into words): expanded through
    ``vocab`` when given, else Whoosh's own (unbounded) prefix or wildcard query."""
    prefix = len(pattern) > 1 and pattern.find("*") == len(pattern) - 1 and \
        not any(q in pattern for q in querylang.QMARKS)
    core = pattern[:-1] if prefix else pattern
    texts = _tokens(fieldname, core, tokenize=False)
    if not texts:
        return wq.NullQuery
    if vocab is not None:
        return _expand(fieldname, texts[0] + "*" if prefix else texts[0], vocab, parsed)
    return wq.Prefix(fieldname, texts[0]) if prefix else wq.Wildcard(fieldname, texts[0])


def _is_every(q) -> bool:
    return isinstance(q, wq.Every) and not q.fieldname


def _expand(fieldname: str, pattern: str, vocab, parsed: ParsedQuery) -> wq.Query:
    """A wildcard as the index's most frequent matching words (analysed as the field is):
    at most MAX_EXPANSIONS terms whose words are in MAX_EXPANSION_DOCS documents in all
    (the first always), with a message when more matched or none did."""
    if not pattern.strip("*"):
        return wq.Every()
    terms = parsed.expansions.get(pattern)
    if terms is None:
        terms, seen, cut, postings = [], set(), False, 0
        for word in vocab.matching(pattern):
            analysed = _tokens(fieldname, word)
            if not analysed or analysed in seen:
                continue
            postings += vocab.freq.get(word, 0)
            if len(terms) >= settings.MAX_EXPANSIONS or (terms and postings > settings.MAX_EXPANSION_DOCS):
                cut = True
                break
            seen.add(analysed)
            terms.append(analysed)
        parsed.expansions[pattern] = terms
        if not terms:
            parsed.messages.append(f"No word in the index matches “{pattern}”.")
        elif cut:
            parsed.messages.append(f"“{pattern}” matches more words than a search reads; searched its "
                                   f"{len(terms)} most frequent.")
    if not terms:
        return wq.NullQuery
    subs = [wq.Term(fieldname, t[0]) if len(t) == 1 else wq.And([wq.Term(fieldname, x) for x in t]) for t in terms]
    return subs[0] if len(subs) == 1 else wq.Or(subs)


def _facet_term(name: str, text: str, values: DocValues, parsed: ParsedQuery) -> wq.Query:
    """A facet value as the index's names it stands for (the facet's field is named after it): the
    full name, else every name its lookup key finds (``person:kelly`` → every Kelly; with the "word"
    lookup, every name having the word)."""
    spec = facets.spec(name)
    mv = values.multi[name]
    ids = mv.by_key.get(casefold_key(text), [])
    if not ids and spec.lookup:
        ids = mv.by_lookup.get(casefold_key(lookup_key(text)), [])
    if not ids:
        parsed.messages.append(f"No article has the {spec.noun} “{text}”.")
        return wq.NullQuery
    terms = [wq.Term(name, mv.names[i]) for i in ids]
    return terms[0] if len(terms) == 1 else wq.Or(terms)
