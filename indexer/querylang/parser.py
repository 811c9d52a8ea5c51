"""Repaired query text to the tree (``parse``): a small recursive descent that groups as the Whoosh
parser it replaced did, so queries mean what they meant.

It is written out rather than built on luqum or lark because the grouping must be that parser's
exactly (NOT, then AND, OR, ANDNOT joining neighbours, what is left side by side last) and no input
may fail: a grammar library would still need those rules and the recovery around it, and would add
a dependency.
"""
from __future__ import annotations

import re
from typing import Optional

from indexer import facets, settings
from indexer.facets import VALUE_FACET_NAMES
from indexer.querylang.nodes import (All, Any, DateRange, Everything, FacetValue, Node, Not, Nothing, Pattern,
                                     Phrase, Query, Word, tidy)
from indexer.querylang.repairs import FIELDS, operators, repair, typed_words
from indexer.request import parse_date

DATE_FIELD = "date"
LONG_PLAIN_WORDS = 16     # plain queries longer than this are read as a list of words, not parsed
QMARKS = "?\u055E\u061F\u1367"   # "?" and the Armenian, Arabic and Ethiopic question marks: one character

_SYNTAX = re.compile(r'["()\[\]:*?~^]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')
_PASTE_WORD = re.compile(r"\w+(?:\.\w+)*")
_RANGE = re.compile(r"""
    (?P<open>[\[{])
    (?P<start>('[^']*?'\s+)|([^\]}]+?(?=[Tt][Oo])))?
    [Tt][Oo]
    (?P<end>(\s+'[^']*?')|([^\]}]+?))?
    (?P<close>[}\]])""", re.VERBOSE)
_SLOP = re.compile(r"~[1-9][0-9]*")
_BOOST = re.compile(r"\^[0-9]*(\.[0-9]+)?$")
_SINGLE_QUOTED = re.compile(r"'(.*?)'(?=\s|\]|[)}]|$)")
_FIELD_PREFIX = re.compile(r"(\w+):(?=\S)")
_INFIX = ("AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE")   # the order they bind in: AND before OR before ANDNOT


def parse(text: str) -> Query:
    """Query text to the neutral tree, repaired where it was mistyped: every engine compiles this.

    Never raises: what can't be read is repaired or dropped with a message in ``Query.messages``."""
    if not text or not text.strip():
        return Query(Everything())
    fixed, messages = repair(text)
    fixed = operators(fixed, messages)
    if fixed is None:
        return Query(Nothing(), text=text, messages=messages)
    try:
        # A long paste of plain words is every word, once, the first MAX_QUERY_WORDS of them.
        if len(fixed.split()) > LONG_PLAIN_WORDS and not _SYNTAX.search(fixed):
            tree = _paste(fixed, messages)
        else:
            tree = _Parser(fixed, messages).parse()
    except Exception as exc:    # the parser is lenient; still, never let a query become a 500
        messages.append(f"The query could not be read ({type(exc).__name__}); searched its words instead.")
        tree = _paste(fixed, [], limit=0)
    if isinstance(tree, Nothing) and not messages:
        messages.append("Nothing in the query could be searched.")
    return Query(tree, text=fixed, messages=list(dict.fromkeys(messages)), words=typed_words(fixed))


def _paste(text: str, messages: list[str], limit: Optional[int] = None) -> Node:
    """Every distinct word of ``text`` must match; no syntax. ``limit``: the first this many
    distinct words (default ``settings.MAX_QUERY_WORDS``; 0: all)."""
    limit = settings.MAX_QUERY_WORDS if limit is None else limit
    seen: dict = {}
    for w in _PASTE_WORD.findall(text):
        seen.setdefault(w.casefold(), w)
    words = list(seen.values())
    if limit and len(words) > limit:
        words = words[:limit]
        messages.append(f"Only the first {limit} different words of the query were searched.")
    return tidy(All(tuple(Word(w) for w in words)))


