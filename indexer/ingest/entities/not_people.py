"""The precision rules: signs that a capitalised span names an organisation, a place, a work, a
vehicle, an event or a list of parties rather than a person ("the law firm X", "X, a firm …",
"a 2005 Opel Zafira", "Get On Up", "CV (Curriculum Vitae)").

Each rule is a small test of a span's neighbourhood, kept apart from the acceptance loop in
``people`` so the loop reads as a list of decisions and each rule can be tested alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from cleanco.termdata import terms_by_country, terms_by_type

from .name_words import COMMON, DETERMINERS, ENGLISH, FACILITIES, FIRST_NAMES, KINDS, LEGAL_FORMS, ORG, ORG_HEADS
from .text import Token


def _legal_forms() -> frozenset[str]:
    """Legal-form words from cleanco's table (one word, periods dropped), less ordinary English words
    and organisations' heads ("Company", "Group" stay in a name)."""
    terms = {t.strip() for group in (*terms_by_type.values(), *terms_by_country.values()) for t in group}
    keys = {t.replace(".", "").lower() for t in terms if " " not in t and "/" not in t}
    return frozenset(k for k in keys if k.isalpha() and len(k) > 1 and k not in COMMON and k not in ORG_HEADS
                     and (k not in ENGLISH or k in ("limited", "incorporated"))) | LEGAL_FORMS


LEGAL = _legal_forms()


def legal_form(t: Token) -> bool:
    """A legal form written as one: "Inc", "Ltd.", "Co", "GmbH", "AG", "S.A." (a short one in capitals):
    the name before it is a company's."""
    key = t.key
    return t.cap and key in LEGAL and (len(key) > 3 or t.upper or t.kind == "abbr"
                                       or (key in LEGAL_FORMS and (len(key) == 3 or key == "co")))

def wordlike(keys: list[str], first_names: frozenset[str] = FIRST_NAMES, words: frozenset[str] = ENGLISH) -> bool:
    """An unknown name made of ordinary words ("Grateful Dead", "Corte Suprema"), not a person's name."""
    return keys[0] not in first_names and (keys[-1] in words or keys[0] in words)



_QUOTES = frozenset("\"'“‘")
_ORDINALS = frozenset({"first", "second", "third", "last", "only", "new", "next", "same"})


def after_determiner(tokens: list[Token], s: int) -> bool:
    """The span at ``s`` follows "the"/"a"/"an" (maybe "the first", maybe a quote): a thing's name."""
    p = s - 1
    while p >= 0 and tokens[p].kind == "punct" and tokens[p].text in _QUOTES:
        p -= 1
    if p < 0 or tokens[p].kind != "word" or tokens[p].line != tokens[s].line:
        return False
    t = tokens[p]
    if t.key in _ORDINALS and p > 0:
        t = tokens[p - 1]
    return t.key in DETERMINERS and (not t.cap or t.sent_start) and t.line == tokens[s].line


_IAN_ROLES = frozenset("""comedian musician politician historian physician librarian technician statistician
mathematician pediatrician paediatrician electrician magician academician guardian custodian""".split())


def role_word(key: str, role_ends: tuple[str, ...] = ()) -> bool:
    """A profession by its form: violinist, immunologist, journalist; a few -ian ones (comedian)
    (not demonyms: Iranian, Canadian); in German and Dutch a compound ending in a role
    (``role_ends``: "Verkehrsminister", "Henkel-Chef", "Bondscoach", inflected "Markenkollegen")."""
    if (len(key) > 6 and key.endswith("ist")) or key in _IAN_ROLES:
        return True
    return bool(role_ends) and _compound_role(role_ends).search(key) is not None


@lru_cache(maxsize=16)
def _compound_role(role_ends: tuple[str, ...]) -> re.Pattern:
    """A role ending a compound after three letters or more, or after a hyphen, maybe inflected
    (-n, -en, -s, -e)."""
    ends = "|".join(re.escape(e) for e in role_ends)
    return re.compile(rf"(?:\w{{3}}|^|-)(?:{ends})(?:n|en|s|e)?$")


PARTS = frozenset("character characters persona alias role island islands city town village province "
                  "district region county state republic kingdom port".split())   # "the island of X"
AUXILIARIES = frozenset("is are was were will would can could should shall did does do has have".split())


def asks(tokens: list[Token], s: int) -> bool:
    """The sentence opening at ``s`` ends with a question mark."""
    for t in tokens[s + 1:s + 40]:
        if t.sent_start or t.line != tokens[s].line:
            return False
        if t.text == "?":
            return True
    return False


_OWNERS = frozenset({"his", "her", "their", "my", "our", "its", "your"})


def model_year(tokens: list[Token], s: int) -> bool:
    """A year between a determiner and the span: "a recalled 2005 Opel Zafira", "the 2019 Ford Focus"
    (not "in February 1993 Leszic Betcher")."""
    if s < 2:
        return False
    y, d = tokens[s - 1], tokens[s - 2]
    return y.kind == "num" and len(y.text) == 4 and y.text[:2] in ("19", "20") and not y.dot \
        and y.line == d.line == tokens[s].line and d.kind == "word" and not d.cap \
        and (d.key in DETERMINERS or d.key in _OWNERS or d.key.endswith("ed"))


