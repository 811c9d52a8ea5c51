"""Countries from names, aliases, demonyms, cities, states and institutions, with salience, in
English and in other languages.

One gazetteer maps tuples of token keys (see ``text.tokenize``) to (iso2, kind); matching is a
longest-first dict lookup at each capitalised token. Ambiguous names (Georgia, Jordan, Chad,
Turkey, Guinea, Korea) are settled from the rest of the document. Names, demonyms and cities in
other languages come from data/countries_intl.tsv (built from CLDR, GeoNames and i18n-nationality
by ``build_countries_intl``), each with the languages whose articles may use it: ``find_mentions``
takes the article's language and builds that language's gazetteer once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .text import Token, tokenize

DATA = Path(__file__).with_name("data")

# Weight of one mention by kind of evidence.
WEIGHTS = {"name": 1.0, "demonym": 0.7, "city": 0.8, "region": 0.7, "inst": 0.6, "org": 0.6, "abbr": 0.8,
           "currency": 0.4}
KOREA = "KOREA"          # "Korea"/"Korean" alone: North or South from the rest of the document
GEORGIA = "GEORGIA"      # the country or the US state
SEA_WORDS = frozenset({"sea", "ocean", "gulf", "strait", "straits", "peninsula"})
FOOD_WORDS = frozenset({"dinner", "sandwich", "sandwiches", "meat", "breast", "burger", "burgers",
                        "leg", "legs", "roast", "bacon", "feathers", "hunting", "pardon", "farm", "farms"})
GUINEA_NOT = frozenset({"pig", "pigs", "fowl", "worm", "worms"})
STREET_WORDS = frozenset({"street", "road", "avenue", "boulevard", "lane", "drive", "square", "stadium"})
# Heads of names of places and bodies that say nothing about a country: "Grauman's Egyptian Theatre",
# "Abu Dhabi TV", "University of Miami" (ministries, banks and the like do: they are left out).
NAME_HEADS = frozenset("""theatre theater university college school academy hospital stadium arena museum
gallery hotel cinema club fc tv studios studio media""".split())
LANGUAGE_WORDS = frozenset({"language", "languages"})
POLE_WORDS = frozenset({"south", "north", "magnetic", "geographic", "celestial"})
CHARACTER_TITLES = frozenset({"captain", "miss", "mister", "mr", "mrs", "ms", "lady", "lord", "sir"})


def _load() -> tuple[dict[str, str], dict[str, str], dict[tuple, tuple[str, str]]]:
    names: dict[str, str] = {}          # iso2 -> display name
    lookup: dict[str, str] = {}         # lower-case name/alias -> display (for canonical_country)
    gazetteer: dict[tuple, tuple[str, str]] = {}

    def add(phrase: str, iso: str, kind: str) -> None:
        key = tuple(t.key for t in tokenize(phrase) if t.kind != "punct" or t.text not in "-")
        if key and (key not in gazetteer or kind == "name"):
            gazetteer[key] = (iso, kind)

    for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        iso, display, aliases, demonyms = line.split("|")
        names[iso] = display
        for alias in [display, *filter(None, aliases.split(";"))]:
            lookup[alias.lower()] = display
            add(alias, iso, "name")
        for demonym in filter(None, demonyms.split(";")):
            lookup.setdefault(demonym.lower(), display)
            add(demonym, iso, "demonym")
    for line in (DATA / "cities.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            city, iso = line.split("|")
            if iso in names:
                add(city, iso, "city")
    for line in (DATA / "places.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase, iso, kind = line.split("|")
            add(phrase, iso, kind)
    for key in (("korea",), ("korean",), ("koreans",)):
        gazetteer[key] = (KOREA, "name" if key == ("korea",) else "demonym")
    gazetteer[("georgia",)] = (GEORGIA, "name")
    return names, lookup, gazetteer


NAMES, LOOKUP, GAZETTEER = _load()
FIRST_WORDS = frozenset(k[0] for k in GAZETTEER)
LENGTHS: dict[str, list[int]] = {}
for _key in GAZETTEER:
    LENGTHS.setdefault(_key[0], []).append(len(_key))
LENGTHS = {k: sorted(set(v), reverse=True) for k, v in LENGTHS.items()}
UPPER_ONLY = frozenset({("us",), ("uk",), ("usa",), ("uae",), ("drc",), ("prc",), ("rok",), ("dprk",),
                        ("gdr",), ("frg",), ("ussr",), ("nyse",)})
LOOKUP.update({"us": "United States", "u.s.": "United States", "u.s.a.": "United States",
               "america": "United States", "korea, south": "South Korea", "korea, north": "North Korea",
               "ussr": "Soviet Union", "u.k.": "United Kingdom", "great britain": "United Kingdom"})


@dataclass(slots=True)
class Gazetteer:
    """One language's view of the tables: what the matcher looks up at each token."""
    entries: dict[tuple, tuple[str, str]]
    first_words: frozenset
    lengths: dict[str, list[int]]
    any_case: frozenset       # keys matched in lower case too (nationality adjectives: "giapponese")
    given: frozenset          # keys that may be a person's name ("Maurice"): none beside a capitalised word


