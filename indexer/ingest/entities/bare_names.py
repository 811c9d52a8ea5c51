"""People named by one word: surnames the article never completes ("Shearer scored", "Ponting 45,
Waugh 12"), read on evidence once organisations are known.

A one-word candidate (a capitalised word alone, no place, no ordinary or function word, no title, not
written in lower case elsewhere, no acronym, not after "the"/"a") is a person when

- it is a known family name (``data/surnames.txt``) and a reporting verb follows or precedes it
  ("Shearer said", "…, said Shearer"), or it is possessive ("Shearer's goal"), or an age follows it
  ("Shearer, 26,");
- an apposition gives it a title or role ("Shearer, the England captain,");
- an editor put it in square brackets inside a quote ("[Shearer] has been great");
- a role stands before it in brackets ("the coach (Shearer)");
- it scores in a results line: a minute after it ("( Shearer 39th , Sheringham 70th )"), or it
  catches, bowls or stumps in a cricket scorecard ("Anwar c Croft b Cork 176");
- it stands in a list whose other items are people ("Given, Breen, Staunton and Irwin").

and never when organisation extraction claimed the word for an organisation of the article
("Interfax said", "Ford's profits" where Ford is the company), nor when the possessive's noun is an
organisation's ("Kraft's shares"). Every other one-word mention of an accepted word is that person.
"""
from __future__ import annotations

from .countries import GAZETTEER
from .name_words import ENGLISH, FIRST_NAMES, KINDS, LOCATIVE, ORG, ORG_KINDS, ROLES, SURNAMES, TITLES
from .not_people import after_determiner
from .people import FoundPeople
from .text import Token
from .vocabulary import ENGLISH_WORDS, Vocabulary

MINUTE_ENDS = frozenset({"st", "nd", "rd", "th"})               # "39th"
MINUTE_WORDS = frozenset({"min", "mins", "minute", "minutes", "pen", "penalty", "og"})
ORG_NOUNS = ORG_KINDS | frozenset("""shares share stock stocks store stores shop shops branch branches factory
plant plants subsidiary subsidiaries employees staff shareholders products brand brands profits profit
revenue revenues sales earnings headquarters""".split())   # "Kraft's shares": a company's
EPONYMS = frozenset("""disease syndrome law laws theorem principle rule paradox constant equation effect
prize award trophy cup""".split())   # "Parkinson's disease": a thing named after a person
DETERMINERS_OWN = frozenset({"the", "a", "an", "his", "her", "its", "their", "our"})
LIST_JOINS = frozenset({",", "and", "&"})


def add_bare_names(tokens: list[Token], people: FoundPeople, places: dict[int, str], organisations: list[str],
                   v: Vocabulary = ENGLISH_WORDS) -> FoundPeople:
    """``people`` with the one-word names the evidence above accepts, in salience order."""
    if v.nouns_capitalised or not people.singles:
        return people               # a German noun stands alone as often as a name
    covered = people.covered
    claimed = {w.lower().strip(".,'’") for name in organisations for w in name.split()}
    aside = {tokens[s].key for s, e, _ in people.set_aside if e - s == 1}

    def candidate(i: int) -> bool:
        t = tokens[i]
        key = t.key
        return (t.kind == "word" and t.cap and not t.upper and not t.caps_line and i not in covered
                and i not in places and i not in people.credits and len(key) > 1 and key not in v.common
                and key not in v.words and key not in TITLES and key not in ROLES and key not in ORG
                and key not in v.say and key not in people.lower_words and key not in claimed
                and key not in aside and (key,) not in GAZETTEER and not after_determiner(tokens, i))

    singles = [i for i in people.singles if candidate(i)]
    if not singles:
        return people
    owned = {tokens[i].key for i in singles if _owned(tokens, i)}
    singles = [i for i in singles if tokens[i].key not in owned]
    evidence: set[str] = set()
    for i in singles:
        if _says(tokens, i, v) or _titled_around(tokens, i) or _scores(tokens, i) or _dismissal(tokens, i) or (
                tokens[i].edited and (tokens[i].key in SURNAMES or tokens[i].key in FIRST_NAMES)):
            evidence.add(tokens[i].key)
    evidence |= _listed(tokens, singles, covered, set(places))
    if not evidence:
        return people
    mentions = {name: list(idx) for name, idx in people.mentions.items()}
    first = dict(people.first)
    by_first: dict[str, list[str]] = {}
    for name in mentions:
        if " " in name:
            by_first.setdefault(name.split()[0].lower(), []).append(name)
    added = set()
    for i in singles:
        if tokens[i].key in evidence:
            known = by_first.get(tokens[i].key, [])
            name = known[0] if len(known) == 1 else next((x for x in added if x.lower() == tokens[i].key),
                                                         tokens[i].text)   # "Mohammad" of "Mohammad bin Salman"
            mentions.setdefault(name, []).append(i)
            first.setdefault(name, i)
            added.add(name)
    names = sorted(mentions, key=lambda x: (-len(set(mentions[x])), first[x]))
    covered = covered | {i for name in added for i in mentions[name]}
    return people._replace(names=names, covered=covered, mentions=mentions, first=first)


