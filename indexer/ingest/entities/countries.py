"""Countries from names, aliases, demonyms, cities, states and institutions, with salience.

One gazetteer maps tuples of token keys (see ``text.tokenize``) to (iso2, kind); matching is a
longest-first dict lookup at each capitalised token. Ambiguous names (Georgia, Jordan, Chad,
Turkey, Guinea, Korea) are settled from the rest of the document.
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
class Mention:
    """One piece of country evidence and where it stood, the unit salience is scored from."""
    iso: str
    kind: str
    index: int        # token index (title tokens first)
    where: str        # title | dateline | body
    length: int = 1   # tokens covered


def find_mentions(tokens: list[Token], where: str, skip: set[int] | None = None,
                  offset: int = 0) -> list[Mention]:
    """Gazetteer matches in ``tokens``; indexes in ``skip`` (people's names) are not places."""
    out: list[Mention] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.kind not in ("word", "abbr") or (skip and i + offset in skip):
            i += 1
            continue
        key0 = tok.key
        if key0 not in FIRST_WORDS:
            if "-" in key0:
                parts = _hyphen_parts(tok, i + offset, where)
                if i and tokens[i - 1].cap and not tok.sent_start and tokens[i - 1].kind == "word":
                    for m in parts:          # inside a name ("Agence France-Presse"): no country
                        m.iso = "-"
                out.extend(parts)
            i += 1
            continue
        found = None
        for length in LENGTHS[key0]:
            if i + length > n:
                continue
            key = tuple(t.key for t in tokens[i:i + length]) if length > 1 else (key0,)
            hit = GAZETTEER.get(key)
            if hit is None and length > 1 and "-" in key[-1]:
                head, _, tail = tokens[i + length - 1].text.partition("-")
                if tail.islower():           # "United States-led"
                    key = key[:-1] + (head.lower(),)
                    hit = GAZETTEER.get(key)
            if hit is not None:
                found = (length, key, hit)
                break
        if found is None:
            i += 1
            continue
        length, key, (iso, kind) = found
        accepted = _accept(tokens, i, length, key, kind)
        if accepted is not False:
            # None: a place word inside another name; no country, but no person's name either
            out.append(Mention(iso if accepted else "-", kind, i + offset, where, length))
            i += length
        else:
            i += 1
    return out


def _hyphen_parts(tok: Token, index: int, where: str) -> list[Mention]:
    """Countries in a hyphenated word: "US-led", "Franco-German"; a city only beside lower-case
    parts ("pro-Beijing")."""
    out = []
    parts = tok.text.split("-")
    lower_rest = sum(1 for p in parts if p[:1].isupper()) == 1
    for part in parts:
        if part[:1].isupper():
            hit = GAZETTEER.get((part.lower(),))
            if hit and (hit[1] in ("name", "demonym") or (lower_rest and hit[1] == "city")) \
                    and (part.lower(),) not in UPPER_ONLY:
                out.append(Mention(hit[0], hit[1], index, where))
    return out


def _accept(tokens: list[Token], i: int, length: int, key: tuple, kind: str) -> bool | None:
    """True: a mention of the country; False: not a place here; None: a place word inside
    another name or a language ("Egyptian Theatre", "Spanish language"), which names no country."""
    tok = tokens[i]
    if kind == "currency":
        return True
    if not tok.cap:
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
    if key in (("jordan",), ("chad",)) and nxt is not None and nxt.cap and nxt.kind == "word" \
            and not nxt.caps_line and nxt.key not in FIRST_WORDS:
        return False   # Jordan Henderson, Chad Smith: a person's name
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
    found = GAZETTEER.get(key)
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