_KIND_RANK = {"name": 0, "demonym": 1, "city": 2}
# Language codes read as another: the tables know Norwegian as Bokmål, Serbo-Croatian as Croatian.
LANGUAGE_ALIASES = {"no": "nb", "sh": "hr", "tl": "fil", "in": "id", "iw": "he"}


def _load_intl() -> tuple[list[tuple], dict[str, frozenset]]:
    """Rows of countries_intl.tsv as (key, iso, kind, case, languages or None for all) and the
    English tables' words that are common words of a language: language -> keys."""
    rows, common = [], {}
    sets: dict[str, frozenset | None] = {"*": None}
    path = DATA / "countries_intl.tsv"
    if not path.is_file():
        return rows, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        key, iso, kind, case, langs = line.split("|")
        if kind == "common":
            for lang in langs.split(","):
                common.setdefault(lang, set()).add((key,))
            continue
        found = sets.get(langs, False)
        if found is False:
            found = sets[langs] = frozenset(langs.split(","))
        rows.append((tuple(key.split(" ")), iso, kind, case, found))
    return rows, {k: frozenset(v) for k, v in common.items()}


INTL_ROWS, COMMON_WORDS = _load_intl()
_VIEWS: dict[str, Gazetteer] = {}


def language_key(language: str | None) -> str:
    """The tables' code for an article's language ("pt-BR" -> "pt", "no" -> "nb"); "" for unknown,
    which matches as English does, plus every other language's names that are no English word."""
    if not language:
        return ""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return LANGUAGE_ALIASES.get(code, code)


def gazetteer(language: str | None = None) -> Gazetteer:
    """The gazetteer for articles in ``language`` (None: unknown), built on first use: the English
    tables (less their words that are common words of the language) and the other languages' rows
    the language accepts; an English entry wins over another language's."""
    lang = language_key(language)
    view = _VIEWS.get(lang)
    if view is not None:
        return view
    seen_in = lang or "und"
    blocked = COMMON_WORDS.get(seen_in, frozenset())
    entries = {k: v for k, v in GAZETTEER.items() if k not in blocked}
    english = set(entries)
    ranks: dict[tuple, int] = {}
    any_case, given, ambiguous = set(), set(), set()
    for key, iso, kind, case, langs in INTL_ROWS:
        if key in english or (langs is not None and seen_in not in langs):
            continue
        rank = _KIND_RANK.get(kind, 3)
        held = entries.get(key)
        if held is not None and held[0] != iso:
            if rank > ranks[key]:
                continue
            if rank == ranks[key]:
                ambiguous.add(key)        # two countries' word of the same kind: neither
                continue
        entries[key] = (iso, kind)
        ranks[key] = rank
        if case == "l":
            any_case.add(key)
        if case == "n" or not lang and len(key) == 1:
            given.add(key)            # language unknown: "Frans Timmermans", "Lawton Chiles" are people
    for key in ambiguous:
        entries.pop(key, None)
    lengths: dict[str, list[int]] = {}
    for key in entries:
        lengths.setdefault(key[0], []).append(len(key))
    view = Gazetteer(entries, frozenset(k[0] for k in entries),
                     {k: sorted(set(v), reverse=True) for k, v in lengths.items()},
                     frozenset(any_case), frozenset(given))
    _VIEWS[lang] = view
    return view


@dataclass(slots=True)
class Mention:
    """One piece of country evidence and where it stood, the unit salience is scored from."""
    iso: str
    kind: str
    index: int        # token index (title tokens first)
    where: str        # title | dateline | body
    length: int = 1   # tokens covered


_WORD_KINDS = ("word", "abbr")


