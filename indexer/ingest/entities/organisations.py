"""Organisations: companies, agencies, ministries, parties, unions, teams, newspapers and
broadcasters, NGOs and international bodies, found by the signs of an organisation's name.

A candidate is a run of capitalised words, joined across "of", "for", "to", "on" (and the like in
other languages) after an organisation's head word, across "&", and across "and" between ordinary
words ("Centers for Disease Control and Prevention"); people's names cut it. It is an organisation when

- it ends in a legal form (Inc, Ltd, AG, GmbH, SA …: cleanco's table), shown without it;
- its last word (places aside: "CNN Philippines") is an organisation's head (Bank, Ministry, Party,
  University, News …), or it opens with one before "of" ("University of Miami"), or opens with a
  lead word of another language ("Deutsche Bahn"), or one word ends in a compound head ("Bundesbank");
- a kind word stands before it or in apposition ("the news agency X", "X, a company that …"), or
  people extraction set it aside on such a sign;
- it spells out the acronym in brackets after it ("International Atomic Energy Agency (IAEA)");
- an acronym is used as organisations are ("the FBI", "CNN's", "told TASS", "according to AFP");
- a news outlet is reporting ("Rappler reported"), or it stands in a list beside an organisation;
- the country gazetteer knows it as an organisation ("Bundesbank", "Taliban").

Forms of one organisation in an article are one value: an acronym and its full name, "Airbus SAS" and
"Airbus", "Scripps" and "Scripps Institution of Oceanography". Salience: mentions, then first mention.
The word lists are shared with people extraction (``name_words``), which reads them as signs of a
name that is not a person's.
"""
from __future__ import annotations

from cleanco.termdata import terms_by_country, terms_by_type

from .name_words import (COMMON, DETERMINERS, ENGLISH, EVENT_HEADS, FIRST_NAMES, LEGAL_FORMS, ORG, ORG_HEADS,
                         ORG_HEADS_ABROAD, ORG_KINDS, ORG_LEAD, PLACE_HEADS, ROLES, SAY, TITLES, WORK_HEADS)
from .not_people import kind_after, kind_before
from .text import ABBREVIATIONS, Token

HEADS = ORG_HEADS | ORG_HEADS_ABROAD
SOLO_HEADS = frozenset({"senate", "congress", "parliament"})   # a legislature named by its head alone
NOT_ORG_HEADS = EVENT_HEADS | WORK_HEADS | PLACE_HEADS
JOINS = frozenset({"of", "for", "to", "on"})
JOINS_ABROAD = frozenset("de del des du di della delle dei degli der für do da dos das van voor".split())
JOIN_ARTICLES = frozenset("the la le les los las el il lo der die das den het".split())
MINOR = JOINS | JOINS_ABROAD | JOIN_ARTICLES | {"and", "&", "at", "y", "e", "et", "und"}
REPORTS = frozenset({"reported", "reports", "reporting"})
DOMAINS = frozenset({"com", "org", "net", "info", "news", "tv", "io"})   # generic top-level domains
# Words that open a capitalised run without being part of a name ("Former CIA agent", "According to").
_KEEP = frozenset("""north south east west northern southern eastern western central new old national federal
democratic republican presidential white black red blue green first general international united state tech
reuters ap afp upi associated press internet web online twitter facebook youtube google microsoft apple
amazon san santa el la le o los las der die das du des""".split())
LEAD_STOP = (COMMON - ORG - _KEEP) | {"former", "ex", "then", "according"}
COMPOUND_HEADS = frozenset(h for h in ORG_HEADS_ABROAD | {"bank"} if len(h) >= 4 and h not in ENGLISH)


def _legal_forms() -> frozenset[str]:
    """Legal-form words from cleanco's table (one word, periods dropped), less ordinary English words."""
    terms = {t.strip() for group in (*terms_by_type.values(), *terms_by_country.values()) for t in group}
    keys = {t.replace(".", "").lower() for t in terms if " " not in t and "/" not in t}
    return frozenset(k for k in keys if k.isalpha() and len(k) > 1 and k not in COMMON
                     and (k not in ENGLISH or k in ("limited", "incorporated"))) | LEGAL_FORMS


LEGAL = _legal_forms()


