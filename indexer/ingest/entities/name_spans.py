"""Candidate people names: runs of capitalised words, with leading titles, roles and places stripped,
and the bylines and picture credits whose names made the story rather than figure in it.

Finding where a name may be is kept apart from deciding whether it is a person
(``not_people`` and ``people``), so each can be read and changed on its own.
"""
from __future__ import annotations

import re

from .name_words import COMMON, CREDIT, ENGLISH, ORG
from .not_people import role_word
from .text import ABBREVIATIONS, Token
from .vocabulary import ENGLISH_WORDS, Vocabulary

CONTRACTIONS = ("'m", "'t", "'re", "'ve", "'ll", "'d", "’m", "’t", "’re", "’ve", "’ll", "’d")


def _name_token(t: Token) -> bool:
    if t.kind != "word" or t.key.endswith(CONTRACTIONS):
        return False
    if t.cap and _ELIDED.match(t.text):
        return False                   # "L'avvocato", "Dell'azienda": an elided article before a common word
    if t.cap:
        return not t.upper or t.caps_line or (len(t.text) == 1 and t.dot)
    if t.key[:2] in ("d'", "d’") and t.text[2:3].isupper():
        return True                    # Valéry Giscard d'Estaing
    return "-" in t.key and t.key.split("-")[0] in ("al", "el", "bin", "abu", "ad", "as", "ash", "at")


_ELIDED = re.compile(r"[A-Za-z]{1,4}['’][a-zà-ÿ]")
CONJUNCTIONS = frozenset({"y", "e", "i", "et", "und", "en", "and"})


def _particle_joins(tokens: list[Token], i: int, j: int, k: int, v: Vocabulary) -> bool:
    """In another language than English, a particle at ``k`` joins the run ``i..j`` to the name word
    after it only when the run holds a given name or an initial ("Willem van de Voorde", not
    "Nachfolger von Adidas-Chef …", "Verstraete van Sidmar"), and a conjunction ("Ramón y Cajal") only
    between a name of two words or more and one surname (not "Juan Mora y Víctor Puerto")."""
    if not v.foreign:
        return True
    if not any(tokens[x].key in v.first_names or (len(tokens[x].text) == 1 and tokens[x].dot)
               for x in range(i, j + 1)):
        return False
    if tokens[k].key in CONJUNCTIONS:
        after = k + 2
        return j > i and tokens[k + 1].key not in v.first_names and not (
            after < len(tokens) and tokens[after].line == tokens[k].line and _name_token(tokens[after]))
    return True


def spans(tokens: list[Token], v: Vocabulary = ENGLISH_WORDS) -> list[tuple[int, int]]:
    """Candidate (start, end) runs of name words; a possessive or a sentence end closes a run."""
    out = []
    PARTICLES, COMMON, FIRST_NAMES = v.particles, v.common, v.first_names
    n = len(tokens)
    i = 0
    # A run starts only at a word that may be a name word (capitalised, hyphenated, elided): the
    # loop visits those alone (``_name_token`` on every token cost more than the runs).
    for at in [k for k, t in enumerate(tokens) if t.kind == "word"
               and (t.cap or "-" in t.key or "'" in t.key or "’" in t.key)]:
        if at < i or not _name_token(tokens[at]):      # inside the run just found, or no name word
            continue
        i = j = at
        while True:
            t = tokens[j]
            if t.poss or (t.dot and len(t.text) > 1 and t.key not in ABBREVIATIONS):
                break
            k = j + 1
            if k < n and tokens[k].kind == "word" and tokens[k].key in PARTICLES and not tokens[k].cap:
                m = k + 1          # "van der", "de la", "von der" abroad: two particles
                if v.foreign and m < n and tokens[m].kind == "word" and tokens[m].key in PARTICLES \
                        and not tokens[m].cap and tokens[m].key not in CONJUNCTIONS:
                    m += 1
                if m < n and _name_token(tokens[m]) and _particle_joins(tokens, i, j, k, v):
                    k = m
            if k < n and _name_token(tokens[k]) and tokens[k].caps_line == tokens[i].caps_line \
                    and (tokens[k].line == t.line or (tokens[k].key not in COMMON and (
                        t.key in FIRST_NAMES or not _short_line(tokens, j)))):
                j = k
                continue
            break
        out.append((i, j + 1))
        i = j + 1
    return out


SHORT_LINE = 55   # characters: a line this short (a caption, a list item) ends the names on it


def _short_line(tokens: list[Token], j: int) -> bool:
    """Token ``j`` ends a short line: a caption or list item, not a line of hard-wrapped prose
    (where "James\nKelly" is one name)."""
    line = tokens[j].line
    first = j
    while first > 0 and tokens[first - 1].line == line:
        first -= 1
    return tokens[j].start + len(tokens[j].text) - tokens[first].start < SHORT_LINE