def find_mentions(tokens: list[Token], where: str, skip: set[int] | None = None,
                  offset: int = 0, language: str | None = None) -> list[Mention]:
    """Gazetteer matches in ``tokens`` of an article in ``language`` (None: unknown); indexes in
    ``skip`` (people's names) are not places."""
    view = gazetteer(language)
    table, first_words, lengths = view.entries, view.first_words, view.lengths
    out: list[Mention] = []
    n = len(tokens)
    i = 0
    # Only a word that starts an entry, or may hold one (hyphenated, elided), can begin a mention:
    # the loop visits those alone (most tokens are neither, and a test of each cost more than the rest).
    for at in [k for k, t in enumerate(tokens) if t.kind in _WORD_KINDS
               and (t.key in first_words or "-" in t.key or "'" in t.key or "’" in t.key)]:
        if at < i:                          # inside the mention just found
            continue
        i = at
        tok = tokens[i]
        if skip and i + offset in skip:
            continue
        key0 = tok.key
        if key0 not in first_words:
            elided = _elided(tok, first_words)
            if elided is not None:        # "l'Allemagne", "dell'Italia": the name after the article
                tokens = tokens[:i] + [elided] + tokens[i + 1:]
                tok, key0 = elided, elided.key
            else:
                if "-" in key0:
                    parts = _hyphen_parts(tok, i + offset, where, table)
                    if i and tokens[i - 1].cap and not tok.sent_start and tokens[i - 1].kind == "word":
                        for m in parts:          # inside a name ("Agence France-Presse"): no country
                            m.iso = "-"
                    out.extend(parts)
                i += 1
                continue
        found = None
        for length in lengths[key0]:
            if i + length > n:
                continue
            key = tuple(t.key for t in tokens[i:i + length]) if length > 1 else (key0,)
            hit = table.get(key)
            if hit is None and length > 1 and "-" in key[-1]:
                head, _, tail = tokens[i + length - 1].text.partition("-")
                if tail.islower():           # "United States-led"
                    key = key[:-1] + (head.lower(),)
                    hit = table.get(key)
            if hit is not None:
                found = (length, key, hit)
                break
        if found is None:
            i += 1
            continue
        length, key, (iso, kind) = found
        accepted = _accept(tokens, i, length, key, kind, view)
        if accepted is not False:
            # None: a place word inside another name; no country, but no person's name either
            out.append(Mention(iso if accepted else "-", kind, i + offset, where, length))
            i += length
        else:
            i += 1
    return out


_ELISIONS = frozenset("l d dell all nell dall sull coll qu j n s c m t".split())


def _elided(tok: Token, first_words: frozenset) -> Token | None:
    """The word after an elided article or preposition ("l'Italie", "d'Espagne", "dell'Ucraina")
    as a token of its own, when it starts a gazetteer entry; else None."""
    key = tok.key
    cut = max(key.rfind("'"), key.rfind("’"))
    if cut < 1 or key[:cut] not in _ELISIONS:
        return None
    rest = key[cut + 1:]
    if rest not in first_words:
        return None
    text = tok.text[cut + 1:]
    return Token(text, rest, "word", tok.start + cut + 1, text[:1].isupper(), len(text) > 1 and text.isupper(),
                 tok.dot, tok.poss, False, tok.caps_line, tok.line)


def _hyphen_parts(tok: Token, index: int, where: str, table: dict) -> list[Mention]:
    """Countries in a hyphenated word: "US-led", "Franco-German"; a city only beside lower-case
    parts ("pro-Beijing")."""
    out = []
    parts = tok.text.split("-")
    lower_rest = sum(1 for p in parts if p[:1].isupper()) == 1
    for part in parts:
        if part[:1].isupper():
            hit = table.get((part.lower(),))
            if hit and (hit[1] in ("name", "demonym") or (lower_rest and hit[1] == "city")) \
                    and (part.lower(),) not in UPPER_ONLY:
                out.append(Mention(hit[0], hit[1], index, where))
    return out


def _accept(tokens: list[Token], i: int, length: int, key: tuple, kind: str,
            view: Gazetteer) -> bool | None:
    """True: a mention of the country; False: not a place here; None: a place word inside
    another name or a language ("Egyptian Theatre", "Spanish language"), which names no country."""
    tok = tokens[i]
    if kind == "currency":
        return True
    if not tok.cap and key not in view.any_case:
        return False
    if key in UPPER_ONLY and not (tok.upper or tok.kind == "abbr"):
        return False
    if kind == "abbr":
        return i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].cap or key in {
            ("nj",), ("ny",), ("dc",), ("calif",)}
    nxt = tokens[i + length] if i + length < len(tokens) else None
    if nxt is not None and nxt.cap and nxt.key in STREET_WORDS:
        return False   # Grenada Street, Kenya Road: an address, not the country
    if nxt is not None and nxt.kind == "word" and nxt.key in LANGUAGE_WORDS and kind == "demonym":
        return None    # "Spanish language": a language, not a country
    if _inside_name(tokens, i, length):
        return None
    if nxt is not None and nxt.text == "$" and nxt.start == tok.start + len(tok.text):
        return None    # "US$473.60": an amount's currency, not the country
    if nxt is not None and nxt.kind == "word" and length == 1:
        if key == ("turkey",) and nxt.key in FOOD_WORDS:
            return False
        if key == ("guinea",) and nxt.key in GUINEA_NOT:
            return False
        if kind == "demonym" and nxt.key in SEA_WORDS:
            return False
    if key in (("pole",), ("poles",)) and i and tokens[i - 1].key in POLE_WORDS:
        return False   # the South Pole: no Pole at all
    if (key in (("jordan",), ("chad",)) or key in view.given) and nxt is not None and nxt.cap and nxt.kind == "word" \
            and not nxt.caps_line and nxt.key not in FIRST_WORDS:
        return False   # Jordan Henderson, Chad Smith: a person's name
    if key in view.given and i and not tok.sent_start and not tok.caps_line and tokens[i - 1].cap \
            and tokens[i - 1].kind == "word" and tokens[i - 1].line == tok.line:
        return False   # "Lawton Chiles": a surname
    return True


