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

from .name_words import (CAPITALISED_NOUNS, COMMON, DETERMINERS, ENGLISH, EVENT_HEADS, FIRST_NAMES, KINDS,
                         LEGAL_FORMS, ORG, ORG_HEADS, ORG_HEADS_ABROAD, ORG_KINDS, ORG_LEAD, PLACE_HEADS, ROLES,
                         SAY, TITLES, WORK_HEADS)
from .not_people import LEGAL, kind_after, kind_before, legal_form
from .people import FoundPeople
from .text import ABBREVIATIONS, Token
from .vocabulary import ENGLISH_WORDS, Vocabulary

HEADS = ORG_HEADS | ORG_HEADS_ABROAD
SOLO_HEADS = frozenset({"senate", "congress", "parliament", "assembly", "treasury"})   # a legislature named by its head alone
NOT_ORG_HEADS = EVENT_HEADS | WORK_HEADS | PLACE_HEADS
JOINS = frozenset({"of", "for", "to", "on"})
JOINS_ABROAD = frozenset("de del des du di della delle dei degli der für do da dos das van voor".split())
JOIN_ARTICLES = frozenset("the la le les los las el il lo der die das den het".split())
MINOR = JOINS | JOINS_ABROAD | JOIN_ARTICLES | {"and", "&", "at", "y", "e", "et", "und"}
REPORTS = frozenset({"reported", "reports", "reporting", "quoted", "quoting"})
DOMAINS = frozenset({"com", "org", "net", "info", "news", "tv", "io"})   # generic top-level domains
# Words that open or close a capitalised run without being part of a name: function words, days and
# months, "Former", "According" ("Former CIA agent", "According to Reuters").
LEAD_STOP = frozenset("""a an the this that these those there here it its he she we they i you his her their
our my your and or but nor so yet for of in on at by with from into onto about above after against along
among around before behind below beneath beside between beyond during except inside near off outside over
since through throughout till toward towards under until upon within without if when while where whether
because although though unless as than then once also however meanwhile moreover furthermore nevertheless
still instead indeed thus hence otherwise not no yes all any some many much more most few several each
every both either neither other another such what which who whom whose why how former ex late acting
interim longtime then-president monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december jan feb mar apr jun jul aug sep sept
oct nov dec today tomorrow yesterday tonight according asked despite following including like unlike per
via breaking""".split())
AFFILIATION = ROLES | TITLES | ORG_KINDS | frozenset(
    "store stores shop shops branch branches factory plant subsidiary employee employees staff shares stock "
    "shareholders officials members supporters fans players".split())   # "a Boots store", "the BBC correspondent"
ADJECTIVE_ENDS = ("an", "ish", "ese", "ic", "ical")   # "a European team", "the Islamic faith"
TOLD = frozenset({"told", "telling", "tells"})
SPOKE = frozenset({"speaking", "talking", "spoke", "spoken", "talked", "talk", "speak"})
BEAT = frozenset({"beat", "beats", "defeated", "defeat", "defeats", "thrashed", "edged", "overcame", "routed",
                  "downed", "drew", "lost", "upset", "knocked"})      # "Caloundra defeated Wynnum"
COMPOUND_HEADS = tuple(sorted(h for h in ORG_HEADS_ABROAD | {"bank"} if len(h) >= 4 and h not in ENGLISH))
ANY_KINDS = KINDS | ORG_HEADS
WORD_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ing", "ics", "ogy", "ure", "ism",
                 "ship", "ous", "ive", "ical", "ary")


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


def _runs(tokens: list[Token], skip: set[int], lower_words: set[str],
          places: dict[int, str]) -> list[tuple[int, int]]:
    """Capitalised runs joined across the words organisations' names hold inside them."""
    out = []
    n = len(tokens)
    for i in [i for i, t in enumerate(tokens) if (t.cap or t.kind == "abbr" or "-" in t.key) and i not in skip]:
        if out and i < out[-1][1] or not _name_token(tokens[i]):
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
            if k < n and tokens[k].line == line and k not in skip and _name_token(tokens[k]):
                j = k
                continue
            if k + 1 < n and tokens[k].text == "." and tokens[k + 1].key in DOMAINS \
                    and tokens[k + 1].start == tokens[k].start + 1 and tokens[k].start == t.start + len(t.text):
                j = k + 2                   # "Znak.com": a website's name
                break
            nxt = _joined(tokens, start, k, skip, lower_words, places)
            if nxt:
                j = nxt
                continue
            j = k
            break
        out.append((start, j))
    return out


