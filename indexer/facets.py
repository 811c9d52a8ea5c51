"""The facet registry: one spec per facet, read by every layer.

A new facet is one entry here plus its extraction in ``indexer.ingest`` (or its key in the input
data). Request parsing, ``SearchRequest.filters``, the query language's fields, both engines'
index fields, counts and suggestions, the page's sidebar, chips and search help, the JSON of hits
and articles, the exports and the CLI's ``--<param>`` options all follow from the entry: no other
module names a facet.

Kinds say how a facet behaves; each layer has one implementation per kind:

- ``NAMES``: multi-valued display names ("James Kelly"); ``lookup`` says what a partial value
  typed in a query finds (``"last"``: a last name, ``"word"``: any run of words of the name);
- ``COUNTRIES``: names with the "about" scope: the values an article is mainly about, apart from
  the ones it only mentions (JSON ``<json>_mentioned``), and the ``<param>_scope`` switch;
- ``KEYWORDS``: plain values (a language code), shown through ``value_label`` when it has one;
- ``DATES``: the from/to range and the histogram.

One facet may say it holds the language of each article's text (``text_language``): the engines
analyse an article's title and body in the language that facet gives it, and analyse a query in
each language the index holds, or in those the facet narrows the search to (``indexer.languages``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from indexer import languages, settings

NAMES, COUNTRIES, KEYWORDS, DATES = "names", "countries", "keywords", "dates"
VALUE_KINDS = (NAMES, COUNTRIES, KEYWORDS)
SCOPES = {"any": "any mention", "about": "mainly about"}   # scoped kinds: value → label, the first the default
DEFAULT_SCOPE = "any"
LOOKUPS = ("", "last", "word")
SOURCES = ("extracted", "given", "both", "built")   # "built": assigned by the build (a story id)
DISPLAYS = ("chips", "byline", "label", "hidden")
MAX_LOOKUP_WORDS = 5       # "word" lookups: runs of at most this many words are keys (a long value stays bounded)


@dataclass(frozen=True)
class FacetSpec:
    """What every layer needs to know about one facet."""

    name: str                  # key everywhere: facets dicts, index fields, /api/facets/<name>, query field
    label: str                 # heading on the page and in the terminal ("People")
    kind: str                  # NAMES | COUNTRIES | KEYWORDS | DATES
    param: str = ""            # URL and CLI parameter (repeatable); scoped kinds add f"{param}_scope"
    json: str = ""             # field in JSON hits, articles, exports and `extract --json` ("people")
    noun: str = ""             # one value, for messages ("No article has the person …")
    aliases: tuple[str, ...] = ()   # other query-language field names for it ("people")
    lookup: str = ""           # "last" | "word" | "": what a partial value typed in a query finds
    order: int = 0             # sidebar, JSON, CSV and CLI order
    source: str = "extracted"  # "extracted" | "given" | "both": where values come from
    given_keys: tuple[str, ...] = ()   # JSON input keys read as given values
    display: str = "chips"     # on hits, articles: "chips" | "byline" ("by A, B") | "label" (by the date) | "hidden"
    chips: int = 0             # chips shown under a hit (the rest are on its page)
    mark: str = "●"            # the sign before its chips
    sidebar: bool = True       # shown in the sidebar with counts (and counted by the engines)
    multi: bool = True         # several values per article; else a scalar in JSON
    groups: bool = False       # articles sharing a value are one result (copies of a story): at most one spec
    help: tuple[tuple[tuple[str, ...], str], ...] = ()   # search-syntax help: ((examples…), what they find)
    cli_help: str = ""         # the CLI option's help
    value_label: Optional[Callable[[str], str]] = None   # display text of a value ("es" → "Spanish")
    typed_value: Optional[Callable[[str], str]] = None   # a value as typed → as stored ("Spanish" → "es")
    text_language: bool = False  # its value is the language the article's title and body are analysed in

    @property
    def reads_given(self) -> bool:
        """Whether the input's own labels (``given_keys``) are read for it."""
        return self.source in ("given", "both")

    @property
    def extracted(self) -> bool:
        """Whether entity extraction finds its values."""
        return self.source in ("extracted", "both")

    @property
    def scoped(self) -> bool:
        """Whether values split into "about" and passing mentions (a scope switch)."""
        return self.kind == COUNTRIES

    @property
    def scope_param(self) -> str:
        """The URL/CLI parameter of the scope switch, "" for kinds without one."""
        return f"{self.param}_scope" if self.scoped else ""

    @property
    def mentioned_json(self) -> str:
        """The JSON field of the passing mentions, "" for kinds without them."""
        return f"{self.json}_mentioned" if self.scoped else ""


