"""Tokens shared by the country and people extractors: one regex pass, no per-token regexes."""
from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?P<abbr>(?:[A-Za-z]\.){2,}|(?:[A-Za-z]\.)+[A-Za-z](?![\w.]))"  # U.S.  N.J.  U.S.A.; "U.S," too
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)(?P<dot>\.(?![A-Za-z]))?"
    r"|(?P<poss>['’]s\b)"                                     # tokenised possessive: Kelly 's
    r"|(?P<num>\d[\d,.:/]*)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\s])"
)

# Words whose trailing period does not end a sentence.
ABBREVIATIONS = frozenset("""mr mrs ms dr st sr jr gen lt col maj sgt capt cmdr adm sen rep gov rev prof
pres supt insp det messrs mt ft no vs co corp inc ltd bros jan feb mar apr aug sep sept oct nov dec
ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev
okla ore pa tenn tex va vt wash wis wyo ont que alta sask man nfld""".split())

SENTENCE_END = frozenset(".!?")
OPENERS = frozenset("\"'“‘(-–—:;")


@dataclass(slots=True)
class Token:
    """One word with the shape facts the name and country rules test, computed once."""
    text: str          # without a trailing period or possessive
    key: str           # lower case, periods removed: "U.S." -> "us"
    kind: str          # word | abbr | num | punct
    start: int         # character offset
    cap: bool          # starts with an upper-case letter
    upper: bool        # all upper case, two letters or more
    dot: bool = False  # a period followed the word
    poss: bool = False  # followed by 's
    sent_start: bool = False
    caps_line: bool = False  # inside an all-caps line (headline)
    line: int = 0
    edited: bool = False  # put in square brackets by an editor ("I urge [Lam]"), brackets dropped


def tokenize(text: str, headline: bool = False) -> list[Token]:
    """Tokens of ``text``; ``headline`` marks it all as case-less when it is in title or upper case."""
    tokens: list[Token] = []
    append = tokens.append
    line = 0
    boundary = True
    abbreviations, sentence_end, openers = ABBREVIATIONS, SENTENCE_END, OPENERS
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word" or kind == "dot":
            s = m["word"]
            if s[-2:] in _POSSESSIVE and len(s) > 2:
                s = s[:-2]
                poss = True
            else:
                poss = False
            dot = kind == "dot"
            key = s.lower()
            append(Token(s, key, "word", m.start(), s[0].isupper(), len(s) > 1 and s.isupper(),
                         dot, poss, boundary, False, line))
            boundary = dot and len(s) > 1 and key not in abbreviations
        elif kind == "punct":
            s = m[kind]
            append(Token(s, s, kind, m.start(), False, False, False, False, boundary, False, line))
            boundary = s in sentence_end or (boundary and s in openers)
        elif kind == "nl":
            line += 1
            boundary = True
        elif kind == "poss":
            if tokens:
                tokens[-1].poss = True
        elif kind == "abbr":
            s = m[kind]
            append(Token(s, s.replace(".", "").lower(), "abbr", m.start(), True, True,
                         True, False, boundary, False, line))
            boundary = False
        else:
            s = m[kind]
            append(Token(s, s, kind, m.start(), False, False, False, False, boundary, False, line))
            boundary = False
    if headline:
        words = [t for t in tokens if t.kind == "word" and len(t.text) > 3]
        if words and sum(t.cap for t in words) >= 0.75 * len(words):
            for t in tokens:
                t.caps_line = True
    _mark_caps_lines(tokens)
    return tokens


_POSSESSIVE = frozenset(("'s", "’s"))


def drop_editorial_brackets(tokens: list[Token]) -> list[Token]:
    """Tokens without the square brackets an editor puts around capitalised words inside a quote
    ("Jerry [O'Connell] and I", "I urge [Lam]"), so the name reads as written in full."""
    if not any(t.text == "[" for t in tokens):
        return tokens
    drop: set[int] = set()
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.text != "[" or t.kind != "punct":
            continue
        j = i + 1
        while j < n and j - i <= 4 and tokens[j].kind in ("word", "abbr") and tokens[j].cap \
                and tokens[j].line == t.line:
            j += 1
        if j > i + 1 and j < n and tokens[j].text == "]" and len(tokens[i + 1].text) > 1 \
                and not (i and tokens[i - 1].upper):     # "CV [Curriculum Vitae]" spells an acronym out
            drop.update((i, j))
            for k in range(i + 1, j):
                tokens[k].edited = True
    return [t for k, t in enumerate(tokens) if k not in drop] if drop else tokens


def _mark_caps_lines(tokens: list[Token]) -> None:
    """Flag tokens of lines written in capitals (headlines), where case says nothing."""
    start = 0
    n = len(tokens)
    while start < n:
        line = tokens[start].line
        end = start
        letters = upper = 0
        while end < n and tokens[end].line == line:
            t = tokens[end]
            if t.kind == "word" and len(t.text) > 1:
                letters += 1
                upper += t.upper
            end += 1
        if letters >= 2 and upper >= 0.75 * letters:
            for i in range(start, end):
                tokens[i].caps_line = True
        start = end