def kind_after(tokens: list[Token], end: int, kinds: frozenset[str] = KINDS) -> str:
    """The kind word of an apposition after the span that says what kind of thing it is: "X, a firm
    specialising in …", "X, the company that …" ("" if none; "X, a city councillor" is a person)."""
    n = len(tokens)
    if end + 2 >= n or tokens[end].text != "," or tokens[end + 1].key not in DETERMINERS:
        return ""
    for k in range(end + 2, min(end + 5, n - 1)):
        t = tokens[k]
        if t.kind != "word" or t.cap:
            return ""
        if t.key in kinds and not t.poss:
            after = tokens[k + 1]
            if after.kind == "punct" or after.key in COMMON or after.key.endswith(("ing", "ed")):
                return t.key
            return ""
    return ""


def kind_before(tokens: list[Token], start: int) -> str:
    """The word before the span that says it names a thing or a fictional part, not a person: "the
    law firm X", "cargo ship X", "the character (of) X" ("" if none; "the team of X and Y" are people)."""
    if start < 1:
        return ""
    p = tokens[start - 1]
    if p.kind != "word" or p.cap or p.dot or p.line != tokens[start].line:
        return ""
    if p.key in KINDS:
        return p.key
    if p.key == "of" and start >= 2 and tokens[start - 2].key in PARTS and not tokens[start - 2].cap:
        return tokens[start - 2].key
    return ""


def possessed_facility(tokens: list[Token], end: int) -> bool:
    """The span ends in a possessive followed by a capitalised facility word ("Doctors' Hospital")."""
    last = tokens[end - 1]
    k = end
    if not last.poss:
        if not (k < len(tokens) and tokens[k].text in ("'", "’") and last.key.endswith("s")):
            return False
        k += 1
    return k < len(tokens) and tokens[k].cap and tokens[k].line == last.line and (
        tokens[k].key in FACILITIES or tokens[k].key in ORG)


def _line_item(tokens: list[Token], first: int) -> tuple[tuple[str, ...], tuple[str, ...], int] | None:
    """A line read as a list item: (keys of the capitalised words it opens with, the shape of the
    rest, with numbers as "#"), and the index after the line; None if a word comes before them."""
    line = tokens[first].line
    k, n = first, len(tokens)
    while k < n and tokens[k].line == line and tokens[k].kind == "punct":
        k += 1
    if k >= n or tokens[k].line != line or not tokens[k].cap:
        return None
    j = k
    while j < n and tokens[j].line == line and tokens[j].kind == "word" and tokens[j].cap:
        j += 1
    e = j
    while e < n and tokens[e].line == line:
        e += 1
    rest = tuple("#" if t.kind == "num" else t.key for t in tokens[j:e])
    return tuple(t.key for t in tokens[k:j]), rest, e


LIST_REACH = 3      # lines either side looked at for the other items of a list


def among_organisations(tokens: list[Token], s: int, end: int) -> bool:
    """The span opens a list item ("X - 7 seats") whose sibling items, of the same shape, are mostly
    organisations ("Labour Party - 203 seats"): an organisation too."""
    first = s
    while first > 0 and tokens[first - 1].line == tokens[s].line:
        first -= 1
    mine = _line_item(tokens, first)
    if mine is None or not mine[1] or mine[0] != tuple(t.key for t in tokens[s:end]):
        return False
    line = tokens[s].line
    orgs = others = 0
    k = first                       # lines before
    for _ in range(LIST_REACH):
        p = k - 1
        if p < 0:
            break
        while p > 0 and tokens[p - 1].line == tokens[k - 1].line:
            p -= 1
        item = _line_item(tokens, p)
        if item and item[1] == mine[1]:
            orgs, others = orgs + any(w in ORG for w in item[0]), others + (not any(w in ORG for w in item[0]))
        k = p
    k = first                       # lines after
    while k < len(tokens) and tokens[k].line == line:
        k += 1
    for _ in range(LIST_REACH):
        if k >= len(tokens):
            break
        item = _line_item(tokens, k)
        nxt_line = tokens[k].line
        if item and item[1] == mine[1]:
            orgs, others = orgs + any(w in ORG for w in item[0]), others + (not any(w in ORG for w in item[0]))
        while k < len(tokens) and tokens[k].line == nxt_line:
            k += 1
    return orgs >= 2 and orgs > others


TITLE_CASE_WORDS = frozenset("on up in of the and to with for at from into is are".split())   # capitalised in a title


def by_author(tokens: list[Token], end: int) -> bool:
    """The span is followed by "by" and a capitalised name, maybe in brackets: a work and its author."""
    k = end
    if k < len(tokens) and tokens[k].text in "([":
        k += 1
    return k + 1 < len(tokens) and tokens[k].key == "by" and not tokens[k].cap and tokens[k + 1].cap \
        and tokens[k].line == tokens[end - 1].line


def expands_acronym(tokens: list[Token], s: int, end: int) -> bool:
    """The span spells out a bracketed acronym beside it: "CV (Curriculum Vitae)", "Curriculum Vitae (CV)"."""
    initials = "".join(t.text[0] for t in tokens[s:end] if t.kind == "word").upper()
    if len(initials) < 2:
        return False
    return (s >= 2 and tokens[s - 1].text in "([" and tokens[s - 2].text == initials) or (
        end + 1 < len(tokens) and tokens[end].text in "([" and tokens[end + 1].text == initials)