FACETS: tuple[FacetSpec, ...] = tuple(sorted((
    FacetSpec(
        "country", "Parties / countries", COUNTRIES, param="country", json="countries", noun="country",
        aliases=("countries", "party", "place"), order=10, source="both", given_keys=("countries",),
        chips=settings.HIT_COUNTRY_CHIPS, mark="◉",
        help=((("country:China", 'country:"North Korea"'),
               "articles involving a country (about it or mentioning it)"),),
        cli_help="Filter by country (repeat for OR)."),
    FacetSpec(
        "person", "People", NAMES, param="person", json="people", noun="person", aliases=("people",),
        lookup="last", order=20, source="both", given_keys=("people",), chips=settings.HIT_PERSON_CHIPS,
        help=((('person:"James Kelly"', "person:kelly"),
               "articles naming a person (a last name finds every full name ending in it)"),),
        cli_help="Filter by person (repeat for OR)."),
    FacetSpec(
        "org", "Organisations", NAMES, param="org", json="organisations", noun="organisation",
        aliases=("orgs", "organisation", "organisations", "organization", "organizations"), lookup="word",
        order=30, source="both", given_keys=("organisations", "organizations"),
        chips=settings.HIT_ORGANISATION_CHIPS, mark="■",
        help=((('org:"World Bank"', "org:bank"),
               "articles naming an organisation (a word finds every name that has it)"),),
        cli_help="Filter by organisation (repeat for OR)."),
    FacetSpec(
        "author", "Authors", NAMES, param="author", json="authors", noun="author", aliases=("authors", "by"),
        lookup="last", order=40, source="given", given_keys=("authors", "author"), display="byline",
        help=((('author:"Jane Doe"', "author:doe"),
               "articles by an author (from the byline; a last name finds every full name ending in it)"),),
        cli_help="Filter by author (repeat for OR)."),
    FacetSpec(
        "story", "Story", KEYWORDS, param="story", json="story", noun="story", order=80, source="built",
        display="hidden", sidebar=False, multi=False, groups=True,
        help=((("story:3f9c2a71d0b84e65",), "every copy of one story (its id, in the JSON and exports)"),),
        cli_help="Only the copies of this story (its id); lists every copy."),
    FacetSpec(
        "language", "Language", KEYWORDS, param="lang", json="language", noun="language",
        aliases=("lang", "languages"), order=50, display="label", multi=False, value_label=languages.label,
        typed_value=languages.typed_code, text_language=True,
        help=((("lang:es", "lang:spanish", "language:español"),
               "articles in a language (its ISO 639-1 code or its name); words are then searched in that "
               "language only"),),
        cli_help="Filter by language: its ISO 639-1 code or name (es, Spanish; repeat for OR)."),
    FacetSpec(
        "date", "Date", DATES, json="date", noun="date", order=90, display="hidden", mark="▮",
        help=((("date:2004", "date:2004-02", "date:[2004-01-01 TO 2004-03-31]"),
               "a year, a month, a range (YYYY, YYYY-MM or YYYY-MM-DD ends)"),)),
), key=lambda s: s.order))

# Derived tables, rebuilt by ``register``.
BY_NAME: dict[str, FacetSpec] = {}
VALUE_FACETS: tuple[FacetSpec, ...] = ()       # every facet whose values are filters (not DATES)
VALUE_FACET_NAMES: tuple[str, ...] = ()
SIDEBAR_FACETS: tuple[FacetSpec, ...] = ()     # values facets counted and shown with counts
BY_PARAM: dict[str, FacetSpec] = {}
BY_ALIAS: dict[str, FacetSpec] = {}            # query field name (canonical or alias) → spec
GROUP: Optional[FacetSpec] = None              # the spec whose shared value makes copies one result
LANGUAGE: Optional[FacetSpec] = None           # the facet holding each article's language (``text_language``)


def _index() -> None:
    global BY_NAME, VALUE_FACETS, VALUE_FACET_NAMES, SIDEBAR_FACETS, BY_PARAM, BY_ALIAS, GROUP, LANGUAGE
    for s in FACETS:
        _check(s)
    told = [s for s in FACETS if s.text_language]
    if len(told) > 1:
        raise ValueError("two facets hold the language of the text")
    LANGUAGE = told[0] if told else None
    BY_NAME = {s.name: s for s in FACETS}
    if len(BY_NAME) != len(FACETS):
        raise ValueError("two facets share a name")
    VALUE_FACETS = tuple(s for s in FACETS if s.kind in VALUE_KINDS)
    VALUE_FACET_NAMES = tuple(s.name for s in VALUE_FACETS)
    SIDEBAR_FACETS = tuple(s for s in VALUE_FACETS if s.sidebar)
    BY_PARAM = {s.param: s for s in VALUE_FACETS}
    grouping = [s for s in FACETS if s.groups]
    if len(grouping) > 1:
        raise ValueError("two facets group results: " + ", ".join(s.name for s in grouping))
    GROUP = grouping[0] if grouping else None
    BY_ALIAS = {}
    for s in FACETS:
        for word in (s.name, *s.aliases):
            if word in BY_ALIAS:
                raise ValueError(f"query field {word!r} names two facets")
            BY_ALIAS[word] = s


