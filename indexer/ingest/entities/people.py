"""People: capitalised name spans, accepted on evidence, titles stripped, coreference in-document.

A span is a run of capitalised words (with particles and initials). Leading titles, roles,
places and common words are stripped; the rest is a person when it starts with a known given
name, follows a title or role word, or stands beside a reporting verb, an age or a bracketed
country. Single surnames ("Kelly", "Mr. Kelly") then point to the full name found in the article.
"""
from __future__ import annotations

from pathlib import Path

from indexer.textkeys import lower_key

from .text import ABBREVIATIONS, Token

DATA = Path(__file__).with_name("data")


def _sections(path: Path) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = out.setdefault(line.strip("[]"), set())
            continue
        current.update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


_W = _sections(DATA / "name_words.txt")
TITLES, ROLES, SAY, ORG, COMMON = _W["titles"], _W["roles"], _W["say"], _W["org"], _W["common"]
PLACE_LEAD, REGNAL, CREDIT, WEAK_HEADS = _W["place_lead"], _W["regnal"], _W["credit"], _W["weak_heads"]
ORG_LEAD, KINDS = _W["org_lead"], _W["kinds"]
LOCATIVE = frozenset({"in", "at", "near", "into", "across", "outside", "inside", "throughout", "around"})
FAITHS = frozenset("""catholic catholics christian christians muslim muslims islam islamic jewish jews protestant
hindu buddhist arab arabs kurd kurds kurdish shi'ite shiite sunni""".split())
DETERMINERS = frozenset({"the", "a", "an"})
ADJECTIVE_ROLES = frozenset({"official", "chief", "general", "executive", "master", "member", "senior"})
REGNAL_NUMBERS = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve hundred".split())
EVENT_ENDS = frozenset({"week", "day", "weekend", "eve", "night"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
COMPOUND_SUFFIXES = frozenset("""backed led based born era style owned linked aligned allied funded run
controlled made like type inspired affiliated appointed supported ruled held nominated endorsed""".split())
KIN = frozenset("""wife husband son daughter brother sister father mother uncle aunt cousin widow widower
children child boy girl boyfriend girlfriend fiancé fiancée partner friend nephew niece grandson
granddaughter grandmother grandfather stepson stepdaughter""".split())
ATTRIBUTIVE = frozenset("""government administration family era years regime campaign camp presidency case
trial household dynasty estate legacy cabinet film films movie movies book books novel novels series album
song show supporters supporter loyalists allies fans documentary biography goal cross shot pass header
penalty strike corner tackle""".split())    # "the Suharto government", "a Guy Whittingham goal": a person
FACILITIES = frozenset("""cathedral church mosque temple synagogue hotel university college school hospital
airport station stadium arena museum theatre theater bridge river lake mountain island street road avenue
square park palace castle tower building mall market prison cemetery library""".split())
FIRST_NAMES = frozenset(w.lower() for line in (DATA / "first_names.txt").read_text(encoding="utf-8")
                        .splitlines() if not line.startswith("#") for w in line.split())
PARTICLES = frozenset("van von de der den da das dos du la le del della di bin ibn al el ter ten y st"
                      .split())
ENGLISH = frozenset(line.strip() for line in (DATA / "english_words.txt").read_text(encoding="utf-8")
                    .splitlines() if line.strip() and not line.startswith("#"))


CONTRACTIONS = ("'m", "'t", "'re", "'ve", "'ll", "'d", "’m", "’t", "’re", "’ve", "’ll", "’d")


def _name_token(t: Token) -> bool:
    if t.kind != "word" or t.key.endswith(CONTRACTIONS):
        return False
    if t.cap:
        return not t.upper or t.caps_line or (len(t.text) == 1 and t.dot)
    if t.key[:2] in ("d'", "d’") and t.text[2:3].isupper():
        return True                    # Valéry Giscard d'Estaing
    return "-" in t.key and t.key.split("-")[0] in ("al", "el", "bin", "abu", "ad", "as", "ash", "at")


def spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Candidate (start, end) runs of name words; a possessive or a sentence end closes a run."""
    out = []
    n = len(tokens)
    i = 0
    while i < n:
        if not _name_token(tokens[i]):
            i += 1
            continue
        j = i
        while True:
            t = tokens[j]
            if t.poss or (t.dot and len(t.text) > 1 and t.key not in ABBREVIATIONS):
                break
            k = j + 1
            if k < n and tokens[k].kind == "word" and tokens[k].key in PARTICLES and not tokens[k].cap \
                    and k + 1 < n and _name_token(tokens[k + 1]):
                k += 1
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


def _wordlike(keys: list[str]) -> bool:
    """An unknown name made of ordinary English words ("Grateful Dead"), not a person's name."""
    return keys[0] not in FIRST_NAMES and (keys[-1] in ENGLISH or keys[0] in ENGLISH)


def _unglue(name: str) -> str:
    """Drop a caption word glued to the end of a name by text extraction ("Jane DoeImage")."""
    last = name.rsplit(" ", 1)[-1]
    for i in range(len(last) - 1, 3, -1):
        if last[i].isupper() and last[i - 1].islower():
            if last[i:].lower() in ENGLISH and last[i:].istitle() and " " in name:
                return name[:len(name) - len(last) + i]
            break
    return name


_QUOTES = frozenset("\"'“‘")
_ORDINALS = frozenset({"first", "second", "third", "last", "only", "new", "next", "same"})


def _after_determiner(tokens: list[Token], s: int) -> bool:
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


def _role_word(key: str) -> bool:
    """A profession by its form: violinist, immunologist, journalist; a few -ian ones (comedian)
    (not demonyms: Iranian, Canadian)."""
    return (len(key) > 6 and key.endswith("ist")) or key in _IAN_ROLES


PARTS = frozenset("character characters persona alias role island islands city town village province "
                  "district region county state republic kingdom port".split())   # "the island of X"
AUXILIARIES = frozenset("is are was were will would can could should shall did does do has have".split())


def _asks(tokens: list[Token], s: int) -> bool:
    """The sentence opening at ``s`` ends with a question mark."""
    for t in tokens[s + 1:s + 40]:
        if t.sent_start or t.line != tokens[s].line:
            return False
        if t.text == "?":
            return True
    return False


_OWNERS = frozenset({"his", "her", "their", "my", "our", "its", "your"})


def _model_year(tokens: list[Token], s: int) -> bool:
    """A year between a determiner and the span: "a recalled 2005 Opel Zafira", "the 2019 Ford Focus"
    (not "in February 1993 Leszic Betcher")."""
    if s < 2:
        return False
    y, d = tokens[s - 1], tokens[s - 2]
    return y.kind == "num" and len(y.text) == 4 and y.text[:2] in ("19", "20") and not y.dot \
        and y.line == d.line == tokens[s].line and d.kind == "word" and not d.cap \
        and (d.key in DETERMINERS or d.key in _OWNERS or d.key.endswith("ed"))


def _kind_after(tokens: list[Token], end: int) -> bool:
    """An apposition after the span says what kind of thing it is: "X, a firm specialising in …",
    "X, the company that …" (but "X, a city councillor" is a person)."""
    n = len(tokens)
    if end + 2 >= n or tokens[end].text != "," or tokens[end + 1].key not in DETERMINERS:
        return False
    for k in range(end + 2, min(end + 5, n - 1)):
        t = tokens[k]
        if t.kind != "word" or t.cap:
            return False
        if t.key in KINDS and not t.poss:
            after = tokens[k + 1]
            return after.kind == "punct" or after.key in COMMON or after.key.endswith(("ing", "ed"))
    return False


def _kind_before(tokens: list[Token], start: int) -> bool:
    """The word before the span says it names a thing or a fictional part, not a person: "the law
    firm X", "cargo ship X", "the character (of) X" (but "the team of X and Y" are people)."""
    if start < 1:
        return False
    p = tokens[start - 1]
    if p.kind != "word" or p.cap or p.dot or p.line != tokens[start].line:
        return False
    if p.key in KINDS:
        return True
    return p.key == "of" and start >= 2 and tokens[start - 2].key in PARTS and not tokens[start - 2].cap


def _possessed_facility(tokens: list[Token], end: int) -> bool:
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


def _among_organisations(tokens: list[Token], s: int, end: int) -> bool:
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


def _by_author(tokens: list[Token], end: int) -> bool:
    """The span is followed by "by" and a capitalised name, maybe in brackets: a work and its author."""
    k = end
    if k < len(tokens) and tokens[k].text in "([":
        k += 1
    return k + 1 < len(tokens) and tokens[k].key == "by" and not tokens[k].cap and tokens[k + 1].cap \
        and tokens[k].line == tokens[end - 1].line


def _expands_acronym(tokens: list[Token], s: int, end: int) -> bool:
    """The span spells out a bracketed acronym beside it: "CV (Curriculum Vitae)", "Curriculum Vitae (CV)"."""
    initials = "".join(t.text[0] for t in tokens[s:end] if t.kind == "word").upper()
    if len(initials) < 2:
        return False
    return (s >= 2 and tokens[s - 1].text in "([" and tokens[s - 2].text == initials) or (
        end + 1 < len(tokens) and tokens[end].text in "([" and tokens[end + 1].text == initials)


class _Doc:
    def __init__(self, tokens: list[Token], places: set[int]):
        self.tokens = tokens
        self.places = places
        self.lower_words = {t.key for t in tokens if t.kind == "word" and not t.cap}


def _strip(doc: _Doc, start: int, end: int) -> tuple[int, bool]:
    """Skip leading titles, roles, places and common words; return new start and title seen."""
    toks = doc.tokens
    titled = False
    i = start
    of_post = start >= 2 and toks[start - 1].key == "of" and not toks[start - 1].cap \
        and (toks[start - 2].key in TITLES or toks[start - 2].key in ROLES)   # "Mayor of Koszalin Piotr …"
    for k in range(start + 1, end - 1):      # "Senior Advisors Jared Kushner": words, then a given name
        if toks[k].key in FIRST_NAMES:
            lead = [toks[j].key for j in range(start, k)]
            last_title = max((j for j, w in enumerate(lead) if w in TITLES or w in ROLES), default=-1)
            if (of_post or all(w in ENGLISH or w in TITLES or w in ROLES or w in ORG or w in COMMON
                               or w in doc.lower_words for w in lead[last_title + 1:])) \
                    and not any(w in FIRST_NAMES or w in PARTICLES for w in lead):
                i, titled = k, of_post or any(w in TITLES or w in ROLES for w in lead)
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
        elif i + 1 < end and _role_word(key):
            titled = True              # "Violinist Brigit O'Regan", "Comedian Tim Heidecker"
        elif i in doc.places or key in COMMON or key in ORG or (
                "-" in key and not t.text.split("-")[-1][:1].isupper()):
            titled = titled and key not in COMMON
        elif i == start and t.sent_start and key in doc.lower_words:
            pass
        else:
            break
        i += 1
    return i, titled


_GLUED_CREDITS = ("Image", "Images", "Photo", "Photos", "Credit")   # a caption glued to a credit by extraction


def _credits(tokens: list[Token]) -> set[int]:
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


def _name_words(name: str) -> list[str]:
    """A name's words for comparing variants: folded, without initials and suffixes."""
    return [w for w in (lower_key(x) for x in name.replace(".", " ").split()) if len(w) > 1 and w not in NAME_SUFFIXES]


def _initials(name: str) -> tuple[str, ...]:
    """A name's middle initials ("George H. W. Bush" -> ("h", "w")), which tell namesakes apart."""
    return tuple(w.lower() for w in name.replace(".", " ").split()[1:-1] if len(w) == 1)


def _within(short: list[str], long: list[str]) -> bool:
    """``short``'s words appear in ``long`` in order, sharing its first or its last word."""
    if not short or len(short) > len(long) or (short[0] != long[0] and short[-1] != long[-1]):
        return False
    it = iter(long)
    return all(w in it for w in short)


def _merge_variants(full: dict[str, list[int]], order: dict[str, int]) -> None:
    """One entry per person: "Brian T. Carroll" and "Brian Carroll", "Rivera Schatz" and "Thomas
    Rivera Schatz" merge. In place."""
    if len(full) < 2:
        return
    names = sorted(full, key=lambda x: order[x])
    words = {name: _name_words(name) for name in names}
    sharing: dict[str, list[str]] = {}     # first or last word -> names with it (in article order)
    for name in names:
        for key in {words[name][0], words[name][-1]} if words[name] else ():
            sharing.setdefault(key, []).append(name)
    for name in list(names):
        w = words[name]
        if len(w) < 2 or name not in full:
            continue
        others = sharing.get(w[0], []) + (sharing.get(w[-1], []) if w[-1] != w[0] else [])
        for other in sorted(set(others), key=lambda x: order[x]):
            if other is name or other not in full:
                continue
            wo = words[other]
            if _initials(name) and _initials(other) and _initials(name) != _initials(other):
                continue            # "George H. W. Bush" and "George W. Bush": two people
            if len(wo) >= len(w) and _within(w, wo) and (len(wo) > len(w) or order[other] < order[name]):
                # the fuller form is kept ("Jose Ramos Horta", not "Ramos Horta"), unless a form with
                # the same first word is used more; of equal forms, the first
                uses, uses_o = len(full[name]) / len(w), len(full[other]) / len(wo)
                keep_short = (w[0] == wo[0] and uses > uses_o) or (len(wo) == len(w) and order[name] < order[other]) \
                    or (w[0] in FIRST_NAMES and wo[0] not in FIRST_NAMES)    # not "Is Rock Hudson"
                target, gone = (name, other) if keep_short else (other, name)
                full[target].extend(full.pop(gone))
                order[target] = min(order[target], order[gone])
                if gone is name:
                    break


def extract_people(tokens: list[Token], places: set[int]) -> tuple[list[str], set[int]]:
    """People in salience order, and the token indexes that belong to their names."""
    doc = _Doc(tokens, places)
    n = len(tokens)
    full: dict[str, list[int]] = {}          # display name -> token indexes of its mentions
    single_titled: dict[str, list[int]] = {}
    formal: set[str] = set()                 # single names seen after a title, not only a kin word
    order: dict[str, int] = {}
    pending: list[tuple[int, int]] = []
    accepted: list[tuple[int, int]] = []
    unsure: list[tuple[int, int]] = []
    found = spans(tokens)
    alone = {tokens[s].key for s, e in found if e - s == 1 and not tokens[s].caps_line
             and tokens[s].key not in COMMON and tokens[s].key not in doc.lower_words}
    credits = _credits(tokens)
    blocked: set[tuple] = set()     # names this article uses for something else ("the Harry Potter series")
    vouched: set[tuple] = set()     # names with a title or role somewhere: people whatever else
    for start, end in found:
        if tokens[start].caps_line:
            pending.append((start, end))
            continue
        if any(k in credits for k in range(start, end)):
            continue
        s, titled = _strip(doc, start, end)
        if s >= end:
            pending.append((start, end))
            continue
        if not titled and _kind_before(tokens, start):
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "the law firm Sidley Austin", "the band Pink Floyd": a thing's name
        if tokens[start].key == "the" and not tokens[start].sent_start and start and \
                tokens[start - 1].line == tokens[start].line:
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "… of The Mustard Seed": a capitalised "The" inside a sentence opens a title
        if end - s > 1 and tokens[end - 1].key in CREDIT and end < n and tokens[end].text == ":":
            end -= 1                # "Markham Robinson Image: …": a caption's credit glued to the name
        if end - s > 1 and tokens[s].sent_start and tokens[s].key in AUXILIARIES and _asks(tokens, s):
            s += 1                  # "Will Red Hat employees …?", "Is Rock Hudson …?": a question's verb
        if tokens[s].key not in FIRST_NAMES and _model_year(tokens, s):
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "a recalled 2005 Opel Zafira": a model, not a person
        if tokens[s].key not in FIRST_NAMES and (
                any(t.key in TITLE_CASE_WORDS for t in tokens[s + 1:end]) or _by_author(tokens, end)):
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "Get On Up", "Homo Deus (by …)": the title of a work
        if tokens[s].key not in FIRST_NAMES and _kind_after(tokens, end):
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "Milltech Marine, a firm specialising in …"
        if tokens[s].key in ORG_LEAD and end - s > 1:
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # Deutsche Bahn, Gazeta Wyborcza
        if tokens[s].key in PLACE_LEAD and not tokens[s].dot and end - s > 1:
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # San Diego, Rio Grande, Tell Tamer
        if any(tokens[k].key in ORG or (tokens[k].key in WEAK_HEADS and tokens[s].key not in FIRST_NAMES)
               for k in range(s + 1, end)):
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "Durham Hall" (but "Darrell Castle")
        if end - s > 2 and tokens[s].key in FIRST_NAMES and tokens[end - 1].key in doc.lower_words \
                and tokens[end - 1].key in ENGLISH and not tokens[end - 1].poss:
            end -= 1                # "Hugh McGuire Interview": a word the article writes in lower case
        if end - s > 1 and tokens[end - 1].key in NUMBER_WORDS and not tokens[end - 1].poss:
            blocked.add(tuple(t.key for t in tokens[s:end]))
            continue                # "Marine One", "Formula One": a vehicle or a series, not a person
        if end - s > 1 and tokens[end - 1].key in EVENT_ENDS:
            blocked.add(tuple(t.key for t in tokens[s:end - 1]))
            continue                # "Sacred Defence Week", "Martin Luther King Jr. Day": an event
        while (end - s > 1 and tokens[end - 1].key in COMMON or end - s > 2 and (end - 1) in places) \
                and not tokens[end - 1].poss and not (end - s == 2 and tokens[end - 1].key not in FAITHS and (
                    tokens[s].key in FIRST_NAMES or not (tokens[s].key in COMMON or tokens[s].key in ENGLISH))):
            end -= 1                # ("Theresa May", "Martin How", "Kanye West": not a given name alone)
        words = tokens[s:end]
        keys = [t.key for t in words]
        if not words[0].cap:
            pending.append((s, end))      # "de Blasio": a surname, for coreference only
            continue
        if len(words) > 1 and len(words[-1].text) == 1:
            continue                      # "George W.": a name cut short, not a name
        if len(words) > 1 and keys[-1] in TITLES and keys[0] not in FIRST_NAMES:
            continue                      # "Health Director": a post, not a person (but "John Major")
        prev = tokens[s - 1] if s > 0 else None
        nxt = tokens[end] if end < n else None
        role = prev is not None and prev.kind == "word" and not prev.cap and not prev.dot \
            and prev.line == words[0].line and (prev.key in ROLES or _role_word(prev.key))
        if keys[0] not in FIRST_NAMES and _possessed_facility(tokens, end):
            blocked.add(tuple(keys))
            continue                # "Santos Doctors' Hospital", "Kell's Hotel": a facility's name
        if nxt is not None and (nxt.line != words[-1].line or words[-1].poss or words[-1].dot):
            nxt = None              # after "Hillary Clinton's" or a full stop, the next word is no part of it
        if not titled and not role and _after_determiner(tokens, s):
            k = next((k for k in range(s + 1, end - 1) if tokens[k].key in FIRST_NAMES), None)
            if k is not None:             # "the Exchequer Kenneth Clarke": a name after a title
                s, words, keys = k, tokens[k:end], keys[k - s:]
                prev, titled = tokens[k - 1], True
        if not titled and not role and (
                (_after_determiner(tokens, s) and not (nxt is not None and nxt.key in ATTRIBUTIVE))
                or (nxt is not None and nxt.kind == "word" and nxt.key in FACILITIES)
                or (nxt is not None and nxt.cap and nxt.key in ORG)
                or (nxt is not None and not nxt.cap and (nxt.key in ROLES or nxt.key in TITLES)
                    and keys[0] not in FIRST_NAMES)):    # "Sinn Féin leader Mary Lou McDonald"
            blocked.add(tuple(keys))      # "the Abraham Accords", "Notre Dame cathedral", "Abu Dhabi TV"
            continue                      # ("the Suharto government", "the James Cagney film" may be)
        if titled or role:
            vouched.add(tuple(keys))
        if any(i in places for i in range(s, end)) and keys[0] not in FIRST_NAMES and not (
                titled or role or (nxt is not None and (nxt.key in SAY or (
                    nxt.text == "," and end + 1 < n and tokens[end + 1].kind == "num")))):
            continue                      # a place; "Sudesh Amman, 20," is a person all the same
        if len(words) == 1:
            if role and not titled and prev.key in ADJECTIVE_ROLES:
                role = False                # "an official Android version"
            if (titled or role) and keys[0] not in COMMON and keys[0] not in ORG and keys[0] not in ENGLISH:
                name = words[0].text
                if nxt is not None and nxt.text in REGNAL_NUMBERS and nxt.line == words[0].line:
                    name += " " + nxt.text  # "Queen Elizabeth II"
                single_titled.setdefault(name, []).append(s)
                order.setdefault(name, s)
                if titled or prev.key not in KIN:
                    formal.add(name)    # "son Barron" alone says less than "President Macron"

            else:
                pending.append((s, end))
            continue
        evidence = titled or role or keys[0] in FIRST_NAMES or (len(keys[0]) == 1 and words[0].dot)
        if not evidence and s >= 2 and prev.key in ("of", "on", "for") and not prev.cap \
                and tokens[s - 2].cap and tokens[s - 2].key in ORG:
            continue           # "Commission on Presidential Debates": the rest of an organisation's name
        if not evidence and keys[-1] in ENGLISH:
            continue           # "Lives Matter said": ordinary words, not a person however they are used
        if keys[0] not in FIRST_NAMES and _expands_acronym(tokens, s, end):
            blocked.add(tuple(keys))
            continue           # "CV (Curriculum Vitae)", "Non-Governmental Organisations (NGO)"
        if not evidence and nxt is not None:
            if nxt.key in SAY or (nxt.text == "," and end + 1 < n and tokens[end + 1].kind == "num"):
                evidence = True
            elif nxt.text == "(" and end + 2 < n and (end + 1) in places and tokens[end + 2].text == ")":
                evidence = True
            elif nxt.text == "," and end + 1 < n and tokens[end + 1].key in ("who", "whose"):
                evidence = True
            elif nxt.text == "," and end + 2 < n and tokens[end + 1].key == "the" and any(
                    t.key in TITLES or t.key in ROLES for t in tokens[end + 2:end + 5]):
                evidence = True    # "Adil Abdul-Mahdi, the acting Prime Minister of Iraq"
        if not evidence and prev is not None and prev.text == "," and s >= 2 and tokens[s - 2].kind == "word" \
                and not tokens[s - 2].cap and tokens[s - 2].key in ROLES:
            evidence = True        # "his successor, Haitham bin Tariq Al Said,"
        if not evidence and prev is not None and prev.key in SAY and not prev.cap:
            evidence = True
        if not evidence and keys[-1] in alone and not _wordlike(keys):
            evidence = True
        if not evidence and len(words) in (2, 3) and not words[0].sent_start \
                and not (prev.key in LOCATIVE and not prev.cap) \
                and not (prev.key in ("to", "and", "or") and (s - 2) in places) \
                and not _among_organisations(tokens, s, end) \
                and not (keys[0].endswith("ing") and len(keys[0]) > 5) \
                and all(len(k) > 1 and k not in COMMON and k not in ORG and k not in doc.lower_words
                        for k in keys) \
                and not (nxt is not None and nxt.key in ORG) and not _wordlike(keys):
            evidence = True
        if not evidence:
            unsure.append((s, end))
            continue
        accepted.append((s, end))
    # names in a list with an accepted name ("A B, C D and E F") are names too
    accepted_ends = {e: s for s, e in accepted}
    accepted_starts = {s for s, _ in accepted}
    for _ in range(2):
        for s, end in list(unsure):
            before = s - 1
            after = end
            if before >= 1 and tokens[before].key in ("and", "or") and tokens[before - 1].text == ",":
                before -= 1                  # "A B, C D, and E F": the serial comma
            left = before >= 0 and tokens[before].text in (",", "and", "&") and before in accepted_ends
            right = after < n and tokens[after].text in (",", "and", "&") and after + 1 in accepted_starts
            if left or right:
                unsure.remove((s, end))
                accepted.append((s, end))
                accepted_ends[end] = s
                accepted_starts.add(s)
    pending.extend(unsure)
    for s, end in sorted(accepted):
        words = tokens[s:end]
        name = " ".join(t.text + ("." if len(t.text) == 1 and t.dot else "") for t in words)
        last = words[-1].text
        if "-" in last and last.rsplit("-", 1)[1] in COMPOUND_SUFFIXES:
            name = name[:len(name) - len(last)] + last.rsplit("-", 1)[0]   # "Bernie Sanders-backed"
        name = _unglue(name)
        full.setdefault(name, []).extend(range(s, end))
        order.setdefault(name, s)
    # coreference: surnames (and single titled names) to full names
    for name in [x for x in full if tuple(t.lower() for t in x.split()) in blocked - vouched]:
        del full[name]                            # named as a thing elsewhere in the article
    _merge_variants(full, order)
    by_last: dict[str, str] = {}
    by_first: dict[str, set[str]] = {}
    ranked = sorted(full, key=lambda x: order[x])
    for name in ranked:
        parts = name.split()
        by_last.setdefault(parts[-1].lower(), name)
        by_last.setdefault(lower_key(parts[-1]), name)
        by_first.setdefault(lower_key(parts[0]), set()).add(name)
    for name in ranked:                           # "Rosselló" for "Ricardo Rosselló Nevares"
        parts = name.split()
        for part in parts[1:-1]:
            if len(part) > 2 and part[0].isupper():
                by_last.setdefault(part.lower(), name)
                by_last.setdefault(lower_key(part), name)
    regnal = {lower_key(x.split()[0]): x for x in single_titled if " " in x}    # "Elizabeth II"
    for name, idx in single_titled.items():
        key = lower_key(name)
        target = by_last.get(key)
        if target is None and len(by_first.get(key, ())) == 1:
            target = next(iter(by_first[key]))    # "Melania" after "Melania Trump"
        if target is None and " " not in name and regnal.get(key):
            target = regnal[key]                  # "Queen Elizabeth" beside "Queen Elizabeth II"
            full.setdefault(target, list(single_titled[target]))
        if target:
            full[target].extend(idx)
        elif name not in formal or key in FIRST_NAMES and not any(
                i > 0 and tokens[i - 1].key in TITLES and tokens[i - 1].key not in KIN for i in idx):
            continue                              # "his wife Mary", "son Barron": a given name alone says too little
        elif name not in full:
            full[name] = list(idx)
            by_last.setdefault(key, name)
    for start, end in pending:
        for i in range(start, end):
            key = tokens[i].key
            target = by_last.get(key)
            if target is not None:
                full[target].append(i)
    names = sorted(full, key=lambda x: (-len(set(full[x])), order[x]))
    covered = {i for idx in full.values() for i in idx}
    return names, covered
