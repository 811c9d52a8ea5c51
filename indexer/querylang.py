"""The query language as a neutral tree: what a typed query means, before any engine reads it.

Query text is parsed once (``parse``) into the nodes below; each engine compiles the tree into its
own queries (``indexer.engines.whoosh.query`` into Whoosh's, ``indexer.engines.opensearch`` into
OpenSearch's query DSL). The tree holds words as the user typed them: analysing (stemming, folding,
splitting ``six-party``), resolving a facet value to the index's names (``person:kelly`` → every
Kelly) and expanding wildcards through the index's words (bounded by ``settings.MAX_EXPANSIONS``)
are the engine's, since they depend on what the index holds.

Words must all match; ``"phrases"``, ``OR``, ``NOT``/``-word``, ``(groups)``; fields ``title:``,
``person:``, ``author:``, ``country:`` and ``date:`` (``2004``, ``2004-02``, ``[2004-01-01 TO
2004-03-31]``). A mistake (an unbalanced quote or bracket, an unknown field, an impossible date, a
dangling operator) is repaired and reported in ``Query.messages``, and the rest of the query still
runs; a query of operators alone parses to ``Nothing`` with a message. The parser is a small
recursive descent over the repaired text (no Whoosh): it groups as the Whoosh parser it replaces did,
so queries mean what they meant. It is written out rather than built on luqum or lark because the
grouping must be that parser's exactly (NOT, then AND, OR, ANDNOT joining neighbours, what is left
side by side last) and no input may fail: a grammar library would still need those rules and the
recovery around it, and would add a dependency. ``relaxable`` and ``word_pairs`` give every engine the same
clauses for forgiving matching and the same word pairs for the proximity bonus.

Nodes are frozen dataclasses, so a tree can be compared, hashed (a cache key) and printed.
``field`` on the text nodes is ``None`` for "title or body", else ``"title"`` or ``"body"``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field as _field
from typing import Optional, Union

from indexer import settings
from indexer.facets import VALUE_FACET_NAMES
from indexer.request import parse_date

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
    facet: str            # a facet name from ``indexer.facets`` ("country", "person", "author")
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


# ---------------------------------------------------------------- parsing

FIELD_ALIASES = {
    "title": "title", "body": "body", "text": "body",
    "country": "country", "countries": "country", "party": "country", "place": "country",
    "person": "person", "people": "person",
    "author": "author", "authors": "author", "by": "author",
    "date": "date",
}
FIELDS = frozenset(FIELD_ALIASES.values())
DATE_FIELD = "date"
LONG_PLAIN_WORDS = 16     # plain queries longer than this are read as a list of words, not parsed
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
QMARKS = "?\u055E\u061F\u1367"   # "?" and the Armenian, Arabic and Ethiopic question marks: one character

_FIELD_RE = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_MINUS_RE = re.compile(r"(^|[\s(])-(?=[\w\"(])")
_LEADING_OP = re.compile(r"^\s*\b(AND|OR|ANDNOT|ANDMAYBE)\b\s*")
_TRAILING_OP = re.compile(r"\s*\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*$")
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


def _outside_quotes(text: str, fn) -> str:
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = fn(parts[i])
    return '"'.join(parts)


def repair(text: str) -> tuple[str, list[str]]:
    """Fix what would make the parser guess (quotes, brackets, unknown fields, ``-word``): the text to
    parse and a message for each repair, so a mistyped query still runs and says what was fixed."""
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


def operators(text: str, messages: list[str]) -> Optional[str]:
    """``text`` without dangling operators (``oil AND``), with a message for each; None
    when the query is operators alone (``AND OR``), which leaves nothing to search."""
    if '"' not in text and text.split() and all(w.strip("()") in OPERATORS for w in text.split()):
        messages.append(f"“{' '.join(text.split())}” has only the operators AND, OR and NOT, and no words to "
                        "search for; to search for one as a word, put it in quotes (\"and\").")
        return None
    for regex, where in ((_LEADING_OP, "start"), (_TRAILING_OP, "end")):
        m = regex.search(text)
        if m:
            messages.append(f"“{m.group(1)}” at the {where} of the query joined nothing; it was ignored.")
            text = text[:m.start()] + " " + text[m.end():]
    return text


def typed_words(text: str) -> list[str]:
    """The plain words of a query (letters only, three or more; none of a field's value), the
    ones "did you mean" may correct."""
    return [w for w in re.findall(r"[^\W\d_]{3,}", _outside_quotes(text, lambda s: re.sub(r"\w+:\S+", " ", s)))
            if w not in ("AND", "OR", "NOT")]


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
            return FacetValue(fieldname, text)
        if wild:
            return Pattern(text, fieldname)
        if not re.search(r"\w", text):
            return None                                # punctuation alone: no word to find
        return Word(text, fieldname)

    def _phrase(self, text: str, fieldname: Optional[str]) -> Optional[Node]:
        if fieldname == DATE_FIELD:
            return self._date(text.strip(), text.strip())
        if fieldname in VALUE_FACET_NAMES:
            return FacetValue(fieldname, text.strip()) if text.strip() else None
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


# ---------------------------------------------------------------- what forgiving matching and proximity need

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
