"""The query tree (``indexer.querylang``) compiled to a Whoosh query, with what the search needs beside it.

Words are analysed as the index is (stemmed, folded, ``six-party`` split), in each of the search's
languages (``indexer.engines.analysis``: every analysis language the index holds, or those ``lang:``
narrows it to): a word is the OR of its term in each language, keeping the terms the index holds
(the first language's when it holds none); a phrase is a phrase per language. A word without a
field looks in title and body, facet values resolve against the generation's names (``person:kelly`` is
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

from indexer import languages, querylang, settings
from indexer.engines.analysis import search_languages, word_languages
from indexer.engines.whoosh.docvalues import DocValues
from indexer import facets
from indexer.engines.whoosh.schema import make_schema, term_maker
from indexer.facets import lookup_key
from indexer.model import SearchRequest
from indexer.querylang import TEXT_FIELDS, Query
from indexer.textkeys import casefold_key

_SCHEMA = make_schema()
ENGLISH_ONLY = (languages.ENGLISH,)


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
    expansions: dict = field(default_factory=dict)  # (wildcard pattern, language) → the term tuples it expanded to
    named: frozenset = frozenset()                  # facets the query asks for by value (``story:…``)
    languages: tuple = ENGLISH_ONLY                 # the analysis languages the words were analysed in
    word_languages: tuple = ENGLISH_ONLY            # those whose words suggestions come from
    reader: object = field(default=None, repr=False)   # the index's reader, to keep terms it holds


def parse(text: str, values: DocValues, vocab=None, *, present=ENGLISH_ONLY,
          req: Optional[SearchRequest] = None, reader=None) -> ParsedQuery:
    """Query text to a compiled query, so a mistyped query still runs and says what was fixed.

    ``vocab`` (the generation's Vocabulary): wildcards and prefixes expand through it, bounded;
    without it they are left to Whoosh (unbounded: for tests of the compile only). ``present``:
    the index's analysis languages (``lang:`` in the query narrows them; ``req``'s filter narrows
    the suggestions' languages, ``ParsedQuery.word_languages``); ``reader``: the index's reader, to
    keep only the terms it holds when there are several."""
    query = querylang.parse(text)
    parsed = compile(query, values, vocab, search_languages(present, query.tree), reader)
    parsed.word_languages = word_languages(present, req, query.tree)
    return parsed


def compile(query: Query, values: DocValues, vocab=None,   # noqa: A001 (the compiler's verb)
            langs: tuple = ENGLISH_ONLY, reader=None) -> ParsedQuery:
    """The Whoosh query for a parsed query, with the terms, clauses and word pairs the search uses."""
    parsed = ParsedQuery(query=wq.NullQuery, messages=list(query.messages), text=query.text,
                         words=list(query.words), named=querylang.named_facets(query.tree),
                         languages=tuple(langs), reader=reader)
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
    parsed.pairs = _pairs([n for n, _ in parts], parsed)
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


def _analysed(word: str, lang: str = languages.ENGLISH) -> list[str]:
    """A typed word's index terms in a language (``talks`` → [talk], ``six-party`` → [six, parti])."""
    return list(_texts("body", word, lang))


def _texts(fieldname: str, text: str, lang: str, tokenize: bool = True) -> tuple[str, ...]:
    """``text`` as the field analyses it in ``lang``: English as the field's analyzer does (the
    index's untagged terms), another language through its term maker (tagged terms)."""
    if lang == languages.ENGLISH:
        return _tokens(fieldname, text, tokenize)
    return _language_tokens(text, lang, tokenize)


@lru_cache(maxsize=8192)
def _language_tokens(text: str, lang: str, tokenize: bool) -> tuple[str, ...]:
    maker = term_maker(lang)
    if tokenize:
        return maker.query_terms(text)
    return (maker.term(text),) if text else ()


def _held(parsed: ParsedQuery, fieldname: str, texts) -> bool:
    """Whether the index holds every one of ``texts`` in the field (True without a reader)."""
    reader = parsed.reader
    if reader is None:
        return True
    field = _SCHEMA[fieldname]
    return all((fieldname, field.to_bytes(t)) in reader for t in texts)


def _in_languages(fieldname: str, parsed: ParsedQuery, analyse, make) -> wq.Query:
    """The OR over the search's languages of ``make(field, texts)`` for ``analyse(lang)``'s texts;
    with several languages, only the ones the index holds (the first's when it holds none)."""
    options: dict = {}
    for lang in parsed.languages:
        texts = analyse(lang)
        if texts and texts not in options:
            options[texts] = lang
    if not options:
        return wq.NullQuery
    kept = list(options)
    if len(kept) > 1:
        kept = [t for t in kept if _held(parsed, fieldname, t)] or kept[:1]
    subs = [make(fieldname, texts) for texts in kept]
    return subs[0] if len(subs) == 1 else wq.Or(subs)


def _compile(node, values: DocValues, parsed: ParsedQuery, vocab) -> wq.Query:
    """One tree node as a Whoosh query (not yet normalized)."""
    kind = type(node)
    if kind is querylang.Word:
        return _per_field(node.field, lambda f: _term(f, node.text, parsed))
    if kind is querylang.Phrase:
        return _per_field(node.field, lambda f: _phrase(f, node.words, parsed))
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


def _terms_query(fieldname: str, texts) -> wq.Query:
    return wq.Term(fieldname, texts[0]) if len(texts) == 1 else wq.And([wq.Term(fieldname, t) for t in texts])


def _term(fieldname: str, text: str, parsed: ParsedQuery) -> wq.Query:
    """A typed word as the field analyses it in each language: one term, or every term of a word it splits."""
    return _in_languages(fieldname, parsed, lambda lang: _texts(fieldname, text, lang), _terms_query)


def _phrase_texts(fieldname: str, words, lang: str) -> tuple[str, ...]:
    if lang == languages.ENGLISH:
        return tuple(t.text for t in _SCHEMA[fieldname].tokenize(" ".join(words), mode="query"))
    return _language_tokens(" ".join(words), lang, True)


def _phrase(fieldname: str, words, parsed: ParsedQuery) -> wq.Query:
    """Typed words side by side, analysed in each language; one analysed word is that word's term."""
    def make(field, texts):
        return wq.Term(field, texts[0]) if len(texts) == 1 else wq.Phrase(field, list(texts))
    return _in_languages(fieldname, parsed, lambda lang: _phrase_texts(fieldname, words, lang), make)


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


def _pairs(nodes, parsed: ParsedQuery) -> list:
    """Pairs of words typed side by side, as terms of each of the search's languages (with
    several, the pairs whose terms the body holds), at most MAX_PROXIMITY_PAIRS per language."""
    pairs: list = []
    for lang in parsed.languages:
        found = querylang.word_pairs(nodes, lambda word: _analysed(word, lang))
        if len(parsed.languages) > 1:
            found = [p for p in found if _held(parsed, "body", p)]
        pairs.extend(p for p in found if p not in pairs)
    return pairs


def _is_every(q) -> bool:
    return isinstance(q, wq.Every) and not q.fieldname


def _expand(fieldname: str, pattern: str, vocab, parsed: ParsedQuery) -> wq.Query:
    """A wildcard as the index's most frequent matching words, per language: the words of that
    language's articles (``vocab.of``), analysed in it, at most MAX_EXPANSIONS terms whose words
    are in MAX_EXPANSION_DOCS documents in all (the first always), with a message when more
    matched or none did."""
    if not pattern.strip("*"):
        return wq.Every()
    subs, found, cut = [], 0, False
    for lang in parsed.languages:
        terms, lang_cut = _expansion(fieldname, pattern, lang, vocab, parsed)
        found += len(terms)
        cut = cut or lang_cut
        subs += [_terms_query(fieldname, t) for t in terms]
    key = ("message", pattern)
    if key not in parsed.expansions:        # title and body expand alike: said once
        parsed.expansions[key] = True
        message = querylang.expansion_message(pattern, found, cut)
        if message:
            parsed.messages.append(message)
    if not subs:
        return wq.NullQuery
    return subs[0] if len(subs) == 1 else wq.Or(subs)


def _expansion(fieldname: str, pattern: str, lang: str, vocab, parsed: ParsedQuery) -> tuple[list, bool]:
    """(term tuples, whether the caps cut them) of a wildcard in one language."""
    key = (pattern, lang)
    known = parsed.expansions.get(key)
    if known is not None:
        return known
    words = vocab.of(lang) if len(parsed.languages) > 1 else vocab
    terms, seen, cut, postings = [], set(), False, 0
    for word in words.matching(pattern):
        analysed = _texts(fieldname, word, lang)
        if not analysed or analysed in seen:
            continue
        postings += words.freq.get(word, 0)
        if len(terms) >= settings.MAX_EXPANSIONS or (terms and postings > settings.MAX_EXPANSION_DOCS):
            cut = True
            break
        seen.add(analysed)
        terms.append(analysed)
    parsed.expansions[key] = (terms, cut)
    return terms, cut


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
