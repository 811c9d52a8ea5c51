"""The words people extraction reads, per article language: English's lists (``name_words``) alone for
English and unknown languages, and, for German, Spanish, French, Italian, Dutch and Portuguese, those
lists joined with the language's own (``data/name_words_intl.txt``, by hand: titles, roles, reporting
verbs, particles; ``data/people_intl.tsv``, generated: function words, common words, given names).

English keeps exactly its lists, so an English article reads as before; another language's article
still knows English titles and names (news quotes "President Biden" in every language).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .name_words import COMMON, DATA, ENGLISH, FIRST_NAMES, PARTICLES, ROLES, SAY, TITLES, _sections

LANGUAGES = frozenset({"de", "es", "fr", "it", "nl", "pt"})
# Languages that capitalise every noun: a capitalised word there is no sign of a name.
NOUNS_CAPITALISED = frozenset({"de"})


@dataclass(frozen=True)
class Vocabulary:
    """One language's word sets for finding people (lower case)."""
    language: str
    titles: frozenset[str]
    roles: frozenset[str]
    say: frozenset[str]          # reporting verbs after a name ("dijo", "sagte", "zei")
    say_before: frozenset[str]   # words that introduce a speaker before the name ("según", "laut")
    aux: frozenset[str]          # auxiliaries of a compound past before a reporting verb ("a déclaré")
    common: frozenset[str]       # function words and the other words no name starts or ends with
    words: frozenset[str]        # ordinary words: a name of these alone is a phrase, not a person
    first_names: frozenset[str]
    particles: frozenset[str]
    of: frozenset[str]           # "of" in "Mayor of Koszalin Piotr …"
    role_ends: tuple[str, ...]   # compound role words end so ("Verkehrsminister", "Bondscoach")
    nouns_capitalised: bool = False
    function: frozenset[str] = frozenset()        # the language's own function words (not English's)
    org_heads: frozenset[str] = frozenset()       # heads before lower-case adjectives ("Parti socialiste")
    org_kinds: frozenset[str] = frozenset()       # "l'agence Reuters", "Nachrichtenagentur Xinhua"
    capitalised_nouns: frozenset[str] = frozenset()   # "PIB", "IVA": no organisation's acronym

    @property
    def foreign(self) -> bool:
        """Not English: the language's own lists are in play."""
        return self.language != "en"


ENGLISH_WORDS = Vocabulary("en", TITLES, ROLES, SAY, frozenset(), frozenset(), COMMON, ENGLISH, FIRST_NAMES,
                           PARTICLES, frozenset({"of"}), ())


def _generated() -> dict[str, dict[str, frozenset[str]]]:
    out: dict[str, dict[str, frozenset[str]]] = {}
    for line in (DATA / "people_intl.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, kind, words = line.split("\t")
            out.setdefault(lang, {})[kind] = frozenset(words.split())
    return out


@lru_cache(maxsize=None)
def _tables() -> tuple[dict, dict]:
    return _sections(DATA / "name_words_intl.txt"), _generated()


@lru_cache(maxsize=16)
def vocabulary(language: str | None) -> Vocabulary:
    """The word sets for articles in ``language`` (ISO 639-1; English's for English, unknown and the
    languages without lists of their own). Built once per language and process."""
    if language not in LANGUAGES:
        return ENGLISH_WORDS
    hand, generated = _tables()

    def own(kind: str) -> frozenset[str]:
        return hand.get(f"{language} {kind}", frozenset())
    function = generated[language]["function"]
    titles = TITLES | own("titles")
    roles = ROLES | own("roles")
    return Vocabulary(
        language=language, titles=titles, roles=roles, say=SAY | own("say"), say_before=own("say_before"),
        aux=own("aux"), common=COMMON | (function - titles - roles - own("particles")),
        words=ENGLISH | generated[language]["words"],
        first_names=(FIRST_NAMES | generated["*"]["given"]) - function - titles,
        particles=PARTICLES | own("particles"), of=frozenset({"of"}) | own("of"),
        role_ends=tuple(sorted(own("role_ends"), key=len, reverse=True)),
        nouns_capitalised=language in NOUNS_CAPITALISED, function=function, org_heads=own("org_heads"),
        org_kinds=own("org_kinds"), capitalised_nouns=own("capitalised_nouns"))