def _joined(tokens: list[Token], start: int, k: int, skip: set[int], lower_words: set[str],
            places: dict[int, str]) -> int:
    """The index of the name word a joining word at ``k`` leads to, or 0 when the run ends there."""
    n = len(tokens)
    if k + 1 >= n:
        return 0
    c, prev = tokens[k], tokens[k - 1]
    if c.line != prev.line:
        return 0
    head_join = any(tokens[x].key in HEADS and tokens[x + 1].key in JOINS for x in range(start, k - 1))
    if c.text == "&":
        m = k + 1
    elif c.kind != "word" or c.cap:
        return 0
    elif c.key in JOINS or c.key in JOINS_ABROAD:
        if c.key in JOINS_ABROAD and c.key not in JOINS:
            if not any(tokens[x].key in ORG_HEADS_ABROAD or tokens[x].key in ORG_LEAD
                       or tokens[x].key.endswith(COMPOUND_HEADS) for x in range(start, k)):
                return 0                # "Ministerio de Defensa", "Banco do Brasil"
        elif not any(tokens[x].key in HEADS for x in range(start, k)):
            return 0                    # "University of Miami", "Committee to Protect Journalists"
        m = k + 1
        if m < n and tokens[m].key in JOIN_ARTICLES and not tokens[m].cap:
            m += 1
    elif c.key in ("at", "in"):
        if not head_join or (c.key == "in" and (k + 1) in places):
            return 0                    # "University of Hawaii at Mānoa", "… for Research in Environmental Sciences"
        m = k + 1
    elif c.key == "and":
        a, b = prev.key, tokens[k + 1]
        if (prev.key in HEADS and not head_join) or (k - 1) in places or b.key in FIRST_NAMES and a not in FIRST_NAMES:
            return 0                    # not "Senate and House", "University of Miami and …"
        if not (head_join and _ordinary(b.key, lower_words)) and not (
                (_ordinary(a, lower_words) or a in FIRST_NAMES) and (_ordinary(b.key, lower_words) or b.key in FIRST_NAMES)) \
                and not (_right_head(tokens, k + 1, skip) and not any(
                    tokens[x].key in HEADS or x in places for x in range(start, k))):
            return 0                    # "Control and Prevention", "National Oceanic and Atmospheric Administration"
        m = k + 1
    else:
        return 0
    if m < n and tokens[m].line == c.line and m not in skip and _name_token(tokens[m]) \
            and not tokens[m].sent_start:
        return m
    return 0


def _right_head(tokens: list[Token], m: int, skip: set[int]) -> bool:
    """The capitalised run from ``m`` ends in an organisation's head."""
    last = None
    while m < len(tokens) and m not in skip and _name_token(tokens[m]) and tokens[m].line == tokens[m - 1].line:
        last = tokens[m]
        m += 1
    return last is not None and last.key in HEADS


def _ordinary(key: str, lower_words: set[str]) -> bool:
    """An ordinary word, not a name: in the English word list, written in lower case in the article,
    or made with a suffix that makes nouns and adjectives of words ("Conservation", "Infectious")."""
    return key in ENGLISH or key in lower_words or (len(key) > 6 and key.endswith(WORD_SUFFIXES))