def unglue(name: str) -> str:
    """Drop a caption word glued to the end of a name by text extraction ("Jane DoeImage")."""
    last = name.rsplit(" ", 1)[-1]
    for i in range(len(last) - 1, 3, -1):
        if last[i].isupper() and last[i - 1].islower():
            if last[i:].lower() in ENGLISH and last[i:].istitle() and " " in name:
                return name[:len(name) - len(last) + i]
            break
    return name



class Doc:
    """An article's tokens, the token indexes of its places, the words it writes in lower case and
    the vocabulary of its language."""

    def __init__(self, tokens: list[Token], places: set[int], v: Vocabulary = ENGLISH_WORDS):
        self.tokens = tokens
        self.places = places
        self.v = v
        self.lower_words = {t.key for t in tokens if t.kind == "word" and not t.cap}


def strip_lead(doc: Doc, start: int, end: int) -> tuple[int, bool]:
    """Skip leading titles, roles, places and common words; return new start and title seen."""
    toks = doc.tokens
    v = doc.v
    TITLES, ROLES, FIRST_NAMES, PARTICLES, COMMON = v.titles, v.roles, v.first_names, v.particles, v.common
    ENGLISH = v.words
    titled = False
    i = start
    of_post = start >= 2 and toks[start - 1].key in v.of and not toks[start - 1].cap \
        and (toks[start - 2].key in TITLES or toks[start - 2].key in ROLES)   # "Mayor of Koszalin Piotr …"
    for k in range(start + 1, end - 1):      # "Senior Advisors Jared Kushner": words, then a given name
        if toks[k].key in FIRST_NAMES:
            lead = [toks[j].key for j in range(start, k)]
            last_title = max((j for j, w in enumerate(lead) if w in TITLES or w in ROLES), default=-1)
            if (of_post or all(w in ENGLISH or w in TITLES or w in ROLES or w in ORG or w in COMMON
                               or w in doc.lower_words or role_word(w, v.role_ends) for w in lead[last_title + 1:])) \
                    and not any(w in FIRST_NAMES or w in PARTICLES for w in lead):
                i, titled = k, of_post or any(w in TITLES or w in ROLES or role_word(w, v.role_ends) for w in lead)
            break
    for j in range(end - 2, i - 1, -1):
        if toks[j].key in TITLES and toks[j].key not in FIRST_NAMES:
            i, titled = j + 1, True
            break
    while i < end:
        t = toks[i]
        key = t.key
        if len(t.text) == 1:
            if t.dot and i + 1 < end:
                break              # an initial: "I. Healy"
        elif key in TITLES:
            titled = True
        elif key in FIRST_NAMES and i + 1 < end:
            break
        elif i + 1 < end and role_word(key, v.role_ends):
            titled = True              # "Violinist Brigit O'Regan", "Comedian Tim Heidecker"
        elif i in doc.places or key in COMMON or key in ORG or (
                "-" in key and not t.text.split("-")[-1][:1].isupper()):
            titled = titled and key not in COMMON
        elif v.foreign and i + 1 < end and key in ENGLISH:
            pass                       # "Corte Suprema", "Provinz Sirnak": a common word opens no name
        elif i == start and t.sent_start and key in doc.lower_words:
            pass
        else:
            break
        i += 1
    return i, titled


_GLUED_CREDITS = ("Image", "Images", "Photo", "Photos", "Credit")   # a caption glued to a credit by extraction


def credit_tokens(tokens: list[Token]) -> set[int]:
    """Token indexes of bylines and picture credits ("By Hana Sato in Tokyo", "Reporting by …",
    "Image: …"): the names there made the story, they are not what it is about."""
    out: set[int] = set()
    n = len(tokens)
    for i, t in enumerate(tokens):
        key = t.key
        if key == "by":
            prev = tokens[i - 1] if i else None
            if prev is not None and prev.line == t.line and prev.kind == "word" and prev.key in CREDIT:
                limit = 25                                     # "Reporting by A and B; editing by C"
            elif (prev is None or prev.line != t.line or (prev.kind == "punct" and prev.text in "(—–-")) \
                    and i + 1 < n and tokens[i + 1].cap and tokens[i + 1].key not in COMMON:
                limit = 12                                     # a line opening "By Hana Sato …"
            else:
                continue
        elif t.cap and i + 1 < n and tokens[i + 1].text == ":" and (
                key in CREDIT or t.text.endswith(_GLUED_CREDITS)):
            limit = 25                                         # "Image: Remi Mathis.", "…RivaImage: …"
        else:
            continue
        j = i + 1
        while j < n and tokens[j].line == t.line and j - i <= limit:
            out.add(j)
            j += 1
    return out