def _owned(tokens: list[Token], i: int) -> bool:
    """The word stands before a company's noun, maybe possessive ("Ford's shares", "a Kraft plant"):
    the article uses it for an organisation."""
    k = i + 1
    return k < len(tokens) and tokens[k].line == tokens[i].line and tokens[k].kind == "word" \
        and not tokens[k].cap and tokens[k].key in ORG_NOUNS


def _says(tokens: list[Token], i: int, v: Vocabulary) -> bool:
    """A known family name beside a reporting verb, possessive or followed by an age."""
    t = tokens[i]
    if t.key not in SURNAMES or t.key in FIRST_NAMES:
        return False                # "his wife Mary said": a given name alone says too little
    n = len(tokens)
    nxt = tokens[i + 1] if i + 1 < n and tokens[i + 1].line == t.line else None
    prev = tokens[i - 1] if i and tokens[i - 1].line == t.line else None
    if t.poss:                      # "Shearer's goal" (not "Moody's.", "Parkinson's disease", Dutch "'s")
        return not v.foreign and nxt is not None and nxt.kind == "word" and not nxt.cap \
            and nxt.key in ENGLISH and nxt.key not in ORG and nxt.key not in EPONYMS
    if nxt is None:
        return prev is not None and prev.kind == "word" and not prev.cap and prev.key in v.say
    if nxt.kind == "word" and not nxt.cap and (nxt.key in v.say or (
            nxt.key in v.aux and i + 2 < n and tokens[i + 2].key in v.say)):
        return True                 # "Shearer said", "Shearer a déclaré"
    if prev is not None and prev.kind == "word" and not prev.cap and prev.key in v.say \
            and nxt.kind == "punct":
        return True                 # "…," said Shearer.
    return nxt.text == "," and i + 3 < n and tokens[i + 2].kind == "num" and tokens[i + 2].text.isdigit() \
        and int(tokens[i + 2].text) <= 110 and tokens[i + 3].text in (",", ")", ".")   # "Shearer, 26,"


def _titled_around(tokens: list[Token], i: int) -> bool:
    """An apposition with a title or role ("Shearer, the England captain,"), or a role before the
    word in brackets ("the coach (Shearer)")."""
    n = len(tokens)
    t = tokens[i]
    if i >= 2 and tokens[i - 1].text == "(" and i + 1 < n and tokens[i + 1].text == ")":
        p = tokens[i - 2]
        return p.kind == "word" and not p.cap and (p.key in ROLES or p.key in TITLES)
    if i and tokens[i - 1].upper and tokens[i - 1].key in TITLES and tokens[i - 1].line == t.line:
        return True                 # "PM Kabariti", "CEO Okafor": a title in capitals
    if i + 2 >= n or tokens[i + 1].text != "," or tokens[i + 2].key not in DETERMINERS_OWN \
            or (i and tokens[i - 1].key in LOCATIVE and not tokens[i - 1].cap):
        return False                # "in Europe, a Bertelsmann official said": a place
    for k in range(i + 3, min(i + 7, n)):
        w = tokens[k]
        if w.line != t.line or w.kind != "word" or (w.key in KINDS and not w.poss):
            return False            # "Interfax, the news agency" (but "the team's captain")
        if (w.key in TITLES or w.key in ROLES) and not w.poss:
            return True
    return False


def _scores(tokens: list[Token], i: int) -> bool:
    """A scorer in a results line: a minute right after the name ("( Shearer 39th , …", "Shearer 23'",
    "Shearer 70 min"), the name opening a bracket or an item of a list."""
    n = len(tokens)
    if not i or tokens[i - 1].text not in ("(", ",", ":", ";") or i + 2 >= n:
        return False
    num, mark = tokens[i + 1], tokens[i + 2]
    if num.kind != "num" or not num.text.isdigit() or int(num.text) > 130 or num.line != tokens[i].line:
        return False
    glued = mark.start == num.start + len(num.text)
    return (glued and (mark.key in MINUTE_ENDS or mark.text in ("'", "’"))) or (
        mark.kind == "word" and mark.key in MINUTE_WORDS)


DISMISSALS = frozenset({"c", "b", "st"})      # a cricket scorecard's "caught", "bowled", "stumped"