def legal_form(t: Token) -> bool:
    """A legal form written as one: "Inc", "Ltd.", "GmbH", "AG", "S.A." (a short one in capitals)."""
    key = t.key
    return t.cap and key in LEGAL and (len(key) > 3 or t.upper or t.kind == "abbr" or key in LEGAL_FORMS)


def _name_token(t: Token) -> bool:
    if t.kind == "abbr":
        return not t.caps_line
    if t.kind != "word" or t.caps_line:
        return False
    if t.cap:
        return True
    return "-" in t.key and t.key.split("-")[0] in ("al", "el") and t.text[3:4].isupper()   # al-Masirah TV


def acronym(t: Token) -> bool:
    """All capitals, two to seven letters ("NATO", "KDKA-TV", "U.N."), not in a line of capitals."""
    if t.caps_line:
        return False
    if t.kind == "abbr":
        return True
    return t.kind == "word" and t.upper and 2 <= len(t.text.replace("-", "")) <= 7


def abbreviates(short: str, words: list[str]) -> bool:
    """``short`` stands for ``words``: their initials ("IAEA"), or its letters found in order from the
    last word back with the first at a word's start ("Phivolcs" for "Philippine Institute of
    Volcanology and Seismology", as Schwartz and Hearst match abbreviations)."""
    letters = "".join(c for c in short.lower() if c.isalnum())
    if len(letters) < 2 or not words:
        return False
    significant = [w.lower() for w in words if w.lower() not in MINOR]
    if letters in ("".join(w[0] for w in significant), "".join(w[0] for w in (x.lower() for x in words))):
        return True
    long = " ".join(w.lower() for w in words)
    if long[0] != letters[0]:
        return False
    i = len(long) - 1
    for c in reversed(letters[1:]):
        while i > 0 and long[i] != c:
            i -= 1
        if i <= 0:
            return False
        i -= 1
    return True


class _Candidate:
    """One capitalised run that may name an organisation: token span, display span, evidence."""
    __slots__ = ("start", "end", "name_end", "accepted", "alias_of")

    def __init__(self, start: int, end: int, name_end: int):
        self.start, self.end, self.name_end = start, end, name_end
        self.accepted = False
        self.alias_of: _Candidate | None = None


def _runs(tokens: list[Token], people: set[int], lower_words: set[str]) -> list[tuple[int, int]]:
    """Capitalised runs joined across the words organisations' names hold inside them."""
    out = []
    n = len(tokens)
    i = 0
    while i < n:
        if i in people or not _name_token(tokens[i]):
            i += 1
            continue
        start = i
        line = tokens[i].line
        j = i
        while True:
            t = tokens[j]
            if t.poss or (t.dot and len(t.text) > 1 and t.key not in ABBREVIATIONS and t.kind == "word"):
                j += 1
                break
            k = j + 1
            if k < n and tokens[k].line == line and k not in people and _name_token(tokens[k]):
                j = k
                continue
            if k + 1 < n and tokens[k].text == "." and tokens[k + 1].key in DOMAINS \
                    and tokens[k + 1].start == tokens[k].start + 1 == t.start + len(t.text) + 1:
                j = k + 2                   # "Znak.com": a website's name
                break
            nxt = _joined(tokens, start, k, people, lower_words)
            if nxt:
                j = nxt
                continue
            j = k
            break
        out.append((start, j))
        i = j
    return out


def _joined(tokens: list[Token], start: int, k: int, people: set[int], lower_words: set[str]) -> int:
    """The index of the name word a joining word at ``k`` leads to, or 0 when the run ends there."""
    n = len(tokens)
    if k + 1 >= n:
        return 0
    c, prev = tokens[k], tokens[k - 1]
    if c.line != prev.line:
        return 0
    heads = any(tokens[x].key in HEADS for x in range(start, k))
    if c.text == "&":
        m = k + 1
    elif c.kind != "word" or c.cap:
        return 0
    elif c.key in JOINS or c.key in JOINS_ABROAD:
        if not heads or (c.key in JOINS_ABROAD and not any(tokens[x].key in ORG_HEADS_ABROAD or
                                                               tokens[x].key in ORG_LEAD for x in range(start, k))):
            return 0
        m = k + 1
        if m < n and tokens[m].key in JOIN_ARTICLES and not tokens[m].cap:
            m += 1
    elif c.key == "at":
        if not (heads and tokens[start].key in HEADS and any(tokens[x].key == "of" for x in range(start, k))):
            return 0                    # "University of Hawaii at Mānoa"
        m = k + 1
    elif c.key == "and":
        a, b = prev.key, tokens[k + 1].key
        if prev.key in HEADS or not ((_ordinary(a, lower_words) and _ordinary(b, lower_words))
                                     or (a in FIRST_NAMES and b in FIRST_NAMES)):
            return 0                    # "Control and Prevention", "Bill and Melinda", not "Senate and House"
        m = k + 1
    else:
        return 0
    if m < n and tokens[m].line == c.line and m not in people and _name_token(tokens[m]) \
            and not tokens[m].sent_start:
        return m
    return 0