def _trim(tokens: list[Token], s: int, e: int) -> tuple[int, int]:
    """Drop the words that open or close a run without naming: "Former", "According", a sentence's
    "The", and titles left over from a person ("Senate President")."""
    for k in range(e - 2, s - 1, -1):
        if "-" in tokens[k].text and tokens[k].text.rsplit("-", 1)[1].islower():
            s = k + 1                   # "St. Louis-based Mercantile Bancorp", "Yemen-based Houthi movement"
            break
    while s < e:
        t = tokens[s]
        if t.key in JOIN_ARTICLES and s + 1 < e and t.sent_start and (
                tokens[s + 1].key in HEADS or tokens[s + 1].key.endswith(COMPOUND_HEADS)):
            s += 1                      # "El Ministerio de Hacienda", "Die Universität Leipzig"
            continue
        if t.key in LEAD_STOP and not t.upper:
            if t.key in DETERMINERS and t.cap and not t.sent_start:
                break                   # "told The Washington Post": the name's own "The"
            s += 1
        elif (t.key in TITLES or t.key in ROLES) and not t.upper and s + 1 < e \
                and tokens[s + 1].key not in HEADS:
            s += 1                      # "Director Rebic", but "General Motors"
        else:
            break
    while e > s:
        t = tokens[e - 1]
        if t.key in HEADS or t.upper:
            break
        if t.key in MINOR or t.key in LEAD_STOP or (
                (t.key in TITLES or t.key in ROLES) and e - 2 >= s and tokens[e - 2].key not in MINOR):
            e -= 1                      # "Senate President", but "House of Representatives"
            continue
        break
    return s, e


def _head_at(tokens: list[Token], s: int, end: int, places: dict[int, str]) -> int:
    """Index of the word that heads the name: the last one, places and joining words aside."""
    h = end - 1
    while h > s and ((h in places and places[h] != "org") or tokens[h].key in MINOR or tokens[h].kind == "abbr"):
        h -= 1
    return h


def _is_place(tokens: list[Token], s: int, e: int, places: dict[int, str]) -> bool:
    return all((k in places and places[k] != "org") or tokens[k].key in MINOR for k in range(s, e))


def _before(tokens: list[Token], s: int) -> int:
    """Index of the word before the span, past a lower-case "the"."""
    p = s - 1
    if p >= 0 and tokens[p].key == "the" and not tokens[p].cap:
        p -= 1
    return p


def _evidence(tokens: list[Token], s: int, e: int, name_end: int, places: dict[int, str],
              org_aside: set[tuple[int, int]]) -> bool:
    """Signs in the run itself and its neighbours that it names an organisation."""
    n = len(tokens)
    width = name_end - s
    before = kind_before(tokens, s)
    after = kind_after(tokens, e, ANY_KINDS)
    if (before and before not in ORG_KINDS) or (after and after not in ORG_KINDS and after not in ORG_HEADS):
        return False                                 # "the show Terrace House", "the ship X"
    if any(tokens[k].key in HEADS and tokens[k + 1].key in JOINS for k in range(s, name_end - 1)):
        return True                                  # "University of Bristol", "Ministry of Foreign Affairs"
    h = _head_at(tokens, s, name_end, places)
    head = tokens[h].key
    if head in ORG and head not in HEADS and head not in LEGAL and h == name_end - 1:
        return False                                 # "World Cup", "Affordable Care Act", "Human Rights"
    if (head in HEADS or places.get(h) == "org") and (width > 1 or head in SOLO_HEADS):
        return True                                  # "Hungarian Development Bank", "Sky News Arabia", "Senate"
    if tokens[name_end - 1].kind == "word" and tokens[name_end - 1].key in DOMAINS and width > 1:
        return True                                  # "Znak.com"
    if width > 2 and tokens[s].key in ORG_HEADS_ABROAD and tokens[s + 1].key in JOINS_ABROAD:
        return True                                  # "Banco de España"
    if width > 1 and tokens[s].key in ORG_LEAD:
        return True
    for k in range(s, name_end):
        key = tokens[k].key
        if len(key) >= 7 and key.endswith(COMPOUND_HEADS) and key not in ENGLISH and key not in FIRST_NAMES:
            return True                              # "Bundesministerium", "Rabobank"
    if before or after or (s, e) in org_aside or (s, name_end) in org_aside:
        return True                                  # "the law firm X", "X, a service for …"
    if e + 2 < n and tokens[e].text == "(" and tokens[e + 2].text == ")" and acronym(tokens[e + 1]) \
            and width > 1 and abbreviates(tokens[e + 1].text, [t.text for t in tokens[s:name_end]]):
        return True                                  # "Federal Security Service (FSB)"
    first = tokens[s]
    p = _before(tokens, s)
    prev = tokens[p] if p >= 0 and not tokens[p].cap and tokens[p].line == first.line else None
    if prev is not None and prev.key == "in" and any(tokens[k].key == "published" for k in range(max(0, p - 4), p)):
        return not _is_place(tokens, s, e, places)   # "published on Monday in Science Advances"
    if (first.key in FIRST_NAMES and not first.upper) or (width == 1 and first.key in ORG):
        return False
    nxt = tokens[e] if e < n and tokens[e].line == tokens[e - 1].line else None
    if nxt is not None and not nxt.cap and (nxt.key in REPORTS or (nxt.key in SAY and first.key == "the")):
        return True                                  # "Rappler reported", "The Daily Telegraph said"
    if prev is not None and (prev.key in TOLD or (prev.key == "to" and p >= 1 and (
            tokens[p - 1].key == "according" or tokens[p - 1].key in SPOKE))):
        return not _is_place(tokens, s, e, places)   # "told TASS", "according to AFP", "speaking to Reuters"
    if first.key == "the" and prev is not None and prev.key in ("to", "by"):
        return True                                  # "commented to The EastAfrican"
    if nxt is not None and nxt.kind == "word" and not nxt.cap and not _is_place(tokens, s, e, places) \
            and not tokens[name_end - 1].key.endswith(ADJECTIVE_ENDS) and (
            (nxt.key in AFFILIATION and s and tokens[s - 1].key in DETERMINERS) or nxt.key in ORG_KINDS
            or (nxt.key in ORG_HEADS and e + 1 < n and tokens[e + 1].key in ORG_KINDS)):
        return True                                  # "a Boots store", "Interfax news agency"
    if width == 1 and acronym(first):
        return _acronym_in_use(tokens, s, e, nxt, prev)
    return False