class _Parser:
    """Recursive descent over the repaired text. Grouping follows the query language: ``NOT``
    takes the next part; then ``AND`` joins its neighbours, then ``OR``, then ``ANDNOT``; the
    parts left side by side must all match."""

    def __init__(self, text: str, messages: list[str]):
        self.tokens = list(self._scan(text))
        self.pos = 0
        self.messages = messages

    # -- scanning: (kind, value); kinds: word, phrase, range, open, close, field, op, every

    @staticmethod
    def _scan(s: str):
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c.isspace():
                i += 1
                continue
            if c == '"':
                j = s.find('"', i + 1)
                j = n if j < 0 else j
                yield "phrase", s[i + 1:j]
                i = j + 1
                m = _SLOP.match(s, i)
                if m:
                    i = m.end()
                continue
            if c in "()":
                yield ("open" if c == "(" else "close"), c
                i += 1
                continue
            if c in "[{":
                m = _RANGE.match(s, i)
                if m:
                    yield "range", (m.group("start"), m.group("end"))
                    i = m.end()
                    continue
            if c == "'" and (i == 0 or not s[i - 1].isalnum()):
                m = _SINGLE_QUOTED.match(s, i)
                if m:
                    yield "word", m.group(1)
                    i = m.end()
                    continue
            m = _FIELD_PREFIX.match(s, i)
            if m and m.group(1) in FIELDS and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "_:")):
                yield "field", m.group(1)
                i = m.end()
                continue
            j = i
            while j < n and not s[j].isspace() and s[j] not in '()"':
                if s[j] in "[{" and j > i and _RANGE.match(s, j):
                    break
                j += 1
            chunk = s[i:j]
            before = s[i - 1] if i else ""
            after = s[j] if j < n else ""
            if chunk in _INFIX and before.isspace() and after.isspace():
                yield "op", chunk
            elif chunk == "NOT" and (not before or before.isspace() or before in "()") and after.isspace():
                yield "op", chunk
            elif chunk == "*:*":
                yield "every", chunk
            elif chunk.endswith(":") and chunk[:-1] in FIELDS and (not before or not (before.isalnum() or before in "_:")):
                yield "bare_field", chunk[:-1]     # `title:` with nothing after it
            else:
                yield "word", _BOOST.sub("", chunk) if "^" in chunk else chunk
            i = j

    # -- grouping

    def parse(self) -> Node:
        """The whole query's tree."""
        return tidy(self._group(None))

    def _group(self, fieldname: Optional[str]) -> Node:
        items: list = []
        while self.pos < len(self.tokens):
            kind, value = self.tokens[self.pos]
            self.pos += 1
            if kind == "close":
                break
            if kind == "op":
                items.append(value)
                continue
            node = self._atom(kind, value, fieldname)
            if node is not None:
                items.append(node)
        return _combine(items)

    def _atom(self, kind: str, value, fieldname: Optional[str]) -> Optional[Node]:
        if kind == "open":
            return self._group(fieldname)
        if kind == "field":              # `title:` applies to the part right after it
            if self.pos >= len(self.tokens) or self.tokens[self.pos][0] in ("op", "close", "field"):
                return None
            next_kind, next_value = self.tokens[self.pos]
            self.pos += 1
            return self._atom(next_kind, next_value, value)
        if kind == "every":
            return Everything()
        if kind == "bare_field":
            self.messages.append(f"Nothing followed {value}: (write it against its word: {value}:word), "
                                 "so it was left out.")
            return None
        if kind == "range":
            return self._range(value[0], value[1], fieldname)
        if kind == "phrase":
            return self._phrase(value, fieldname)
        return self._word(value, fieldname)

    def _word(self, text: str, fieldname: Optional[str]) -> Optional[Node]:
        if not text:
            return None
        wild = "*" in text or any(q in text for q in QMARKS)
        if wild and not text.strip("*"):
            return Everything()                        # `*`, `**`, `title:*`: every article
        if fieldname == DATE_FIELD or fieldname in VALUE_FACET_NAMES:
            if wild:
                self.messages.append(f"Wildcards don't work in {fieldname}: searches; use the exact name.")
                return Nothing()
            if fieldname == DATE_FIELD:
                return self._date(text, text)
            return FacetValue(fieldname, facets.typed(facets.spec(fieldname), text))
        if wild:
            return Pattern(text, fieldname)
        if not re.search(r"\w", text):
            return None                                # punctuation alone: no word to find
        return Word(text, fieldname)

    def _phrase(self, text: str, fieldname: Optional[str]) -> Optional[Node]:
        if fieldname == DATE_FIELD:
            return self._date(text.strip(), text.strip())
        if fieldname in VALUE_FACET_NAMES:
            return FacetValue(fieldname, facets.typed(facets.spec(fieldname), text.strip())) if text.strip() else None
        words = tuple(w for w in text.split() if re.search(r"\w", w))
        return Phrase(words, fieldname) if words else None

    def _range(self, start: Optional[str], end: Optional[str], fieldname: Optional[str]) -> Node:
        start, end = (s.strip().strip("'") if s else None for s in (start, end))
        if fieldname in VALUE_FACET_NAMES:
            self.messages.append(f"Ranges work only in date: searches, not in {fieldname}:.")
            return Nothing()
        return self._date(start or None, end or None)

    def _date(self, start: Optional[str], end: Optional[str]) -> Node:
        try:
            return DateRange(parse_date(start) if start else None, parse_date(end, end=True) if end else None)
        except ValueError as exc:
            self.messages.append(f"Ignored a date: {exc}.")
            return Everything()


def _combine(items: list) -> Node:
    """One group's parts and operators as a node: NOT first, then AND, OR, ANDNOT, ANDMAYBE
    (REQUIRE as AND), each joining its neighbours left to right; what is left must all match.
    An operator with nothing to join on one side is dropped."""
    i = 0
    while i < len(items):
        if items[i] == "NOT":
            del items[i]
            if i < len(items) and not isinstance(items[i], str):
                items[i] = Not(items[i])
            continue
        i += 1
    for op in _INFIX:
        i = 0
        while i < len(items):
            if items[i] != op:
                i += 1
                continue
            if 0 < i < len(items) - 1 and not isinstance(items[i - 1], str) and not isinstance(items[i + 1], str):
                left, right = items[i - 1], items[i + 1]
                joined = (Any((left, right)) if op == "OR" else All((left, Not(right))) if op == "ANDNOT"
                          else left if op == "ANDMAYBE" else All((left, right)))
                items[i - 1:i + 2] = [joined]
                i -= 1
            else:
                del items[i]
    nodes = tuple(n for n in items if not isinstance(n, str))
    return All(nodes) if len(nodes) != 1 else nodes[0]