def _ordinary(key: str, lower_words: set[str]) -> bool:
    return key in ENGLISH or key in lower_words


def _trim(tokens: list[Token], s: int, e: int) -> tuple[int, int]:
    """Drop the words that open or close a run without naming: "Former", "According", a sentence's
    "The", and titles left over from a person ("Senate President")."""
    while s < e:
        t = tokens[s]
        if t.key in LEAD_STOP and not t.upper:
            if t.key in DETERMINERS and t.cap and not t.sent_start:
                break                   # "told The Washington Post": the name's own "The"
            s += 1
        elif (t.key in TITLES or t.key in ROLES) and not t.upper and s + 1 < e \
                and tokens[s + 1].key not in HEADS:
            s += 1                      # "Director Rebic", but "General Motors"
        else:
            break
    while e > s and (tokens[e - 1].key in TITLES or tokens[e - 1].key in ROLES or tokens[e - 1].key in MINOR
                     or tokens[e - 1].key in LEAD_STOP) and tokens[e - 1].key not in HEADS \
            and not tokens[e - 1].upper:
        e -= 1
    return s, e


def _head_at(tokens: list[Token], s: int, end: int, places: set[int]) -> int:
    """Index of the word that heads the name: the last one, places and joining words aside."""
    h = end - 1
    while h > s and (h in places or tokens[h].key in MINOR or tokens[h].kind == "abbr"):
        h -= 1
    return h


def _is_place(tokens: list[Token], s: int, e: int, places: set[int]) -> bool:
    return all(k in places or tokens[k].key in MINOR for k in range(s, e))


def _evidence(tokens: list[Token], s: int, e: int, name_end: int, places: set[int],
              org_aside: set[tuple[int, int]]) -> bool:
    """Signs in the run itself and its neighbours that it names an organisation."""
    n = len(tokens)
    width = name_end - s
    h = _head_at(tokens, s, name_end, places)
    head = tokens[h].key
    if head in NOT_ORG_HEADS and h == name_end - 1:
        return False                                 # "World Cup", "Affordable Care Act", "Wall Street"
    if head in HEADS and (width > 1 or head in SOLO_HEADS):
        return True                                  # "Hungarian Development Bank", "Sky News Arabia", "Senate"
    if width > 2 and tokens[s].key in HEADS and tokens[s + 1].key in (JOINS | JOINS_ABROAD):
        return True                                  # "University of Bristol", "Banco de España"
    if width > 1 and tokens[s].key in ORG_LEAD:
        return True
    if any(len(tokens[k].key) >= 7 and tokens[k].key not in ENGLISH and tokens[k].key not in FIRST_NAMES
           and any(tokens[k].key.endswith(c) and len(tokens[k].key) >= len(c) + 3 for c in COMPOUND_HEADS)
           for k in range(s, name_end)):
        return True                                  # "Bundesministerium", "Rabobank"
    if (s, e) in org_aside or (s, name_end) in org_aside:
        return True
    if kind_before(tokens, s) in ORG_KINDS or kind_after(tokens, e, ORG_KINDS | ORG_HEADS):
        return True
    if e + 2 < n and tokens[e].text == "(" and tokens[e + 2].text == ")" and acronym(tokens[e + 1]) \
            and width > 1 and abbreviates(tokens[e + 1].text, [t.text for t in tokens[s:name_end]]):
        return True                                  # "Federal Security Service (FSB)"
    first = tokens[s]
    if first.key in FIRST_NAMES and not first.upper:
        return False
    nxt = tokens[e] if e < n and tokens[e].line == tokens[e - 1].line else None
    if nxt is not None and nxt.key in REPORTS and not nxt.cap:
        return True                                  # "Rappler reported"
    p = s - 1
    if p >= 0 and tokens[p].key == "the" and not tokens[p].cap:
        p -= 1
    if p >= 0 and not tokens[p].cap and (tokens[p].key == "told" or (
            tokens[p].key == "to" and p >= 1 and tokens[p - 1].key == "according")):
        return not _is_place(tokens, s, e, places)   # "told TASS", "according to AFP"
    if width == 1 and acronym(first):
        return _acronym_in_use(tokens, s, e, nxt)
    return False