def _acronym_in_use(tokens: list[Token], s: int, e: int, nxt: Token | None, prev: Token | None) -> bool:
    """An acronym used as organisations' are: "the FBI", "CNN's", "NATO said", "CIA agent", "of UNICEF"."""
    t = tokens[s]
    if t.key in CAPITALISED_NOUNS or t.key in TITLES or (
            nxt is not None and nxt.text == "-" and e + 1 < len(tokens) and tokens[e + 1].kind == "num") \
            or (s and tokens[s - 1].kind == "num"):
        return False                                 # "GDP", "COVID-19", "1700 UTC"
    the = s and tokens[s - 1].key == "the" and not tokens[s - 1].cap
    if t.key in ENGLISH and not the:
        return False                                 # "IT", "WHO" need more
    if the or t.poss:
        return True
    if nxt is not None and not nxt.cap and nxt.kind == "word" and (
            nxt.key in SAY or nxt.key in AFFILIATION or nxt.key.rstrip("s") in AFFILIATION or nxt.key in ORG_HEADS):
        return True
    return prev is not None and prev.key in ("of", "by", "to", "from", "at", "with", "for")


ADJECTIVE_SUFFIXES = ("al", "ale", "ali", "aux", "ico", "ica", "ici", "iche", "ique", "iques", "ista", "iste",
                     "ano", "ana", "ani", "ien", "ienne", "ais", "aise", "ese", "esi", "és", "esa", "ês", "ivo",
                     "iva", "ive", "if", "ario", "aria", "aire", "ar", "ée", "ado", "ada", "ato", "ata", "ido",
                     "ida", "ita", "ite", "enne", "eo", "ea", "ei", "eos", "eas", "eur")


def _kind_word(key: str, v: Vocabulary) -> bool:
    """A word saying the name after it is an organisation's, in the article's language: "agence",
    "diario"; in German and Dutch also a compound ending in one ("Nachrichtenagentur", "Autofabrikant")."""
    key = key.split("'")[-1].split("’")[-1]
    if key in v.org_kinds:
        return True
    return v.language in ("de", "nl") and any(key.endswith(k) and len(key) - len(k) >= 3 for k in v.org_kinds)