def _dismissal(tokens: list[Token], i: int) -> bool:
    """A fielder or bowler in a cricket scorecard line: "Saeed Anwar c Croft b Cork 176" (the line
    ends in the runs)."""
    p = tokens[i - 1] if i else None
    if p is None or p.kind != "word" or p.key not in DISMISSALS or p.cap or p.line != tokens[i].line:
        return False
    k = i
    while k + 1 < len(tokens) and tokens[k + 1].line == tokens[i].line:
        k += 1
    return tokens[k].kind == "num"


def _listed(tokens: list[Token], singles: list[int], covered: set[int], places: set[int]) -> set[str]:
    """Words of lists of names ("A, B, C and D", maybe each with a number: "Ponting 45, Waugh 12")
    whose other items are people (two at least), none of them a place or another candidate's kind."""
    out: set[str] = set()
    single = set(singles)
    done: set[int] = set()
    for i in singles:
        if i in done:
            continue
        items = _list_around(tokens, i)
        done.update(s for s, _ in items)
        if not items:
            continue
        if _introduced(tokens, items[0][0]) or (len(items) >= 2 and all(
                e - s == 1 and s in single and tokens[s].key in FIRST_NAMES for s, e in items)):
            out.update(tokens[s].key for s, e in items if e - s == 1 and s in single)
            continue                # "players including Okafor and Mbeki", "Julie and Melissa"
        if len(items) < 3:
            continue
        people_items = sum(all(k in covered for k in range(s, e)) for s, e in items)
        if people_items < 2 or any(k in places or tokens[k].key in ORG for s, e in items for k in range(s, e)):
            continue
        named = [all(k in covered for k in range(s, e)) or (e - s == 1 and s in single) for s, e in items]
        if sum(named) >= len(items) - 1 and sum(named) * 4 >= len(items) * 3:   # one ordinary word at most ("Given")
            out.update(tokens[s].key for s, e in items if e - s == 1 and s in single)
    return out


INTRODUCE = frozenset({"including", "like", "notably"})


def _introduced(tokens: list[Token], s: int) -> bool:
    """A list opened by people's role words and "including", "such as", "like" ("players including …",
    "actors such as …")."""
    k = s - 1
    if k >= 1 and tokens[k].key == "as" and tokens[k - 1].key == "such":
        k -= 1
    elif k < 0 or tokens[k].key not in INTRODUCE or tokens[k].cap:
        return False
    k -= 1
    if k >= 0 and tokens[k].text == ",":
        k -= 1
    if k < 0 or tokens[k].kind != "word" or tokens[k].cap:
        return False
    key = tokens[k].key
    return key in ROLES or key in TITLES or (key.endswith("s") and (key[:-1] in ROLES or key[:-1] in TITLES)) \
        or key.endswith("es") and key[:-2] in ROLES


def _list_around(tokens: list[Token], i: int) -> list[tuple[int, int]]:
    """The items of the list of capitalised names the word at ``i`` stands in (on its line), each maybe
    followed by a number: [(start, end)] in order."""
    n = len(tokens)
    line = tokens[i].line

    def name_at(k: int) -> int:      # end of the capitalised run opening at k (k if none)
        e = k
        while e < n and tokens[e].line == line and tokens[e].kind == "word" and tokens[e].cap:
            e += 1
        return e

    def item_end(s: int) -> int:
        e = name_at(s)
        if e < n and tokens[e].line == line and tokens[e].kind == "num":
            e += 1
        return e
    # walk back to the list's first item
    s = i
    while True:
        p = s - 1
        if p >= 1 and tokens[p].key == "and" and tokens[p - 1].text == ",":
            p -= 1
        if p < 1 or tokens[p].line != line or tokens[p].text not in LIST_JOINS:
            break
        q = p - 1
        if tokens[q].kind == "num":
            q -= 1
        if q < 0 or tokens[q].line != line or not (tokens[q].kind == "word" and tokens[q].cap):
            break
        while q > 0 and tokens[q - 1].line == line and tokens[q - 1].kind == "word" and tokens[q - 1].cap:
            q -= 1
        s = q
    if s and tokens[s - 1].line == line and tokens[s - 1].key in LOCATIVE and not tokens[s - 1].cap:
        return []                   # "in Paris, Lyon and Lille": places
    items = []
    k = s
    while k < n and tokens[k].line == line and tokens[k].kind == "word" and tokens[k].cap:
        e = name_at(k)
        items.append((k, e))
        k = item_end(k)
        if k < n and tokens[k].text == "," and k + 1 < n and tokens[k + 1].key == "and":
            k += 1
        if k + 1 < n and tokens[k].line == line and tokens[k].text in LIST_JOINS:
            k += 1
            continue
        if k < n and tokens[k].line == line and tokens[k].kind == "word":
            items.pop()             # "…, and Olympic doubles champions …": the last item is no name
        break
    return items
