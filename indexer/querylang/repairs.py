"""Repairs made to query text before it is parsed: quotes, brackets, unknown fields, ``-word``,
dangling operators, each with the message the user sees, so a mistyped query still runs and says
what was fixed. Also the field names the language knows and the plain words "did you mean" reads.
"""
from __future__ import annotations

import re
from typing import Optional

from indexer import facets

# Query field names (lower case) → the field they search: the text fields, and every facet's name
# and aliases from the registry (``date`` included).
FIELD_ALIASES = {"title": "title", "body": "body", "text": "body",
                 **{word: spec.name for word, spec in facets.BY_ALIAS.items()}}
FIELDS = frozenset(FIELD_ALIASES.values())
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

_FIELD_RE = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_FIELD_RE_BEFORE_QUOTE = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S|$)")   # a segment's end is a quote
_MINUS_RE = re.compile(r"(^|[\s(])-(?=[\w\"(])")
_LEADING_OP = re.compile(r"^\s*\b(AND|OR|ANDNOT|ANDMAYBE)\b\s*")
_TRAILING_OP = re.compile(r"\s*\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*$")


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

    def fix(segment: str, before_quote: bool) -> str:
        def field_name(m):
            name = m.group(1)
            if name.lower() in FIELD_ALIASES:
                return FIELD_ALIASES[name.lower()] + ":"
            messages.append(f"There is no field “{name}”; it was searched as a word.")
            return name + " "
        segment = (_FIELD_RE_BEFORE_QUOTE if before_quote else _FIELD_RE).sub(field_name, segment)
        return _MINUS_RE.sub(lambda m: m.group(1) + "NOT ", segment)
    parts = text.split('"')           # fields and minus signs outside quotes (`people:"Ann Lee"` too)
    for i in range(0, len(parts), 2):
        parts[i] = fix(parts[i], i + 1 < len(parts))
    text = '"'.join(parts)

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