def _check(s: FacetSpec) -> None:
    """A spec every layer can render: known kind, lookup, source and display; a parameter and a
    JSON field for values facets."""
    problems = []
    if s.kind not in (*VALUE_KINDS, DATES):
        problems.append(f"kind {s.kind!r}")
    if s.lookup not in LOOKUPS:
        problems.append(f"lookup {s.lookup!r}")
    if s.source not in SOURCES:
        problems.append(f"source {s.source!r}")
    if s.display not in DISPLAYS:
        problems.append(f"display {s.display!r}")
    if s.kind in VALUE_KINDS and not (s.param and s.json and s.noun):
        problems.append("no param, json or noun")
    if s.reads_given and not s.given_keys and s.kind in VALUE_KINDS:
        problems.append("given values without given_keys")
    if s.groups and (s.kind != KEYWORDS or s.multi or s.sidebar):
        problems.append("a grouping facet is a single-valued keyword without a sidebar")
    if s.text_language and (s.kind != KEYWORDS or s.multi):
        problems.append("the text's language must be a single-valued KEYWORDS facet")
    if problems:
        raise ValueError(f"facet {s.name!r}: " + ", ".join(problems))


_index()


def register(extra: FacetSpec) -> None:
    """Add a facet to the registry (an extension's, a test's). The engines, the web app and the CLI
    read the registry when they are imported: register before importing them."""
    global FACETS
    FACETS = tuple(sorted((*FACETS, extra), key=lambda s: s.order))
    _index()


def spec(name: str) -> FacetSpec:
    """The facet called ``name`` (KeyError for an unknown one)."""
    return BY_NAME[name]


def by_param(param: str) -> FacetSpec:
    """The values facet whose URL/CLI parameter is ``param`` (KeyError for an unknown one)."""
    return BY_PARAM[param]


def by_alias(field: str) -> Optional[FacetSpec]:
    """The facet a query field names (``people`` → person), any case; None for other fields."""
    return BY_ALIAS.get(field.lower())


def facet_json(facets: dict, mentioned: Optional[dict] = None, specs: Iterable[FacetSpec] = ()) -> dict:
    """Facet values keyed by their JSON fields (``{"countries": […], "countries_mentioned": […],
    "people": […], …}``), in registry order: the shape of hits, articles, exports and ``extract``.
    A single-valued facet is a scalar (None without a value)."""
    out: dict = {}
    for s in specs or VALUE_FACETS:
        values = list(facets.get(s.name) or ())
        out[s.json] = values if s.multi else (values[0] if values else None)
        if s.scoped:
            out[s.mentioned_json] = list((mentioned or {}).get(s.name) or ())
    return out


def shown_value(s: FacetSpec, value: str) -> str:
    """A value as the page shows it (``value_label``'s text, else the value itself)."""
    return s.value_label(value) if s.value_label else value


def typed(s: FacetSpec, value: str) -> str:
    """A value as a user typed it (in a query, a URL, the CLI), as the index stores it
    (``typed_value``: "Spanish" → "es"; other facets: unchanged)."""
    return s.typed_value(value) if s.typed_value else value


def text_language(values: dict) -> str:
    """The language of an article's text from its facet values (``Article.facets``, ``Hit.facets``):
    the ``text_language`` facet's value, "" when unknown (or when no facet holds it)."""
    found = values.get(LANGUAGE.name) if LANGUAGE is not None else None
    return found[0] if found else ""


_WORD_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def name_words(value: str) -> list[str]:
    """A value's words, punctuation trimmed at their ends ("Airbus S.A.S." → Airbus, S.A.S)."""
    return [w for w in (_WORD_EDGE.sub("", part) for part in value.split()) if w]


def lookup_keys(s: FacetSpec, value: str) -> list[str]:
    """What a value is also found under in a query, beside its whole name: its last word
    (``lookup="last"``: person:kelly) or every run of its words (``"word"``: org:bank, org:"world
    bank"). Both engines index these keys, so they resolve a typed value alike."""
    words = name_words(value)
    if not words or not s.lookup:
        return []
    if s.lookup == "last":
        return [words[-1]]
    return list(dict.fromkeys(" ".join(words[i:j]) for i in range(len(words))
                              for j in range(i + 1, min(len(words), i + MAX_LOOKUP_WORDS) + 1)))


def lookup_key(text: str) -> str:
    """Typed text as a lookup key (words with punctuation trimmed, single spaces)."""
    return " ".join(name_words(text))