def _abroad(tokens: list[Token], s: int, e: int, v: Vocabulary, places: dict[int, str]) -> tuple[int, int, bool]:
    """Another language's signs on a run: (start, end, evidence). A kind word opening it is dropped and
    is evidence ("Nachrichtenagentur Xinhua" -> "Xinhua"); a lower-case kind word before it too ("l'agence
    Reuters"); a head takes the lower-case adjectives after it ("Parti socialiste", "Banca centrale
    europea"); in German a sentence's article is dropped ("Die Taliban") and a common noun alone is no name."""
    n = len(tokens)
    if e - s > 1 and tokens[s].sent_start and tokens[s].key in v.function and not tokens[s].upper:
        s += 1
    if e - s > 1 and v.language in ("de", "nl") and _kind_word(tokens[s].key, v) \
            and tokens[s + 1].key not in v.function:
        return s + 1, e, True
    p = s - 1
    if p >= 0 and tokens[p].kind == "word" and not tokens[p].cap and tokens[p].line == tokens[s].line \
            and _kind_word(tokens[p].key, v) and not tokens[p].dot:
        return s, e, True
    if tokens[s].key in v.org_heads and all(tokens[k].key in v.org_heads or tokens[k].key in MINOR
                                            or k in places for k in range(s, e)):
        k = e
        while k < n and tokens[k].kind == "word" and not tokens[k].cap and tokens[k].line == tokens[s].line \
                and tokens[k].key not in v.function and tokens[k].key.endswith(ADJECTIVE_SUFFIXES) and k - e < 3:
            k += 1
        if k > e:
            return s, k, True
    return s, e, False


def _acronym_abroad(tokens: list[Token], s: int, e: int, v: Vocabulary) -> bool:
    """An acronym used as organisations' are in another language: after one of its function words ("la
    NASA", "del PSOE", "die CSU"), before a reporting verb ("EFE dijo"), or alone in brackets ("( EFE )")."""
    t = tokens[s]
    if not acronym(t) or t.key in v.capitalised_nouns or t.key in CAPITALISED_NOUNS:
        return False
    if (s and tokens[s - 1].kind == "num") or (e < len(tokens) and tokens[e].text == "-"):
        return False                                 # "COVID-19"
    prev = tokens[s - 1] if s and tokens[s - 1].line == t.line else None
    nxt = tokens[e] if e < len(tokens) and tokens[e].line == t.line else None
    if prev is not None and prev.kind == "word" and not prev.cap and prev.key in v.function:
        return True
    if nxt is not None and nxt.kind == "word" and not nxt.cap and nxt.key in v.say:
        return True
    return prev is not None and nxt is not None and prev.text in "([" and nxt.text in ")]/"


def extract_organisations(tokens: list[Token], places: dict[int, str], found_people: FoundPeople,
                          v: Vocabulary = ENGLISH_WORDS) -> list[str]:
    """Organisations in salience order (display names), from an article's tokens, the token indexes
    of its country mentions (index -> kind of mention) and what people extraction found: the tokens
    of people's names, of bylines and credits (no organisation there), and the spans it set aside as
    names of something else (an organisation's, when the sign said so); ``v``: the article's language's
    words (English's read as before; another language's add its kinds, heads and acronyms' cues)."""
    n = len(tokens)
    people = found_people.covered
    lower_words = found_people.lower_words
    org_aside = {(a, b) for a, b, organisation in found_people.set_aside if organisation}
    skip = people | found_people.credits
    found: list[tuple[int, int, int]] = []          # (start, end of display, end of run)
    rejected: list[tuple[int, int]] = []
    for start, end in _runs(tokens, skip, lower_words, places):
        s, e = _trim(tokens, start, end)
        if s >= e:
            continue
        if v.foreign:
            s, e, sign = _abroad(tokens, s, e, v, places)
            if sign and not _is_place(tokens, s, e, places) and tokens[s].key not in v.first_names:
                found.append((s, e, e))
                continue
            if e - s == 1 and (_acronym_abroad(tokens, s, e, v)):
                found.append((s, e, e))
                continue
            if e - s == 1 and v.nouns_capitalised and tokens[s].key in v.words and not tokens[s].upper:
                continue                             # "Polizei", "Unternehmen": a German noun
        if all(places.get(k) == "org" or tokens[k].key in MINOR for k in range(s, e)):
            found.append((s, e, e))                  # "Bundesbank", "Taliban"
            continue
        if _is_place(tokens, s, e, places):
            continue
        name_end = e
        while name_end - s > 1 and legal_form(tokens[name_end - 1]) and name_end - 1 not in places:
            name_end -= 1
        if name_end < e or (e + 1 < n and tokens[e].text == "," and legal_form(tokens[e + 1])
                            and e + 1 not in places):
            found.append((s, name_end, e))           # "Airbus SAS", "… Management, Inc."
            continue
        if e - s == 1 and (legal_form(tokens[s]) or tokens[s].key in TITLES or tokens[s].key in LEAD_STOP):
            continue
        if e < n and tokens[e].key == "party" and not tokens[e].cap and tokens[e].line == tokens[s].line \
                and not _is_place(tokens, s, e, places) and tokens[s].key not in FIRST_NAMES:
            found.append((s, e + 1, e + 1))          # "the Democratic party": the party's name
            continue
        if _evidence(tokens, s, e, name_end, places, org_aside):
            found.append((s, name_end, e))
        else:
            rejected.append((s, e))
    found.extend(_listed_beside(tokens, found, rejected))
    found.extend(_teams(tokens, rejected, places))
    found.extend(_table_teams(tokens, places, people))
    return _merge(tokens, found, people)


