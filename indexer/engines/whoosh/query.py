"""The query language: user text → Whoosh query, with friendly messages instead of errors.

Words must all match; ``"phrases"``, ``OR``, ``NOT``/``-word``, ``(groups)``;
fields ``title:``, ``person:``, ``author:``, ``country:`` and ``date:`` (``2004``, ``2004-02``,
``[2004-01-01 TO 2004-03-31]``). A mistake (an unbalanced quote or bracket, an
unknown field, an impossible date) is repaired, reported in a message, and the
rest of the query still runs.

Every query's cost is bounded whatever its text: wildcards and prefixes expand
through the index's words (``indexer.vocabulary``) to at most
``settings.MAX_EXPANSIONS`` terms, the most frequent first, with a message when
the cap cut them; ``*`` alone (or ``title:*``, ``**``) means every article. A
query of operators alone gets a message, and dangling ones are dropped. For the
search's forgiving matching and proximity bonus (``indexer.search``) the parse
also says which top-level clauses are words and which words stand side by side.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from whoosh import query as wq
from whoosh.qparser import MultifieldParser

from indexer import settings
from indexer.engines.whoosh.docvalues import DocValues
from indexer.request import parse_date
from indexer.engines.whoosh.schema import AUTHOR_FIELD, COUNTRY_FIELD, NAME_FIELDS, PERSON_FIELD, TEXT_ANALYZER, VALUE_FIELDS, make_schema
from indexer.textkeys import casefold_key

TEXT_FIELDS = ("title", "body")
FIELD_ALIASES = {
    "title": "title", "body": "body", "text": "body",
    "country": COUNTRY_FIELD, "countries": COUNTRY_FIELD, "party": COUNTRY_FIELD, "place": COUNTRY_FIELD,
    "person": PERSON_FIELD, "people": PERSON_FIELD,
    "author": AUTHOR_FIELD, "authors": AUTHOR_FIELD, "by": AUTHOR_FIELD,
    "date": "date",
}
_FIELD_RE = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_MINUS_RE = re.compile(r"(^|[\s(])-(?=[\w\"(])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_LEADING_OP = re.compile(r"^\s*\b(AND|OR|ANDNOT|ANDMAYBE)\b\s*")
_TRAILING_OP = re.compile(r"\s*\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*$")
_SYNTAX = re.compile(r'["()\[\]:*?~^]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')
LONG_PLAIN_WORDS = 16     # plain queries longer than this are analysed as a list of words, not parsed
_SCHEMA = make_schema()
_PARSER = MultifieldParser(list(TEXT_FIELDS), _SCHEMA)


@dataclass
class ParsedQuery:
    """What parsing yields beside the query itself: terms to highlight, words to correct, repair messages."""
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


def _outside_quotes(text: str, fn) -> str:
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = fn(parts[i])
    return '"'.join(parts)


def repair(text: str) -> tuple[str, list[str]]:
    """Fix what would make the parser guess: returns the text to parse and messages."""
    messages = []
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    if text.count('"') % 2:
        messages.append("A quotation mark was not closed; it was ignored.")
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1:]

    def fix(segment: str) -> str:
        def field_name(m):
            name = m.group(1)
            if name.lower() in FIELD_ALIASES:
                return FIELD_ALIASES[name.lower()] + ":"
            messages.append(f"There is no field “{name}”; it was searched as a word.")
            return name + " "
        segment = _FIELD_RE.sub(field_name, segment)
        return _MINUS_RE.sub(lambda m: m.group(1) + "NOT ", segment)
    text = _outside_quotes(text, fix)

    # Brackets: parentheses for groups, square brackets only in date ranges.
    depth, out = 0, []
    for segment_i, segment in enumerate(text.split('"')):
        if segment_i % 2:
            out.append(segment)
            continue
        chars = []
        for ch in segment:
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    messages.append("A closing bracket had no opening one; it was ignored.")
                    ch = " "
                else:
                    depth -= 1
            chars.append(ch)
        out.append("".join(chars))
    text = '"'.join(out)
    if depth:
        messages.append("A bracket was not closed; it was closed at the end.")
        text += ")" * depth
    opens, closes = text.count("["), text.count("]")
    if opens != closes or re.search(r"\[[^\]]*\[", text):
        messages.append("A date range was not closed; its brackets were ignored.")
        text = text.replace("[", " ").replace("]", " ")
    return text, messages


def words_query(text: str, limit: int = 0) -> wq.Query:
    """Every word of ``text`` must match, in title or body; no syntax at all (the parser's
    fallback, and long pastes). ``limit``: at most this many distinct words, the first ones."""
    terms = list(dict.fromkeys(t.text for t in TEXT_ANALYZER(text)))
    if limit:
        terms = terms[:limit]
    if not terms:
        return wq.NullQuery
    return wq.And([wq.Or([wq.Term(f, t) for f in TEXT_FIELDS]) for t in terms])


def operators(text: str, messages: list[str]) -> Optional[str]:
    """``text`` without dangling operators (``oil AND``), with a message for each; None
    when the query is operators alone (``AND OR``), which leaves nothing to search."""
    if '"' not in text and text.split() and all(w.strip("()") in _OPERATORS for w in text.split()):
        messages.append(f"“{' '.join(text.split())}” has only the operators AND, OR and NOT, and no words to "
                        "search for; to search for one as a word, put it in quotes (\"and\").")
        return None
    for regex, where in ((_LEADING_OP, "start"), (_TRAILING_OP, "end")):
        m = regex.search(text)
        if m:
            messages.append(f"“{m.group(1)}” at the {where} of the query joined nothing; it was ignored.")
            text = text[:m.start()] + " " + text[m.end():]
    return text


def parse(text: str, values: DocValues, vocab=None) -> ParsedQuery:
    """Query text to a query and repair messages, so a mistyped query still runs and says what was fixed.

    ``vocab`` (the generation's Vocabulary): wildcards and prefixes expand through it, bounded;
    without it they are left to Whoosh (unbounded: for tests of the parse only)."""
    if not text or not text.strip():
        return ParsedQuery(wq.Every(), empty=True)
    fixed, messages = repair(text)
    fixed = operators(fixed, messages)
    if fixed is None:
        return ParsedQuery(wq.NullQuery, messages=messages, text=text)
    try:
        # A long paste of plain words is every word, once: Whoosh's parser and normalize() compare
        # its clauses pairwise (a 1,000-character paste took 140 ms to parse).
        plain = len(fixed.split()) > LONG_PLAIN_WORDS and not _SYNTAX.search(fixed)
        q = words_query(fixed, settings.MAX_QUERY_WORDS) if plain else _PARSER.parse(fixed)
        if plain and isinstance(q, wq.And) and len(q.subqueries) == settings.MAX_QUERY_WORDS and \
                len(set(t.text for t in TEXT_ANALYZER(fixed))) > settings.MAX_QUERY_WORDS:
            messages.append(f"Only the first {settings.MAX_QUERY_WORDS} different words of the query were searched.")
    except Exception as exc:   # the parser is lenient, but never let a query become a 500
        messages.append(f"The query could not be read ({type(exc).__name__}); searched its words instead.")
        q = words_query(fixed)
    parsed = ParsedQuery(query=wq.NullQuery, messages=messages, text=fixed)
    parsed.query = _rewrite(q, values, parsed, vocab).normalize()
    if type(parsed.query) is wq.And:     # a pasted paragraph repeats its words: each is matched once
        unique = list({repr(s): s for s in parsed.query.subqueries}.values())
        if len(unique) < len(parsed.query.subqueries):
            parsed.query = unique[0] if len(unique) == 1 else wq.And(unique)
    if _is_every(parsed.query):
        parsed.query, parsed.empty = wq.Every(), True        # `*`, `title:*`: every article (browse)
    _clauses(parsed)
    for fieldname, term in parsed.query.iter_all_terms(phrases=True):
        if fieldname in TEXT_FIELDS:
            parsed.text_terms.add((fieldname, term))
    parsed.words = [w for w in re.findall(r"[^\W\d_]{3,}", _outside_quotes(fixed, lambda s: re.sub(r"\w+:\S+", " ", s)))
                    if w not in ("AND", "OR", "NOT")]
    if parsed.query is wq.NullQuery and not parsed.messages:
        parsed.messages.append("Nothing in the query could be searched.")
    return parsed


def _rewrite(q: wq.Query, values: DocValues, parsed: ParsedQuery, vocab=None) -> wq.Query:
    """Resolve facet-field terms against the index's names, date terms to ranges, and
    wildcards to the index's words."""
    if isinstance(q, wq.Term) and q.fieldname in VALUE_FIELDS:
        return _facet_term(q.fieldname, q.text, values, parsed)
    if isinstance(q, wq.Term) and q.fieldname == "date":
        return _date_range(q.text, q.text, parsed)
    if isinstance(q, wq.TermRange) and q.fieldname == "date":
        return _date_range(q.start, q.end, parsed)
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.fieldname in (*VALUE_FIELDS, "date"):
        parsed.messages.append(f"Wildcards don't work in {q.fieldname}: searches; use the exact name.")
        return wq.NullQuery
    if isinstance(q, wq.Phrase) and q.fieldname in VALUE_FIELDS:
        return _facet_term(q.fieldname, " ".join(q.words), values, parsed)
    if isinstance(q, wq.Every) and (not q.fieldname or q.fieldname in TEXT_FIELDS):
        return wq.Every()
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.fieldname in TEXT_FIELDS and vocab is not None:
        return _expand(q.fieldname, q.text + "*" if isinstance(q, wq.Prefix) else q.text, vocab, parsed)
    if q.is_leaf():
        return q
    out = q.apply(lambda sub: _rewrite(sub, values, parsed, vocab))
    # Whoosh's normalize() turns And([Every(), x]) into Every(): "oil *" would find everything.
    if type(out) is wq.And and any(_is_every(s) for s in out.subqueries):
        subs = [s for s in out.subqueries if not _is_every(s)]
        return wq.Every() if not subs else subs[0] if len(subs) == 1 else wq.And(subs)
    if type(out) is wq.Or and any(_is_every(s) for s in out.subqueries):
        return wq.Every()
    return out


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
            analysed = tuple(t.text for t in TEXT_ANALYZER(word))
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


def _text_only(q) -> bool:
    """Words and phrases in the text fields only (no NOT, ranges or facet fields)."""
    if type(q) in (wq.Term, wq.Phrase):
        return q.fieldname in TEXT_FIELDS
    if type(q) in (wq.And, wq.Or):
        return all(_text_only(s) for s in q.subqueries)
    return False


def _word_run(q) -> Optional[list]:
    """The analysed words of one typed word (``talks`` → [talk], ``six-party`` → [six, parti]),
    when the clause is that and nothing else; None otherwise."""
    if type(q) is wq.Term and q.fieldname in TEXT_FIELDS:
        return [q.text]
    if type(q) is wq.And and all(type(s) is wq.Term and s.fieldname in TEXT_FIELDS for s in q.subqueries):
        return [s.text for s in q.subqueries]
    if type(q) is wq.Or and q.subqueries:
        runs = [_word_run(s) for s in q.subqueries]
        if runs[0] is not None and all(r == runs[0] for r in runs):
            return runs[0]
    return None


def _clauses(parsed: ParsedQuery) -> None:
    """Fill ``clauses``/``required`` (a top-level AND of words) and ``pairs`` (adjacent words)."""
    q, required = parsed.query, []
    if type(q) is wq.AndNot:
        q, required = q.a, [wq.Not(q.b)]
    subs = list(q.subqueries) if type(q) is wq.And else [q]
    words = [s for s in subs if _text_only(s)]
    if type(q) is wq.And and len(words) >= 2:
        parsed.clauses = words
        parsed.required = required + [s for s in subs if not _text_only(s)]
    run: list = []
    pairs: list = []
    for sub in subs + [None]:
        found = _word_run(sub) if sub is not None else None
        if found is None:
            pairs.extend(zip(run, run[1:]))
            run = []
        else:
            run.extend(found)
    parsed.pairs = list(dict.fromkeys(p for p in pairs if p[0] != p[1]))[: settings.MAX_PROXIMITY_PAIRS]


def _facet_term(fieldname: str, text: str, values: DocValues, parsed: ParsedQuery) -> wq.Query:
    mv = values.multi[fieldname]
    ids = mv.by_key.get(casefold_key(text), [])
    if not ids and fieldname in NAME_FIELDS:
        ids = mv.by_last.get(casefold_key(text), [])   # person:kelly → every Kelly
    if not ids:
        label = {PERSON_FIELD: "person", AUTHOR_FIELD: "author"}.get(fieldname, "country")
        parsed.messages.append(f"No article has the {label} “{text}”.")
        return wq.NullQuery
    terms = [wq.Term(fieldname, mv.names[i]) for i in ids]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def _date_range(start, end, parsed: ParsedQuery) -> wq.Query:
    try:
        lo = parse_date(start).isoformat() if start else "0001-01-01"   # "" (unknown) stays out
        hi = parse_date(end, end=True).isoformat() if end else None
    except ValueError as exc:
        parsed.messages.append(f"Ignored a date: {exc}.")
        return wq.Every()
    return wq.TermRange("date", lo, hi, startexcl=False, endexcl=False, constantscore=True)