def _acronym_in_use(tokens: list[Token], s: int, e: int, nxt: Token | None) -> bool:
    """An acronym used as organisations' are: "the FBI", "CNN's", "NATO said", "CIA agent"."""
    t = tokens[s]
    if (nxt is not None and nxt.text == "-" and e + 1 < len(tokens) and tokens[e + 1].kind == "num") \
            or (s and tokens[s - 1].kind == "num"):
        return False                                 # "COVID-19", "1700 UTC"
    if t.key in ENGLISH and not (s and tokens[s - 1].key == "the"):
        return False                                 # "IT", "WHO" need more
    if t.poss or (nxt is not None and not nxt.cap and nxt.kind == "word" and (
            nxt.key in SAY or nxt.key in ROLES or nxt.key in TITLES or nxt.key in ORG_KINDS)):
        return True
    prev = tokens[s - 1] if s else None
    return prev is not None and prev.key == "the" and not prev.cap and prev.line == t.line


def extract_organisations(tokens: list[Token], places: dict[int, str], people: set[int],
                          set_aside: list[tuple[int, int, bool]]) -> list[str]:
    """Organisations in salience order (display names), from an article's tokens, the token indexes
    of its country mentions (index -> kind of mention), of its people's names, and the spans people
    extraction set aside as names of something else."""
    n = len(tokens)
    place_idx = set(places)
    lower_words = {t.key for t in tokens if t.kind == "word" and not t.cap}
    org_aside = {(a, b) for a, b, organisation in set_aside if organisation}
    found: list[tuple[int, int, int]] = []          # (start, end of display, end of run)
    rejected: list[tuple[int, int]] = []
    for start, end in _runs(tokens, people, lower_words):
        s, e = _trim(tokens, start, end)
        if s >= e or _is_place(tokens, s, e, place_idx) and not any(places.get(k) == "org" for k in range(s, e)):
            continue
        name_end = e
        while name_end - s > 1 and legal_form(tokens[name_end - 1]):
            name_end -= 1
        if name_end < e or (e + 1 < n and tokens[e].text == "," and legal_form(tokens[e + 1])):
            found.append((s, name_end, e))
            continue
        if all(places.get(k) == "org" for k in range(s, e)) or _evidence(tokens, s, e, name_end, place_idx,
                                                                          org_aside):
            found.append((s, name_end, e))
        else:
            rejected.append((s, e))
    found.extend(_listed_beside(tokens, found, rejected, place_idx))
    return _merge(tokens, found, people)


def _listed_beside(tokens: list[Token], found: list[tuple[int, int, int]], rejected: list[tuple[int, int]],
                   places: set[int]) -> list[tuple[int, int, int]]:
    """Runs in a list with an organisation ("the University of Bristol and UC Davis")."""
    ends = {e for _, _, e in found}
    starts = {s for s, _, _ in found}
    out = []
    for s, e in rejected:
        if tokens[s].key in FIRST_NAMES or e - s > 4 or tokens[s].sent_start:
            continue
        before = s - 1
        left = before >= 1 and tokens[before].key in ("and", "or", ",") and not tokens[before].cap \
            and before in ends
        right = e + 1 < len(tokens) and tokens[e].key in ("and", "or") and not tokens[e].cap and e + 1 in starts
        if left or right:
            out.append((s, e, e))
    return out


def _key(tokens: list[Token], s: int, e: int) -> tuple[str, ...]:
    keys = [t.key for t in tokens[s:e] if t.kind != "punct"]
    if keys and keys[0] == "the" and len(keys) > 1:
        keys = keys[1:]
    return tuple(keys)