def _listed_beside(tokens: list[Token], found: list[tuple[int, int, int]],
                   rejected: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Runs joined by "and"/"or" to an organisation ("the University of Bristol and UC Davis")."""
    ends = {e for _, _, e in found}
    starts = {s for s, _, _ in found}
    out = []
    for s, e in rejected:
        if tokens[s].key in FIRST_NAMES or e - s > 4 or tokens[s].sent_start or (e - s == 1 and tokens[s].key in ORG):
            continue
        left = s >= 1 and tokens[s - 1].key in ("and", "or") and not tokens[s - 1].cap and s - 1 in ends
        right = e + 1 < len(tokens) and tokens[e].key in ("and", "or") and not tokens[e].cap and e + 1 in starts
        if left or right:
            out.append((s, e, e))
    return out


def _teams(tokens: list[Token], rejected: list[tuple[int, int]], places: dict[int, str]) -> list[tuple[int, int, int]]:
    """Teams in results: "Caloundra defeated Wynnum", "Pohang 3 Ulsan 2" (sides that are not countries:
    a country's side is named as the country)."""
    at = {s: e for s, e in rejected}
    out = []
    n = len(tokens)
    for s, e in rejected:
        if e >= n or tokens[e].line != tokens[s].line:
            continue
        nxt = tokens[e]
        if nxt.kind == "word" and nxt.key in BEAT and not nxt.cap:
            k = e + 1
            if k < n and tokens[k].key in ("with", "to", "of"):
                k += 1
            other = at.get(k)
        elif nxt.kind == "num" and nxt.text.isdigit() and (s == 0 or tokens[s - 1].line != tokens[s].line):
            other = at.get(e + 1)                # a results line: "Pohang 3 Ulsan 2"
            if other is None or other >= n or tokens[other].kind != "num" or tokens[other].line != nxt.line:
                continue
            k = e + 1
        else:
            continue
        if other is None:
            continue
        for a, b in ((s, e), (k, other)):
            if not any(places.get(x) in ("name", "demonym") for x in range(a, b)) and tokens[a].key not in FIRST_NAMES:
                out.append((a, b, b))
    return out


def _table_teams(tokens: list[Token], places: dict[int, str], people: set[int]) -> list[tuple[int, int, int]]:
    """Teams in tables of results and standings, where lines may be in capitals: lines "Pohang 3
    Ulsan 2" (two or more in the article) and "BOSTON 69 65 .515 5" (three or more)."""
    results: list[list[tuple[int, int]]] = []
    standings: list[tuple[int, int]] = []
    n = len(tokens)
    starts = [i for i in range(n) if i == 0 or tokens[i].line != tokens[i - 1].line] + [n]
    for i, j in zip(starts, starts[1:]):
        first = tokens[i]
        if first.kind not in ("word", "abbr") or not (first.cap or first.caps_line) or j - i < 3:
            continue
        sides, k = [], i                             # alternating names and numbers
        shape_ok = True
        while k < j and shape_ok:
            a = k
            while k < j and tokens[k].kind in ("word", "abbr") and (tokens[k].cap or tokens[k].caps_line):
                k += 1
            if a == k or k - a > 4 or k >= j or tokens[k].kind != "num":
                shape_ok = a == k and bool(sides)
                break
            sides.append((a, k))
            nums = k
            while k < j and tokens[k].kind == "num":
                k += 1
            if len(sides) == 1 and k - nums >= 2 and all(tokens[x].kind == "num" or tokens[x].text in "-/."
                                                         for x in range(k, j)):
                standings.append(sides[0])           # name, then a row of numbers
                break
            if len(sides) == 2:
                results.append(sides)
                break
    out = []
    spans = [s for pair in results for s in pair] if len(results) >= 2 else []
    spans += standings if len(standings) >= 3 else []
    for a, b in spans:
        if tokens[a].key in FIRST_NAMES or any(x in people or places.get(x) in ("name", "demonym")
                                               for x in range(a, b)):
            continue                                 # a player, or a country's side
        out.append((a, b, b))
    return out


def _key(tokens: list[Token], s: int, e: int) -> tuple[str, ...]:
    keys = [t.key for t in tokens[s:e] if t.kind != "punct"]
    if keys and keys[0] == "the" and len(keys) > 1:
        keys = keys[1:]
    return tuple(keys)


def _display(tokens: list[Token], s: int, e: int) -> str:
    """The words as written, joined as the text joins them ("Znak.com" stays whole); a head written
    in lower case after the name gets its capital ("Democratic party" -> "Democratic Party")."""
    out = ""
    for k in range(s, e):
        t = tokens[k]
        text = t.text + ("." if t.dot and t.kind == "word" and (len(t.text) == 1 or t.key in ABBREVIATIONS)
                         and k < e - 1 else "")
        if k == e - 1 and k > s and t.key in HEADS and t.text.islower():
            text = text.capitalize()
        elif t.caps_line and t.upper and len(t.text) > 3:
            text = text.capitalize()                 # a team in a table in capitals: "BOSTON" -> "Boston"
        end_prev = tokens[k - 1].start + len(tokens[k - 1].text) + (
            1 if tokens[k - 1].dot and tokens[k - 1].kind == "word" else 0)
        if k > s and end_prev < t.start:
            out += " "
        out += text
    return out


def _merge(tokens: list[Token], found: list[tuple[int, int, int]], people: set[int]) -> list[str]:
    """One value per organisation: acronyms joined to the names they stand for, shorter forms to the
    one longer form they belong to; ordered by mentions, then first mention."""
    n = len(tokens)
    names: dict[tuple, list] = {}                    # form key -> [display, first index, mentions, full key]
    alias: dict[tuple, tuple] = {}                   # form key -> key of the organisation it names
    bracketed: dict[int, tuple] = {}                 # index after "(" -> key of the name before it
    for s, name_end, e in sorted(found):
        key = _key(tokens, s, name_end)
        if not key:
            continue
        names.setdefault(key, [_display(tokens, s, name_end), s])
        opened = next((k for k in range(s - 1, max(s - 4, -1), -1) if tokens[k].text in "(["), None)
        if opened is not None and opened + 1 in bracketed and all(
                tokens[k].key in LEAD_STOP for k in range(opened + 1, s)):
            alias[key] = bracketed[opened + 1]       # "Akhil Bharat Hindu Mahasabha (All India Hindu Union)"
            continue
        if len(key) > 1 and e + 2 < n and tokens[e].text in "([" and tokens[e].line == tokens[s].line:
            bracketed[e + 1] = key
            close = next((k for k in range(e + 1, min(e + 8, n)) if tokens[k].text in ")]"), None)
            if close is not None and close > e + 1 and all(_name_token(tokens[k]) or tokens[k].key in MINOR
                                                            for k in range(e + 1, close)) \
                    and not any(k in people for k in range(e + 1, close)):
                alias[_key(tokens, e + 1, close)] = key     # "… Agency (IAEA)", "… (Penn State)"
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
    done = 0
    for i in [i for i, t in enumerate(tokens) if t.key in forms and (t.cap or t.caps_line)]:
        if i < done or i in people:
            continue
        for key in forms[tokens[i].key]:
            length = len(key)
            if tuple(x.key for x in tokens[i:i + length] if x.kind != "punct") == key:
                r = root(key)
                if r in names:
                    counts[r] = counts.get(r, 0) + 1
                    firsts.setdefault(r, i)
                done = i + length
                break
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
