"""The query language: user text → Whoosh query, with friendly messages instead of errors.

Words must all match; ``"phrases"``, ``OR``, ``NOT``/``-word``, ``(groups)``;
fields ``title:``, ``person:``, ``author:``, ``country:`` and ``date:`` (``2004``, ``2004-02``,
``[2004-01-01 TO 2004-03-31]``). A mistake (an unbalanced quote or bracket, an
unknown field, an impossible date) is repaired, reported in a message, and the
rest of the query still runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.qparser import MultifieldParser

from indexer.docvalues import DocValues, fold
from indexer.request import parse_date
from indexer.schema import AUTHOR_FIELD, COUNTRY_FIELD, NAME_FIELDS, PERSON_FIELD, TEXT_ANALYZER, VALUE_FIELDS, make_schema

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
_SCHEMA = make_schema()
_PARSER = MultifieldParser(list(TEXT_FIELDS), _SCHEMA)


@dataclass
class ParsedQuery:
    query: wq.Query
    text_terms: set = field(default_factory=set)   # (field, analysed text) pairs, for highlighting
    words: list[str] = field(default_factory=list)  # plain words the user typed (for "did you mean")
    messages: list[str] = field(default_factory=list)
    empty: bool = False
    text: str = ""                                  # the query as parsed, after repairs


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


def words_query(text: str) -> wq.Query:
    """Every word of ``text`` must match, in title or body; no syntax at all (the parser's fallback)."""
    terms = [t.text for t in TEXT_ANALYZER(text)]
    if not terms:
        return wq.NullQuery
    return wq.And([wq.Or([wq.Term(f, t) for f in TEXT_FIELDS]) for t in dict.fromkeys(terms)])


def parse(text: str, values: DocValues) -> ParsedQuery:
    if not text or not text.strip():
        return ParsedQuery(wq.Every(), empty=True)
    fixed, messages = repair(text)
    try:
        q = _PARSER.parse(fixed)
    except Exception as exc:   # the parser is lenient, but never let a query become a 500
        messages.append(f"The query could not be read ({type(exc).__name__}); searched its words instead.")
        q = words_query(fixed)
    parsed = ParsedQuery(query=wq.NullQuery, messages=messages, text=fixed)
    parsed.query = _rewrite(q, values, parsed).normalize()
    for fieldname, term in parsed.query.iter_all_terms(phrases=True):
        if fieldname in TEXT_FIELDS:
            parsed.text_terms.add((fieldname, term))
    parsed.words = [w for w in re.findall(r"[^\W\d_]{3,}", _outside_quotes(fixed, lambda s: re.sub(r"\w+:\S+", " ", s)))
                    if w not in ("AND", "OR", "NOT")]
    if parsed.query is wq.NullQuery and not parsed.messages:
        parsed.messages.append("Nothing in the query could be searched.")
    return parsed


def _rewrite(q: wq.Query, values: DocValues, parsed: ParsedQuery) -> wq.Query:
    """Resolve facet-field terms against the index's names, and date terms to ranges."""
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
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _rewrite(sub, values, parsed))


def _facet_term(fieldname: str, text: str, values: DocValues, parsed: ParsedQuery) -> wq.Query:
    mv = values.multi[fieldname]
    ids = mv.by_key.get(fold(text), [])
    if not ids and fieldname in NAME_FIELDS:
        ids = mv.by_last.get(fold(text), [])   # person:kelly → every Kelly
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