def _display(tokens: list[Token], s: int, e: int) -> str:
    """The words as written, joined as the text joins them ("Znak.com" stays whole)."""
    out = ""
    for k in range(s, e):
        t = tokens[k]
        text = t.text + ("." if t.dot and t.kind == "word" and (len(t.text) == 1 or t.key in ABBREVIATIONS)
                         and k < e - 1 else "")
        if k > s and tokens[k - 1].start + len(tokens[k - 1].text) + (1 if tokens[k - 1].dot else 0) < t.start:
            out += " "
        out += text
    return out


def _merge(tokens: list[Token], found: list[tuple[int, int, int]], people: set[int]) -> list[str]:
    """One value per organisation: acronyms joined to the names they stand for, shorter forms to the
    one longer form they belong to; ordered by mentions, then first mention."""
    n = len(tokens)
    names: dict[tuple, list] = {}                    # form key -> [display, first index, mentions, full key]
    alias: dict[tuple, tuple] = {}                   # form key -> key of the organisation it names
    for s, name_end, e in sorted(found):
        key = _key(tokens, s, name_end)
        if not key:
            continue
        entry = names.setdefault(key, [_display(tokens, s, name_end), s, 0, key])
        if len(key) > 1 and e + 2 < n and tokens[e].text in "([" and tokens[e].line == tokens[s].line:
            close = next((k for k in range(e + 1, min(e + 8, n)) if tokens[k].text in ")]"), None)
            if close is not None and close > e + 1 and all(_name_token(tokens[k]) or tokens[k].key in MINOR
                                                            for k in range(e + 1, close)) \
                    and not any(k in people for k in range(e + 1, close)):
                alias[_key(tokens, e + 1, close)] = key     # "… Agency (IAEA)", "… (Penn State)"
        del entry
    # acronyms and short forms point to the fuller name they stand for
    full = [k for k in names if len(k) > 1]
    for key in list(names):
        if key in alias or len(key) != 1:
            continue
        text = names[key][0]
        if acronym(tokens[names[key][1]]) or text.isupper():
            for other in full:
                words = names[other][0].split()
                for cut in range(len(words) - 1):
                    if abbreviates(text, words[cut:]) and len(words) - cut > 1 and \
                            "".join(c for c in text.lower() if c.isalnum()) == \
                            "".join(w[0] for w in words[cut:] if w.lower() not in MINOR).lower():
                        alias[key] = other
                        if cut:
                            names[other][0] = " ".join(words[cut:])   # "United States Central Intelligence Agency" -> CIA's name
                        break
                if key in alias:
                    break
    for key in list(names):
        if key in alias:
            continue
        longer = [o for o in full if o != key and len(o) > len(key) and _within(key, o)]
        if len(longer) == 1:
            alias[key] = longer[0]
    def root(k: tuple) -> tuple:
        seen = set()
        while k in alias and k not in seen and alias[k] in names:
            seen.add(k)
            k = alias[k]
        return k
    # count every mention of every form, the title's and headlines' too
    forms: dict[str, list[tuple]] = {}
    for key in set(names) | set(alias):
        forms.setdefault(key[0], []).append(key)
    for first in forms:
        forms[first].sort(key=len, reverse=True)
    counts: dict[tuple, int] = {}
    firsts: dict[tuple, int] = {}
    i = 0
    while i < n:
        t = tokens[i]
        cands = forms.get(t.key) if t.kind in ("word", "abbr") and (t.cap or t.caps_line) and i not in people else None
        if not cands and t.key == "the" and i + 1 < n:
            cands = None
        if cands:
            for key in cands:
                length = len(key)
                if tuple(x.key for x in tokens[i:i + length] if x.kind != "punct") == key:
                    r = root(key)
                    if r in names:
                        counts[r] = counts.get(r, 0) + 1
                        firsts.setdefault(r, i)
                    i += length
                    break
            else:
                i += 1
            continue
        i += 1
    roots = {root(k) for k in names if root(k) in names}
    ranked = sorted(roots, key=lambda k: (-counts.get(k, 1), firsts.get(k, names[k][1])))
    out = []
    seen = set()
    for k in ranked:
        name = names[k][0]
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _within(short: tuple, long: tuple) -> bool:
    """``short``'s words appear in ``long`` in order, sharing its first or its last word."""
    if short[0] != long[0] and short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)