def _inside_name(tokens: list[Token], i: int, length: int) -> bool:
    """The match is part of a longer proper name of a place or body that is no country's:
    "Egyptian Theatre", "Abu Dhabi TV", "University of Miami", "University College London", "Captain America"."""
    line = tokens[i].line
    j, n = i + length, len(tokens)
    while j < n and j <= i + length + 3 and tokens[j].line == line and tokens[j].kind in ("word", "abbr") \
            and (tokens[j].cap or tokens[j].key == "of"):
        if tokens[j].key in NAME_HEADS:
            return True
        j += 1
    if i >= 2 and tokens[i - 1].key == "of" and tokens[i - 2].cap and tokens[i - 2].key in NAME_HEADS:
        return True
    if i >= 1 and tokens[i - 1].cap and tokens[i - 1].kind == "word" and tokens[i - 1].key in NAME_HEADS \
            and tokens[i - 1].line == line:
        return True   # "University College London"
    prev = tokens[i - 1] if i else None
    return prev is not None and prev.cap and prev.kind == "word" and prev.key in CHARACTER_TITLES


def _resolve(mentions: list[Mention]) -> None:
    """Settle Korea and Georgia from the other mentions of the document, in place."""
    isos = {m.iso for m in mentions}
    korea = [m for m in mentions if m.iso == KOREA]
    if korea:
        sides = isos & {"KP", "KR"}
        for m in korea:
            m.iso = sides.pop() if len(sides) == 1 else "-"
            if m.iso != "-":
                sides = {m.iso}
    for m in mentions:
        if m.iso == GEORGIA:
            m.iso = "GE" if "GE" in isos else "US"


def score(mentions: list[Mention], body_tokens: int) -> tuple[list[str], list[str]]:
    """(about, mentioned) display names in salience order."""
    _resolve(mentions)
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    strong: set[str] = set()
    for m in mentions:
        if m.iso == "-" or m.iso not in NAMES:
            continue
        w = WEIGHTS.get(m.kind, 0.0)
        if m.where == "title":
            w *= 3
            strong.add(m.iso)
        elif m.where == "dateline":
            w *= 3
            strong.add(m.iso)
        elif m.index < 60:
            w *= 1.5
        scores[m.iso] = scores.get(m.iso, 0.0) + w
        first.setdefault(m.iso, m.index)
    if not scores:
        return [], []
    order = sorted(scores, key=lambda c: (-scores[c], first[c]))
    top = scores[order[0]]
    about = [c for c in order if c in strong or scores[c] >= max(ABOUT_MIN, ABOUT_FRACTION * top)]
    if not about:
        about = order[:1]
    mentioned = [c for c in order if c not in about]
    return [NAMES[c] for c in about], [NAMES[c] for c in mentioned]


ABOUT_MIN = 1.4
ABOUT_FRACTION = 0.3


def canonical_country(name: str) -> str | None:
    """Canonical display name for a country name, alias, code or demonym; None if unknown."""
    if not name:
        return None
    text = name.strip()
    hit = LOOKUP.get(text.lower()) or LOOKUP.get(text.lower().replace(".", ""))
    if hit:
        return hit
    key = tuple(t.key for t in tokenize(text))
    found = gazetteer(None).entries.get(key)
    if found and found[0] in NAMES and found[1] in ("name", "demonym"):
        return NAMES[found[0]]
    if len(text) in (2, 3) and text.isalpha():
        import pycountry
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            return None
        return NAMES.get(country.alpha_2)
    try:
        import pycountry
        country = pycountry.countries.lookup(text)
        return NAMES.get(country.alpha_2)
    except LookupError:
        return None
